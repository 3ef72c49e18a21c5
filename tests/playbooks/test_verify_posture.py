"""verify.yml passes on a good converge and names each breach once the stand-in's state is tampered with."""

import os

from azure.mgmt.mongocluster import MongoClusterMgmtClient

from tests.playbooks.conftest import run_playbook
from tests.sandbox.clients import mgmt

CONTAINER_GROUPS_API = "2023-05-01"
NETWORK_API = "2024-05-01"


def test_verify_passes_on_a_good_converge(deployment):
    run = deployment.converged
    assert run.rc == 0, run.output[-5000:]
    # site.yml ends with verify.yml: the posture checks ran and every one passed.
    assert "Every posture check passed." in run.output
    assert "FAIL  " not in run.output


def test_verify_names_each_breach_after_tampering(standin, arm, deployment, monkeypatch):
    assert deployment.converged.rc == 0, deployment.converged.output[-3000:]
    deployment = deployment.variables
    group = arm.group_path(deployment["mcp_platform_resource_group"])
    prefix = deployment["mcp_platform_name_prefix"]

    # A public IP put onto the container group behind the collection's back.
    container_group_path = f"{group}/providers/Microsoft.ContainerInstance/containerGroups/{prefix}-mcp-mongodb"
    container_group = arm.request("GET", container_group_path, CONTAINER_GROUPS_API)
    properties = container_group["properties"]
    properties["ipAddress"] = {"type": "Public", "ports": properties["ipAddress"]["ports"]}
    properties.pop("subnetIds", None)
    # ...and its logs turned off (a PUT keeping them would need the workspace key, which GET never returns).
    properties.pop("diagnostics", None)
    body = {k: container_group[k] for k in ("location", "properties", "identity", "tags") if k in container_group}
    if "identity" in body:  # principalId / clientId are read-only
        identities = body["identity"].get("userAssignedIdentities") or {}
        body["identity"] = {"type": body["identity"]["type"], "userAssignedIdentities": {key: {} for key in identities}}
    for key in ("provisioningState", "instanceView"):
        properties.pop(key, None)
    for container in properties["containers"]:
        container["properties"].pop("instanceView", None)
        for variable in container["properties"].get("environmentVariables", []):
            if "secureValue" in variable:
                variable["secureValue"] = "tampered"
    arm.request("PUT", container_group_path, CONTAINER_GROUPS_API, body)

    # Public network access of the vCore cluster flipped through the SDK.
    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.setitem(os.environ, name, standin.env[name])
    clusters = mgmt(MongoClusterMgmtClient, standin.env)
    clusters.mongo_clusters.begin_update(
        deployment["mcp_platform_resource_group"],
        f"{prefix}-mongo",
        {"properties": {"publicNetworkAccess": "Enabled"}},
    ).result()

    # The explicit VirtualNetwork deny removed from the container subnet's NSG.
    nsg_path = f"{group}/providers/Microsoft.Network/networkSecurityGroups/{prefix}-nsg-aci"
    nsg = arm.request("GET", nsg_path, NETWORK_API)
    rules = [
        {"name": rule["name"], "properties": {k: v for k, v in rule["properties"].items() if k != "provisioningState"}}
        for rule in nsg["properties"]["securityRules"]
        if rule["properties"]["access"] != "Deny"
    ]
    assert len(rules) < len(nsg["properties"]["securityRules"]), "the converge made no deny rule to remove"
    arm.request("PUT", nsg_path, NETWORK_API, {"location": nsg["location"], "properties": {"securityRules": rules}})

    run = run_playbook(standin, "verify.yml", extra_vars=deployment)
    assert run.rc != 0, run.output[-5000:]
    assert run.writes == [], "verify must only read"
    assert "Posture breached" in run.output
    assert f"container group {prefix}-mcp-mongodb: ipAddress.type is Public" in run.output, run.output[-5000:]
    assert f"container group {prefix}-mcp-mongodb: diagnostics.logAnalytics is not set" in run.output
    assert f"vCore cluster {prefix}-mongo: publicNetworkAccess is Enabled, must be Disabled" in run.output
    assert "private endpoint subnet -> tier port 3000 is Allow by rule AllowVnetInBound" in run.output
    # What was not tampered with still passes.
    assert "PASS  Key Vault uses RBAC, soft delete and purge protection" in run.output
