"""container_group and container_group_info through Ansible against the stand-in."""

import json
import uuid

import pytest
from azure.mgmt.loganalytics import LogAnalyticsManagementClient

from tests.sandbox.clients import mgmt

ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - the container listens on every interface of its group
SECURE = "secure-" + uuid.uuid4().hex  # unique per session, so a leak cannot hide behind a fixed string


@pytest.fixture(scope="module")
def network(ansible_module):
    """A resource group, a VNet whose subnet is delegated to ACI, a pull identity and a Log Analytics workspace."""
    group = "rg-it-aci-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    vnet = ansible_module(
        "virtual_network",
        name="vnet-aci",
        resource_group=group,
        location="westeurope",
        address_prefixes=["10.20.0.0/16"],
        subnets=[
            dict(
                name="snet-aci",
                address_prefixes=["10.20.1.0/24"],
                delegations=["Microsoft.ContainerInstance/containerGroups"],
            )
        ],
    )
    identity = ansible_module("user_assigned_identity", name="id-pull", resource_group=group, location="westeurope")
    workspace = ansible_module("log_analytics_workspace", name="log-aci", resource_group=group, location="westeurope")
    yield dict(
        resource_group=group,
        subnet_id=vnet["resource"]["properties"]["subnets"][0]["id"],
        identity_id=identity["id"],
        workspace_id=workspace["id"],
        workspace_customer_id=workspace["customer_id"],
    )
    ansible_module("resource_group", name=group, state="absent")


def group_args(network, name, image="acr.example.io/mongodb-mcp-server:3.0.4", admin_cpu=1.0, **overrides):
    def tier(tier_name, port, cpu):
        return dict(
            name=tier_name,
            image=image,
            cpu=cpu,
            memory_in_gb=1.5,
            ports=[dict(port=port)],
            environment_variables=[
                dict(name="MDB_MCP_HTTP_HOST", value=ALL_INTERFACES),
                dict(name="MDB_MCP_HTTP_PORT", value=str(port)),
                dict(name="MDB_MCP_CONNECTION_STRING", secure_value=SECURE),
            ],
            liveness_probe=dict(exec_command=["node", "-e", "process.exit(0)"], period_seconds=30),
            readiness_probe=dict(http_get=dict(path="/health", port=port, scheme="http"), initial_delay_seconds=5),
        )

    args = dict(
        name=name,
        resource_group=network["resource_group"],
        location="westeurope",
        restart_policy="Always",
        containers=[tier("admin", 3000, admin_cpu), tier("readonly", 3001, 1.0)],
        ip_address=dict(type="Private"),
        subnet_ids=[network["subnet_id"]],
        user_assigned_identities=[network["identity_id"]],
        image_registry_credentials=[dict(server="acr.example.io", identity=network["identity_id"])],
        log_analytics=dict(
            workspace_resource_id=network["workspace_id"],
            workspace_id=network["workspace_customer_id"],
            log_type="ContainerInstanceLogs",
        ),
        tags={"env": "test"},
    )
    args.update(overrides)
    return args


@pytest.fixture(scope="module")
def workspace_keys(standin, network, monkeypatch_module):
    """The workspace's shared keys, as the stand-in hands them out (never given to the module)."""
    monkeypatch_module.setenv("REQUESTS_CA_BUNDLE", standin.env["REQUESTS_CA_BUNDLE"])
    client = mgmt(LogAnalyticsManagementClient, standin.env)
    keys = client.shared_keys.get_shared_keys(network["resource_group"], "log-aci")
    assert keys.primary_shared_key and keys.secondary_shared_key
    return [keys.primary_shared_key, keys.secondary_shared_key]


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def assert_no_secret(run, workspace_keys=()):
    for secret in (SECURE, *workspace_keys):
        assert secret not in json.dumps(run.result)
        assert secret not in json.dumps(run.traffic)
        assert secret not in run.stderr


def shared_key_reads(run):
    return [t for t in run.traffic if t["kind"] == "arm" and t["path"].lower().endswith("/sharedkeys")]


