"""From an installed copy, ansible-doc lists and renders every plugin and role of the collection."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.release.conftest import BIN, REPO, clean_ansible_env, run

MODULES = sorted(path.stem for path in (REPO / "plugins" / "modules").glob("*.py") if path.stem != "__init__")
ROLES = sorted(path.parent.parent.name for path in (REPO / "roles").glob("*/meta/argument_specs.yml"))


@pytest.fixture(scope="module")
def doc_env(installed_collection):
    return clean_ansible_env(ANSIBLE_COLLECTIONS_PATH=str(installed_collection))


@pytest.fixture(scope="module")
def module_docs(doc_env, outside_checkout):
    result = run(
        [BIN / "ansible-doc", "--json", *(f"mcp_platform.azure.{name}" for name in MODULES)],
        cwd=outside_checkout,
        env=doc_env,
    )
    return json.loads(result.stdout)


def test_lists_every_module(doc_env, outside_checkout):
    result = run([BIN / "ansible-doc", "-l", "mcp_platform.azure", "--json"], cwd=outside_checkout, env=doc_env)
    listed = sorted(name.removeprefix("mcp_platform.azure.") for name in json.loads(result.stdout))
    assert listed == MODULES


def test_every_module_documents_itself(module_docs):
    assert sorted(name.removeprefix("mcp_platform.azure.") for name in module_docs) == MODULES
    for name, entry in module_docs.items():
        doc = entry["doc"]
        assert doc.get("short_description"), f"{name}: no short_description"
        assert entry.get("examples"), f"{name}: no EXAMPLES"
        assert doc.get("version_added"), f"{name}: no version_added"


def test_every_module_renders_as_text(doc_env, outside_checkout):
    result = run(
        [BIN / "ansible-doc", *(f"mcp_platform.azure.{name}" for name in MODULES)],
        cwd=outside_checkout,
        env=doc_env,
    )
    for name in MODULES:
        assert f"mcp_platform.azure.{name}" in result.stdout, f"{name} did not render"
    assert "ERROR" not in result.stderr, result.stderr[-3000:]


def test_lists_filters_and_roles(doc_env, outside_checkout):
    filters = run(
        [BIN / "ansible-doc", "-t", "filter", "-l", "mcp_platform.azure", "--json"], cwd=outside_checkout, env=doc_env
    )
    assert "mcp_platform.azure.mcp_compile" in json.loads(filters.stdout)
    roles = run(
        [BIN / "ansible-doc", "-t", "role", "-l", "mcp_platform.azure", "--json"], cwd=outside_checkout, env=doc_env
    )
    assert sorted(name.removeprefix("mcp_platform.azure.") for name in json.loads(roles.stdout)) == ROLES


def test_released_modules_are_in_the_changelog(module_docs):
    """A module whose version_added is a released version must appear among that release's modules."""
    changelog = yaml.safe_load((REPO / "changelogs" / "changelog.yaml").read_text(encoding="utf-8"))
    releases = changelog.get("releases") or {}
    listed = {
        version: {module["name"] for module in (release.get("modules") or [])} for version, release in releases.items()
    }
    unlisted = sorted(
        f"{name} (version_added {entry['doc']['version_added']})"
        for name, entry in module_docs.items()
        if str(entry["doc"]["version_added"]) in listed
        and name.removeprefix("mcp_platform.azure.") not in listed[str(entry["doc"]["version_added"])]
    )
    assert not unlisted, (
        f"modules missing from changelogs/changelog.yaml: {unlisted}; run `antsibull-changelog release "
        "--update-existing --reload-plugins` (see docs/releasing.md)"
    )
