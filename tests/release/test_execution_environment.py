"""ansible-builder makes a build context for the execution environment from this checkout."""

from __future__ import annotations

import re

import yaml
from bindep.depends import Depends

from tests.release.conftest import BIN, REPO, run

# Packages only the local target's services need; an execution environment runs Azure targets.
LOCAL_ONLY = {"uvicorn", "starlette", "nx-27017", "trustme"}
# What the verify role's access matrix needs besides the SDKs (an MCP client).
VERIFY_CLIENT = {"mcp", "httpx", "pyjwt"}


def requirement_names(text):
    names = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[\s\[<>=!~;]", line, maxsplit=1)[0].lower())
    return names


def test_collection_declares_its_dependencies():
    meta = yaml.safe_load((REPO / "meta" / "execution-environment.yml").read_text(encoding="utf-8"))
    dependencies = meta["dependencies"]
    assert dependencies == {"python": "requirements.txt", "system": "bindep.txt"}
    for path in dependencies.values():
        assert (REPO / path).is_file(), path


def test_bindep_parses_and_keeps_compilers_out_of_the_runtime():
    depends = Depends((REPO / "bindep.txt").read_text(encoding="utf-8"))
    runtime_rpm = {rule[0] for rule in depends.active_rules(["platform:rpm", "platform:redhat"])}
    compile_rpm = {rule[0] for rule in depends.active_rules(["platform:rpm", "platform:redhat", "compile"])}
    assert "ca-certificates" in runtime_rpm
    assert "gcc" not in runtime_rpm
    assert {"gcc", "python3-devel"} <= compile_rpm
    assert not {"nodejs", "npm"} & compile_rpm, "Node.js is for the local target only"


def requirement_lines(text):
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


def test_builder_creates_a_context(tmp_path):
    context = tmp_path / "context"
    run(
        [BIN / "ansible-builder", "create", "-f", REPO / "execution-environment.yml", "-c", context, "-v", "2"],
        cwd=REPO,
    )
    containerfile = next(path for path in (context / "Containerfile", context / "Dockerfile") if path.exists())
    text = containerfile.read_text(encoding="utf-8")
    assert "quay.io/centos/centos:stream9" in text
    assert "ansible-core" in text and "ansible-runner" in text
    built = requirement_lines((context / "_build" / "requirements.txt").read_text(encoding="utf-8"))
    sdks = requirement_lines((REPO / "requirements.txt").read_text(encoding="utf-8"))
    # Every SDK line of requirements.txt, unchanged, then only the verify role's MCP client.
    assert built[: len(sdks)] == sdks
    assert requirement_names("\n".join(built[len(sdks) :])) == VERIFY_CLIENT
    assert (context / "_build" / "bindep.txt").read_text(encoding="utf-8") == (REPO / "bindep.txt").read_text(
        encoding="utf-8"
    )


def test_execution_environment_carries_no_local_target_service():
    definition = yaml.safe_load((REPO / "execution-environment.yml").read_text(encoding="utf-8"))
    names = requirement_names("\n".join(definition["dependencies"]["python"]))
    assert {"azure-identity", "msgraph-sdk", "azure-mgmt-apimanagement"} <= names
    assert not names & LOCAL_ONLY, names & LOCAL_ONLY
    assert not requirement_names((REPO / "requirements.txt").read_text(encoding="utf-8")) & (LOCAL_ONLY | VERIFY_CLIENT)
