"""The resource engine against real SDK clients over an in-memory ARM (tests/unit/.../arm_fake.py)."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import MASK
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    FINGERPRINT_TAG,
    ArmResource,
    ModuleError,
)
from ansible_collections.mcp_platform.azure.plugins.modules import resource_group
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import ModuleFailed, run_engine

RG = (resource_group.ARGUMENT_SPEC, resource_group.desired_body, resource_group.RESOURCE)

# A typespec-generation SDK (MutableMapping models), long-running PUT, a write-only password.
CLUSTER_SPEC = dict(
    name=dict(required=True),
    resource_group=dict(required=True),
    location=dict(),
    tier=dict(default="M30"),
    ha_mode=dict(default="Disabled"),
    admin_password=dict(no_log=True),
    state=dict(default="present", choices=["present", "absent"]),
    wait=dict(type="bool", default=True),
    allow_data_loss=dict(type="bool", default=False),
    recreate=dict(type="bool", default=False),
)
CLUSTER = ArmResource(
    sdk=("azure.mgmt.mongocluster", "MongoClusterMgmtClient", "mongo_clusters"),
    path=("resource_group", "name"),
    tags=True,
    write_only=("properties.administrator.password",),
    normalise={"properties.highAvailability.targetMode": lambda v: {"ZoneRedundantPreferred": "SameZone"}.get(v, v)},
    recreate_on=("location",),
    delete_guard="allow_data_loss",
    kind="vCore cluster",
)


def cluster_body(p):
    return {
        "location": p["location"],
        "properties": {
            "administrator": {"userName": "mcpadmin", "password": p["admin_password"]},
            "compute": {"tier": p["tier"]},
            "highAvailability": {"targetMode": p["ha_mode"]},
        },
    }


CLUSTER_ARGS = dict(name="db1", resource_group="rg1", location="westeurope", admin_password="Pa55word-one")


def cluster_arm():
    fake = FakeArm()
    fake.write_only = ["properties.administrator.password"]
    fake.lro_types = {"Microsoft.DocumentDB/mongoClusters"}

    def normalise(path, body):
        high_availability = body["properties"].get("highAvailability") or {}
        if high_availability.get("targetMode") == "ZoneRedundantPreferred":
            high_availability["targetMode"] = "SameZone"
        body["location"] = body["location"].replace(" ", "").lower()
        return body

    fake.on_put = normalise
    return fake


def run_cluster(fake, check=False, diff=False, **overrides):
    return run_engine(CLUSTER_SPEC, cluster_body, CLUSTER, dict(CLUSTER_ARGS, **overrides), fake, check, diff)


def run_rg(fake, check=False, diff=False, **args):
    return run_engine(*RG, args, fake, check, diff)


def test_create_sends_exact_wire_body_and_reports_resource():
    fake = FakeArm()
    result = run_rg(fake, name="rg1", location="westeurope", tags={"env": "dev"})
    assert result["changed"] and result["operation"] == "create"
    (put,) = fake.writes
    assert put["method"] == "PUT" and put["path"].endswith("/resourcegroups/rg1")
    assert put["body"] == {"location": "westeurope", "tags": {"env": "dev"}}
    assert result["resource"]["properties"]["provisioningState"] == "Succeeded"
    assert result["id"].endswith("/resourcegroups/rg1")


def test_second_run_is_a_no_op_without_write_call():
    fake = FakeArm()
    run_rg(fake, name="rg1", location="westeurope", tags={"env": "dev"})
    before = len(fake.writes)
    result = run_rg(fake, name="rg1", location="westeurope", tags={"env": "dev"})
    assert not result["changed"] and result["changes"] == []
    assert len(fake.writes) == before


def test_a_resource_the_module_already_read_is_not_read_again():
    fake = FakeArm()
    created = run_rg(fake, name="rg1", location="westeurope", tags={"env": "dev"})["resource"]
    before = len(fake.requests)
    result = run_engine(*RG, dict(name="rg1", location="westeurope", tags={"env": "dev"}), fake, current=created)
    assert not result["changed"]
    assert fake.requests[before:] == []
    # None means "it does not exist": the engine creates it without a read of its own
    result = run_engine(*RG, dict(name="rg2", location="westeurope"), fake, current=None)
    assert result["operation"] == "create" and [r["method"] for r in fake.requests[before:]] == ["PUT"]


def test_update_tags_replaces_or_appends():
    fake = FakeArm()
    run_rg(fake, name="rg1", location="westeurope", tags={"env": "dev"})
    result = run_rg(fake, name="rg1", location="westeurope", tags={"team": "a"})
    assert result["changed"] and result["operation"] == "update" and result["changes"] == ["tags"]
    assert fake.writes[-1]["body"]["tags"] == {"env": "dev", "team": "a"}
    result = run_rg(fake, name="rg1", location="westeurope", tags={"team": "a"}, append_tags=False)
    assert result["changed"] and fake.writes[-1]["body"]["tags"] == {"team": "a"}
    result = run_rg(fake, name="rg1", location="westeurope")
    assert not result["changed"], "tags not given: current tags are left alone"


def test_delete_and_absent_is_a_no_op():
    fake = FakeArm()
    run_rg(fake, name="rg1", location="westeurope")
    result = run_rg(fake, name="rg1", state="absent")
    assert result["changed"] and result["operation"] == "delete"
    assert fake.writes[-1]["method"] == "DELETE"
    writes = len(fake.writes)
    result = run_rg(fake, name="rg1", state="absent")
    assert not result["changed"] and len(fake.writes) == writes


def test_check_mode_makes_no_write_call_but_predicts():
    fake = FakeArm()
    result = run_rg(fake, check=True, name="rg1", location="westeurope")
    assert result["changed"] and result["operation"] == "create" and fake.writes == []
    run_rg(fake, name="rg1", location="westeurope")
    writes = len(fake.writes)
    result = run_rg(fake, check=True, name="rg1", location="westeurope", tags={"x": "y"})
    assert result["changed"] and result["resource"]["tags"] == {"x": "y"}
    result = run_rg(fake, check=True, name="rg1", state="absent")
    assert result["changed"] and len(fake.writes) == writes


def test_diff_shows_before_and_after_with_secret_masked():
    fake = cluster_arm()
    result = run_cluster(fake, diff=True)
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["properties"]["administrator"]["password"] == MASK
    assert "Pa55word-one" not in repr(result)
    result = run_cluster(fake, diff=True, tier="M40")
    assert result["changed"] and result["changes"] == ["properties.compute.tier"]
    assert result["diff"]["before"]["properties"]["compute"]["tier"] == "M30"
    assert result["diff"]["after"]["properties"]["compute"]["tier"] == "M40"
    assert result["diff"]["after"]["properties"]["administrator"]["password"] == MASK
    assert "Pa55word-one" not in repr(result)


def test_write_only_field_does_not_cause_change_on_second_run():
    fake = cluster_arm()
    result = run_cluster(fake)
    assert result["changed"] and result["operation"] == "create"
    stored = next(iter(fake.resources.values()))
    assert stored["properties"]["administrator"]["password"] == "Pa55word-one"
    fingerprint = stored["tags"][FINGERPRINT_TAG]
    assert "Pa55word" not in fingerprint
    writes = len(fake.writes)
    result = run_cluster(fake)
    assert not result["changed"], result["changes"]
    assert len(fake.writes) == writes
    # A different password is a change, reported by path without its value.
    result = run_cluster(fake, admin_password="Pa55word-two")
    assert result["changed"] and result["changes"] == ["properties.administrator.password (write-only)"]
    assert fake.writes[-1]["body"]["properties"]["administrator"]["password"] == "Pa55word-two"
    assert next(iter(fake.resources.values()))["tags"][FINGERPRINT_TAG] != fingerprint


def test_server_normalised_values_do_not_cause_change():
    fake = cluster_arm()
    run_cluster(fake, location="West Europe", ha_mode="ZoneRedundantPreferred")
    stored = next(iter(fake.resources.values()))
    assert stored["location"] == "westeurope"
    assert stored["properties"]["highAvailability"]["targetMode"] == "SameZone"
    writes = len(fake.writes)
    result = run_cluster(fake, location="West Europe", ha_mode="ZoneRedundantPreferred")
    assert not result["changed"], result["changes"]
    assert len(fake.writes) == writes


def test_unordered_lists_and_arm_id_casing_do_not_cause_change():
    fake = FakeArm()
    resource = ArmResource(
        sdk=("azure.mgmt.resource.resources", "ResourceManagementClient", "resource_groups"),
        path=("name",),
        create="create_or_update",
        normalise={"properties.prefixes": "unordered"},
    )
    spec = dict(name=dict(required=True), prefixes=dict(type="list", elements="str"), ref=dict())

    def body(p):
        return {"location": "westeurope", "properties": {"prefixes": p["prefixes"], "ref": p["ref"]}}

    ref = "/subscriptions/0/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/v"

    def reorder(path, stored):
        stored["properties"]["prefixes"] = sorted(stored["properties"]["prefixes"], reverse=True)
        stored["properties"]["ref"] = stored["properties"]["ref"].lower()
        return stored

    fake.on_put = reorder
    args = dict(name="rg1", prefixes=["10.0.0.0/24", "10.0.1.0/24"], ref=ref)
    run_engine(spec, body, resource, args, fake)
    result = run_engine(spec, body, resource, args, fake)
    assert not result["changed"], result["changes"]
    result = run_engine(spec, body, resource, dict(args, prefixes=["10.0.0.0/24"]), fake)
    assert result["changed"] and result["changes"] == ["properties.prefixes"]


def test_arm_error_becomes_clear_failure():
    fake = FakeArm()
    fake.fail_next = (409, "ResourceGroupBeingDeleted", "The resource group 'rg1' is in deprovisioning state.")
    with pytest.raises(ModuleFailed) as failure:
        run_rg(fake, name="rg1", location="westeurope")
    result = failure.value.result
    assert "ResourceGroupBeingDeleted" in result["msg"] and "deprovisioning" in result["msg"]
    assert result["error"]["code"] == "ResourceGroupBeingDeleted"
    assert result["error"]["status"] == 409
    assert "Traceback" not in result["msg"]


def test_recreate_forcing_property_is_named_and_refused_without_recreate():
    fake = cluster_arm()
    run_cluster(fake)
    with pytest.raises(ModuleFailed) as failure:
        run_cluster(fake, location="northeurope")
    assert "location" in failure.value.result["msg"] and "recreate" in failure.value.result["msg"]
    with pytest.raises(ModuleFailed) as failure:
        run_cluster(fake, location="northeurope", recreate=True)
    assert "allow_data_loss" in failure.value.result["msg"]
    result = run_cluster(fake, location="northeurope", recreate=True, allow_data_loss=True)
    assert result["operation"] == "recreate"
    assert [w["method"] for w in fake.writes[-2:]] == ["DELETE", "PUT"]


def test_delete_guard_protects_data():
    fake = cluster_arm()
    run_cluster(fake)
    with pytest.raises(ModuleFailed) as failure:
        run_cluster(fake, state="absent")
    assert "allow_data_loss" in failure.value.result["msg"]
    result = run_cluster(fake, state="absent", allow_data_loss=True)
    assert result["changed"] and fake.writes[-1]["method"] == "DELETE"


def test_wait_false_leaves_operation_running():
    fake = cluster_arm()

    def accepted(path, body):
        body["properties"]["provisioningState"] = "Provisioning"
        return body

    fake.on_put = accepted
    result = run_cluster(fake, wait=False)
    assert result["changed"] and result["in_progress"]
    assert [r["path"] for r in fake.requests if r["path"].startswith("/operations/")] == []


# An autorest (msrest) SDK: a child resource whose calls take (resource_group, service, name).
NAMED_VALUE = ArmResource(
    sdk=("azure.mgmt.apimanagement", "ApiManagementClient", "named_value"),
    path=("resource_group", "service_name", "name"),
    extra_args={"delete": lambda p: ("*",)},
    write_only=("properties.value",),
    kind="API Management named value",
)
NAMED_VALUE_SPEC = dict(
    resource_group=dict(required=True),
    service_name=dict(required=True),
    name=dict(required=True),
    value=dict(no_log=True),
    state=dict(default="present"),
)


def named_value_body(p):
    return {"properties": {"displayName": p["name"], "secret": True, "value": p["value"]}}


def test_msrest_child_resource_round_trip():
    fake = FakeArm()
    fake.write_only = ["properties.value"]
    fake.lro_types = {"/namedValues/"}
    fake.lro_delete = False
    args = dict(resource_group="rg1", service_name="apim1", name="gateway-key", value="k3y")
    result = run_engine(NAMED_VALUE_SPEC, named_value_body, NAMED_VALUE, args, fake)
    assert result["changed"]
    put = fake.writes[-1]
    assert put["path"].endswith("/service/apim1/namedValues/gateway-key")
    assert put["body"] == {"properties": {"displayName": "gateway-key", "secret": True, "value": "k3y"}}
    # No tags to hold a fingerprint: a write-only field is sent on create only, never compared.
    result = run_engine(NAMED_VALUE_SPEC, named_value_body, NAMED_VALUE, args, fake)
    assert not result["changed"]
    result = run_engine(NAMED_VALUE_SPEC, named_value_body, NAMED_VALUE, dict(args, state="absent"), fake)
    assert result["changed"] and fake.writes[-1]["method"] == "DELETE"


# ---- rule hooks: validate(params) before any call, check_current(current, params) before a write ----


def _rg_with_rules(**hooks):
    return ArmResource(
        sdk=("azure.mgmt.resource.resources", "ResourceManagementClient", "resource_groups"),
        path=("name",),
        create="create_or_update",
        tags=True,
        kind="resource group",
        **hooks,
    )


def test_validate_fails_before_the_first_azure_call():
    fake = FakeArm()
    seen = []

    def validate(params):
        seen.append(params["name"])
        return ["location: %r is not a region name" % params["location"]] if " " in params["location"] else None

    resource = _rg_with_rules(validate=validate)
    with pytest.raises(ModuleFailed) as failure:
        run_engine(RG[0], RG[1], resource, dict(name="rg1", location="not a region"), fake)
    assert failure.value.result["msg"] == "location: 'not a region' is not a region name"
    assert fake.requests == [], "no GET, no write: the rule is checked before Azure is asked anything"
    result = run_engine(RG[0], RG[1], resource, dict(name="rg1", location="westeurope"), fake)
    assert result["operation"] == "create" and seen == ["rg1", "rg1"]


def test_validate_may_raise_module_error_itself():
    def validate(params):
        raise ModuleError("name: must not be rg0")

    fake = FakeArm()
    with pytest.raises(ModuleFailed, match=r"^name: must not be rg0$"):
        run_engine(RG[0], RG[1], _rg_with_rules(validate=validate), dict(name="rg0", location="westeurope"), fake)
    assert fake.requests == []


def test_check_current_sees_the_existing_resource_and_stops_the_update():
    fake = FakeArm()
    calls = []

    def locked_region(current, params):
        calls.append((current["location"], params["location"]))
        if current["location"] != params["location"]:
            return ["location: is %s on the existing group and cannot change" % current["location"]]
        return None

    resource = _rg_with_rules(check_current=locked_region)
    run_engine(RG[0], RG[1], resource, dict(name="rg1", location="westeurope"), fake)
    assert calls == [], "not called on create: there is no current resource"
    writes = len(fake.writes)
    for check in (True, False):
        with pytest.raises(ModuleFailed, match=r"^location: is westeurope on the existing group"):
            run_engine(RG[0], RG[1], resource, dict(name="rg1", location="northeurope"), fake, check=check)
    assert len(fake.writes) == writes
    result = run_engine(RG[0], RG[1], resource, dict(name="rg1", location="westeurope", tags={"a": "b"}), fake)
    assert result["operation"] == "update" and calls[-1] == ("westeurope", "westeurope")
    result = run_engine(RG[0], RG[1], resource, dict(name="rg1", state="absent"), fake)
    assert result["operation"] == "delete" and len(calls) == 3, "not called for state=absent"


def test_fake_reads_bodies_of_legacy_msrest_requests():
    from azure.core.pipeline.transport import HttpRequest as LegacyHttpRequest

    fake = FakeArm()
    request = LegacyHttpRequest("PUT", "https://arm.test/subscriptions/0/resourceGroups/rg1")
    request.set_bytes_body(b'{"location": "westeurope"}')
    assert not hasattr(request, "content")
    fake.send(request)
    (put,) = fake.writes
    assert put == dict(method="PUT", path="/subscriptions/0/resourceGroups/rg1", body={"location": "westeurope"})
