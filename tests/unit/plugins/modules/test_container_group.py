"""container_group: body building, validation, ACI's in-place rules, and the engine run over FakeArm."""

import copy
from urllib.parse import urlparse

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import MASK
from ansible_collections.mcp_platform.azure.plugins.module_utils._container_group import (
    ContainerGroupEngine,
    recreate_reasons,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmModule, ModuleError
from ansible_collections.mcp_platform.azure.plugins.modules import container_group
from tests.unit.plugins.module_utils.arm_fake import FakeArm, StaticCredential
from tests.unit.plugins.module_utils.engine_helpers import IDENTITY, ModuleFailed

SUBNET = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/v/subnets/aci"
IDENTITY_ID = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pull"
ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - the container listens on every interface of its group
SECRET = "mongodb://admin:Secret-Value-1@db.example/"
SUBSCRIPTION = IDENTITY["subscription_id"]
WORKSPACE = "/subscriptions/%s/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/logs" % (
    SUBSCRIPTION
)
CUSTOMER_ID = "0b0c9f6e-4d1a-4c55-9a53-2f5b7a1e9c10"
SHARED_KEY = "c2hhcmVkLWtleS1vZi10aGUtd29ya3NwYWNl=="


def container(name="admin", **overrides):
    base = dict(
        name=name,
        image="acr.example/mcp:3.0.4",
        command=None,
        cpu=1.0,
        memory_in_gb=1.5,
        ports=[dict(port=3000, protocol="TCP")],
        environment_variables=[
            dict(name="MDB_MCP_HTTP_HOST", value=ALL_INTERFACES, secure_value=None),
            dict(name="MDB_MCP_CONNECTION_STRING", value=None, secure_value=SECRET),
        ],
        liveness_probe=None,
        readiness_probe=None,
    )
    base.update(overrides)
    return base


def params(**overrides):
    base = dict(
        name="cg1",
        resource_group="rg1",
        location="westeurope",
        os_type="Linux",
        restart_policy="Always",
        containers=[container()],
        ip_address=dict(type="Private", ports=None, dns_name_label=None),
        subnet_ids=[SUBNET],
        user_assigned_identities=[IDENTITY_ID],
        image_registry_credentials=[dict(server="acr.example", identity=IDENTITY_ID, username=None, password=None)],
        log_analytics=dict(workspace_resource_id=WORKSPACE, workspace_id=None, log_type="ContainerInstanceLogs"),
        recreate=False,
        state="present",
        wait=True,
    )
    base.update(overrides)
    return base


# ---- desired_body ----------------------------------------------------------------------------------


def test_desired_body_uses_rest_wire_names():
    body = container_group.desired_body(params())
    props = body["properties"]
    admin = props["containers"][0]
    assert admin["name"] == "admin"
    assert admin["properties"]["resources"] == {"requests": {"cpu": 1.0, "memoryInGB": 1.5}}
    assert admin["properties"]["ports"] == [{"port": 3000, "protocol": "TCP"}]
    assert admin["properties"]["environmentVariables"][1] == {
        "name": "MDB_MCP_CONNECTION_STRING",
        "value": None,
        "secureValue": SECRET,
    }
    # Group ports default to every port the containers expose.
    assert props["ipAddress"]["type"] == "Private" and props["ipAddress"]["ports"] == [
        {"port": 3000, "protocol": "TCP"}
    ]
    assert props["subnetIds"] == [{"id": SUBNET}]
    assert body["identity"] == {"type": "UserAssigned", "userAssignedIdentities": {IDENTITY_ID: {}}}
    assert props["imageRegistryCredentials"][0]["identity"] == IDENTITY_ID
    # The shared key is not an option: it is read only when the group is written.
    assert props["diagnostics"]["logAnalytics"] == {
        "workspaceId": None,
        "workspaceResourceId": WORKSPACE,
        "logType": "ContainerInstanceLogs",
    }


def test_probes_map_to_http_get_or_exec():
    probe = dict(
        http_get=dict(path="/health", port=3000, scheme="http"),
        exec_command=None,
        initial_delay_seconds=5,
        period_seconds=10,
        failure_threshold=None,
        success_threshold=None,
        timeout_seconds=None,
    )
    readiness = dict(probe, http_get=None, exec_command=["true"])
    body = container_group.desired_body(params(containers=[container(liveness_probe=probe, readiness_probe=readiness)]))
    props = body["properties"]["containers"][0]["properties"]
    assert props["livenessProbe"]["httpGet"] == {"path": "/health", "port": 3000, "scheme": "http"}
    assert props["livenessProbe"]["exec"] is None and props["livenessProbe"]["periodSeconds"] == 10
    assert props["readinessProbe"]["exec"] == {"command": ["true"]} and props["readinessProbe"]["httpGet"] is None


def test_no_identity_no_address_no_diagnostics_are_left_out():
    body = container_group.desired_body(
        params(
            ip_address=None,
            subnet_ids=None,
            user_assigned_identities=None,
            image_registry_credentials=None,
            log_analytics=None,
        )
    )
    assert body["identity"] is None
    assert body["properties"]["ipAddress"] is None and body["properties"]["diagnostics"] is None


# ---- validation ------------------------------------------------------------------------------------


def test_valid_parameters_pass():
    assert container_group.validate(params()) == []


@pytest.mark.parametrize(
    "overrides, expected",
    [
        (dict(containers=[]), "containers: at least one container"),
        (dict(containers=[container(), container()]), "containers: the name admin is used more than once"),
        (dict(containers=[container(cpu=0)]), "containers[name=admin].cpu: must be greater than 0"),
        (dict(containers=[container(memory_in_gb=-1)]), "containers[name=admin].memory_in_gb: must be greater than 0"),
        (dict(subnet_ids=None), "ip_address.type: Private needs subnet_ids"),
        (
            dict(ip_address=dict(type="Private", ports=[dict(port=8080, protocol="TCP")], dns_name_label=None)),
            "ip_address.ports: 8080/TCP is not exposed by any container's ports",
        ),
        (
            dict(containers=[container(ports=None)]),
            "ip_address: needs at least one port",
        ),
        (
            dict(user_assigned_identities=None),
            "image_registry_credentials[server=acr.example].identity: must be one of user_assigned_identities",
        ),
        (
            dict(containers=[container(ports=[dict(port=70000, protocol="TCP")])]),
            "containers[name=admin].ports: 70000 is not a port number",
        ),
        (
            dict(log_analytics=dict(workspace_resource_id="logs", workspace_id=None, log_type=None)),
            "log_analytics.workspace_resource_id: logs is not a workspace resource id",
        ),
        (
            dict(log_analytics=dict(workspace_resource_id=WORKSPACE, workspace_id=WORKSPACE, log_type=None)),
            "log_analytics.workspace_id: %s is not a customer id (a GUID)" % WORKSPACE,
        ),
    ],
)
def test_invalid_parameters_name_the_option(overrides, expected):
    problems = container_group.validate(params(**overrides))
    assert any(expected in p for p in problems), problems


def test_environment_names_must_be_unique():
    env = [dict(name="A", value="1", secure_value=None), dict(name="A", value=None, secure_value="x")]
    problems = container_group.validate(params(containers=[container(environment_variables=env)]))
    assert problems == ["containers[name=admin].environment_variables: the name A is used more than once"]


def test_absent_needs_no_containers():
    assert container_group.validate(params(state="absent", containers=None)) == []


# ---- what ACI can change in place ------------------------------------------------------------------


def comparable(p):
    body = container_group.desired_body(p)
    from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import normalise, strip_none

    return normalise(strip_none(body), container_group.RESOURCE.normalise)


def test_in_place_changes_need_no_recreation():
    current = comparable(params())
    changed = params(
        containers=[
            container(
                image="acr.example/mcp:3.0.5",
                command=["node", "dist/index.js"],
                environment_variables=[dict(name="X", value="1", secure_value=None)],
            )
        ],
        log_analytics=None,
    )
    assert recreate_reasons(comparable(changed), current) == []


@pytest.mark.parametrize(
    "overrides, reason",
    [
        (dict(os_type="Windows"), "properties.osType"),
        (dict(restart_policy="OnFailure"), "properties.restartPolicy"),
        (dict(subnet_ids=[SUBNET + "2"]), "properties.subnetIds"),
        (dict(ip_address=dict(type="Public", ports=None, dns_name_label=None)), "properties.ipAddress.type"),
        (dict(location="northeurope"), "location"),
        (dict(containers=[container(cpu=2.0)]), "properties.containers[name=admin].properties.resources"),
        (dict(containers=[container(memory_in_gb=4)]), "properties.containers[name=admin].properties.resources"),
        (dict(containers=[container(), container("readonly")]), "properties.containers (added: readonly)"),
        (dict(containers=[container("readonly")]), "properties.containers (added: readonly)"),
    ],
)
def test_changes_aci_cannot_make_in_place_are_named(overrides, reason):
    assert reason in recreate_reasons(comparable(params(**overrides)), comparable(params()))


def test_removed_container_is_named():
    two = comparable(params(containers=[container(), container("readonly")]))
    assert recreate_reasons(comparable(params()), two) == ["properties.containers (removed: readonly)"]


def test_service_casing_is_not_a_reason():
    current = comparable(params())
    served = copy.deepcopy(container_group.desired_body(params()))
    served["properties"]["osType"] = "linux"
    served["properties"]["subnetIds"] = [{"id": SUBNET.lower() + "/"}]
    served["properties"]["containers"][0]["properties"]["resources"]["requests"] = {"cpu": 1, "memoryInGB": 1.5}
    from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import normalise, strip_none

    assert recreate_reasons(current, normalise(strip_none(served), container_group.RESOURCE.normalise)) == []


# ---- the engine over FakeArm -----------------------------------------------------------------------


class WorkspaceArm(FakeArm):
    """FakeArm that also answers the Log Analytics workspace GET and sharedKeys POST."""

    def send(self, request, **kwargs):
        path = urlparse(request.url).path.rstrip("/")
        if path.lower() == WORKSPACE.lower() + "/sharedkeys" and request.method == "POST":
            self.requests.append(dict(method="POST", path=path, body=None))
            return self._respond(request, 200, {"primarySharedKey": SHARED_KEY, "secondarySharedKey": "other"})
        if path.lower() == WORKSPACE.lower() and request.method == "GET":
            self.requests.append(dict(method="GET", path=path, body=None))
            return self._respond(request, 200, {"id": WORKSPACE, "properties": {"customerId": CUSTOMER_ID}})
        return super().send(request, **kwargs)

    @property
    def writes(self):
        # Reading the shared keys is a POST that changes nothing.
        return [r for r in super().writes if not r["path"].lower().endswith("/sharedkeys")]

    def workspace_calls(self):
        return [r for r in self.requests if "/microsoft.operationalinsights/" in r["path"].lower()]


def aci_arm():
    fake = WorkspaceArm()
    fake.lro_types = {"Microsoft.ContainerInstance/containerGroups"}

    def like_aci(path, body):
        # ACI never returns secrets, returns identity keys in its own casing and assigns the private IP.
        body = copy.deepcopy(body)
        props = body["properties"]
        for item in props.get("containers") or []:
            for env in item["properties"].get("environmentVariables") or []:
                env.pop("secureValue", None)
        ((props.get("diagnostics") or {}).get("logAnalytics") or {}).pop("workspaceKey", None)
        if body.get("identity"):
            ids = body["identity"]["userAssignedIdentities"]
            body["identity"]["userAssignedIdentities"] = dict(
                (k.lower(), {"principalId": "p", "clientId": "c"}) for k in ids
            )
        if props.get("ipAddress"):
            props["ipAddress"]["ip"] = "10.20.1.4"
        props["osType"] = props["osType"].lower()
        return body

    fake.on_put = like_aci
    return fake


def module_args(**overrides):
    args = dict(
        name="cg1",
        resource_group="rg1",
        location="westeurope",
        containers=[
            dict(
                name="admin",
                image="acr.example/mcp:3.0.4",
                ports=[dict(port=3000)],
                environment_variables=[
                    dict(name="MDB_MCP_HTTP_HOST", value=ALL_INTERFACES),
                    dict(name="MDB_MCP_CONNECTION_STRING", secure_value=SECRET),
                ],
            )
        ],
        ip_address=dict(type="Private"),
        subnet_ids=[SUBNET],
        user_assigned_identities=[IDENTITY_ID],
        image_registry_credentials=[dict(server="acr.example", identity=IDENTITY_ID)],
        log_analytics=dict(workspace_resource_id=WORKSPACE),
    )
    args.update(overrides)
    return args


def run(fake, args, check=False, diff=False):
    payload = dict(IDENTITY, **args)
    payload["_ansible_check_mode"] = check
    payload["_ansible_diff"] = diff
    with patch_module_args(payload):
        arm = ArmModule(
            container_group.ARGUMENT_SPEC,
            tags=True,
            credential=StaticCredential(),
            client_overrides=dict(transport=fake, base_url="https://arm.test/", polling_interval=0),
        )

        def fail_json(msg, **kwargs):
            raise ModuleFailed(dict(kwargs, msg=msg, failed=True))

        arm.module.fail_json = fail_json
        try:
            return ContainerGroupEngine(arm, container_group.RESOURCE, container_group.desired_body).run()
        except ModuleError as exc:
            raise ModuleFailed(dict(msg=str(exc), failed=True)) from exc


def test_create_then_rerun_makes_no_write():
    fake = aci_arm()
    created = run(fake, module_args())
    assert created["changed"] and created["operation"] == "create"
    assert SECRET not in repr(created) and SHARED_KEY not in repr(created)
    # Written once, with the customer id read from the workspace and its primary key.
    assert [(r["method"], r["path"].rsplit("/", 1)[-1]) for r in fake.workspace_calls()] == [
        ("GET", "logs"),
        ("POST", "sharedKeys"),
    ]
    sent = fake.writes[-1]["body"]["properties"]["diagnostics"]["logAnalytics"]
    assert sent == {
        "workspaceId": CUSTOMER_ID,
        "workspaceKey": SHARED_KEY,
        "workspaceResourceId": WORKSPACE,
    }
    writes, reads = len(fake.writes), len(fake.requests)
    again = run(fake, module_args())
    assert not again["changed"], again["changes"]
    assert len(fake.writes) == writes
    # Nothing but the container group GET: the workspace is not read when nothing is written.
    assert [r["method"] for r in fake.requests[reads:]] == ["GET"]
    assert len(fake.workspace_calls()) == 2


def test_given_customer_id_is_compared_and_not_read():
    fake = aci_arm()
    run(fake, module_args(log_analytics=dict(workspace_resource_id=WORKSPACE, workspace_id=CUSTOMER_ID)))
    assert [r["method"] for r in fake.workspace_calls()] == ["POST"]
    recreated_workspace = "7d1f3c52-0a9e-4f0e-8a61-5c2b9e4d7f01"
    preview = run(
        fake, module_args(log_analytics=dict(workspace_resource_id=WORKSPACE, workspace_id=recreated_workspace)), True
    )
    assert preview["changes"] == ["properties.diagnostics.logAnalytics.workspaceId"]
    assert [r["method"] for r in fake.workspace_calls()] == ["POST"]  # check mode reads no key


def test_another_workspace_is_detected_by_fingerprint():
    fake = aci_arm()
    run(fake, module_args())
    other = WORKSPACE.replace("/logs", "/other-logs")
    preview = run(fake, module_args(log_analytics=dict(workspace_resource_id=other)), check=True)
    assert "properties.diagnostics.logAnalytics.workspaceResourceId (write-only)" in preview["changes"]
    assert other not in repr(preview)  # masked like every write-only value


def test_image_change_rereads_the_key_and_sends_it():
    fake = aci_arm()
    run(fake, module_args())
    args = module_args()
    args["containers"][0]["image"] = "acr.example/mcp:3.0.5"
    updated = run(fake, args, diff=True)
    assert updated["changes"] == ["properties.containers"]
    assert fake.writes[-1]["body"]["properties"]["diagnostics"]["logAnalytics"]["workspaceKey"] == SHARED_KEY
    assert SHARED_KEY not in repr(updated)


def test_key_read_before_the_delete_of_a_recreation():
    fake = aci_arm()
    run(fake, module_args())
    args = module_args(recreate=True)
    args["containers"][0]["cpu"] = 2
    fake.requests.clear()
    run(fake, args)
    calls = [(r["method"], r["path"].rsplit("/", 1)[-1]) for r in fake.requests if r["method"] != "GET"]
    assert calls == [("POST", "sharedKeys"), ("DELETE", "cg1"), ("PUT", "cg1")]


def test_workspace_in_another_subscription_is_refused_before_any_write():
    fake = aci_arm()
    elsewhere = WORKSPACE.replace(SUBSCRIPTION, "11111111-1111-1111-1111-111111111111")
    with pytest.raises(ModuleFailed) as failure:
        run(fake, module_args(log_analytics=dict(workspace_resource_id=elsewhere)))
    assert "log_analytics.workspace_resource_id: the workspace must be in subscription" in failure.value.result["msg"]
    assert fake.writes == []


def test_unreadable_key_names_the_option():
    fake = aci_arm()
    missing = WORKSPACE.replace("/logs", "/gone")
    with pytest.raises(ModuleFailed) as failure:
        run(fake, module_args(log_analytics=dict(workspace_resource_id=missing)))
    message = failure.value.result["msg"]
    assert message.startswith("log_analytics.workspace_resource_id: cannot read") and "ResourceNotFound" in message
    assert fake.writes == []


def test_image_change_is_an_in_place_put_with_the_secret_resent():
    fake = aci_arm()
    run(fake, module_args())
    args = module_args()
    args["containers"][0]["image"] = "acr.example/mcp:3.0.5"
    updated = run(fake, args, diff=True)
    assert updated["operation"] == "update" and updated["changes"] == ["properties.containers"]
    put = fake.writes[-1]
    assert put["method"] == "PUT"
    # A PUT replaces the group: the secure value must travel with it or the container loses it.
    assert put["body"]["properties"]["containers"][0]["properties"]["environmentVariables"][1]["secureValue"] == SECRET
    after = updated["diff"]["after"]["properties"]["containers"][0]["properties"]["environmentVariables"][1]
    assert after["secureValue"] == MASK


def test_changed_secure_value_is_detected_by_fingerprint_only():
    fake = aci_arm()
    run(fake, module_args())
    args = module_args()
    args["containers"][0]["environment_variables"][1]["secure_value"] = "rotated-secret"
    preview = run(fake, args, check=True)
    assert preview["changed"]
    # One fingerprint covers every write-only value, so each is reported; no clear-text path differs.
    assert "properties.containers[].properties.environmentVariables[].secureValue (write-only)" in preview["changes"]
    assert all(change.endswith("(write-only)") for change in preview["changes"])
    assert "rotated-secret" not in repr(preview)
    assert [w["method"] for w in fake.writes] == ["PUT"]  # only the create: check mode wrote nothing


def test_cpu_change_fails_naming_the_container_unless_recreate():
    fake = aci_arm()
    run(fake, module_args())
    args = module_args()
    args["containers"][0]["cpu"] = 2
    with pytest.raises(ModuleFailed) as failure:
        run(fake, args)
    message = failure.value.result["msg"]
    assert "properties.containers[name=admin].properties.resources" in message and "recreate=true" in message
    assert [w["method"] for w in fake.writes] == ["PUT"]

    recreated = run(fake, dict(args, recreate=True))
    assert recreated["operation"] == "recreate"
    assert [w["method"] for w in fake.writes] == ["PUT", "DELETE", "PUT"]


def test_restart_policy_change_is_refused_even_in_check_mode():
    fake = aci_arm()
    run(fake, module_args())
    with pytest.raises(ModuleFailed) as failure:
        run(fake, module_args(restart_policy="Never"), check=True)
    assert "properties.restartPolicy" in failure.value.result["msg"]


def test_absent_deletes_once():
    fake = aci_arm()
    run(fake, module_args())
    deleted = run(fake, dict(name="cg1", resource_group="rg1", state="absent"))
    assert deleted["operation"] == "delete"
    gone = run(fake, dict(name="cg1", resource_group="rg1", state="absent"))
    assert not gone["changed"]
