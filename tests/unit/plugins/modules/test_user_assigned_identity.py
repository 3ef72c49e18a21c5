"""user_assigned_identity: body building, comparison and the ids it returns."""

from ansible_collections.mcp_platform.azure.plugins.modules import user_assigned_identity as module
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import run_engine

BASE = dict(name="id-pull", resource_group="rg1", location="westeurope")


def run(fake, check=False, diff=False, **overrides):
    args = dict((k, v) for k, v in dict(BASE, **overrides).items() if v is not None)
    return run_engine(module.ARGUMENT_SPEC, module.desired_body, module.RESOURCE, args, fake, check, diff)


def like_azure(path, body):
    """The service fills the ids and answers the region and enum in its own spelling."""
    props = body["properties"]
    props.update(principalId="11111111-1111-1111-1111-111111111111", clientId="22222222-2222-2222-2222-222222222222")
    props["isolationScope"] = (props.get("isolationScope") or "None").upper()
    body["location"] = "West Europe"
    return body


def test_body_sends_only_what_is_managed():
    body = module.desired_body(dict(BASE, isolation_scope=None))
    assert body == {"location": "westeurope", "properties": {"isolationScope": None}}


def test_second_run_is_quiet_despite_service_spellings():
    fake = FakeArm()
    fake.on_put = like_azure
    created = run(fake, isolation_scope="Regional")
    assert created["operation"] == "create"
    assert module.identity_ids(created["resource"])["principal_id"] == "11111111-1111-1111-1111-111111111111"
    writes = len(fake.writes)
    again = run(fake, isolation_scope="Regional")
    assert not again["changed"] and len(fake.writes) == writes


def test_check_mode_predicts_without_writing():
    fake = FakeArm()
    fake.on_put = like_azure
    run(fake)
    writes = len(fake.writes)
    predicted = run(fake, check=True, diff=True, isolation_scope="Regional")
    assert predicted["changed"] and predicted["changes"] == ["properties.isolationScope"]
    assert predicted["diff"]["after"]["properties"]["isolationScope"] == "Regional"
    assert len(fake.writes) == writes


def test_ids_are_none_when_absent():
    assert module.identity_ids(None) == dict(principal_id=None, client_id=None, tenant_id=None)
