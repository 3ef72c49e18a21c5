"""log_analytics_workspace: body building, input rules and comparison."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ModuleError
from ansible_collections.mcp_platform.azure.plugins.modules import log_analytics_workspace as module
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import run_engine

BASE = dict(name="log1", resource_group="rg1", location="westeurope")


def params(**overrides):
    full = dict(
        sku="PerGB2018",
        retention_in_days=None,
        daily_quota_gb=None,
        public_network_access_for_ingestion=None,
        public_network_access_for_query=None,
        disable_local_auth=None,
        force_delete=False,
        state="present",
    )
    full.update(BASE)
    full.update(overrides)
    return full


def run(fake, check=False, **overrides):
    args = dict((k, v) for k, v in dict(BASE, **overrides).items() if v is not None)
    return run_engine(module.ARGUMENT_SPEC, module.desired_body, module.RESOURCE, args, fake, check)


def test_body_maps_options_to_wire_names():
    body = module.desired_body(params(retention_in_days=90, daily_quota_gb=2, disable_local_auth=True))
    assert body["properties"]["sku"] == {"name": "PerGB2018"}
    assert body["properties"]["retentionInDays"] == 90
    assert body["properties"]["workspaceCapping"] == {"dailyQuotaGb": 2.0}
    assert body["properties"]["features"] == {"disableLocalAuth": True}


@pytest.mark.parametrize(
    "overrides, option",
    [(dict(retention_in_days=10), "retention_in_days"), (dict(daily_quota_gb=0), "daily_quota_gb")],
)
def test_input_rules_name_the_option(overrides, option):
    with pytest.raises(ModuleError, match="^" + option):
        module.check_params(params(**overrides))


def test_server_defaults_and_sku_casing_are_not_changes():
    fake = FakeArm()

    def like_azure(path, body):
        props = body["properties"]
        props["sku"]["name"] = props["sku"]["name"].lower()
        props.setdefault("retentionInDays", 30)
        props["customerId"] = "33333333-3333-3333-3333-333333333333"
        return body

    fake.on_put = like_azure
    assert run(fake)["operation"] == "create"
    writes = len(fake.writes)
    again = run(fake)
    assert not again["changed"] and len(fake.writes) == writes
    update = run(fake, check=True, retention_in_days=60)
    assert update["changes"] == ["properties.retentionInDays"] and len(fake.writes) == writes
