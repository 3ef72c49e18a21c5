"""application_insights: body building, secret masking and input rules."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ModuleError
from ansible_collections.mcp_platform.azure.plugins.modules import application_insights as module
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import run_engine

WORKSPACE = "/subscriptions/s/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/log1"
BASE = dict(name="appi1", resource_group="rg1", location="westeurope", workspace_resource_id=WORKSPACE)
CONNECTION_STRING = "InstrumentationKey=44444444-4444-4444-4444-444444444444;IngestionEndpoint=https://x/"


def params(**overrides):
    full = dict(
        application_type="web",
        kind="web",
        retention_in_days=None,
        sampling_percentage=None,
        disable_ip_masking=None,
        disable_local_auth=None,
        public_network_access_for_ingestion=None,
        public_network_access_for_query=None,
        return_connection_string=False,
        state="present",
    )
    full.update(BASE)
    full.update(overrides)
    return full


def run(fake, check=False, diff=False, **overrides):
    args = dict((k, v) for k, v in dict(BASE, **overrides).items() if v is not None)
    return run_engine(module.ARGUMENT_SPEC, module.desired_body, module.RESOURCE, args, fake, check, diff)


def like_azure(path, body):
    props = body["properties"]
    props.update(
        ConnectionString=CONNECTION_STRING,
        InstrumentationKey="44444444-4444-4444-4444-444444444444",
        AppId="55555555-5555-5555-5555-555555555555",
        Application_Type=props["Application_Type"].upper(),
    )
    return body


def test_workspace_based_body():
    body = module.desired_body(params(sampling_percentage=50))
    assert body["kind"] == "web"
    assert body["properties"]["IngestionMode"] == "LogAnalytics"
    assert body["properties"]["WorkspaceResourceId"] == WORKSPACE
    assert body["properties"]["SamplingPercentage"] == 50.0


@pytest.mark.parametrize(
    "overrides, no_log, message",
    [
        (dict(return_connection_string=True), False, "^return_connection_string: .*no_log"),
        (dict(workspace_resource_id=None), True, "^workspace_resource_id: required"),
        (dict(workspace_resource_id="/subscriptions/s/x"), True, "^workspace_resource_id: .* not a Log Analytics"),
        (dict(sampling_percentage=0), True, "^sampling_percentage"),
    ],
)
def test_input_rules_name_the_option(overrides, no_log, message):
    with pytest.raises(ModuleError, match=message):
        module.check_params(params(**overrides), no_log)


def existing(fake):
    """A component as the service stores it (its PUT answers 200 only, which the in-memory ARM does not play)."""
    path = (
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1"
        "/providers/Microsoft.Insights/components/appi1"
    )
    body = like_azure(path, dict(module.desired_body(params()), id=path, name="appi1"))
    body["properties"] = dict((k, v) for k, v in body["properties"].items() if v is not None)
    fake.resources[path.lower()] = body


def test_connection_string_never_appears_in_resource_or_diff():
    fake = FakeArm()
    fake.on_put = like_azure
    existing(fake)
    again = run(fake, diff=True)
    assert not again["changed"] and fake.writes == []
    assert CONNECTION_STRING not in repr(again)
    assert again["resource"]["properties"]["ConnectionString"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    updated = run(fake, diff=True, retention_in_days=90, tags={"env": "test"})
    assert updated["changed"] and sorted(updated["changes"]) == ["properties.RetentionInDays", "tags"]
    assert len(fake.writes) == 1 and "ConnectionString" not in fake.writes[0]["body"]["properties"]
    assert CONNECTION_STRING not in repr(updated)
