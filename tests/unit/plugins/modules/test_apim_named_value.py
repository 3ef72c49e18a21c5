"""apim_named_value: plain values compared, secret values never compared unless asked, Key Vault."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import MASK
from ansible_collections.mcp_platform.azure.plugins.modules import apim_named_value as module
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import run_engine

BASE = dict(name="gateway-key", service_name="apim1", resource_group="rg1")
SECRET_ID = "https://kv-mcp.vault.azure.net/secrets/gateway-key"


def params(**overrides):
    full = dict(
        BASE,
        display_name=None,
        value=None,
        kind="plain",
        update_value="on_create",
        key_vault_secret_id=None,
        key_vault_identity_client_id=None,
        value_tags=None,
        state="present",
        wait=True,
    )
    full.update(overrides)
    return full


def run(fake, check=False, diff=False, **overrides):
    args = dict(BASE, **overrides)
    resource = module.named_value_resource(params(**overrides))
    return run_engine(module.ARGUMENT_SPEC, module.desired_body, resource, args, fake, check, diff)


class SecretHidingArm(FakeArm):
    """Answers secret values the way the service does: never."""

    def _visible(self, resource):
        shown = super()._visible(resource)
        if shown.get("properties", {}).get("secret"):
            shown["properties"].pop("value", None)
        return shown


def test_plain_value_is_compared():
    fake = SecretHidingArm()
    assert run(fake, value="tenant-1")["operation"] == "create"
    assert not run(fake, value="tenant-1")["changed"]
    changed = run(fake, value="tenant-2")
    assert changed["changes"] == ["properties.value"]
    assert fake.writes[-1]["body"]["properties"]["value"] == "tenant-2"


def test_secret_value_is_not_compared_and_is_sent_only_when_asked():
    fake = SecretHidingArm()
    created = run(fake, diff=True, value="key-one-123", kind="secret")
    assert created["diff"]["after"]["properties"]["value"] == MASK
    assert "value" not in created["resource"]["properties"]
    assert "key-one-123" not in repr(created)
    assert fake.writes[0]["body"]["properties"] == {
        "displayName": "gateway-key",
        "value": "key-one-123",
        "secret": True,
    }
    unchanged = run(fake, value="key-two-456", kind="secret")
    assert not unchanged["changed"] and len(fake.writes) == 1
    rotated = run(fake, value="key-two-456", kind="secret", update_value="always")
    assert rotated["changes"] == ["properties.value (write-only)"]
    assert fake.writes[-1]["body"]["properties"]["value"] == "key-two-456"


def test_key_vault_reference_is_compared():
    fake = SecretHidingArm()
    run(fake, key_vault_secret_id=SECRET_ID, key_vault_identity_client_id="client-1")
    assert fake.writes[0]["body"]["properties"] == {
        "displayName": "gateway-key",
        "secret": True,
        "keyVault": {"secretIdentifier": SECRET_ID, "identityClientId": "client-1"},
    }
    assert not run(fake, key_vault_secret_id=SECRET_ID + "/", key_vault_identity_client_id="client-1")["changed"]
    moved = run(fake, check=True, key_vault_secret_id=SECRET_ID + "-2", key_vault_identity_client_id="client-1")
    assert moved["changes"] == ["properties.keyVault.secretIdentifier"]


@pytest.mark.parametrize(
    ("overrides", "option"),
    [
        (dict(value="x", key_vault_secret_id=SECRET_ID), "value"),
        (dict(), "value"),
        (dict(value="   "), "value"),
        (dict(value="x", display_name="has space"), "display_name"),
        (dict(key_vault_secret_id="https://kv/keys/x"), "key_vault_secret_id"),
        (dict(value="x", key_vault_identity_client_id="c"), "key_vault_identity_client_id"),
    ],
)
def test_validation_names_the_option(overrides, option):
    problems = module.validate(params(**overrides))
    assert problems and problems[0].split(":")[0] == option


def test_only_a_secret_value_is_write_only():
    assert module.named_value_resource(params(value="x")).write_only == ()
    assert module.named_value_resource(params(value="x", kind="secret")).write_only == ("properties.value",)
    assert module.named_value_resource(params(key_vault_secret_id=SECRET_ID)).write_only == ()
