"""Every resource type the platform deploys, created, read, updated, listed and deleted through its SDK."""

import uuid

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.mgmt.apimanagement import ApiManagementClient
from azure.mgmt.applicationinsights import ApplicationInsightsManagementClient
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.containerinstance import ContainerInstanceManagementClient
from azure.mgmt.containerregistry import ContainerRegistryManagementClient
from azure.mgmt.keyvault import KeyVaultManagementClient
from azure.mgmt.loganalytics import LogAnalyticsManagementClient
from azure.mgmt.msi import ManagedServiceIdentityClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.privatedns import PrivateDnsManagementClient

LOCATION = "westeurope"
ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - what the container listens on, not this process
ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
SECRETS_OFFICER = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"


def _vnet(network, group):
    network.virtual_networks.begin_create_or_update(
        group, "vnet", {"location": LOCATION, "properties": {"addressSpace": {"addressPrefixes": ["10.20.0.0/16"]}}}
    ).result()
    aci = network.subnets.begin_create_or_update(
        group,
        "vnet",
        "aci",
        {
            "properties": {
                "addressPrefix": "10.20.1.0/24",
                "delegations": [
                    {"name": "aci", "properties": {"serviceName": "Microsoft.ContainerInstance/containerGroups"}}
                ],
            }
        },
    ).result()
    endpoints = network.subnets.begin_create_or_update(
        group, "vnet", "endpoints", {"properties": {"addressPrefix": "10.20.2.0/24"}}
    ).result()
    return aci, endpoints


