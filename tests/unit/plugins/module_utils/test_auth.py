"""Credential resolution (parameters > profile > environment > credentials file > CLI) and clouds."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils import _auth
from ansible_collections.mcp_platform.azure.plugins.module_utils._auth import (
    AuthError,
    azure_auth_from_params,
    parse_cloud_metadata,
    read_credentials_file,
    resolve_auth_settings,
    resolve_cloud,
)

PARAMS = dict(client_id="param-app", secret="param-secret", tenant="param-tenant", subscription_id="param-sub")
ENV = dict(
    AZURE_CLIENT_ID="env-app", AZURE_SECRET="env-secret", AZURE_TENANT="env-tenant", AZURE_SUBSCRIPTION_ID="env-sub"
)
CREDENTIALS = """
[default]
subscription_id = file-sub
client_id = file-app
secret = file-secret
tenant = file-tenant

[staging]
subscription_id = staging-sub
client_id = staging-app
secret = staging-secret
tenant = staging-tenant
cloud_environment = AzureChinaCloud
"""


@pytest.fixture
def credentials_file(tmp_path):
    path = tmp_path / "credentials"
    path.write_text(CREDENTIALS)
    return lambda profile: read_credentials_file(profile, path=str(path))


def no_file(profile):
    return {}


def test_parameters_win_over_everything(credentials_file):
    settings = resolve_auth_settings(dict(PARAMS, profile="staging"), env=ENV, credentials_reader=credentials_file)
    assert settings.source == "parameters"
    assert (settings.get("client_id"), settings.get("subscription_id")) == ("param-app", "param-sub")


def test_profile_wins_over_environment(credentials_file):
    settings = resolve_auth_settings(dict(profile="staging"), env=ENV, credentials_reader=credentials_file)
    assert settings.source == "profile"
    assert settings.get("client_id") == "staging-app" and settings.get("secret") == "staging-secret"
    assert settings.get("subscription_id") == "staging-sub"
    assert settings.get("cloud_environment") == "AzureChinaCloud"


def test_profile_from_azure_profile_variable(credentials_file):
    settings = resolve_auth_settings({}, env=dict(ENV, AZURE_PROFILE="staging"), credentials_reader=credentials_file)
    assert settings.source == "profile" and settings.get("client_id") == "staging-app"


def test_missing_profile_is_named(credentials_file):
    with pytest.raises(AuthError, match="profile: no section 'nope'"):
        resolve_auth_settings(dict(profile="nope"), env={}, credentials_reader=credentials_file)


def test_environment_wins_over_credentials_file(credentials_file):
    settings = resolve_auth_settings({}, env=ENV, credentials_reader=credentials_file)
    assert settings.source == "env"
    assert (settings.get("client_id"), settings.get("tenant"), settings.get("subscription_id")) == (
        "env-app",
        "env-tenant",
        "env-sub",
    )


def test_credentials_file_default_profile_wins_over_cli(credentials_file):
    settings = resolve_auth_settings({}, env={}, credentials_reader=credentials_file)
    assert settings.source == "credential_file" and settings.get("client_id") == "file-app"


def test_cli_is_the_last_resort():
    settings = resolve_auth_settings({}, env={}, credentials_reader=no_file)
    assert settings.source == "cli"


def test_single_parameters_override_the_chosen_source(credentials_file):
    settings = resolve_auth_settings(dict(subscription_id="other-sub"), env=ENV, credentials_reader=credentials_file)
    assert settings.source == "env" and settings.get("subscription_id") == "other-sub"


def test_explicit_auth_source_is_obeyed(credentials_file):
    settings = resolve_auth_settings(dict(auth_source="credential_file"), env=ENV, credentials_reader=credentials_file)
    assert settings.source == "credential_file" and settings.get("client_id") == "file-app"
    settings = resolve_auth_settings({}, env=dict(ENV, AZURE_AUTH_SOURCE="msi"), credentials_reader=credentials_file)
    assert settings.source == "msi"
    with pytest.raises(AuthError, match="client_id, tenant and secret"):
        resolve_auth_settings(dict(auth_source="env"), env={"AZURE_CLIENT_ID": "a"}, credentials_reader=no_file)


def test_workload_identity_federation_from_environment(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("eyJ.oidc.token\n")
    env = dict(AZURE_CLIENT_ID="wi-app", AZURE_TENANT_ID="wi-tenant", AZURE_FEDERATED_TOKEN_FILE=str(token_file))
    settings = resolve_auth_settings({}, env=env, credentials_reader=no_file)
    assert settings.source == "env" and settings.get("federated_token_file") == str(token_file)
    assert _auth._assertion_reader(None, str(token_file))() == "eyJ.oidc.token"


def test_secret_is_not_in_repr():
    settings = resolve_auth_settings(PARAMS, env={}, credentials_reader=no_file)
    assert "param-secret" not in repr(settings)


def test_secret_option_is_no_log():
    assert _auth.AUTH_ARGUMENT_SPEC["secret"]["no_log"] is True
    assert _auth.AUTH_ARGUMENT_SPEC["federated_token"]["no_log"] is True


def test_public_clouds_by_name():
    assert resolve_cloud(None).resource_manager == "https://management.azure.com/"
    china = resolve_cloud("AzureChinaCloud")
    assert china.login_endpoint == "https://login.chinacloudapi.cn/"
    assert china.credential_scope == "https://management.chinacloudapi.cn/.default"
    assert resolve_cloud("AzureUSGovernment").graph_endpoint == "https://graph.microsoft.us/"
    assert resolve_cloud("AzureCloud").is_known_authority
    # The Key Vault data plane's token audience follows the cloud's vault DNS suffix.
    assert resolve_cloud("AzureCloud").key_vault_scope == "https://vault.azure.net/.default"
    assert china.key_vault_scope == "https://vault.azure.cn/.default"
    assert resolve_cloud("AzureUSGovernment").key_vault_scope == "https://vault.usgovcloudapi.net/.default"
    with pytest.raises(AuthError, match="cloud_environment"):
        resolve_cloud("Mars")


METADATA_2022 = [
    {
        "name": "AzureSandbox",
        "resourceManager": "https://127.0.0.1:9443/",
        "authentication": {
            "loginEndpoint": "https://127.0.0.1:9443/",
            "audiences": ["https://management.core.windows.net/", "https://management.azure.com/"],
            "tenant": "common",
            "identityProvider": "AAD",
        },
        "microsoftGraphResourceId": "https://127.0.0.1:9443/",
        "suffixes": {"keyVaultDns": "vault.127.0.0.1"},
    }
]
METADATA_STACK = {
    "galleryEndpoint": "https://stack.local:30015/",
    "graphEndpoint": "https://graph.stack.local/",
    "portalEndpoint": "https://portal.stack.local/",
    "authentication": {
        "loginEndpoint": "https://adfs.stack.local/adfs",
        "audiences": ["https://management.stack.local/abc"],
    },
}


def test_cloud_from_metadata_url_2022_shape():
    requested = []

    def fetch(url, validate_certs=True):
        requested.append(url)
        return METADATA_2022

    url = "https://127.0.0.1:9443/metadata/endpoints?api-version=2022-09-01"
    cloud = resolve_cloud(url, fetch=fetch)
    assert requested == [url]
    assert cloud.resource_manager == "https://127.0.0.1:9443/"
    assert cloud.login_endpoint == "https://127.0.0.1:9443/"
    assert cloud.credential_scope == "https://management.core.windows.net/.default"
    assert cloud.graph_endpoint == "https://127.0.0.1:9443/"
    assert cloud.key_vault_scope == "https://vault.127.0.0.1/.default"
    assert not cloud.is_known_authority


def test_cloud_from_azure_stack_shape():
    cloud = parse_cloud_metadata(
        METADATA_STACK, "https://management.stack.local/metadata/endpoints?api-version=2015-01-01"
    )
    assert cloud.resource_manager == "https://management.stack.local/"
    assert cloud.login_endpoint == "https://adfs.stack.local/adfs/"
    assert cloud.audience == "https://management.stack.local/abc/"
    assert cloud.graph_endpoint == "https://graph.stack.local/"
    # No vault suffix in this shape: no Key Vault scope, so the data plane's own challenge decides.
    assert cloud.key_vault_scope is None


def test_metadata_url_cloud_from_environment_builds_identity_credential():
    def fetch(url, validate_certs=True):
        return METADATA_2022

    env = dict(ENV, AZURE_CLOUD_ENVIRONMENT="https://127.0.0.1:9443/metadata/endpoints?api-version=2022-09-01")
    auth = azure_auth_from_params({}, env=env, fetch=fetch, credentials_reader=no_file)
    assert auth.subscription_id == "env-sub"
    assert auth.disable_instance_discovery is True
    credential = auth.credential()
    assert type(credential).__name__ == "ClientSecretCredential"
    # azure-identity keeps these privately; they are what reaches MSAL.
    assert credential._authority == "https://127.0.0.1:9443"
    assert credential._instance_discovery is False


def test_subscription_is_required_and_named():
    with pytest.raises(AuthError, match="subscription_id"):
        azure_auth_from_params(
            dict(client_id="a", secret="b", tenant="c"), env={}, credentials_reader=no_file, fetch=lambda *a, **k: None
        )
