"""site.yml and teardown.yml on the Azure stand-in: check runs, converge, a no-op re-run, and a complete removal.

The deployment uses a resource group, name prefix and Entra group names of its own, so the stand-in
shared by the test session can hold other deployments at the same time.
"""

import re
import uuid

import pytest

from tests.playbooks.conftest import run_playbook

pytestmark = pytest.mark.timeout(2400)

RECAP = re.compile(r"^localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


ZERO_DURATIONS = (
    "*",
    "Microsoft.ApiManagement/service",
    "Microsoft.DocumentDB/mongoClusters",
    "Microsoft.ContainerInstance/containerGroups",
    "Microsoft.Network/privateEndpoints",
    "Microsoft.Network/virtualNetworks",
    "Microsoft.KeyVault/vaults",
)


def recap(run):
    found = RECAP.findall(run.output)
    assert found, run.output[-3000:]
    ok, changed, unreachable, failed = (int(value) for value in found[-1])
    return {"ok": ok, "changed": changed, "unreachable": unreachable, "failed": failed}


def own_deployment():
    suffix = uuid.uuid4().hex[:6]
    admins, readers = f"MCP-Admin-{suffix}", f"MCP-Read-Only-{suffix}"
    return {
        "mcp_platform_resource_group": f"rg-site-{suffix}",
        "mcp_platform_name_prefix": f"site{suffix}",
        "entra_group_members": {
            admins: ["0a0e1f30-4b5c-4d6e-8f70-8192a3b4c5d6"],
            readers: ["1b1f2041-5c6d-4e7f-9081-92a3b4c5d6e7"],
        },
        "mcp_platform_servers": [
            {
                "name": "mongodb",
                "version": "3.0.4",
                "tiers": [
                    {
                        "name": "admin",
                        "port": 3000,
                        "principals": {"groups": [admins], "app_roles": ["MCP.Admin"]},
                        "tools": {"allow": "*"},
                    },
                    {
                        "name": "readonly",
                        "port": 3001,
                        "principals": {"groups": [readers], "app_roles": ["MCP.ReadOnly"]},
                        "tools": {"allow_operation_types": ["read", "metadata"]},
                    },
                ],
                "disabled_tools": ["connect", "search-knowledge", "list-knowledge-sources"],
            }
        ],
    }


def test_site_converges_then_is_a_no_op_then_teardown_empties(standin, arm):
    # Operations finish at once here; the benchmark (benchmarks/converge.py) measures real durations.
    standin.configure(durations={kind: 0 for kind in ZERO_DURATIONS}, faults={})
    variables = own_deployment()
    group = variables["mcp_platform_resource_group"]
    prefix = variables["mcp_platform_name_prefix"]

    # A check run of a new deployment writes nothing and says why it cannot preview more.
    preview = run_playbook(standin, "site.yml", extra_vars=variables, options=("--check", "--diff"))
    assert preview.rc == 0, preview.output[-4000:]
    assert preview.writes == [], [(w["method"], w["path"]) for w in preview.writes]
    assert f"the resource group {group} does not exist yet" in " ".join(preview.output.split())

    first = run_playbook(standin, "site.yml", extra_vars=variables)
    assert first.rc == 0, first.output[-4000:]
    assert recap(first)["changed"] > 0
    created = {entry["path"].split("?")[0].lower() for entry in first.writes if entry["method"] == "PUT"}
    for fragment in (
        "/microsoft.apimanagement/service/",
        "/microsoft.documentdb/mongoclusters/",
        "/microsoft.containerinstance/containergroups/",
        "/microsoft.network/privateendpoints/",
        "/microsoft.keyvault/vaults/",
        "/apis/mcp-mongodb/policies/policy",
    ):
        assert any(fragment in path for path in created), f"nothing created under {fragment}"

    # The container group carries the gateway key and connection string as secure values only.
    aci = arm.request(
        "GET",
        f"{arm.group_path(group)}/providers/Microsoft.ContainerInstance/containerGroups/{prefix}-mcp-mongodb",
        "2023-05-01",
    )
    assert aci["properties"]["ipAddress"]["type"] == "Private"
    containers = {c["name"]: c["properties"] for c in aci["properties"]["containers"]}
    assert set(containers) == {"mongodb-admin", "mongodb-readonly"}
    readonly_env = {e["name"]: e for e in containers["mongodb-readonly"]["environmentVariables"]}
    assert readonly_env["MDB_MCP_READ_ONLY"]["value"] == "true"
    assert readonly_env["MDB_MCP_HTTP_HOST"]["value"] == "0.0.0.0"  # noqa: S104 - the container listens on its private IP
    assert "value" not in readonly_env["MDB_MCP_CONNECTION_STRING"]

    # The APIM backend of each tier points at the group's current private IP.
    backend = arm.request(
        "GET",
        f"{arm.group_path(group)}/providers/Microsoft.ApiManagement/service/{prefix}-apim/backends/mcp-mongodb-admin",
        "2024-05-01",
    )
    assert backend["properties"]["url"] == f"http://{aci['properties']['ipAddress']['ip']}:3000/mcp"

    second = run_playbook(standin, "site.yml", extra_vars=variables)
    assert second.rc == 0, second.output[-4000:]
    assert recap(second)["changed"] == 0, second.output[-4000:]
    assert second.writes == [], [(w["method"], w["path"]) for w in second.writes]

    # A check run of the deployment as it is: nothing would change, nothing is written.
    checked = run_playbook(standin, "site.yml", extra_vars=variables, options=("--check", "--diff"))
    assert checked.rc == 0, checked.output[-4000:]
    assert recap(checked)["changed"] == 0, checked.output[-4000:]
    assert checked.writes == [], [(w["method"], w["path"]) for w in checked.writes]

    refused = run_playbook(standin, "teardown.yml", extra_vars=variables)
    assert refused.rc != 0 and "mcp_platform_teardown_confirm" in refused.output
    assert refused.writes == []

    # Without the database flag, the cluster, its vault and the resource group stay.
    kept = run_playbook(standin, "teardown.yml", extra_vars={**variables, "mcp_platform_teardown_confirm": group})
    assert kept.rc == 0, kept.output[-4000:]
    listed = arm.request("GET", f"{arm.group_path(group)}/resources", "2021-04-01")["value"]
    remaining = [resource["id"].lower() for resource in listed]
    cluster = f"{arm.group_path(group)}/providers/Microsoft.DocumentDB/mongoClusters/{prefix}-mongo".lower()
    vault = f"{arm.group_path(group)}/providers/Microsoft.KeyVault/vaults/{prefix}-kv".lower()
    assert cluster in remaining and vault in remaining
    # Only the cluster and the vault with its secrets and role assignments are left.
    assert [rid for rid in remaining if rid not in (cluster, vault) and not rid.startswith(vault + "/")] == []

    gone = run_playbook(
        standin,
        "teardown.yml",
        extra_vars={**variables, "mcp_platform_teardown_confirm": group, "mcp_platform_teardown_database": True},
    )
    assert gone.rc == 0, gone.output[-4000:]
    groups = arm.request("GET", f"/subscriptions/{standin.env['AZURE_SUBSCRIPTION_ID']}/resourcegroups", "2021-04-01")
    assert group.lower() not in [g["name"].lower() for g in groups["value"]]
    everything = arm.request("GET", "/_sandbox/state")["resources"]
    assert [rid for rid in everything if f"/resourcegroups/{group.lower()}" in rid.lower()] == []
    graph_names = [
        g["displayName"]
        for g in arm.request("GET", "/v1.0/groups")["value"] + arm.request("GET", "/v1.0/applications")["value"]
    ]
    assert not [name for name in graph_names if prefix in name or name.endswith(prefix[4:])]