def test_container_group_lifecycle(ansible_module, network, workspace_keys):
    name = "cg-it-%s" % uuid.uuid4().hex[:8]
    args = group_args(network, name)

    created = ansible_module("container_group", **args)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    # The module read the key itself, once, and sent it with the customer id (redacted in the log).
    [key_read] = shared_key_reads(created)
    assert key_read["method"] == "POST" and key_read["status"] == 200
    assert key_read["path"].lower() == (network["workspace_id"] + "/sharedKeys").lower()
    logs = created.writes[0]["request_body"]["properties"]["diagnostics"]["logAnalytics"]
    assert logs == {
        "workspaceId": network["workspace_customer_id"],
        "workspaceKey": "**redacted**",
        "workspaceResourceId": network["workspace_id"],
        "logType": "ContainerInstanceLogs",
    }
    served = created["resource"]["properties"]["diagnostics"]["logAnalytics"]
    assert served["workspaceId"] == network["workspace_customer_id"] and "workspaceKey" not in served
    assert_no_secret(created, workspace_keys)

    again = ansible_module("container_group", **args)
    assert not again.changed, again["changes"]
    assert again.writes == [] and shared_key_reads(again) == []
    # One read per managed resource: the container group GET, and nothing from the workspace.
    arm_calls = [(t["method"], t["path"]) for t in again.traffic if t["kind"] == "arm"]
    assert arm_calls == [("GET", created["id"])], arm_calls
    assert_no_secret(again, workspace_keys)

    ansible_module("container_group", name=name, resource_group=network["resource_group"], state="absent")


def test_container_group_refused_by_aci_for_an_unknown_workspace(ansible_module, network):
    name = "cg-it-%s" % uuid.uuid4().hex[:8]
    args = group_args(network, name)
    args["log_analytics"] = dict(args["log_analytics"], workspace_id=str(uuid.uuid4()))
    refused = ansible_module("container_group", expect_failure=True, **args)
    assert "InvalidLogAnalyticsWorkspaceId" in refused["msg"]
    assert len(shared_key_reads(refused)) == 1 and [w["method"] for w in refused.writes] == ["PUT"]

    args["log_analytics"] = dict(
        workspace_resource_id=network["workspace_id"].replace("/log-aci", "/log-missing"),
        workspace_id=network["workspace_customer_id"],
    )
    unreadable = ansible_module("container_group", expect_failure=True, **args)
    assert unreadable["msg"].startswith("log_analytics.workspace_resource_id: cannot read the customer id and shared")
    assert "ResourceNotFound" in unreadable["msg"] and unreadable.writes == []


