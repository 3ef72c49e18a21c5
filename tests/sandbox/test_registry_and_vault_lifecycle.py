"""Container registry data plane (azure-containerregistry) and the Key Vault delete / soft-delete lifecycle."""

import uuid

import pytest
from azure.containerregistry import ContainerRegistryClient
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.keyvault.secrets import SecretClient
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.containerregistry import ContainerRegistryManagementClient
from azure.mgmt.keyvault import KeyVaultManagementClient

from tests.sandbox.clients import credential

LOCATION = "westeurope"
DEPLOYER_OBJECT_ID = "6e7f8a9b-0c1d-4e2f-9a3b-4c5d6e7f8a9b"
SECRETS_OFFICER = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"


def _import(registries, group, name, tags, mode="NoForce"):
    return registries.registries.begin_import_image(
        group,
        name,
        {
            "source": {"registryUri": "docker.io", "sourceImage": "mongodb/mongodb-mcp-server:3.0.4"},
            "targetTags": tags,
            "mode": mode,
        },
    ).result()


def test_imported_tags_are_served_by_the_login_server(standin, client, group, sdk_env):
    registries = client(ContainerRegistryManagementClient)
    name = f"acr{uuid.uuid4().hex[:10]}"
    registry = registries.registries.begin_create(
        group, name, {"location": LOCATION, "sku": {"name": "Basic"}}
    ).result()
    host, _sep, port = registry.login_server.partition(":")
    assert (
        host == "127.0.0.1" and port.isdigit() and int(port) != int(sdk_env["AZURE_AUTHORITY_HOST"].rsplit(":", 1)[1])
    )
    data_plane = ContainerRegistryClient(
        f"https://{registry.login_server}", credential(sdk_env), audience="https://management.azure.com"
    )
    assert list(data_plane.list_repository_names()) == []

    mark = standin.traffic_mark()
    _import(registries, group, name, ["mcp/mongodb-mcp-server:3.0.4", "mcp/mongodb-mcp-server:stable"])
    tag = data_plane.get_tag_properties("mcp/mongodb-mcp-server", "3.0.4")
    assert tag.name == "3.0.4" and tag.digest.startswith("sha256:")
    assert sorted(t.name for t in data_plane.list_tag_properties("mcp/mongodb-mcp-server")) == ["3.0.4", "stable"]
    assert list(data_plane.list_repository_names()) == ["mcp/mongodb-mcp-server"]
    with pytest.raises(ResourceNotFoundError):
        data_plane.get_tag_properties("mcp/mongodb-mcp-server", "9.9.9")
    # The SDK's first call is refused with a challenge, then it exchanges its Entra token for registry tokens.
    exchanges = [e for e in standin.traffic(mark) if e["url"].startswith(f"https://{registry.login_server}/")]
    assert exchanges[0]["status"] == 401 and "realm=" in exchanges[0]["response_headers"]["WWW-Authenticate"]
    assert {e["path"] for e in exchanges if e["kind"] == "token"} == {"/oauth2/exchange", "/oauth2/token"}
    assert all(
        e["response_body"]["refresh_token"] == "**redacted**" for e in exchanges if e["path"] == "/oauth2/exchange"
    )

    # NoForce never overwrites an existing tag; Force does.
    with pytest.raises(HttpResponseError) as caught:
        _import(registries, group, name, ["mcp/mongodb-mcp-server:3.0.4"])
    assert "TagAlreadyExists" in str(caught.value)
    _import(registries, group, name, ["mcp/mongodb-mcp-server:3.0.4"], mode="Force")

    data_plane.delete_tag("mcp/mongodb-mcp-server", "stable")
    with pytest.raises(ResourceNotFoundError):
        data_plane.get_tag_properties("mcp/mongodb-mcp-server", "stable")
    deletes = [(w["method"], w["status"]) for w in standin.write_calls(mark) if w["kind"] == "registry"]
    assert deletes == [("DELETE", 401), ("DELETE", 202)]  # challenged first, like every call of this SDK


def test_registry_refuses_foreign_tokens(client, group, sdk_env):
    import json
    import ssl
    import urllib.error
    import urllib.request

    name = f"acr{uuid.uuid4().hex[:10]}"
    registry = (
        client(ContainerRegistryManagementClient)
        .registries.begin_create(group, name, {"location": LOCATION, "sku": {"name": "Basic"}})
        .result()
    )
    context = ssl.create_default_context(cafile=sdk_env["REQUESTS_CA_BUNDLE"])
    request = urllib.request.Request(
        f"https://{registry.login_server}/oauth2/exchange",
        data=f"grant_type=access_token&service={registry.login_server}&access_token=not-a-token".encode(),
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, context=context, timeout=10)
    assert caught.value.code == 401
    assert json.loads(caught.value.read())["errors"][0]["code"] == "UNAUTHORIZED"


