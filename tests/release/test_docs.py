"""The README, docs, AWX surveys and CI examples are consistent with the code they describe."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from ansible_collections.mcp_platform.azure.plugins.module_utils import _auth
from tests.release.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
EXAMPLES = REPO / "docs" / "examples"
SURVEYS = sorted((REPO / "docs" / "awx").glob("*-survey.json"))
SURVEY_TYPES = {"text", "textarea", "password", "integer", "float", "multiplechoice", "multiselect"}


def markdown_files():
    return [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md")), *sorted((REPO / "roles").glob("*/README.md"))]


def declared_variables():
    """Every variable some role declares in its argument spec, or a play of playbooks/ sets."""
    names = set()
    for spec_path in (REPO / "roles").glob("*/meta/argument_specs.yml"):
        for entry in (yaml.safe_load(spec_path.read_text(encoding="utf-8"))["argument_specs"] or {}).values():
            names |= set((entry or {}).get("options") or {})
    for playbook in (REPO / "playbooks").glob("*.yml"):
        for play in yaml.safe_load(playbook.read_text(encoding="utf-8")) or []:
            names |= set(play.get("vars") or {})
    return names


def test_quick_start_keeps_the_two_commands():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "make run" in quick_start and "make test" in quick_start
    assert README.count("```mermaid") == 2


def test_local_endpoint_and_token_command_match_the_local_target():
    inventory = yaml.safe_load(
        (REPO / "inventories" / "local" / "group_vars" / "local.yml").read_text(encoding="utf-8")
    )
    endpoint = f"http://127.0.0.1:{inventory['local_gateway_port']}/mcp/{inventory['mcp_platform_servers'][0]['name']}"
    assert endpoint in README
    tasks = (REPO / "roles" / "local_issuer" / "tasks" / "main.yml").read_text(encoding="utf-8")
    assert 'dest: "{{ local_state_dir }}/bin/mcp-token"' in tasks
    assert ".local-state/bin/mcp-token admin" in README
    principals = {principal["name"] for principal in inventory["local_principals"]}
    for name in principals:
        assert f"`{name}`" in README, f"principal {name} is not explained in the README"


@pytest.mark.parametrize("document", markdown_files(), ids=lambda path: str(path.relative_to(REPO)))
def test_relative_links_resolve(document: Path):
    text = document.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = (document.parent / target.split("#", 1)[0]).resolve()
        if not path.exists():
            broken.append(target)
    assert not broken, f"{document.relative_to(REPO)} links to missing files: {broken}"


def test_deployment_guide_covers_the_azure_inventory():
    inventory = yaml.safe_load(
        (REPO / "inventories" / "azure" / "group_vars" / "azure.yml").read_text(encoding="utf-8")
    )
    guide = (REPO / "docs" / "azure-deployment.md").read_text(encoding="utf-8")
    declared = declared_variables()
    for name in inventory:
        if name == "mcp_platform_target":
            continue
        assert f"`{name}`" in guide, f"docs/azure-deployment.md does not explain {name}"
        assert name in declared or name.startswith("mcp_platform_"), f"{name} is in no role's argument spec"


@pytest.mark.parametrize("survey_path", SURVEYS, ids=lambda path: path.name)
def test_awx_survey_is_importable(survey_path: Path):
    survey = json.loads(survey_path.read_text(encoding="utf-8"))
    assert survey["name"] and isinstance(survey["spec"], list) and survey["spec"]
    declared = declared_variables()
    seen = set()
    for question in survey["spec"]:
        assert {"question_name", "variable", "type", "required"} <= set(question), question
        assert question["type"] in SURVEY_TYPES, question
        assert question["variable"] in declared, f"{question['variable']} is in no role's argument spec"
        assert question["variable"] not in seen, f"{question['variable']} asked twice"
        seen.add(question["variable"])
        if question["type"] in ("multiplechoice", "multiselect"):
            assert question["default"] in question["choices"], question
        if question["type"] == "text" and question.get("default"):
            assert question["min"] <= len(question["default"]) <= question["max"], question


def test_awx_job_templates_have_surveys():
    assert {path.name for path in SURVEYS} >= {"site-survey.json", "verify-survey.json", "teardown-survey.json"}


def environment_names(mapping):
    return {name for name in (mapping or {}) if name.startswith("AZURE_")}


def test_github_actions_example_uses_federation_and_no_secret():
    text = (EXAMPLES / "github-actions-deploy.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert "secrets." not in text, "the example must not need a stored secret"
    assert workflow["permissions"]["id-token"] == "write"
    job = workflow["jobs"]["deploy"]
    readable = set(_auth.ENV_NAMES.values()) | set(_auth.ENV_ALIASES.values())
    exported = environment_names(job["env"]) | set(re.findall(r"\b(AZURE_[A-Z_]+)=", text))
    assert exported <= readable, f"variables the collection does not read: {exported - readable}"
    assert {"AZURE_CLIENT_ID", "AZURE_TENANT", "AZURE_SUBSCRIPTION_ID", "AZURE_FEDERATED_TOKEN_FILE"} <= exported
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "ansible-playbook mcp_platform.azure.site" in runs and "ansible-playbook mcp_platform.azure.verify" in runs


def test_azure_devops_example_uses_federation_and_no_secret():
    text = (EXAMPLES / "azure-pipelines.yml").read_text(encoding="utf-8")
    pipeline = yaml.safe_load(text)
    steps = pipeline["jobs"][0]["steps"]
    cli = next(step for step in steps if step.get("task") == "AzureCLI@2")
    assert cli["inputs"]["addSpnToEnvironment"] is True
    script = cli["inputs"]["inlineScript"]
    readable = set(_auth.ENV_NAMES.values()) | set(_auth.ENV_ALIASES.values())
    exported = set(re.findall(r"\b(AZURE_[A-Z_]+)=", script)) | environment_names(pipeline["variables"])
    assert exported <= readable, f"variables the collection does not read: {exported - readable}"
    assert {"AZURE_CLIENT_ID", "AZURE_TENANT", "AZURE_SUBSCRIPTION_ID", "AZURE_FEDERATED_TOKEN_FILE"} <= exported
    assert (
        "ansible-playbook mcp_platform.azure.site" in script and "ansible-playbook mcp_platform.azure.verify" in script
    )
    assert "$servicePrincipalKey" not in script, "a federated connection has no key"