def test_network_family(client, group):
    network = client(NetworkManagementClient)
    aci, _endpoints = _vnet(network, group)
    assert aci.provisioning_state == "Succeeded"
    vnet = network.virtual_networks.get(group, "vnet")
    assert sorted(s.name for s in vnet.subnets) == ["aci", "endpoints"]
    with pytest.raises(HttpResponseError) as caught:
        network.subnets.begin_create_or_update(
            group, "vnet", "overlap", {"properties": {"addressPrefix": "10.20.1.128/25"}}
        )
    assert caught.value.error.code == "NetcfgSubnetRangesOverlap"
    with pytest.raises(HttpResponseError) as caught:
        network.subnets.begin_create_or_update(
            group, "vnet", "outside", {"properties": {"addressPrefix": "10.99.0.0/24"}}
        )
    assert caught.value.error.code == "NetcfgSubnetRangeOutsideVnet"

    nsg = network.network_security_groups.begin_create_or_update(
        group,
        "nsg-aci",
        {
            "location": LOCATION,
            "properties": {
                "securityRules": [
                    {
                        "name": "deny-vnet",
                        "properties": {
                            "priority": 4000,
                            "direction": "Inbound",
                            "access": "Deny",
                            "protocol": "*",
                            "sourceAddressPrefix": "VirtualNetwork",
                            "sourcePortRange": "*",
                            "destinationAddressPrefix": "*",
                            "destinationPortRange": "*",
                        },
                    }
                ]
            },
        },
    ).result()
    assert nsg.security_rules[0].provisioning_state == "Succeeded"
    assert any(r.name == "AllowVnetInBound" for r in nsg.default_security_rules)
    network.network_security_groups.update_tags(group, "nsg-aci", {"tags": {"tier": "aci"}})
    assert network.network_security_groups.get(group, "nsg-aci").tags == {"tier": "aci"}

    pip = network.public_ip_addresses.begin_create_or_update(
        group,
        "pip",
        {"location": LOCATION, "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}},
    ).result()
    assert pip.ip_address
    nat = network.nat_gateways.begin_create_or_update(
        group,
        "nat",
        {"location": LOCATION, "sku": {"name": "Standard"}, "properties": {"publicIpAddresses": [{"id": pip.id}]}},
    ).result()
    assert nat.provisioning_state == "Succeeded"
    assert [n.name for n in network.nat_gateways.list(group)] == ["nat"]
    network.nat_gateways.begin_delete(group, "nat").result()
    network.network_security_groups.begin_delete(group, "nsg-aci").result()
    with pytest.raises(ResourceNotFoundError):
        network.network_security_groups.get(group, "nsg-aci")


def test_private_endpoint_dns_and_vcore(client, group):
    from azure.mgmt.mongocluster import MongoClusterMgmtClient

    network = client(NetworkManagementClient)
    dns = client(PrivateDnsManagementClient)
    _aci, endpoints = _vnet(network, group)
    cluster = (
        client(MongoClusterMgmtClient)
        .mongo_clusters.begin_create_or_update(
            group,
            "vcore",
            {
                "location": LOCATION,
                "properties": {
                    "administrator": {"userName": "admin1", "password": "P4ss-" + uuid.uuid4().hex},
                    "compute": {"tier": "M30"},
                    "storage": {"sizeGb": 32},
                    "publicNetworkAccess": "Disabled",
                },
            },
        )
        .result()
    )
    endpoint = network.private_endpoints.begin_create_or_update(
        group,
        "pe-vcore",
        {
            "location": LOCATION,
            "properties": {
                "subnet": {"id": endpoints.id},
                "privateLinkServiceConnections": [
                    {"name": "vcore", "properties": {"privateLinkServiceId": cluster.id, "groupIds": ["MongoCluster"]}}
                ],
            },
        },
    ).result()
    nic = network.network_interfaces.get(group, endpoint.network_interfaces[0].id.rsplit("/", 1)[-1])
    address = nic.ip_configurations[0].private_ip_address
    assert address.startswith("10.20.2.")
    assert endpoint.custom_dns_configs[0].ip_addresses == [address]

    zone = "privatelink.mongocluster.cosmos.azure.com"
    zone_id = dns.private_zones.begin_create_or_update(group, zone, {"location": "global"}).result().id
    vnet_id = network.virtual_networks.get(group, "vnet").id
    link = dns.virtual_network_links.begin_create_or_update(
        group,
        zone,
        "vnet-link",
        {"location": "global", "properties": {"virtualNetwork": {"id": vnet_id}, "registrationEnabled": False}},
    ).result()
    assert link.virtual_network_link_state == "Completed"
    record = dns.record_sets.create_or_update(
        group, zone, "A", "vcore", {"properties": {"ttl": 10, "aRecords": [{"ipv4Address": address}]}}
    )
    assert record.fqdn == f"vcore.{zone}."
    assert [r.name for r in dns.record_sets.list_by_type(group, zone, "A")] == ["vcore"]
    assert dns.private_zones.get(group, zone).number_of_virtual_network_links == 1
    with pytest.raises(HttpResponseError) as caught:
        network.subnets.begin_delete(group, "vnet", "endpoints").result()
    assert caught.value.error.code == "InUseSubnetCannotBeDeleted"
    dns.record_sets.delete(group, zone, "A", "vcore")

    # A DNS zone group on the endpoint: Azure writes the endpoint's A records into the zone itself.
    zone_group = network.private_dns_zone_groups.begin_create_or_update(
        group,
        "pe-vcore",
        "default",
        {"properties": {"privateDnsZoneConfigs": [{"name": "mongo", "properties": {"privateDnsZoneId": zone_id}}]}},
    ).result()
    assert zone_group.provisioning_state == "Succeeded"
    config = zone_group.private_dns_zone_configs[0]
    assert config.private_dns_zone_id == zone_id
    assert [(r.record_set_name, r.ip_addresses) for r in config.record_sets] == [("vcore", [address])]
    zone_record = dns.record_sets.get(group, zone, "A", "vcore")
    assert [a.ipv4_address for a in zone_record.a_records] == [address]
    assert [g.name for g in network.private_dns_zone_groups.list("pe-vcore", group)] == ["default"]
    with pytest.raises(HttpResponseError) as caught:
        network.private_dns_zone_groups.begin_create_or_update(
            group,
            "pe-vcore",
            "bad",
            {
                "properties": {
                    "privateDnsZoneConfigs": [{"name": "x", "properties": {"privateDnsZoneId": zone_id + "x"}}]
                }
            },
        )
    assert caught.value.error.code == "InvalidResourceReference"
    with pytest.raises(HttpResponseError) as caught:
        network.private_dns_zone_groups.begin_create_or_update(
            group, "pe-missing", "default", {"properties": {"privateDnsZoneConfigs": []}}
        )
    assert caught.value.error.code == "ParentResourceNotFound"
    network.private_endpoints.begin_delete(group, "pe-vcore").result()
    # the zone group and the records it made go with the endpoint
    with pytest.raises(ResourceNotFoundError):
        dns.record_sets.get(group, zone, "A", "vcore")
    network.subnets.begin_delete(group, "vnet", "endpoints").result()


def test_key_vault_and_secrets(client, group, sdk_env):
    vaults = client(KeyVaultManagementClient)
    vault = vaults.vaults.begin_create_or_update(
        group,
        "kv-platform",
        {
            "location": LOCATION,
            "properties": {
                "tenantId": sdk_env["AZURE_TENANT"],
                "sku": {"family": "A", "name": "standard"},
                "enableRbacAuthorization": True,
                "enablePurgeProtection": True,
            },
        },
    ).result()
    assert vault.properties.vault_uri.startswith("https://127.0.0.1:")
    assert vault.properties.vault_uri != sdk_env["AZURE_AUTHORITY_HOST"] + "/"
    secret = vaults.secrets.create_or_update(
        group, "kv-platform", "db-password", {"properties": {"value": "s3cr3t-value"}}
    )
    assert secret.properties.value is None
    assert secret.properties.secret_uri.endswith("/secrets/db-password")
    assert [s.name for s in vaults.secrets.list(group, "kv-platform")] == ["db-password"]
    with pytest.raises(HttpResponseError):
        vaults.vaults.update(group, "kv-platform", {"properties": {"enablePurgeProtection": False}})


def test_registry_identity_and_role_assignments(client, group, sdk_env):
    registries = client(ContainerRegistryManagementClient)
    registry = registries.registries.begin_create(
        group, "acrplatform", {"location": LOCATION, "sku": {"name": "Basic"}}
    ).result()
    assert registry.login_server.startswith("127.0.0.1:")  # served by the stand-in, see test_registry_and_vault_*
    registries.registries.begin_import_image(
        group,
        "acrplatform",
        {
            "source": {"registryUri": "docker.io", "sourceImage": "mongodb/mongodb-mcp-server:3.0.4"},
            "targetTags": ["mcp:3.0.4"],
        },
    ).result()
    identity = client(ManagedServiceIdentityClient).user_assigned_identities.create_or_update(
        group, "id-aci", {"location": LOCATION}
    )
    assert identity.principal_id and identity.client_id
    authorization = client(AuthorizationManagementClient)
    definitions = list(authorization.role_definitions.list(registry.id, filter="roleName eq 'AcrPull'"))
    assert [d.name for d in definitions] == [ACR_PULL]
    body = {
        "properties": {
            "roleDefinitionId": definitions[0].id,
            "principalId": identity.principal_id,
            "principalType": "ServicePrincipal",
        }
    }
    first = authorization.role_assignments.create(registry.id, str(uuid.uuid4()), body)
    assert first.scope == registry.id
    with pytest.raises(HttpResponseError) as caught:
        authorization.role_assignments.create(registry.id, str(uuid.uuid4()), body)
    assert caught.value.status_code == 409
    assert caught.value.error.code == "RoleAssignmentExists"
    listed = list(
        authorization.role_assignments.list_for_scope(registry.id, filter=f"principalId eq '{identity.principal_id}'")
    )
    assert [a.name for a in listed] == [first.name]
    authorization.role_assignments.delete(registry.id, first.name)
    assert list(authorization.role_assignments.list_for_scope(registry.id)) == []


def test_container_group_in_subnet_hides_secure_values(client, group):
    network = client(NetworkManagementClient)
    aci_subnet, _endpoints = _vnet(network, group)
    containers = client(ContainerInstanceManagementClient)
    body = {
        "location": LOCATION,
        "properties": {
            "osType": "Linux",
            "ipAddress": {"type": "Private", "ports": [{"port": 3000, "protocol": "TCP"}]},
            "subnetIds": [{"id": aci_subnet.id}],
            "containers": [
                {
                    "name": "admin",
                    "properties": {
                        "image": "acrplatform.azurecr.io/mcp:3.0.4",
                        "resources": {"requests": {"cpu": 1, "memoryInGB": 1.5}},
                        "ports": [{"port": 3000}],
                        "environmentVariables": [
                            {"name": "MDB_MCP_HTTP_HOST", "value": ALL_INTERFACES},
                            {"name": "MDB_MCP_CONNECTION_STRING", "secureValue": "mongodb://u:hidden@x"},
                        ],
                    },
                }
            ],
        },
    }
    group_ = containers.container_groups.begin_create_or_update(group, "aci-mcp", body).result()
    assert group_.ip_address.ip.startswith("10.20.1.")
    env = {e.name: e for e in containers.container_groups.get(group, "aci-mcp").containers[0].environment_variables}
    assert env["MDB_MCP_CONNECTION_STRING"].secure_value is None
    assert env["MDB_MCP_HTTP_HOST"].value == ALL_INTERFACES
    assert [g.name for g in containers.container_groups.list_by_resource_group(group)] == ["aci-mcp"]
    containers.container_groups.begin_delete(group, "aci-mcp").result()


def test_api_management_tree(standin, client, group):
    apim = client(ApiManagementClient)
    standin.configure(durations={"Microsoft.ApiManagement/service": 0.5})
    try:
        service = apim.api_management_service.begin_create_or_update(
            group,
            "apim-mcp",
            {
                "location": LOCATION,
                "sku": {"name": "Developer", "capacity": 1},
                "properties": {"publisherEmail": "ops@example.com", "publisherName": "Ops"},
            },
        ).result()
    finally:
        standin.configure(durations={"Microsoft.ApiManagement/service": 0})
    assert service.gateway_url == "https://apim-mcp.azure-api.net"
    api = apim.api.begin_create_or_update(
        group,
        "apim-mcp",
        "mcp-mongodb",
        {
            "properties": {
                "displayName": "mongodb",
                "path": "mcp/mongodb",
                "protocols": ["https"],
                "subscriptionRequired": False,
            }
        },
    ).result()
    assert api.path == "mcp/mongodb"
    apim.api_operation.create_or_update(
        group,
        "apim-mcp",
        "mcp-mongodb",
        "post",
        {"properties": {"displayName": "POST", "method": "POST", "urlTemplate": "/mcp"}},
    )
    apim.api_policy.create_or_update(
        group,
        "apim-mcp",
        "mcp-mongodb",
        "policy",
        {"properties": {"value": "<policies><inbound /></policies>", "format": "rawxml"}},
    )
    apim.api_operation_policy.create_or_update(
        group, "apim-mcp", "mcp-mongodb", "post", "policy", {"properties": {"value": "<policies />", "format": "xml"}}
    )
    apim.backend.create_or_update(
        group, "apim-mcp", "mongodb-admin", {"properties": {"url": "http://10.20.1.4:3000", "protocol": "http"}}
    )
    apim.named_value.begin_create_or_update(
        group,
        "apim-mcp",
        "gateway-key",
        {"properties": {"displayName": "gateway-key", "value": "k3y-value", "secret": True}},
    ).result()
    assert apim.named_value.get(group, "apim-mcp", "gateway-key").value is None
    assert apim.named_value.list_value(group, "apim-mcp", "gateway-key").value == "k3y-value"
    apim.logger.create_or_update(
        group,
        "apim-mcp",
        "appinsights",
        {
            "properties": {
                "loggerType": "applicationInsights",
                "credentials": {"connectionString": "InstrumentationKey=abc"},
            }
        },
    )
    apim.diagnostic.create_or_update(
        group,
        "apim-mcp",
        "applicationinsights",
        {"properties": {"loggerId": "/loggers/appinsights", "alwaysLog": "allErrors"}},
    )
    assert [o.name for o in apim.api_operation.list_by_api(group, "apim-mcp", "mcp-mongodb")] == ["post"]
    with pytest.raises(HttpResponseError) as caught:
        apim.api_management_service.begin_create_or_update(
            group,
            "apim-bad",
            {"location": LOCATION, "sku": {"name": "Developer", "capacity": 1}, "properties": {"publisherName": "Ops"}},
        )
    assert caught.value.status_code == 400
    assert "properties.publisherEmail" in caught.value.error.message
    apim.api.begin_delete(group, "apim-mcp", "mcp-mongodb", if_match="*").result()
    with pytest.raises(ResourceNotFoundError):
        apim.api.get(group, "apim-mcp", "mcp-mongodb")


def test_monitoring(client, group):
    workspace = (
        client(LogAnalyticsManagementClient)
        .workspaces.begin_create_or_update(
            group, "law", {"location": LOCATION, "properties": {"sku": {"name": "PerGB2018"}, "retentionInDays": 30}}
        )
        .result()
    )
    assert workspace.customer_id
    keys = client(LogAnalyticsManagementClient).shared_keys.get_shared_keys(group, "law")
    assert keys.primary_shared_key
    insights = client(ApplicationInsightsManagementClient)
    component = insights.components.create_or_update(
        group,
        "appi",
        {
            "location": LOCATION,
            "kind": "web",
            "properties": {"Application_Type": "web", "WorkspaceResourceId": workspace.id},
        },
    )
    assert component.connection_string.startswith("InstrumentationKey=")
    assert [c.name for c in insights.components.list_by_resource_group(group)] == ["appi"]
    insights.components.delete(group, "appi")


def test_system_and_user_assigned_identities_get_principals(client, group, sdk_env):
    user = client(ManagedServiceIdentityClient).user_assigned_identities.create_or_update(
        group, "id-apim", {"location": LOCATION}
    )
    apim = client(ApiManagementClient)
    service = apim.api_management_service.begin_create_or_update(
        group,
        "apim-identity",
        {
            "location": LOCATION,
            "sku": {"name": "Consumption", "capacity": 0},
            "identity": {"type": "SystemAssigned, UserAssigned", "userAssignedIdentities": {user.id: {}}},
            "properties": {"publisherEmail": "ops@example.com", "publisherName": "Ops"},
        },
    ).result()
    assert service.identity.tenant_id == sdk_env["AZURE_TENANT"]
    principal = service.identity.principal_id
    assert principal and principal != user.principal_id
    entry = service.identity.user_assigned_identities[user.id]
    assert (entry.principal_id, entry.client_id) == (user.principal_id, user.client_id)
    # The system-assigned principal stays while the identity stays enabled.
    again = apim.api_management_service.get(group, "apim-identity")
    assert again.identity.principal_id == principal

    containers = client(ContainerInstanceManagementClient)
    body = {
        "location": LOCATION,
        "identity": {"type": "SystemAssigned"},
        "properties": {
            "osType": "Linux",
            "containers": [
                {
                    "name": "app",
                    "properties": {"image": "busybox", "resources": {"requests": {"cpu": 1, "memoryInGB": 1}}},
                }
            ],
        },
    }
    created = containers.container_groups.begin_create_or_update(group, "aci-identity", body).result()
    assert created.identity.principal_id and created.identity.tenant_id == sdk_env["AZURE_TENANT"]
    assert created.identity.principal_id != principal
    body["identity"] = {"type": "None"}
    cleared = containers.container_groups.begin_create_or_update(group, "aci-identity", body).result()
    assert cleared.identity.principal_id is None
