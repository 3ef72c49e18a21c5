"""`ansible-galaxy collection build` makes a clean, complete tarball that installs into an empty path."""

from __future__ import annotations

import json
import tarfile

import yaml

from tests.release.conftest import REPO

# Made by the Makefile, the tests and the local target; never part of a release.
RUNTIME_DIRS = {".venv", ".build", ".sandbox", ".local-state", ".git", ".pytest_cache", ".ruff_cache", "tests/output"}
MAX_TARBALL_BYTES = 3 * 1024 * 1024


def members(tarball):
    with tarfile.open(tarball) as archive:
        return {member.name.rstrip("/") for member in archive.getmembers()}


def test_tarball_leaves_out_runtime_state(collection_tarball):
    names = members(collection_tarball)
    leaked = sorted(
        name
        for name in names
        if any(name == top or name.startswith(top + "/") for top in RUNTIME_DIRS)
        or "node_modules" in name.split("/")
        or "__pycache__" in name.split("/")
        or name.endswith((".pyc", ".tar.gz"))
    )
    assert not leaked, f"build_ignore in galaxy.yml lets these into the tarball: {leaked[:20]}"
    assert collection_tarball.stat().st_size < MAX_TARBALL_BYTES, collection_tarball.stat().st_size


def test_tarball_holds_the_whole_collection(collection_tarball):
    names = members(collection_tarball)
    expected = {
        "MANIFEST.json",
        "FILES.json",
        "README.md",
        "LICENSE",
        "meta/runtime.yml",
        "meta/execution-environment.yml",
        "execution-environment.yml",
        "requirements.txt",
        "bindep.txt",
        "changelogs/changelog.yaml",
        "playbooks/site.yml",
        "playbooks/verify.yml",
        "playbooks/teardown.yml",
    }
    expected |= {
        str(path.relative_to(REPO)) for path in (REPO / "plugins").rglob("*.py") if "__pycache__" not in path.parts
    }
    expected |= {str(path.relative_to(REPO)) for path in (REPO / "roles").glob("*/meta/argument_specs.yml")}
    expected |= {str(path.relative_to(REPO)) for path in (REPO / "roles").glob("*/README.md")}
    missing = sorted(expected - names)
    assert not missing, f"missing from the tarball: {missing}"


def test_manifest_matches_galaxy_metadata(collection_tarball):
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))
    with tarfile.open(collection_tarball) as archive:
        manifest = json.load(archive.extractfile("MANIFEST.json"))["collection_info"]
    assert (manifest["namespace"], manifest["name"], manifest["version"]) == (
        galaxy["namespace"],
        galaxy["name"],
        galaxy["version"],
    )
    assert collection_tarball.name == f"{galaxy['namespace']}-{galaxy['name']}-{galaxy['version']}.tar.gz"


def test_installs_offline_into_an_empty_path(installed_collection):
    root = installed_collection / "ansible_collections" / "mcp_platform" / "azure"
    assert (root / "MANIFEST.json").is_file()
    assert (root / "playbooks" / "site.yml").is_file()
    # The local target tells a checkout from an installed copy by galaxy.yml (see inventories/local).
    assert not (root / "galaxy.yml").exists()
    installed = json.loads((root / "MANIFEST.json").read_text(encoding="utf-8"))["collection_info"]
    assert installed["version"] == yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))["version"]
