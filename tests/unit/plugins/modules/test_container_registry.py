"""container_registry: body building, SKU rules and comparison."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ModuleError
from ansible_collections.mcp_platform.azure.plugins.modules import container_registry as module
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import run_engine

BASE = dict(name="acrmcp1", resource_group="rg1", location="westeurope")


def params(**overrides):
    full = dict(
        sku="Basic",
        admin_user_enabled=False,
        public_network_access=None,
        anonymous_pull_enabled=None,
        zone_redundancy=None,
        recreate=False,
        state="present",
    )
    full.update(BASE)
    full.update(overrides)
    return full


def run(fake, check=False, **overrides):
    args = dict((k, v) for k, v in dict(BASE, **overrides).items() if v is not None)
    return run_engine(module.ARGUMENT_SPEC, module.desired_body, module.RESOURCE, args, fake, check)


def test_admin_user_is_off_unless_asked():
    assert module.desired_body(params())["properties"] == {
        "adminUserEnabled": False,
        "publicNetworkAccess": None,
        "anonymousPullEnabled": None,
        "zoneRedundancy": None,
    }


@pytest.mark.parametrize(
    "overrides, message",
    [
        (dict(name="acr-with-hyphen"), "^name:"),
        (dict(public_network_access="Disabled"), "^public_network_access: needs sku=Premium"),
        (dict(zone_redundancy="Enabled", sku="Standard"), "^zone_redundancy: needs sku=Premium"),
        (dict(anonymous_pull_enabled=True), "^anonymous_pull_enabled"),
    ],
)
def test_input_rules_name_the_option(overrides, message):
    with pytest.raises(ModuleError, match=message):
        module.check_params(params(**overrides))


def test_premium_settings_pass():
    module.check_params(params(sku="Premium", public_network_access="Disabled", zone_redundancy="Enabled"))


def test_zone_redundancy_change_needs_recreate():
    fake = FakeArm()
    # The service answers enums in its own casing and adds the tier.
    fake.on_put = lambda path, body: dict(
        body,
        sku={"name": body["sku"]["name"].upper(), "tier": body["sku"]["name"]},
        properties=dict(body["properties"], zoneRedundancy=body["properties"]["zoneRedundancy"].lower()),
    )
    run(fake, sku="Premium", zone_redundancy="Disabled")
    writes = len(fake.writes)
    assert not run(fake, sku="Premium", zone_redundancy="Disabled")["changed"]
    with pytest.raises(Exception, match="recreate"):
        run(fake, sku="Premium", zone_redundancy="Enabled")
    assert len(fake.writes) == writes
