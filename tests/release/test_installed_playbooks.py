"""The playbooks run as `ansible-playbook mcp_platform.azure.<name>` from an installed copy.

Nothing here touches the checkout's ansible.cfg or .build/collections: the collection path is the
one the tarball was installed into, and the working directory is outside the checkout.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.release.conftest import BIN, REPO, clean_ansible_env, run

pytestmark = pytest.mark.timeout(1200)
SANDBOX_INVENTORY = REPO / "inventories" / "sandbox"
AZURE_INVENTORY = REPO / "inventories" / "azure"
LOCAL_INVENTORY = REPO / "inventories" / "local"
# What a converged platform must hold in the stand-in (one PUT of each at least).
PLATFORM_TYPES = {
    "Microsoft.Network/virtualNetworks",
    "Microsoft.ApiManagement/service",
    "Microsoft.ContainerInstance/containerGroups",
    "Microsoft.DocumentDB/mongoClusters",
    "Microsoft.KeyVault/vaults",
}


def recap(stdout: str) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in re.findall(r"^\S+\s+:\s+(ok=.*)$", stdout, re.MULTILINE):
        for key, value in re.findall(r"(\w+)=(\d+)", line):
            totals[key] = totals.get(key, 0) + int(value)
    assert totals, stdout[-3000:]
    return totals


def arm_type(path: str) -> str | None:
    """Microsoft.X/y from an ARM resource path (top-level resources only)."""
    match = re.search(r"/providers/(Microsoft\.[^/]+)/([^/]+)/[^/]+$", path.split("?")[0])
    return f"{match.group(1)}/{match.group(2)}" if match else None


def require(inventory):
    if not inventory.is_dir():
        pytest.fail(f"{inventory.relative_to(REPO)} does not exist: the installed-collection run has nothing to run")


@pytest.mark.parametrize("playbook", ["site", "verify", "teardown"])
@pytest.mark.parametrize("inventory", [LOCAL_INVENTORY, SANDBOX_INVENTORY, AZURE_INVENTORY], ids=lambda p: p.name)
def test_playbooks_resolve_from_the_installed_collection(installed_collection, outside_checkout, playbook, inventory):
    require(inventory)
    env = clean_ansible_env(ANSIBLE_COLLECTIONS_PATH=str(installed_collection))
    run(
        [BIN / "ansible-playbook", f"mcp_platform.azure.{playbook}", "-i", inventory, "--syntax-check"],
        cwd=outside_checkout,
        env=env,
    )


def test_local_state_stays_out_of_the_collections_path(installed_collection, outside_checkout, tmp_path):
    """Installed, the local target keeps its state under XDG_STATE_HOME, not inside the collection."""
    playbooks = installed_collection / "ansible_collections" / "mcp_platform" / "azure" / "playbooks"
    env = clean_ansible_env(ANSIBLE_COLLECTIONS_PATH=str(installed_collection), XDG_STATE_HOME=str(tmp_path / "state"))
    result = run(
        [
            BIN / "ansible",
            "local",
            "-i",
            LOCAL_INVENTORY,
            "--playbook-dir",
            playbooks,
            "-m",
            "debug",
            "-a",
            "var=local_state_dir",
        ],
        cwd=outside_checkout,
        env=env,
    )
    state_dir = json.loads(result.stdout.split("=>", 1)[1])["local_state_dir"]
    assert state_dir == str(tmp_path / "state" / "mcp-platform")
    # From a checkout it stays the checkout's .local-state.
    in_checkout = run(
        [
            BIN / "ansible",
            "local",
            "-i",
            LOCAL_INVENTORY,
            "--playbook-dir",
            REPO / "playbooks",
            "-m",
            "debug",
            "-a",
            "var=local_state_dir",
        ],
        cwd=outside_checkout,
        env=env,
    )
    assert json.loads(in_checkout.stdout.split("=>", 1)[1])["local_state_dir"] == str(REPO / ".local-state")


def test_site_converges_on_the_sandbox_from_the_installed_collection(installed_collection, outside_checkout, standin):
    require(SANDBOX_INVENTORY)
    # ANSIBLE_COLLECTIONS_PATH names the install only (no ansible.cfg, no ~/.ansible/collections).
    env = clean_ansible_env(ANSIBLE_COLLECTIONS_PATH=str(installed_collection), **standin.env)
    argv = [str(BIN / "ansible-playbook"), "mcp_platform.azure.site", "-i", str(SANDBOX_INVENTORY)]
    mark = standin.traffic_mark()
    first = subprocess.run(
        argv, cwd=outside_checkout, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert first.returncode == 0, f"site failed:\n{first.stdout[-8000:]}\n{first.stderr[-3000:]}"
    totals = recap(first.stdout)
    assert totals.get("failed", 0) == 0 and totals.get("unreachable", 0) == 0, totals
    created = {arm_type(entry["path"]) for entry in standin.write_calls(since=mark) if entry["method"] == "PUT"}
    missing = PLATFORM_TYPES - created
    assert not missing, f"site converged without creating {sorted(missing)}"

    # site ends with the verify plays: the posture checks (and the files of their role) ran from the
    # install too. Idempotence of site itself is proven from the checkout by tests/playbooks.
    assert "Verify the Azure deployment" in first.stdout or "Verify the deployment (azure" in first.stdout


@pytest.mark.parametrize("playbook", ["site", "verify", "teardown"])
def test_awx_project_playbooks_import_the_installed_collection(installed_collection, outside_checkout, playbook):
    """docs/awx/project, the template of an AWX project, runs the collection's playbooks by name."""
    require(SANDBOX_INVENTORY)
    project_playbook = REPO / "docs" / "awx" / "project" / f"{playbook}.yml"
    env = clean_ansible_env(ANSIBLE_COLLECTIONS_PATH=str(installed_collection))
    result = run(
        [BIN / "ansible-playbook", project_playbook, "-i", SANDBOX_INVENTORY, "--list-tasks"],
        cwd=outside_checkout,
        env=env,
    )
    assert "play #1" in result.stdout, result.stdout[-2000:]
