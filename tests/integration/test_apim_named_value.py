"""apim_named_value through Ansible against the stand-in: plain, secret and Key Vault-backed values."""

import json
import uuid

import pytest

SECRET = "gw-" + uuid.uuid4().hex
ROTATED = "gw-" + uuid.uuid4().hex


@pytest.fixture(scope="module")
def service(ansible_module):
    suffix = uuid.uuid4().hex[:8]
    parent = dict(service_name="apim-%s" % suffix, resource_group="rg-apim-nv-%s" % suffix)
    ansible_module("resource_group", name=parent["resource_group"], location="westeurope")
    ansible_module(
        "apim_service",
        name=parent["service_name"],
        resource_group=parent["resource_group"],
        location="westeurope",
        publisher_email="platform@example.com",
        publisher_name="Platform",
        identity_type="SystemAssigned",
    )
    yield parent
    ansible_module("resource_group", name=parent["resource_group"], state="absent")


def test_apim_named_value_secret(ansible_module, service):
    named = dict(service, name="gateway-key", value=SECRET, kind="secret")
    created = ansible_module("apim_named_value", diff=True, **named)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    assert created.writes[0]["request_body"]["properties"]["secret"] is True
    assert SECRET not in json.dumps(created.result) and SECRET not in created.stderr

    # Azure never returns the value: a different one is not noticed, and nothing is sent...
    again = ansible_module("apim_named_value", **dict(named, value=ROTATED))
    assert not again.changed and again.writes == []

    # ...unless asked: update_value=always sends it (check mode first: no write).
    preview = ansible_module("apim_named_value", check=True, **dict(named, value=ROTATED, update_value="always"))
    assert preview.changed and preview["changes"] == ["properties.value (write-only)"]
    assert preview.writes == []
    rotated = ansible_module("apim_named_value", **dict(named, value=ROTATED, update_value="always"))
    assert [w["method"] for w in rotated.writes] == ["PUT"]
    assert ROTATED not in json.dumps(rotated.result)

    deleted = ansible_module("apim_named_value", state="absent", **named)
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("apim_named_value", state="absent", **named)
    assert not gone.changed and gone.writes == []


def test_apim_named_value_plain_and_key_vault(ansible_module, service):
    plain = dict(service, name="tenant-id", value="00000000-0000-0000-0000-0000000000aa")
    ansible_module("apim_named_value", **plain)
    assert not ansible_module("apim_named_value", **plain).writes
    changed = ansible_module("apim_named_value", **dict(plain, value="00000000-0000-0000-0000-0000000000bb"))
    assert changed["changes"] == ["properties.value"] and [w["method"] for w in changed.writes] == ["PUT"]

    vault = dict(service, name="mongo-connection", key_vault_secret_id="https://kv-mcp.vault.azure.net/secrets/mongo")
    created = ansible_module("apim_named_value", **vault)
    assert created.writes[0]["request_body"]["properties"] == {
        "displayName": "mongo-connection",
        "secret": True,
        "keyVault": {"secretIdentifier": "https://kv-mcp.vault.azure.net/secrets/mongo"},
    }
    again = ansible_module("apim_named_value", **vault)
    assert not again.changed and again.writes == []
    moved = ansible_module(
        "apim_named_value", **dict(vault, key_vault_secret_id="https://kv-mcp.vault.azure.net/secrets/mongo-2")
    )
    assert moved["changes"] == ["properties.keyVault.secretIdentifier"]