def test_container_group_update_and_recreate(ansible_module, network, workspace_keys):
    name = "cg-it-%s" % uuid.uuid4().hex[:8]
    args = group_args(network, name)

    created = ansible_module("container_group", **args)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    sent = created.writes[0]["request_body"]["properties"]
    assert [c["name"] for c in sent["containers"]] == ["admin", "readonly"]
    assert sent["ipAddress"]["ports"] == [{"port": 3000, "protocol": "TCP"}, {"port": 3001, "protocol": "TCP"}]
    assert sent["containers"][0]["properties"]["environmentVariables"][2]["secureValue"] == "**redacted**"
    assert created["ip_address"] and created["ip_address"].startswith("10.20.1.")
    env = created["resource"]["properties"]["containers"][0]["properties"]["environmentVariables"]
    assert env[2]["name"] == "MDB_MCP_CONNECTION_STRING" and env[2].get("secureValue") in (
        None,
        "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER",
    )
    assert_no_secret(created, workspace_keys)

    again = ansible_module("container_group", **args)
    assert not again.changed, again["changes"]
    assert again.writes == []
    assert not [t for t in again.traffic if t["kind"] == "arm" and t["method"] in ("PUT", "PATCH", "DELETE", "POST")]
    assert again["ip_address"] == created["ip_address"]

    new_image = group_args(network, name, image="acr.example.io/mongodb-mcp-server:3.0.5")
    preview = ansible_module("container_group", check=True, diff=True, **new_image)
    assert preview.changed and preview["operation"] == "update" and preview["changes"] == ["properties.containers"]
    assert preview.writes == []
    after = preview["diff"]["after"]["properties"]["containers"][0]["properties"]
    assert after["image"].endswith(":3.0.5")
    assert after["environmentVariables"][2]["secureValue"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert_no_secret(preview, workspace_keys)

    updated = ansible_module("container_group", diff=True, **new_image)
    assert updated.changed and updated["operation"] == "update"
    assert [w["method"] for w in updated.writes] == ["PUT"]
    # The PUT replaces the group, so the secure value travels with it (redacted in the log).
    resent = updated.writes[0]["request_body"]["properties"]["containers"][0]["properties"]["environmentVariables"][2]
    assert resent == {"name": "MDB_MCP_CONNECTION_STRING", "secureValue": "**redacted**"}
    assert_no_secret(updated, workspace_keys)
    assert not ansible_module("container_group", **new_image).changed

    bigger = group_args(network, name, image="acr.example.io/mongodb-mcp-server:3.0.5", admin_cpu=2.0)
    refused = ansible_module("container_group", expect_failure=True, **bigger)
    assert "properties.containers[name=admin].properties.resources" in refused["msg"]
    assert "recreate=true" in refused["msg"]
    assert refused.writes == []

    recreated = ansible_module("container_group", recreate=True, **bigger)
    assert recreated.changed and recreated["operation"] == "recreate"
    assert [w["method"] for w in recreated.writes] == ["DELETE", "PUT"]
    assert recreated["ip_address"].startswith("10.20.1.")
    assert_no_secret(recreated, workspace_keys)

    info = ansible_module("container_group_info", name=name, resource_group=network["resource_group"])
    assert not info.changed and info.writes == []
    [found] = info["resources"]
    assert found["properties"]["ipAddress"]["ip"] == recreated["ip_address"]
    assert found["properties"]["containers"][0]["properties"]["resources"]["requests"]["cpu"] == 2.0
    assert_no_secret(info, workspace_keys)
    listed = ansible_module("container_group_info", resource_group=network["resource_group"])
    assert [r["name"] for r in listed["resources"]] == [name]

    policy = ansible_module("container_group", expect_failure=True, **dict(bigger, restart_policy="Never"))
    assert "properties.restartPolicy" in policy["msg"] and policy.writes == []

    deleted = ansible_module("container_group", name=name, resource_group=network["resource_group"], state="absent")
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("container_group", name=name, resource_group=network["resource_group"], state="absent")
    assert not gone.changed and gone.writes == []


def test_container_group_input_is_checked_before_any_call(ansible_module, network):
    args = group_args(network, "cg-never", subnet_ids=None)
    args["containers"][1]["name"] = "admin"
    refused = ansible_module("container_group", expect_failure=True, **args)
    assert "ip_address.type: Private needs subnet_ids" in refused["msg"]
    assert "containers: the name admin is used more than once" in refused["msg"]
    assert [t for t in refused.traffic if t["kind"] == "arm"] == []
    assert SECURE not in json.dumps(refused.result)


def test_workspace_info_gives_the_customer_id_without_reading_keys(ansible_module, network):
    found = ansible_module("log_analytics_workspace_info", name="log-aci", resource_group=network["resource_group"])
    assert not found.changed and found.writes == []
    [workspace] = found["resources"]
    assert workspace["id"].lower() == network["workspace_id"].lower()
    assert workspace["properties"]["customerId"] == network["workspace_customer_id"]
    assert shared_key_reads(found) == []
    listed = ansible_module("log_analytics_workspace_info", resource_group=network["resource_group"])
    assert [w["name"] for w in listed["resources"]] == ["log-aci"]
    missing = ansible_module("log_analytics_workspace_info", name="log-none", resource_group=network["resource_group"])
    assert missing["resources"] == []
