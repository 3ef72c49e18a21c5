"""key_vault: body building, irreversible settings and network rule comparison."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ModuleError
from ansible_collections.mcp_platform.azure.plugins.modules import key_vault as module
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import ModuleFailed, run_engine

TENANT = "66666666-6666-6666-6666-666666666666"
BASE = dict(name="kv-mcp1", resource_group="rg1", location="westeurope", tenant_id=TENANT)


def params(**overrides):
    full = dict(
        sku="standard",
        enable_rbac_authorization=True,
        soft_delete_retention_in_days=90,
        enable_purge_protection=None,
        public_network_access=None,
        network_acls=None,
        enabled_for_deployment=None,
        enabled_for_disk_encryption=None,
        enabled_for_template_deployment=None,
        allow_data_loss=False,
        state="present",
    )
    full.update(BASE)
    full.update(overrides)
    return full


def acls(**overrides):
    full = dict(default_action="Deny", bypass="AzureServices", ip_rules=[], virtual_network_subnet_ids=[])
    full.update(overrides)
    return full


def run(fake, check=False, **overrides):
    args = dict((k, v) for k, v in dict(BASE, **overrides).items() if v is not None)
    return run_engine(module.ARGUMENT_SPEC, module.desired_body, module.RESOURCE, args, fake, check)


def test_rbac_vault_body():
    properties = module.desired_body(params(enable_purge_protection=True))["properties"]
    assert properties["tenantId"] == TENANT and properties["sku"] == {"family": "A", "name": "standard"}
    assert properties["enableRbacAuthorization"] is True and properties["enableSoftDelete"] is True
    assert properties["enablePurgeProtection"] is True


def test_purge_protection_false_is_never_sent():
    assert module.desired_body(params(enable_purge_protection=False))["properties"]["enablePurgeProtection"] is None


@pytest.mark.parametrize(
    "overrides, message",
    [
        (dict(name="kv_bad"), "^name:"),
        (dict(name="kv--double"), "^name:"),
        (dict(soft_delete_retention_in_days=120), "^soft_delete_retention_in_days"),
        (dict(network_acls=acls(ip_rules=["300.1.1.1"])), r"^network_acls.ip_rules\[0\]"),
        (dict(network_acls=acls(ip_rules=["2001:db8::/64"])), r"^network_acls.ip_rules\[0\]: .*IPv4"),
        (dict(network_acls=acls(virtual_network_subnet_ids=["/subscriptions/s/x"])), "^network_acls.virtual_network"),
    ],
)
def test_input_rules_name_the_option(overrides, message):
    with pytest.raises(ModuleError, match=message):
        module.check_params(params(**overrides))


def test_purge_protection_cannot_be_turned_off():
    current = {"properties": {"enablePurgeProtection": True, "softDeleteRetentionInDays": 90}}
    with pytest.raises(ModuleError, match=r"^enable_purge_protection"):
        module.check_against_current(params(enable_purge_protection=False), current)
    module.check_against_current(params(enable_purge_protection=None), current)


def test_retention_cannot_change_after_creation():
    current = {"properties": {"softDeleteRetentionInDays": 90}}
    with pytest.raises(ModuleError, match=r"^soft_delete_retention_in_days"):
        module.check_against_current(params(soft_delete_retention_in_days=30), current)


def test_network_rules_compare_as_the_service_stores_them():
    fake = FakeArm()

    def like_azure(path, body):
        network = body["properties"].get("networkAcls")
        if network:
            network["ipRules"] = [{"value": r["value"] + "/32"} for r in reversed(network["ipRules"])]
            network["defaultAction"] = network["defaultAction"].lower()
        body["properties"]["tenantId"] = TENANT.upper()
        return body

    fake.on_put = like_azure
    rules = acls(ip_rules=["203.0.113.10", "198.51.100.7"])
    assert run(fake, network_acls=rules)["operation"] == "create"
    writes = len(fake.writes)
    again = run(fake, network_acls=acls(ip_rules=["198.51.100.7/32", "203.0.113.10"]))
    assert not again["changed"] and len(fake.writes) == writes
    more = run(fake, check=True, network_acls=acls(ip_rules=["203.0.113.11"]))
    assert more["changes"] == ["properties.networkAcls.ipRules"] and len(fake.writes) == writes


def test_engine_refuses_an_irreversible_change_before_any_write():
    fake = FakeArm()
    assert run(fake, enable_purge_protection=True)["operation"] == "create"
    writes = len(fake.writes)
    for check in (True, False):
        with pytest.raises(ModuleFailed, match=r"^enable_purge_protection: the vault has purge protection"):
            run(fake, check=check, enable_purge_protection=False, tags={"env": "dev"})
        with pytest.raises(ModuleFailed, match=r"^soft_delete_retention_in_days: is 90 on the existing vault"):
            run(fake, check=check, enable_purge_protection=True, soft_delete_retention_in_days=30)
    assert len(fake.writes) == writes
    assert run(fake, enable_purge_protection=True, tags={"env": "dev"})["changes"] == ["tags"]
