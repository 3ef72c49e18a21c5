"""Microsoft Graph through msgraph-sdk and the Key Vault data plane through azure-keyvault-secrets."""

import asyncio
import uuid

import pytest
from azure.core.exceptions import HttpResponseError
from azure.identity.aio import ClientSecretCredential as AsyncClientSecretCredential
from azure.keyvault.secrets import SecretClient
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.keyvault import KeyVaultManagementClient
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_authentication_azure.azure_identity_authentication_provider import AzureIdentityAuthenticationProvider
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.applications.applications_request_builder import ApplicationsRequestBuilder
from msgraph.generated.groups.groups_request_builder import GroupsRequestBuilder
from msgraph.generated.models.api_application import ApiApplication
from msgraph.generated.models.app_role import AppRole
from msgraph.generated.models.app_role_assignment import AppRoleAssignment
from msgraph.generated.models.application import Application
from msgraph.generated.models.group import Group
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.reference_create import ReferenceCreate
from msgraph.generated.models.service_principal import ServicePrincipal

from tests.sandbox.clients import credential

SEED_USER = "0a0e1f30-4b5c-4d6e-8f70-8192a3b4c5d6"
DEPLOYER_OBJECT_ID = "6e7f8a9b-0c1d-4e2f-9a3b-4c5d6e7f8a9b"
SECRETS_OFFICER = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"


async def _graph_flow(env):
    cred = AsyncClientSecretCredential(
        env["AZURE_TENANT"],
        env["AZURE_CLIENT_ID"],
        env["AZURE_SECRET"],
        authority=env["AZURE_AUTHORITY_HOST"],
        disable_instance_discovery=True,
    )
    auth = AzureIdentityAuthenticationProvider(
        cred, scopes=[env["AZURE_AUTHORITY_HOST"] + "/.default"], allowed_hosts=["127.0.0.1"]
    )
    adapter = GraphRequestAdapter(auth)
    adapter.base_url = env["AZURE_AUTHORITY_HOST"] + "/v1.0"
    graph = GraphServiceClient(request_adapter=adapter)
    try:
        name = f"MCP-Admin-{uuid.uuid4().hex[:6]}"
        group = await graph.groups.post(
            Group(display_name=name, mail_enabled=False, mail_nickname=name, security_enabled=True)
        )
        config = RequestConfiguration(
            query_parameters=GroupsRequestBuilder.GroupsRequestBuilderGetQueryParameters(
                filter=f"displayName eq '{name}'"
            )
        )
        found = await graph.groups.get(request_configuration=config)
        assert [g.id for g in found.value] == [group.id]
        member = ReferenceCreate(odata_id=f"https://graph.microsoft.com/v1.0/directoryObjects/{SEED_USER}")
        await graph.groups.by_group_id(group.id).members.ref.post(member)
        with pytest.raises(ODataError):
            await graph.groups.by_group_id(group.id).members.ref.post(member)
        members = await graph.groups.by_group_id(group.id).members.get()
        assert [m.id for m in members.value] == [SEED_USER]
        await graph.groups.by_group_id(group.id).members.by_directory_object_id(SEED_USER).ref.delete()
        assert (await graph.groups.by_group_id(group.id).members.get()).value == []

        # Owners are a navigation of their own, with the same $ref verbs.
        owners = graph.groups.by_group_id(group.id).owners
        assert (await owners.get()).value == []
        await owners.ref.post(member)
        with pytest.raises(ODataError) as caught:
            await owners.ref.post(member)
        assert "'owners'" in caught.value.error.message
        assert [o.id for o in (await owners.get()).value] == [SEED_USER]
        assert (await graph.groups.by_group_id(group.id).members.get()).value == []
        await owners.by_directory_object_id(SEED_USER).ref.delete()
        assert (await owners.get()).value == []
        with pytest.raises(ODataError):
            await owners.by_directory_object_id(SEED_USER).ref.delete()

        role_id = uuid.uuid4()
        app = await graph.applications.post(
            Application(
                display_name=f"mcp-gateway-{uuid.uuid4().hex[:6]}",
                identifier_uris=["api://mcp-gateway"],
                group_membership_claims="SecurityGroup",
                api=ApiApplication(requested_access_token_version=2),
                app_roles=[
                    AppRole(
                        id=role_id,
                        allowed_member_types=["User"],
                        value="MCP.Admin",
                        display_name="MCP admin",
                        description="Every tool",
                        is_enabled=True,
                    )
                ],
            )
        )
        assert app.app_id and app.api.requested_access_token_version == 2
        by_uri = await graph.applications.get(
            request_configuration=RequestConfiguration(
                query_parameters=ApplicationsRequestBuilder.ApplicationsRequestBuilderGetQueryParameters(
                    filter="identifierUris/any(x:x eq 'api://mcp-gateway')"
                )
            )
        )
        assert [a.id for a in by_uri.value] == [app.id]
        with pytest.raises(ODataError) as caught:
            await graph.applications.by_application_id(app.id).patch(Application(app_roles=[]))
        assert caught.value.error.code == "CannotDeleteOrUpdateEnabledEntitlement"
        sp = await graph.service_principals.post(ServicePrincipal(app_id=app.app_id))
        await graph.service_principals.by_service_principal_id(sp.id).patch(
            ServicePrincipal(app_role_assignment_required=True)
        )
        again = await graph.service_principals_with_app_id(app.app_id).get()
        assert again.app_role_assignment_required is True
        assignment = await graph.service_principals.by_service_principal_id(sp.id).app_role_assigned_to.post(
            AppRoleAssignment(principal_id=uuid.UUID(group.id), resource_id=uuid.UUID(sp.id), app_role_id=role_id)
        )
        assert assignment.principal_type == "Group"
        listed = await graph.service_principals.by_service_principal_id(sp.id).app_role_assigned_to.get()
        assert [a.id for a in listed.value] == [assignment.id]
        await (
            graph.service_principals.by_service_principal_id(sp.id)
            .app_role_assigned_to.by_app_role_assignment_id(assignment.id)
            .delete()
        )
        await graph.applications.by_application_id(app.id).delete()
        await graph.groups.by_group_id(group.id).delete()
        with pytest.raises(ODataError):
            await graph.groups.by_group_id(group.id).get()
    finally:
        await cred.close()