def _vault(vaults, group, name, sdk_env, **properties):
    body = {
        "location": LOCATION,
        "properties": {"tenantId": sdk_env["AZURE_TENANT"], "sku": {"family": "A", "name": "standard"}, **properties},
    }
    return vaults.vaults.begin_create_or_update(group, name, body).result()


def test_vault_delete_is_synchronous_and_soft(standin, client, group, sdk_env):
    vaults = client(KeyVaultManagementClient)
    name = f"kv-{uuid.uuid4().hex[:10]}"
    _vault(vaults, group, name, sdk_env)
    mark = standin.traffic_mark()
    vaults.vaults.delete(group, name)
    assert [(w["method"], w["status"]) for w in standin.write_calls(mark)] == [("DELETE", 200)]
    with pytest.raises(ResourceNotFoundError):
        vaults.vaults.get(group, name)
    vaults.vaults.delete(group, name)  # absent: 204, which the SDK accepts
    assert standin.write_calls(mark)[-1]["status"] == 204

    deleted = vaults.vaults.get_deleted(name, LOCATION)
    assert deleted.properties.vault_id.lower().endswith(f"/vaults/{name}") and deleted.properties.scheduled_purge_date
    assert name in [d.name for d in vaults.vaults.list_deleted()]
    with pytest.raises(HttpResponseError) as caught:
        _vault(vaults, group, name, sdk_env)
    assert caught.value.status_code == 409 and caught.value.error.code == "ConflictError"
    vaults.vaults.begin_purge_deleted(name, LOCATION).result()
    with pytest.raises(ResourceNotFoundError):
        vaults.vaults.get_deleted(name, LOCATION)
    _vault(vaults, group, name, sdk_env)  # the name is free again


def test_recovered_vault_keeps_its_secrets_and_purge_protection_blocks_purge(client, group, sdk_env):
    vaults = client(KeyVaultManagementClient)
    name = f"kv-{uuid.uuid4().hex[:10]}"
    _vault(vaults, group, name, sdk_env, enablePurgeProtection=True)
    vaults.secrets.create_or_update(group, name, "db-password", {"properties": {"value": "kept-value"}})
    vaults.vaults.delete(group, name)
    assert vaults.vaults.get_deleted(name, LOCATION).properties.purge_protection_enabled is True
    with pytest.raises(HttpResponseError) as caught:
        vaults.vaults.begin_purge_deleted(name, LOCATION)
    assert caught.value.status_code == 409
    _vault(vaults, group, name, sdk_env, enablePurgeProtection=True, createMode="recover")
    assert [s.name for s in vaults.secrets.list(group, name)] == ["db-password"]
    assert name not in [d.name for d in vaults.vaults.list_deleted()]


def test_secret_deleted_on_the_data_plane_is_gone_from_arm(client, group, sdk_env):
    vaults = client(KeyVaultManagementClient)
    name = f"kv-{uuid.uuid4().hex[:10]}"
    vault = _vault(vaults, group, name, sdk_env)
    client(AuthorizationManagementClient).role_assignments.create(
        vault.id,
        str(uuid.uuid4()),
        {
            "properties": {
                "roleDefinitionId": f"/subscriptions/{sdk_env['AZURE_SUBSCRIPTION_ID']}/providers/"
                f"Microsoft.Authorization/roleDefinitions/{SECRETS_OFFICER}",
                "principalId": DEPLOYER_OBJECT_ID,
            }
        },
    )
    vaults.secrets.create_or_update(group, name, "api-key", {"properties": {"value": "v1"}})
    secrets = SecretClient(vault.properties.vault_uri, credential(sdk_env), verify_challenge_resource=False)
    secrets.begin_delete_secret("api-key").result()
    with pytest.raises(ResourceNotFoundError):
        vaults.secrets.get(group, name, "api-key")
    assert list(vaults.secrets.list(group, name)) == []
    # Deleted but recoverable: neither plane may reuse the name.
    with pytest.raises(HttpResponseError) as caught:
        vaults.secrets.create_or_update(group, name, "api-key", {"properties": {"value": "v2"}})
    assert caught.value.status_code == 409
    secrets.begin_recover_deleted_secret("api-key").result()
    assert vaults.secrets.get(group, name, "api-key").properties.secret_uri.endswith("/secrets/api-key")
    assert secrets.get_secret("api-key").value == "v1"
