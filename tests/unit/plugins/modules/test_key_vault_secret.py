"""key_vault_secret: generation, the plan (write / keep / rotate), bodies and input rules."""

import string

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils import _secrets as secrets
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import FINGERPRINT_TAG, ModuleError
from ansible_collections.mcp_platform.azure.plugins.modules import key_vault_secret as module


def params(**overrides):
    full = dict(
        vault_name="kv1",
        resource_group="rg1",
        vault_uri=None,
        name="mongo-admin-password",
        value=None,
        length=None,
        alphabet=None,
        rotate=False,
        content_type=None,
        enabled=None,
        return_value=False,
        state="present",
        tags=None,
        append_tags=True,
    )
    full.update(overrides)
    return full


def stored(marker, **properties):
    return {"id": "/x", "tags": {FINGERPRINT_TAG: marker, "env": "test"}, "properties": properties}


def test_generated_values_use_every_class_of_the_alphabet():
    for value in [secrets.generate_secret(12) for attempt in range(50)]:
        assert len(value) == 12 and set(value) <= set(secrets.DEFAULT_ALPHABET)
        assert any(c in string.ascii_uppercase for c in value) and any(c in string.ascii_lowercase for c in value)
        assert any(c in string.digits for c in value) and any(c in "-_.~" for c in value)
    assert set(secrets.generate_secret(64, "hex")) <= set("0123456789abcdef")
    assert set(secrets.generate_secret(16, "abcdefghijk")) <= set("abcdefghijk")
    assert secrets.generate_secret(32) != secrets.generate_secret(32)


@pytest.mark.parametrize(
    "length, alphabet, message",
    [(7, None, "^length"), (2000, None, "^length"), (32, "abc", "^alphabet"), (32, "abc defghijkl", "^alphabet")],
)
def test_generation_rules_name_the_option(length, alphabet, message):
    with pytest.raises(secrets.SecretInputError, match=message):
        secrets.generate_secret(length, alphabet)


def test_new_secret_is_generated_or_given():
    assert module.plan(params(), None) == ("generate", ["(new)"])
    assert module.plan(params(value="v" * 20), None) == ("given", ["(new)"])


def test_existing_generated_secret_is_never_rotated_by_a_rerun():
    assert module.plan(params(), stored("generated")) == (None, [])
    assert module.plan(params(length=64), stored("generated")) == (None, [])
    assert module.plan(params(rotate=True), stored("generated")) == ("generate", ["properties.value (write-only)"])


def test_given_value_is_compared_by_fingerprint():
    value = "a-high-entropy-value-0123456789"
    marker = module.value_fingerprint(params(), value)
    assert value not in marker and marker.startswith("pbkdf2-sha256:")
    assert module.plan(params(value=value), stored(marker)) == (None, [])
    assert module.plan(params(value=value + "x"), stored(marker))[0] == "given"
    # Another secret path salts differently: equal values do not look equal elsewhere.
    assert module.value_fingerprint(params(name="other"), value) != marker


def test_metadata_and_tags_changes_are_reported():
    current = stored("generated", contentType="text/plain", attributes={"enabled": True})
    assert module.plan(params(content_type="text/plain", enabled=True), current) == (None, [])
    assert module.plan(params(content_type="application/json"), current) == (None, ["properties.contentType"])
    assert module.plan(params(tags={"owner": "me"}), current) == (None, ["tags"])
    assert module.plan(params(tags={"env": "test"}), current) == (None, [])


def test_put_keeps_unmanaged_metadata_and_sets_the_marker():
    current = stored("generated", contentType="text/plain", attributes={"enabled": False})
    body = module.put_body(params(), current, "new-value", "generated")
    assert body == {
        "tags": {"env": "test", FINGERPRINT_TAG: "generated"},
        "properties": {"value": "new-value", "contentType": "text/plain", "attributes": {"enabled": False}},
    }


def test_patch_sends_no_value_and_keeps_the_marker():
    body = module.patch_body(params(content_type="application/json"), stored("pbkdf2-sha256:abc"))
    assert body == {
        "properties": {"contentType": "application/json"},
        "tags": {"env": "test", FINGERPRINT_TAG: "pbkdf2-sha256:abc"},
    }


@pytest.mark.parametrize(
    "overrides, no_log, message",
    [
        (dict(return_value=True), False, "^return_value: .*no_log"),
        (dict(value="x" * 10, length=20), True, "^length:"),
        (dict(value="x" * 10, alphabet="hex"), True, "^alphabet:"),
        (dict(value="x" * 10, rotate=True), True, "^rotate:"),
        (dict(value=""), True, "^value:"),
        (dict(length=4), True, "^length"),
        (dict(name="bad_name"), True, "^name:"),
        (dict(vault_uri="kv1.vault.azure.net"), True, "^vault_uri:"),
        (dict(vault_uri="https://kv1.vault.azure.net/secrets/x"), True, "^vault_uri:"),
    ],
)
def test_input_rules_name_the_option(overrides, no_log, message):
    with pytest.raises(ModuleError, match=message):
        module.check_params(params(**overrides), no_log)


@pytest.mark.parametrize(
    "uri", ["https://kv1.vault.azure.net/", "https://kv1.vault.azure.cn", "https://127.0.0.1:8443/"]
)
def test_vault_uris_are_accepted(uri):
    module.check_params(params(vault_uri=uri), True)


def test_sdk_secret_becomes_the_rest_bundle():
    from datetime import datetime, timezone

    from azure.keyvault.secrets import KeyVaultSecret, SecretProperties

    created = datetime(2024, 1, 2, tzinfo=timezone.utc)
    properties = SecretProperties(
        attributes=type("A", (), dict(enabled=True, created=created, updated=created, not_before=None, expires=None))(),
        vault_id="https://kv1.vault.azure.net/secrets/s1/abc",
        content_type="text/plain",
        tags={"env": "test"},
    )
    bundle = secrets._bundle_of(KeyVaultSecret(properties, "the-value"))
    assert bundle == {
        "id": "https://kv1.vault.azure.net/secrets/s1/abc",
        "value": "the-value",
        "attributes": {"enabled": True, "created": 1704153600, "updated": 1704153600},
        "contentType": "text/plain",
        "tags": {"env": "test"},
    }


def test_returned_value_survives_no_log_scrubbing_but_not_in_the_echoed_options():
    class FakeModule:
        def __init__(self):
            self.params = params(value="given-secret-value")
            self.no_log_values = {"given-secret-value", "other"}

    fake = FakeModule()
    result = {"value": "given-secret-value"}
    module.release_value(fake, result)
    assert fake.no_log_values == {"other"}
    assert result["invocation"]["module_args"]["value"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