def test_graph_groups_applications_service_principals(sdk_env):
    asyncio.run(_graph_flow(sdk_env))


def test_key_vault_data_plane_challenge_and_rbac(standin, client, group, sdk_env):
    vault = (
        client(KeyVaultManagementClient)
        .vaults.begin_create_or_update(
            group,
            "kv-data",
            {
                "location": "westeurope",
                "properties": {"tenantId": sdk_env["AZURE_TENANT"], "sku": {"family": "A", "name": "standard"}},
            },
        )
        .result()
    )
    secrets = SecretClient(vault.properties.vault_uri, credential(sdk_env), verify_challenge_resource=False)
    mark = standin.traffic_mark()
    with pytest.raises(HttpResponseError) as caught:
        secrets.set_secret("db-password", "first-value")
    assert caught.value.status_code == 403
    first = next(e for e in standin.traffic(mark) if e["kind"] == "keyvault")
    assert first["status"] == 401
    assert 'resource="https://vault.azure.net"' in first["response_headers"]["WWW-Authenticate"]

    client(AuthorizationManagementClient).role_assignments.create(
        vault.id,
        str(uuid.uuid4()),
        {
            "properties": {
                "roleDefinitionId": f"/subscriptions/{sdk_env['AZURE_SUBSCRIPTION_ID']}/providers/"
                f"Microsoft.Authorization/roleDefinitions/{SECRETS_OFFICER}",
                "principalId": DEPLOYER_OBJECT_ID,
                "principalType": "ServicePrincipal",
            }
        },
    )
    stored = secrets.set_secret("db-password", "first-value")
    assert secrets.get_secret("db-password").value == "first-value"
    assert stored.properties.version
    arm_secret = client(KeyVaultManagementClient).secrets.get(group, "kv-data", "db-password")
    assert arm_secret.properties.value is None
    client(KeyVaultManagementClient).secrets.create_or_update(
        group, "kv-data", "db-password", {"properties": {"value": "second-value"}}
    )
    assert secrets.get_secret("db-password").value == "second-value"
    assert [p.name for p in secrets.list_properties_of_secrets()] == ["db-password"]
    assert "first-value" not in standin.traffic_path.read_text()
