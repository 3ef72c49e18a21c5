"""Whole-playbook runs on the Azure stand-in: a runner, and one good converge the tests share."""

import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sandbox.direct import DirectClient

REPO_ROOT = Path(__file__).resolve().parents[2]
SANDBOX_INVENTORY = REPO_ROOT / "inventories" / "sandbox"


@dataclass
class PlaybookRun:
    rc: int
    output: str
    writes: list
    traffic: list


def run_playbook(
    standin, playbook, extra_vars=None, inventory=SANDBOX_INVENTORY, verbosity=0, env=None, timeout=900, options=()
):
    """ansible-playbook on the sandbox inventory against the stand-in; returns output and traffic of the run.

    ``options``: more command-line options, e.g. ("--check", "--diff").
    """
    command = [
        str(Path(sys.executable).with_name("ansible-playbook")),
        "-i",
        str(inventory),
        str(REPO_ROOT / "playbooks" / playbook),
    ]
    if extra_vars:
        command += ["-e", json.dumps(extra_vars)]
    if verbosity:
        command.append("-" + "v" * verbosity)
    command += list(options)
    environment = dict(os.environ)
    environment.update(standin.env)
    environment.update(
        {
            "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_NOCOLOR": "1",
            "PATH": f"{Path(sys.executable).parent}:{environment.get('PATH', '')}",
        }
    )
    environment.update(env or {})
    mark = standin.traffic_mark()
    completed = subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return PlaybookRun(
        completed.returncode,
        completed.stdout + completed.stderr,
        standin.write_calls(since=mark),
        standin.traffic(since=mark),
    )


def unique_deployment():
    """Variables that give a run its own resource group and names, so runs on the shared stand-in never collide."""
    suffix = uuid.uuid4().hex[:6]
    return {"mcp_platform_resource_group": f"rg-pb-{suffix}", "mcp_platform_name_prefix": f"pb{suffix}"}


class Arm(DirectClient):
    """Direct ARM access to the stand-in (reads and tampering), outside the collection's modules."""

    def __init__(self, standin):
        super().__init__(standin, "https://management.azure.com/.default")

    def request(self, method, path, api_version=None, body=None):
        url = f"{self.standin.base_url}{path}"
        if api_version:
            url += ("&" if "?" in url else "?") + f"api-version={api_version}"
        status, answer = self.send(method, url, body)
        if status >= 400:
            raise AssertionError(f"{method} {path}: {status} {answer}")
        return answer

    def group_path(self, resource_group):
        return f"/subscriptions/{self.standin.env['AZURE_SUBSCRIPTION_ID']}/resourceGroups/{resource_group}"


@pytest.fixture(scope="session")
def arm(standin):
    return Arm(standin)


# Injected faults: throttling, server errors and long-running operations that fail, at a set rate.
FAULTS = {"*": {"rate": 0.15, "kinds": ["429", "500", "lro_failed"], "retry_after": 0, "retry_after_ms": 10}}
# Few SDK retries, so injected faults reach the modules instead of being absorbed by azure-core.
FAULT_ENV = {"MCP_PLATFORM_AZURE_RETRY_TOTAL": "1", "MCP_PLATFORM_AZURE_POLLING_INTERVAL": "0"}


@dataclass
class Deployment:
    variables: dict
    faulted: PlaybookRun  # the first converge, under injected faults
    converged: PlaybookRun  # the re-run without faults: a full converge


@pytest.fixture(scope="session")
def deployment(standin):
    """A converge under faults, then a full re-run; both at -vvvv, in a resource group of their own.

    A converge of the whole platform is the slowest thing these tests do, so the fault test, the secret
    leak test and the posture tests share this pair: the re-run is a complete converge (every task of
    site.yml, ending with verify.yml) of a deployment whose secrets were generated under -vvvv too.
    """
    variables = unique_deployment()
    standin.configure(faults=FAULTS, seed=7)
    try:
        faulted = run_playbook(standin, "site.yml", extra_vars=variables, verbosity=4, env=FAULT_ENV)
    finally:
        standin.configure(faults={})
    converged = run_playbook(standin, "site.yml", extra_vars=variables, verbosity=4)
    return Deployment(variables, faulted, converged)
