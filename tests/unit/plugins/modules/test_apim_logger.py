"""apim_logger: the connection string is write-only (the service answers a named value reference)."""

from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import MASK
from ansible_collections.mcp_platform.azure.plugins.modules import apim_logger as module
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import run_engine

CONNECTION = "InstrumentationKey=00000000-0000-0000-0000-00000000000a;IngestionEndpoint=https://westeurope.in/"
COMPONENT = "/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Insights/components/appi-mcp"
BASE = dict(name="appinsights", service_name="apim1", resource_group="rg1", connection_string=CONNECTION)


def like_azure(path, body):
    body["properties"]["credentials"] = {"connectionString": "{{Logger-Credentials--0123456789abcdef}}"}
    body["properties"]["loggerType"] = "ApplicationInsights"
    return body


def run(fake, check=False, diff=False, **overrides):
    args = dict(BASE, **overrides)
    return run_engine(module.ARGUMENT_SPEC, module.desired_body, module.RESOURCE, args, fake, check, diff)


def test_create_masks_and_rerun_does_not_resend():
    fake = FakeArm()
    fake.on_put = like_azure
    created = run(fake, diff=True, resource_id=COMPONENT)
    assert fake.writes[0]["body"]["properties"] == {
        "loggerType": "applicationInsights",
        "credentials": {"connectionString": CONNECTION},
        "resourceId": COMPONENT,
    }
    assert CONNECTION not in repr(created)
    assert created["diff"]["after"]["properties"]["credentials"]["connectionString"] == MASK
    again = run(fake, resource_id=COMPONENT, connection_string=CONNECTION.replace("0a", "0b"))
    assert not again["changed"] and len(fake.writes) == 1


def test_credentials_are_sent_with_update_credentials_always_or_any_other_change():
    fake = FakeArm()
    fake.on_put = like_azure
    run(fake)
    forced = run(fake, update_credentials="always")
    assert forced["changes"] == ["properties.credentials.connectionString (write-only)"]
    described = run(fake, description="gateway telemetry")
    assert described["changes"] == ["properties.description"]
    assert fake.writes[-1]["body"]["properties"]["credentials"] == {"connectionString": CONNECTION}


def test_validation():
    good = dict(BASE, description=None, resource_id=None)
    assert module.validate(good) == []
    problems = module.validate(dict(good, connection_string="abc", resource_id="/subscriptions/s/x"))
    assert [p.split(":")[0] for p in problems] == ["connection_string", "resource_id"]
