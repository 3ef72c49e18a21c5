"""The resource types the stand-in serves: one declaration per type, plus the few behaviours that differ.

Each ``Spec`` names the SDK model that validates request bodies (the model the installed SDK serialises
for that operation), the api-versions accepted, whether writes are long-running, write-only fields, and
hooks: ``fill`` (server-side, read-only values), ``view`` (how GET renders), ``check`` (service rules that
reject a request), ``actions`` (POST .../{action}).
"""

import base64
import copy
import hashlib
import ipaddress
import uuid
from datetime import datetime, timedelta, timezone

from .entra import CLIENT_OBJECT_ID, SUBSCRIPTION_ID, TENANT_ID
from .http import Reply, arm_error
from .schema import ValidationError, schema_for, validate, writeonly_paths

NETWORK = "azure.mgmt.network.models"
PRIVATE_DNS = "azure.mgmt.privatedns.models"
APIM = "azure.mgmt.apimanagement.models"
AUTHZ = "azure.mgmt.authorization.v2022_04_01.models"

V_NETWORK = {"2026-03-01", "2025-05-01", "2025-03-01", "2024-10-01", "2024-07-01", "2024-05-01", "2024-03-01"}
V_PRIVATE_DNS = {"2024-06-01", "2020-06-01"}
V_APIM = {"2024-05-01", "2023-09-01-preview", "2022-08-01"}
V_KEYVAULT = {"2026-05-15", "2025-05-01", "2024-11-01", "2023-07-01"}
V_AUTHZ = {"2022-04-01", "2020-04-01-preview"}


class Spec:
    def __init__(self, type_name, api_versions, model, **options):
        self.type_name = type_name
        self.api_versions = set(api_versions)
        self.model = model
        self.patch_model = options.get("patch_model")
        self.lro = options.get("lro", False)
        # most long-running types delete asynchronously too; a few (Key Vault) answer a delete at once
        self.delete_lro = options.get("delete_lro", self.lro)
        self.write_only = list(options.get("write_only", []))
        self.fill = options.get("fill")
        self.view = options.get("view")
        self.check = options.get("check")
        self.check_delete = options.get("check_delete")
        self.on_delete = options.get("on_delete")
        self.on_ready = options.get("on_ready")
        self.actions = {k.lower(): v for k, v in options.get("actions", {}).items()}
        self.custom = options.get("custom")
        self.custom_list = options.get("custom_list")
        self.etag = options.get("etag")
        self.busy = options.get("busy")
        self.created_status = options.get("created_status", 201)
        # API Management answers a finished delete with 204 (its SDK's LRO deletes accept only 202/204)
        self.deleted_status = options.get(
            "deleted_status", 204 if type_name.startswith("Microsoft.ApiManagement/service/") else 200
        )
        self._write_only_all = None

    def busy_state(self, existing):
        if self.busy:
            return self.busy
        return "Updating" if existing else "Creating"

    def all_write_only(self):
        if self._write_only_all is None:
            derived = writeonly_paths(load_schema(self.model)) if self.model else []
            # createMode-like create-only switches are not secrets, but they are not returned either
            self._write_only_all = sorted(set(self.write_only) | set(derived))
        return self._write_only_all


def load_schema(model):
    return schema_for(model)


# ---- deterministic fake values ------------------------------------------------------------------


def stable_uuid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(p.lower() for p in parts)))


def public_ip(resource_id):
    digest = hashlib.sha256(resource_id.lower().encode()).digest()
    return f"20.{digest[0] % 200 + 20}.{digest[1]}.{digest[2] % 250 + 4}"


def _props(record):
    return record["body"].setdefault("properties", {})


def _ci(mapping, key, default=None):
    if not isinstance(mapping, dict):
        return default
    for k, v in mapping.items():
        if k.lower() == key.lower():
            return v
    return default


def allocate_ip(arm, subnet_id, owner):
    """Next free address in a subnet (Azure keeps the first four and the last one)."""
    subnet = arm.get(subnet_id)
    if subnet is None:
        return None
    prefix = _ci(_props(subnet), "addressPrefix") or (_ci(_props(subnet), "addressPrefixes") or [None])[0]
    network = ipaddress.ip_network(prefix, strict=False)
    pool = arm.ip_pools.setdefault(subnet["id"].lower(), {})
    for owned, address in pool.items():
        if owned == owner.lower():
            return address
    taken = set(pool.values())
    hosts = list(network.hosts())
    for host in hosts[3:-1] if len(hosts) > 5 else hosts:
        if str(host) not in taken:
            pool[owner.lower()] = str(host)
            return str(host)
    return None


def release_ips(arm, owner):
    for pool in arm.ip_pools.values():
        pool.pop(owner.lower(), None)


# ---- Microsoft.Resources ------------------------------------------------------------------------


# ---- Microsoft.Network --------------------------------------------------------------------------


def _subnet_ranges(props):
    prefixes = _ci(props, "addressPrefixes") or []
    single = _ci(props, "addressPrefix")
    if single:
        prefixes = [single, *prefixes]
    return [ipaddress.ip_network(p, strict=False) for p in prefixes]


def check_subnet(arm, request, target, resource_id, body, existing, vnet_body=None):
    vnet_id = resource_id.rsplit("/", 2)[0]
    vnet = vnet_body or (arm.get(vnet_id) or {}).get("body", {})
    space = [
        ipaddress.ip_network(p, strict=False)
        for p in (_ci(_ci(_ci(vnet, "properties", {}), "addressSpace", {}), "addressPrefixes") or [])
    ]
    try:
        ranges = _subnet_ranges(_ci(body, "properties", {}))
    except ValueError as err:
        return arm_error(
            400, "InvalidAddressPrefixFormat", f"Address prefix of subnet '{resource_id}' is not valid: {err}."
        )
    if not ranges:
        return arm_error(400, "InvalidRequestFormat", f"Subnet '{resource_id}' needs an addressPrefix.")
    for net in ranges:
        if space and not any(net.subnet_of(s) for s in space if s.version == net.version):
            return arm_error(
                400,
                "NetcfgSubnetRangeOutsideVnet",
                f"Subnet '{target.names[-1]}' is not valid because its IP address range is outside the IP address "
                f"range of virtual network '{vnet_id.rsplit('/', 1)[-1]}'.",
            )
        for sibling in arm.children(vnet_id, "Microsoft.Network/virtualNetworks/subnets"):
            if sibling["id"].lower() == resource_id.lower():
                continue
            for other in _subnet_ranges(sibling["body"].get("properties", {})):
                if other.version == net.version and net.overlaps(other):
                    return arm_error(
                        400,
                        "NetcfgSubnetRangesOverlap",
                        f"Subnet '{target.names[-1]}' is not valid because its IP address range overlaps with that of "
                        f"an existing subnet in virtual network '{vnet_id.rsplit('/', 1)[-1]}'.",
                    )
    return None


def fill_vnet(arm, request, target, record, existing):
    """Subnets written inline become child resources; a PUT without them removes the old ones."""
    props = _props(record)
    props.setdefault("resourceGuid", stable_uuid(record["id"]))
    inline = props.pop("subnets", None)
    if inline is None and existing is None:
        return None
    desired = {}
    for subnet in inline or []:
        name = _ci(subnet, "name")
        if not name:
            return arm_error(400, "InvalidRequestFormat", "Every inline subnet needs a name.")
        desired[name.lower()] = subnet
    current = {
        r["id"].rsplit("/", 1)[-1].lower(): r
        for r in arm.children(record["id"], "Microsoft.Network/virtualNetworks/subnets")
    }
    for name, child in current.items():
        if name not in desired:
            problem = subnet_in_use(arm, child)
            if problem:
                return problem
    for name in current:
        if name not in desired:
            arm.remove(current[name]["id"])
    for subnet in desired.values():
        subnet_id = f"{record['id']}/subnets/{subnet['name']}"
        body = {k: v for k, v in subnet.items() if k.lower() not in ("id", "etag", "type")}
        problem = check_subnet(arm, request, target, subnet_id, body, None, vnet_body=record["body"])
        if problem:
            return problem
        body.update(id=subnet_id, type="Microsoft.Network/virtualNetworks/subnets", etag=f'W/"{uuid.uuid4()}"')
        body.setdefault("properties", {})["provisioningState"] = "Succeeded"
        arm.store[subnet_id.lower()] = {
            "id": subnet_id,
            "type": "Microsoft.Network/virtualNetworks/subnets",
            "body": body,
            "extra": {},
        }
    return None


def view_vnet(arm, record, body):
    subnets = arm.children(record["id"], "Microsoft.Network/virtualNetworks/subnets")
    body.setdefault("properties", {})["subnets"] = [arm.render(s) for s in subnets]
    return body


def subnet_in_use(arm, subnet):
    users = [
        address_owner
        for address_owner in arm.ip_pools.get(subnet["id"].lower(), {})
        if arm.get(address_owner) is not None
    ]
    if users:
        return arm_error(
            400,
            "InUseSubnetCannotBeDeleted",
            f"Subnet {subnet['id'].rsplit('/', 1)[-1]} is in use by {users[0]} and cannot be deleted.",
        )
    return None


def check_subnet_put(arm, request, target, resource_id, body, existing):
    return check_subnet(arm, request, target, resource_id, body, existing)


def view_subnet(arm, record, body):
    users = [o for o in arm.ip_pools.get(record["id"].lower(), {}) if arm.get(o) is not None]
    endpoints = [{"id": o} for o in users if "/privateendpoints/" in o]
    if endpoints:
        body.setdefault("properties", {})["privateEndpoints"] = endpoints
    return body


def fill_nsg(arm, request, target, record, existing):
    props = _props(record)
    props.setdefault("resourceGuid", stable_uuid(record["id"]))
    for rule in props.get("securityRules") or []:
        rule["id"] = f"{record['id']}/securityRules/{rule.get('name')}"
        rule["type"] = "Microsoft.Network/networkSecurityGroups/securityRules"
        rule.setdefault("properties", {})["provisioningState"] = "Succeeded"
    props["defaultSecurityRules"] = [
        _default_rule(record["id"], name, priority, direction, access, source, dest)
        for name, priority, direction, access, source, dest in (
            ("AllowVnetInBound", 65000, "Inbound", "Allow", "VirtualNetwork", "VirtualNetwork"),
            ("AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow", "AzureLoadBalancer", "*"),
            ("DenyAllInBound", 65500, "Inbound", "Deny", "*", "*"),
            ("AllowVnetOutBound", 65000, "Outbound", "Allow", "VirtualNetwork", "VirtualNetwork"),
            ("AllowInternetOutBound", 65001, "Outbound", "Allow", "*", "Internet"),
            ("DenyAllOutBound", 65500, "Outbound", "Deny", "*", "*"),
        )
    ]
    return None


def _default_rule(nsg_id, name, priority, direction, access, source, dest):
    return {
        "name": name,
        "id": f"{nsg_id}/defaultSecurityRules/{name}",
        "type": "Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
        "properties": {
            "provisioningState": "Succeeded",
            "description": f"Default rule {name}",
            "protocol": "*",
            "sourcePortRange": "*",
            "destinationPortRange": "*",
            "sourceAddressPrefix": source,
            "destinationAddressPrefix": dest,
            "access": access,
            "priority": priority,
            "direction": direction,
        },
    }


def fill_public_ip(arm, request, target, record, existing):
    props = _props(record)
    props.setdefault("publicIPAllocationMethod", "Static")
    props.setdefault("publicIPAddressVersion", "IPv4")
    props.setdefault("idleTimeoutInMinutes", 4)
    props["ipAddress"] = public_ip(record["id"])
    props.setdefault("resourceGuid", stable_uuid(record["id"]))
    return None


def fill_nat_gateway(arm, request, target, record, existing):
    props = _props(record)
    props.setdefault("idleTimeoutInMinutes", 4)
    props.setdefault("resourceGuid", stable_uuid(record["id"]))
    return None


def view_nat_gateway(arm, record, body):
    subnets = [
        {"id": s["id"]}
        for s in arm.of_type("Microsoft.Network/virtualNetworks/subnets")
        if (_ci(_ci(s["body"].get("properties", {}), "natGateway", {}), "id") or "").lower() == record["id"].lower()
    ]
    if subnets:
        body.setdefault("properties", {})["subnets"] = subnets
    return body


PRIVATE_LINK_ZONES = {
    "mongocluster": ("privatelink.mongocluster.cosmos.azure.com", "global.mongocluster.cosmos.azure.com"),
    "vault": ("privatelink.vaultcore.azure.net", "vault.azure.net"),
    "registry": ("privatelink.azurecr.io", "azurecr.io"),
}


def fill_private_endpoint(arm, request, target, record, existing):
    """The service creates a NIC in the subnet with the next free private IP."""
    props = _props(record)
    subnet_id = _ci(_ci(props, "subnet", {}), "id")
    subnet = arm.get(subnet_id)
    if subnet is None:
        return arm_error(
            400,
            "InvalidResourceReference",
            f"Resource {subnet_id} referenced by resource {record['id']} was not found.",
        )
    connections = (props.get("privateLinkServiceConnections") or []) + (
        props.get("manualPrivateLinkServiceConnections") or []
    )
    dns_configs = []
    for connection in connections:
        cprops = connection.setdefault("properties", {})
        service_id = _ci(cprops, "privateLinkServiceId")
        if not arm.get(service_id):
            return arm_error(
                400,
                "InvalidResourceReference",
                f"Resource {service_id} referenced by resource {record['id']} was not found.",
            )
        cprops["privateLinkServiceConnectionState"] = {
            "status": "Approved",
            "description": "Auto-Approved",
            "actionsRequired": "None",
        }
        cprops["provisioningState"] = "Succeeded"
        connection["id"] = f"{record['id']}/privateLinkServiceConnections/{connection.get('name')}"
        connection["type"] = "Microsoft.Network/privateEndpoints/privateLinkServiceConnections"
        group = ((cprops.get("groupIds") or ["default"])[0]).lower()
        service_name = service_id.rsplit("/", 1)[-1]
        zone = PRIVATE_LINK_ZONES.get(group)
        dns_configs.append({"fqdn": f"{service_name}.{zone[1]}" if zone else f"{service_name}.privatelink"})
    nic_name = props.get("customNetworkInterfaceName") or f"{target.names[-1]}.nic.{stable_uuid(record['id'])}"
    group_id = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{target.group}"
    nic_id = f"{group_id}/providers/Microsoft.Network/networkInterfaces/{nic_name}"
    address = allocate_ip(arm, subnet["id"], record["id"])
    if address is None:
        return arm_error(400, "SubnetIsFull", f"Subnet {subnet_id} has no free address.")
    for config in dns_configs:
        config["ipAddresses"] = [address]
    props["customDnsConfigs"] = dns_configs
    props["networkInterfaces"] = [{"id": nic_id}]
    nic_body = {
        "id": nic_id,
        "name": nic_name,
        "type": "Microsoft.Network/networkInterfaces",
        "location": record["body"].get("location"),
        "etag": f'W/"{uuid.uuid4()}"',
        "properties": {
            "provisioningState": "Succeeded",
            "privateEndpoint": {"id": record["id"]},
            "ipConfigurations": [
                {
                    "name": "privateEndpointIpConfig",
                    "id": f"{nic_id}/ipConfigurations/privateEndpointIpConfig",
                    "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
                    "properties": {
                        "provisioningState": "Succeeded",
                        "privateIPAddress": address,
                        "privateIPAllocationMethod": "Dynamic",
                        "privateIPAddressVersion": "IPv4",
                        "primary": True,
                        "subnet": {"id": subnet["id"]},
                        "privateLinkConnectionProperties": {
                            "fqdns": [c["fqdn"] for c in dns_configs],
                        },
                    },
                }
            ],
        },
    }
    arm.store[nic_id.lower()] = {
        "id": nic_id,
        "type": "Microsoft.Network/networkInterfaces",
        "body": nic_body,
        "extra": {"owner": record["id"]},
    }
    record["extra"]["nic"] = nic_id
    return None


def delete_private_endpoint(arm, record):
    release_ips(arm, record["id"])
    nic = record["extra"].get("nic")
    if nic:
        arm.store.pop(nic.lower(), None)


def fill_dns_zone_group(arm, request, target, record, existing):
    """Each zone config gets the A records of the endpoint's FQDNs that belong in that zone, created in the zone."""
    endpoint = arm.get(record["id"].rsplit("/", 2)[0])
    endpoint_props = endpoint["body"].get("properties", {})
    connections = (endpoint_props.get("privateLinkServiceConnections") or []) + (
        endpoint_props.get("manualPrivateLinkServiceConnections") or []
    )
    groups = {((_ci(c.get("properties"), "groupIds") or ["default"])[0]).lower() for c in connections}
    configs = _props(record).get("privateDnsZoneConfigs") or []
    names = [_ci(c, "name") for c in configs]
    if len(set(names)) != len(names):
        return arm_error(400, "InvalidRequestFormat", "Private DNS zone config names must be unique in a group.")
    wanted = []
    for config in configs:
        cprops = config.setdefault("properties", {})
        zone_id = _ci(cprops, "privateDnsZoneId")
        zone = arm.get(zone_id)
        if zone is None:
            return arm_error(
                400,
                "InvalidResourceReference",
                f"Resource {zone_id} referenced by resource {record['id']} was not found. Please make sure that the "
                "referenced resource exists, and that both resources are in the same region.",
            )
        zone_name = zone["id"].rsplit("/", 1)[-1].lower()
        record_sets = []
        for group in groups:
            private_zone, public_suffix = PRIVATE_LINK_ZONES.get(group, (None, None))
            if private_zone != zone_name:
                continue
            for dns in endpoint_props.get("customDnsConfigs") or []:
                fqdn = dns.get("fqdn") or ""
                if fqdn.endswith("." + public_suffix):
                    label = fqdn[: -len(public_suffix) - 1]
                    wanted.append((zone, label, dns.get("ipAddresses") or []))
                    record_sets.append(
                        {
                            "recordType": "A",
                            "recordSetName": label,
                            "fqdn": f"{label}.{zone_name}",
                            "ttl": 10,
                            "ipAddresses": list(dns.get("ipAddresses") or []),
                            "provisioningState": "Succeeded",
                        }
                    )
        cprops["recordSets"] = record_sets
    for old in (existing or {}).get("extra", {}).get("records", []):
        arm.store.pop(old.lower(), None)
    created = []
    for zone, label, addresses in wanted:
        record_id = f"{zone['id']}/A/{label}"
        arm.put_record(
            record_id,
            "Microsoft.Network/privateDnsZones/A",
            {
                "id": record_id,
                "name": label,
                "type": "Microsoft.Network/privateDnsZones/A",
                "etag": uuid.uuid4().hex,
                "properties": {
                    "ttl": 10,
                    "fqdn": f"{label}.{zone['id'].rsplit('/', 1)[-1].lower()}.",
                    "isAutoRegistered": False,
                    "aRecords": [{"ipv4Address": a} for a in addresses],
                },
            },
        )
        created.append(record_id)
    record["extra"]["records"] = created
    return None


def delete_dns_zone_group(arm, record):
    for record_id in record["extra"].get("records", []):
        arm.store.pop(record_id.lower(), None)


def check_subnet_delete(arm, record):
    return subnet_in_use(arm, record)


# ---- Microsoft.Network/privateDnsZones ----------------------------------------------------------


def fill_dns_zone(arm, request, target, record, existing):
    props = _props(record)
    props.update(
        maxNumberOfRecordSets=25000,
        maxNumberOfVirtualNetworkLinks=1000,
        maxNumberOfVirtualNetworkLinksWithRegistration=100,
    )
    props["internalId"] = base64.b64encode(record["id"].lower().encode()).decode()[:60]
    return None


def view_dns_zone(arm, record, body):
    props = body.setdefault("properties", {})
    props["numberOfRecordSets"] = 1 + len(arm.children(record["id"], "Microsoft.Network/privateDnsZones/A"))
    links = arm.children(record["id"], "Microsoft.Network/privateDnsZones/virtualNetworkLinks")
    props["numberOfVirtualNetworkLinks"] = len(links)
    props["numberOfVirtualNetworkLinksWithRegistration"] = sum(
        1 for link in links if _ci(link["body"].get("properties"), "registrationEnabled")
    )
    return body


def fill_dns_link(arm, request, target, record, existing):
    props = _props(record)
    vnet_id = _ci(_ci(props, "virtualNetwork", {}), "id")
    if not arm.get(vnet_id):
        return arm_error(400, "BadRequest", f"Virtual network '{vnet_id}' referenced by the link was not found.")
    props["virtualNetworkLinkState"] = "Completed"
    props.setdefault("registrationEnabled", False)
    return None


def fill_record_set(arm, request, target, record, existing):
    props = _props(record)
    zone = target.names[0]
    name = target.names[-1]
    props["fqdn"] = f"{zone}." if name == "@" else f"{name}.{zone}."
    props["isAutoRegistered"] = False
    return None


# ---- Microsoft.KeyVault -------------------------------------------------------------------------


def check_vault(arm, request, target, resource_id, body, existing):
    """A soft-deleted vault keeps its name: it must be recovered (createMode=recover) or purged first."""
    deleted = arm.deleted_vaults.get(target.names[-1].lower())
    mode = str(_ci(body.get("properties"), "createMode") or "default").lower()
    if existing is None and deleted is not None and mode != "recover":
        return arm_error(
            409,
            "ConflictError",
            f"A vault with the same name already exists in deleted state. You need to either recover or purge "
            f"existing key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more "
            f"information on soft delete. Vault name: {target.names[-1]}.",
        )
    if existing is None and deleted is None and mode == "recover":
        return arm_error(
            404,
            "ResourceNotFound",
            f"The deleted vault '{target.names[-1]}' was not found; there is nothing to recover.",
        )
    return None


def fill_vault(arm, request, target, record, existing):
    props = _props(record)
    name = target.names[-1]
    recovered = None
    if existing is None and str(props.get("createMode") or "").lower() == "recover":
        recovered = arm.deleted_vaults.pop(name.lower())
    props["vaultUri"] = arm.standin.vault_url(name)
    props.setdefault("enableSoftDelete", True)
    props.setdefault("softDeleteRetentionInDays", 90)
    props.setdefault("enableRbacAuthorization", True)
    props.setdefault("publicNetworkAccess", "Enabled")
    props.setdefault("accessPolicies", [])
    props.pop("createMode", None)
    if (
        existing
        and _ci(existing["body"].get("properties"), "enablePurgeProtection")
        and props.get("enablePurgeProtection") is False
    ):
        return arm_error(
            400,
            "BadRequest",
            'The property "enablePurgeProtection" cannot be set to false. '
            "Enabling the purge protection for a vault is an irreversible action.",
        )
    if recovered is not None:
        arm.standin.keyvault.vaults[name.lower()] = recovered["data_plane"]
        for secret in recovered["secrets"]:
            arm.store[secret["id"].lower()] = secret
    arm.standin.keyvault.ensure_vault(name)
    return None


def delete_vault(arm, record):
    """Deleting a vault with soft delete (the default) keeps it, with its secrets, as a deleted vault."""
    name = record["id"].rsplit("/", 1)[-1]
    data_plane = arm.standin.keyvault.drop_vault(name)
    props = record["body"].get("properties", {})
    if _ci(props, "enableSoftDelete") is False:
        return
    location = _location(record["body"].get("location") or "westeurope")
    now = datetime.now(timezone.utc)
    days = _ci(props, "softDeleteRetentionInDays") or 90
    arm.deleted_vaults[name.lower()] = {
        "view": {
            "id": f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/"
            f"{name}",
            "name": name,
            "type": "Microsoft.KeyVault/deletedVaults",
            "properties": {
                "vaultId": record["id"],
                "location": location,
                "deletionDate": _iso(now),
                "scheduledPurgeDate": _iso(now + timedelta(days=days)),
                "tags": record["body"].get("tags") or {},
                "purgeProtectionEnabled": bool(_ci(props, "enablePurgeProtection")),
            },
        },
        "data_plane": data_plane or {"secrets": {}, "deleted": {}},
        # the ARM secret resources come back on recovery
        "secrets": [r for k, r in list(arm.store.items()) if k.startswith(record["id"].lower() + "/secrets/")],
    }


def _location(location):
    return location.replace(" ", "").lower()


def _iso(moment):
    return moment.isoformat().replace("+00:00", "Z")


def deleted_vaults(arm, request, target, spec):
    """GET / purge of .../locations/{location}/deletedVaults/{name}."""
    name = target.names[-1] if len(target.names) >= 2 else None
    deleted = arm.deleted_vaults.get((name or "").lower())
    location = target.names[0].lower() if target.names else ""
    if deleted is None or deleted["view"]["properties"]["location"] != _location(location):
        return arm_error(404, "ResourceNotFound", f"The deleted vault '{name}' in location '{location}' was not found.")
    is_purge = request.method == "POST" and (target.action or "").lower() == "purge" and target.kind == "odd"
    if is_purge:
        if deleted["view"]["properties"]["purgeProtectionEnabled"]:
            return arm_error(
                409,
                "Conflict",
                f"Operation 'PurgeVault' is not allowed: vault '{name}' has purge protection enabled; it is purged "
                f"automatically on {deleted['view']['properties']['scheduledPurgeDate']}.",
            )
        _async_url, location_url = arm.start_operation(
            target,
            deleted["view"]["id"],
            "action",
            request.api_version,
            location=location,
            apply=lambda: arm.deleted_vaults.pop(name.lower(), None),
        )
        return Reply(202, None, {"Location": location_url, **arm.poll_delay_headers(location_url)})
    if request.method == "GET" and target.kind == "item":
        return Reply(200, copy.deepcopy(deleted["view"]))
    return arm_error(405, "MethodNotAllowed", f"The method '{request.method}' is not allowed on a deleted vault.")


def list_deleted_vaults(arm, request, target, spec):
    return Reply(200, {"value": [copy.deepcopy(d["view"]) for d in arm.deleted_vaults.values()]})


def fill_vault_secret(arm, request, target, record, existing):
    vault = arm.get(record["id"].rsplit("/", 2)[0])
    props = _props(record)
    value = props.get("value")
    vault_name = target.names[0]
    if target.names[-1].lower() in arm.standin.keyvault.ensure_vault(vault_name)["deleted"]:
        return arm_error(
            409,
            "Conflict",
            f"Secret {target.names[-1]} is currently in a deleted but recoverable state, and its name cannot be "
            "reused; in this state, the secret can only be recovered or purged.",
        )
    secret = arm.standin.keyvault.set_secret(
        vault_name,
        target.names[-1],
        value,
        content_type=props.get("contentType"),
        enabled=_ci(_ci(props, "attributes", {}), "enabled", True),
        tags=record["body"].get("tags"),
        new_version=existing is None or value is not None,
    )
    vault_uri = _ci(vault["body"].get("properties"), "vaultUri")
    props["secretUri"] = f"{vault_uri}secrets/{target.names[-1]}"
    props["secretUriWithVersion"] = f"{vault_uri}secrets/{target.names[-1]}/{secret['version']}"
    props["attributes"] = {
        "enabled": secret["enabled"],
        "created": secret["created"],
        "updated": secret["updated"],
        "recoveryLevel": "Recoverable+Purgeable",
    }
    return None


# ---- Microsoft.ContainerRegistry ----------------------------------------------------------------


def fill_registry(arm, request, target, record, existing):
    props = _props(record)
    # The registry's data plane is served by the stand-in on a port of its own (see registry.py).
    props["loginServer"] = arm.standin.registry_login_server(target.names[-1])
    props.setdefault("adminUserEnabled", False)
    props["creationDate"] = (existing or record)["body"].get("properties", {}).get("creationDate") or _now()
    props["status"] = {"displayStatus": "Succeeded", "message": "", "timestamp": _now()}
    return None


def import_image(arm, request, target, record, fail_lro=False):
    try:
        body = validate(load_schema("azure.mgmt.containerregistry.models:ImportImageParameters"), request.json() or {})
    except (ValidationError, ValueError) as err:
        return arm_error(400, getattr(err, "code", "InvalidRequestContent"), str(err))
    source = body.get("source", {})
    image = source.get("sourceImage")
    if not image:
        return arm_error(400, "InvalidParameter", "source.sourceImage is required.")
    if "@" in image and not body.get("targetTags"):
        return arm_error(400, "InvalidParameter", "targetTags are required when the source image names a digest.")
    tags = body.get("targetTags") or [image]
    pairs = []
    for tag in tags:
        repository, sep, name = tag.rpartition(":")
        if not sep or not repository or "/" in name:
            return arm_error(400, "InvalidParameter", f"Target tag '{tag}' is not of the form repository:tag.")
        pairs.append((repository.lower(), name))
    repositories = record["extra"].setdefault("repositories", {})
    failure = fail_lro
    if (body.get("mode") or "NoForce") == "NoForce":
        clash = [f"{r}:{t}" for r, t in pairs if t in repositories.get(r, {})]
        if clash:
            # NoForce never overwrites: the import operation fails, naming the tag
            failure = {
                "code": "TagAlreadyExists",
                "message": f"Tag {clash[0]} already exists in target registry and import mode is NoForce.",
            }
    digest = "sha256:" + hashlib.sha256(image.encode()).hexdigest()

    def land():
        stamp = _now()
        for repository, name in pairs:
            repositories.setdefault(repository, {})[name] = {"digest": digest, "createdTime": stamp, "source": image}

    _async_url, location_url = arm.start_operation(
        target,
        record["id"],
        "action",
        request.api_version,
        fail=failure,
        location=record["body"].get("location"),
        apply=land,
    )
    return Reply(202, None, {"Location": location_url, **arm.poll_delay_headers(location_url)})


# ---- Microsoft.ManagedIdentity ------------------------------------------------------------------


def fill_identity(arm, request, target, record, existing):
    props = _props(record)
    props["tenantId"] = TENANT_ID
    props["principalId"] = stable_uuid("principal", record["id"])
    props["clientId"] = stable_uuid("client", record["id"])
    return None


# ---- Microsoft.Authorization --------------------------------------------------------------------

BUILT_IN_ROLES = {
    "7f951dda-4ed3-4680-a7ca-43fe172d538d": (
        "AcrPull",
        "acr pull",
        ["Microsoft.ContainerRegistry/registries/pull/read"],
    ),
    "4633458b-17de-408a-b874-0445c86b69e6": (
        "Key Vault Secrets User",
        "Read secret contents.",
        ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"],
    ),
    "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": (
        "Key Vault Secrets Officer",
        "Perform any action on the secrets of a key vault.",
        ["Microsoft.KeyVault/vaults/secrets/*"],
    ),
    "b24988ac-6180-42a0-ab88-20f7382dd24c": ("Contributor", "Grants full access to manage all resources.", ["*"]),
    "acdd72a7-3385-48ef-bd42-f606fba81ae7": ("Reader", "View all resources.", ["*/read"]),
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": ("Owner", "Grants full access to manage all resources.", ["*"]),
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": (
        "User Access Administrator",
        "Manage user access.",
        ["*/read", "Microsoft.Authorization/*"],
    ),
    "00482a5a-887f-4fb3-b363-3b7fe8e74483": (
        "Key Vault Administrator",
        "Perform all data plane operations on a key vault.",
        ["Microsoft.KeyVault/*"],
    ),
    "8311e382-0749-4cb8-b61a-304f252e45ec": (
        "AcrPush",
        "acr push",
        ["Microsoft.ContainerRegistry/registries/push/write"],
    ),
    "312a565d-c81f-4fd8-895a-4e21e48d571c": (
        "API Management Service Contributor",
        "Manage APIM.",
        ["Microsoft.ApiManagement/service/*"],
    ),
}


def role_definition(scope, guid):
    name, description, actions = BUILT_IN_ROLES[guid]
    return {
        "id": f"{scope.rstrip('/')}/providers/Microsoft.Authorization/roleDefinitions/{guid}",
        "name": guid,
        "type": "Microsoft.Authorization/roleDefinitions",
        "properties": {
            "roleName": name,
            "type": "BuiltInRole",
            "description": description,
            "assignableScopes": ["/"],
            "permissions": [{"actions": actions, "notActions": [], "dataActions": [], "notDataActions": []}],
            "createdOn": "2015-02-02T21:55:09.880642Z",
            "updatedOn": "2021-11-11T20:13:26.7654238Z",
        },
    }


def role_definitions(arm, request, target, spec):
    if request.method != "GET":
        return arm_error(405, "MethodNotAllowed", "Custom role definitions are not supported by the stand-in.")
    guid = target.names[-1].lower()
    if guid not in BUILT_IN_ROLES:
        return arm_error(
            404, "RoleDefinitionDoesNotExist", "The specified role definition with ID '" + guid + "' does not exist."
        )
    return Reply(200, role_definition(f"/subscriptions/{SUBSCRIPTION_ID}", guid))


def list_role_definitions(arm, request, target, spec):
    wanted = _filter_value(request.query_lower.get("$filter", ""), "roleName")
    found = [
        role_definition(f"/subscriptions/{SUBSCRIPTION_ID}", guid)
        for guid, (name, _description, _actions) in BUILT_IN_ROLES.items()
        if wanted is None or name.lower() == wanted.lower()
    ]
    return Reply(200, {"value": found})


def _filter_value(expression, field):
    """Value of ``field eq 'value'`` in an OData filter, or None."""
    lowered = expression.lower()
    marker = field.lower() + " eq '"
    at = lowered.find(marker)
    if at < 0:
        return None
    start = at + len(marker)
    end = expression.find("'", start)
    return expression[start:end]


def _role_guid(role_definition_id):
    return (role_definition_id or "").rstrip("/").rsplit("/", 1)[-1].lower()


def check_role_assignment(arm, request, target, resource_id, body, existing):
    name = target.names[-1]
    try:
        uuid.UUID(name)
    except ValueError:
        return arm_error(
            400,
            "InvalidRoleAssignmentId",
            f"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.",
        )
    props = body.get("properties", {})
    guid = _role_guid(props.get("roleDefinitionId"))
    if guid not in BUILT_IN_ROLES:
        return arm_error(
            400, "RoleDefinitionDoesNotExist", f"The specified role definition with ID '{guid}' does not exist."
        )
    scope = resource_id.lower().split("/providers/microsoft.authorization/roleassignments/")[0]
    if existing:
        old = existing["body"]["properties"]
        if (
            _role_guid(old.get("roleDefinitionId")) != guid
            or old.get("principalId", "").lower() != props.get("principalId", "").lower()
        ):
            return arm_error(
                409,
                "RoleAssignmentUpdateNotPermitted",
                "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
            )
    for other in arm.of_type("Microsoft.Authorization/roleAssignments"):
        if other["id"].lower() == resource_id.lower():
            continue
        oprops = other["body"]["properties"]
        if (
            oprops.get("scope", "").lower() == scope
            and _role_guid(oprops.get("roleDefinitionId")) == guid
            and oprops.get("principalId", "").lower() == props.get("principalId", "").lower()
        ):
            return arm_error(409, "RoleAssignmentExists", "The role assignment already exists.")
    return None


def fill_role_assignment(arm, request, target, record, existing):
    props = _props(record)
    scope_record = arm.get(target.scope)
    props["scope"] = scope_record["id"] if scope_record else target.scope
    stamp = _now()
    props["createdOn"] = (existing or record)["body"].get("properties", {}).get("createdOn") or stamp
    props["updatedOn"] = stamp
    props["createdBy"] = CLIENT_OBJECT_ID
    props["updatedBy"] = CLIENT_OBJECT_ID
    props.setdefault("principalType", "User")
    guid = _role_guid(props.get("roleDefinitionId"))
    props["roleDefinitionId"] = (
        f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
    )
    return None


def list_role_assignments(arm, request, target, spec):
    expression = request.query_lower.get("$filter", "")
    principal = _filter_value(expression, "principalId")
    at_scope = "atscope()" in expression.lower()
    scope = target.scope.lower().rstrip("/")
    found = []
    for record in arm.of_type("Microsoft.Authorization/roleAssignments"):
        props = record["body"]["properties"]
        assigned = props.get("scope", "").lower()
        if at_scope:
            visible = scope == assigned or scope.startswith(assigned + "/")
        else:
            visible = scope == assigned or scope.startswith(assigned + "/") or assigned.startswith(scope + "/")
        if visible and (principal is None or props.get("principalId", "").lower() == principal.lower()):
            found.append(arm.render(record))
    return Reply(200, {"value": found})


# ---- Microsoft.ContainerInstance ----------------------------------------------------------------


def check_container_group_logs(arm, props):
    """ACI checks the Log Analytics customer id / shared key pair (and the resource id, when sent) on every PUT."""
    log_analytics = _ci(_ci(props, "diagnostics", {}), "logAnalytics")
    if not log_analytics:
        return None
    customer_id = _ci(log_analytics, "workspaceId") or ""
    shared_key = _ci(log_analytics, "workspaceKey") or ""
    resource_id = _ci(log_analytics, "workspaceResourceId")
    workspace = next(
        (
            w
            for w in arm.of_type("Microsoft.OperationalInsights/workspaces")
            if _ci(_props(w), "customerId", "").lower() == customer_id.lower()
        ),
        None,
    )
    if workspace is None:
        return arm_error(
            400, "InvalidLogAnalyticsWorkspaceId", f"The Log Analytics workspace '{customer_id}' could not be found."
        )
    if shared_key not in workspace_shared_keys(workspace["id"]):
        return arm_error(
            400,
            "InvalidLogAnalyticsWorkspaceKey",
            f"The key given for the Log Analytics workspace '{customer_id}' is not one of its shared keys.",
        )
    if resource_id and resource_id.rstrip("/").lower() != workspace["id"].lower():
        return arm_error(
            400,
            "InvalidLogAnalyticsWorkspaceResourceId",
            f"The workspace resource id '{resource_id}' does not name the workspace '{customer_id}'.",
        )
    return None


def fill_container_group(arm, request, target, record, existing):
    props = _props(record)
    refused = check_container_group_logs(arm, props)
    if refused is not None:
        return refused
    address = props.get("ipAddress")
    subnet_ids = [_ci(s, "id") for s in props.get("subnetIds") or []]
    for subnet_id in subnet_ids:
        subnet = arm.get(subnet_id)
        if subnet is None:
            return arm_error(400, "InvalidSubnetId", f"The subnet '{subnet_id}' could not be found.")
        delegations = [
            _ci(_ci(d, "properties", {}), "serviceName", "")
            for d in subnet["body"].get("properties", {}).get("delegations") or []
        ]
        if "microsoft.containerinstance/containergroups" not in [d.lower() for d in delegations]:
            return arm_error(
                400,
                "SubnetNotDelegated",
                f"The subnet '{subnet_id}' must be delegated to 'Microsoft.ContainerInstance/containerGroups'.",
            )
    if address:
        if (address.get("type") or "").lower() == "private":
            if not subnet_ids:
                return arm_error(400, "PrivateIPAddressNotSupported", "A private IP address needs subnetIds.")
            release_ips(arm, record["id"])
            address["ip"] = allocate_ip(arm, subnet_ids[0], record["id"])
        else:
            address["ip"] = public_ip(record["id"])
    props["osType"] = props.get("osType") or "Linux"
    props["instanceView"] = {"state": "Running", "events": []}
    for container in props.get("containers") or []:
        cprops = container.setdefault("properties", {})
        cprops["instanceView"] = {
            "restartCount": 0,
            "currentState": {"state": "Running", "startTime": _now(), "detailStatus": ""},
            "events": [],
        }
    return None


def delete_container_group(arm, record):
    release_ips(arm, record["id"])


# ---- Microsoft.DocumentDB/mongoClusters ---------------------------------------------------------


def fill_mongo_cluster(arm, request, target, record, existing):
    props = _props(record)
    name = target.names[-1]
    if (
        existing is None
        and not _ci(_ci(props, "administrator", {}), "password")
        and (props.get("createMode") or "Default") == "Default"
    ):
        return arm_error(400, "InvalidParameter", "The administrator password is required to create a cluster.")
    props["connectionString"] = connection_string(name)
    props["clusterStatus"] = "Ready"
    props.setdefault("serverVersion", "8.0")
    props.setdefault("publicNetworkAccess", "Enabled")
    props["infrastructureVersion"] = "2.0"
    availability = props.get("highAvailability")
    # Regions without availability zones settle "ZoneRedundantPreferred" as "SameZone".
    if isinstance(availability, dict) and availability.get("targetMode") == "ZoneRedundantPreferred":
        availability["targetMode"] = "SameZone"
    props.pop("createMode", None)
    return None


def view_mongo_cluster(arm, record, body):
    connections = []
    for endpoint in arm.of_type("Microsoft.Network/privateEndpoints"):
        for link in endpoint["body"].get("properties", {}).get("privateLinkServiceConnections") or []:
            if (_ci(link.get("properties"), "privateLinkServiceId") or "").lower() == record["id"].lower():
                connections.append(
                    {
                        "id": f"{record['id']}/privateEndpointConnections/{endpoint['id'].rsplit('/', 1)[-1]}",
                        "name": endpoint["id"].rsplit("/", 1)[-1],
                        "type": "Microsoft.DocumentDB/mongoClusters/privateEndpointConnections",
                        "properties": {
                            "privateEndpoint": {"id": endpoint["id"]},
                            "groupIds": ["MongoCluster"],
                            "privateLinkServiceConnectionState": {
                                "status": "Approved",
                                "description": "Auto-Approved",
                                "actionsRequired": "None",
                            },
                            "provisioningState": "Succeeded",
                        },
                    }
                )
    if connections:
        body.setdefault("properties", {})["privateEndpointConnections"] = connections
    return body


def connection_string(cluster):
    """What the service reports: a template with placeholders, never the real credentials."""
    return (
        f"mongodb+srv://<user>:<password>@{cluster.lower()}.global.mongocluster.cosmos.azure.com/"
        "?tls=true&authMechanism=SCRAM-SHA-256&retrywrites=false&maxIdleTimeMS=120000"
    )


def list_connection_strings(arm, request, target, record, fail_lro=False):
    name = record["id"].rsplit("/", 1)[-1].lower()
    return Reply(
        200,
        {
            "connectionStrings": [
                {
                    "connectionString": connection_string(name),
                    "description": "default connection string",
                    "name": "GlobalReadWrite",
                }
            ]
        },
    )


# ---- Microsoft.ApiManagement --------------------------------------------------------------------


def fill_apim(arm, request, target, record, existing):
    props = _props(record)
    name = target.names[-1].lower()
    props.update(
        gatewayUrl=f"https://{name}.azure-api.net",
        gatewayRegionalUrl=f"https://{name}-{record['body'].get('location', 'westeurope')}-01.regional.azure-api.net",
        portalUrl=f"https://{name}.portal.azure-api.net",
        developerPortalUrl=f"https://{name}.developer.azure-api.net",
        managementApiUrl=f"https://{name}.management.azure-api.net",
        scmUrl=f"https://{name}.scm.azure-api.net",
        publicIPAddresses=[public_ip(record["id"])],
        platformVersion="stv2",
        targetProvisioningState="",
    )
    props["createdAtUtc"] = (existing or record)["body"].get("properties", {}).get("createdAtUtc") or _now()
    props.setdefault("virtualNetworkType", "None")
    props.setdefault("publicNetworkAccess", "Enabled")
    props.setdefault(
        "hostnameConfigurations",
        [
            {
                "type": "Proxy",
                "hostName": f"{name}.azure-api.net",
                "negotiateClientCertificate": False,
                "defaultSslBinding": True,
                "certificateSource": "BuiltIn",
            }
        ],
    )
    vnet = props.get("virtualNetworkConfiguration") or {}
    subnet_id = _ci(vnet, "subnetResourceId")
    if props["virtualNetworkType"] != "None":
        if not subnet_id or not arm.get(subnet_id):
            return arm_error(
                400, "InvalidParameters", f"Subnet '{subnet_id}' of virtualNetworkConfiguration was not found."
            )
        vnet["vnetid"] = "00000000-0000-0000-0000-000000000000"
        vnet["subnetname"] = subnet_id.rsplit("/", 1)[-1]
        props["privateIPAddresses"] = [allocate_ip(arm, subnet_id, record["id"])]
    return None


def fill_apim_api(arm, request, target, record, existing):
    props = _props(record)
    props.setdefault("apiRevision", "1")
    props["isCurrent"] = True
    props.setdefault("subscriptionRequired", True)
    props.setdefault("protocols", ["https"])
    props.setdefault("type", "http")
    props.setdefault("displayName", target.names[-1])
    for transient in ("format", "value", "wsdlSelector", "apiType", "translateRequiredQueryParameters"):
        props.pop(transient, None)
    return None


def view_named_value(arm, record, body):
    props = body.get("properties", {})
    if props.get("secret"):
        props.pop("value", None)
    return body


def list_named_value(arm, request, target, record, fail_lro=False):
    return Reply(200, {"value": record["body"].get("properties", {}).get("value")}, secret_values=True)


def fill_apim_logger(arm, request, target, record, existing):
    props = _props(record)
    credentials = props.get("credentials")
    if isinstance(credentials, dict):
        # The service keeps logger credentials in a named value and shows only its reference.
        for key, value in list(credentials.items()):
            if isinstance(value, str) and not value.startswith("{{"):
                record["extra"].setdefault("credentials", {})[key] = value
                credentials[key] = (
                    "{{Logger-Credentials--" + stable_uuid(record["id"], key)[:24].replace("-", "") + "}}"
                )
    return None


def fill_apim_policy(arm, request, target, record, existing):
    props = _props(record)
    if target.names[-1].lower() != "policy":
        return arm_error(400, "ValidationError", "The policy name must be 'policy'.")
    props.setdefault("format", "xml")
    if props["format"] in ("rawxml", "rawxml-link"):
        props["format"] = "xml"
    value = props.get("value") or ""
    if not value.strip().startswith("<policies"):
        return arm_error(
            400, "ValidationError", "'policies' is not a valid root element: a policy document starts with <policies>."
        )
    return None


# ---- Microsoft.OperationalInsights / Microsoft.Insights -----------------------------------------


def fill_workspace(arm, request, target, record, existing):
    props = _props(record)
    props["customerId"] = stable_uuid("workspace", record["id"])
    props.setdefault("sku", {"name": "PerGB2018"})
    props.setdefault("retentionInDays", 30)
    props["createdDate"] = (existing or record)["body"].get("properties", {}).get("createdDate") or _now()
    props["modifiedDate"] = _now()
    props.setdefault("publicNetworkAccessForIngestion", "Enabled")
    props.setdefault("publicNetworkAccessForQuery", "Enabled")
    return None


def workspace_shared_keys(workspace_id):
    """(primary, secondary) shared key of a workspace: fixed for its resource id."""
    digest = hashlib.sha512(("keys" + workspace_id.lower()).encode()).digest()
    return base64.b64encode(digest).decode(), base64.b64encode(digest[::-1]).decode()


def shared_keys(arm, request, target, record, fail_lro=False):
    primary, secondary = workspace_shared_keys(record["id"])
    return Reply(200, {"primarySharedKey": primary, "secondarySharedKey": secondary})


def fill_component(arm, request, target, record, existing):
    props = _props(record)
    key = stable_uuid("instrumentation", record["id"])
    app_id = stable_uuid("application", record["id"])
    location = record["body"].get("location", "westeurope")
    props.update(
        AppId=app_id,
        ApplicationId=target.names[-1],
        InstrumentationKey=key,
        ConnectionString=(
            f"InstrumentationKey={key};IngestionEndpoint=https://{location}-5.in.applicationinsights.azure.com/;"
            f"LiveEndpoint=https://{location}.livediagnostics.monitor.azure.com/;ApplicationId={app_id}"
        ),
        TenantId=SUBSCRIPTION_ID,
        Name=target.names[-1],
    )
    props["CreationDate"] = (existing or record)["body"].get("properties", {}).get("CreationDate") or _now()
    props.setdefault("IngestionMode", "LogAnalytics" if props.get("WorkspaceResourceId") else "ApplicationInsights")
    return None


# ---- resource groups ----------------------------------------------------------------------------


def fill_group(arm, request, target, record, existing):
    record["body"]["name"] = target.group
    return None


def _now():
    from .arm import now_iso

    return now_iso()


# ---- the table ----------------------------------------------------------------------------------

SPECS = [
    Spec(
        "Microsoft.Resources/resourceGroups",
        {"2025-04-01", "2024-11-01", "2024-03-01", "2022-09-01", "2021-04-01"},
        "azure.mgmt.resource.resources.models:ResourceGroup",
        patch_model="azure.mgmt.resource.resources.models:ResourceGroupPatchable",
        fill=fill_group,
    ),
    # networking
    Spec(
        "Microsoft.Network/virtualNetworks",
        V_NETWORK,
        f"{NETWORK}:VirtualNetwork",
        lro=True,
        etag="weak",
        busy="Updating",
        fill=fill_vnet,
        view=view_vnet,
        patch_model=f"{NETWORK}:TagsObject",
    ),
    Spec(
        "Microsoft.Network/virtualNetworks/subnets",
        V_NETWORK,
        f"{NETWORK}:Subnet",
        lro=True,
        etag="weak",
        busy="Updating",
        check=check_subnet_put,
        check_delete=check_subnet_delete,
        view=view_subnet,
    ),
    Spec(
        "Microsoft.Network/networkSecurityGroups",
        V_NETWORK,
        f"{NETWORK}:NetworkSecurityGroup",
        lro=True,
        etag="weak",
        busy="Updating",
        fill=fill_nsg,
        patch_model=f"{NETWORK}:TagsObject",
    ),
    Spec(
        "Microsoft.Network/natGateways",
        V_NETWORK,
        f"{NETWORK}:NatGateway",
        lro=True,
        etag="weak",
        busy="Updating",
        fill=fill_nat_gateway,
        view=view_nat_gateway,
        patch_model=f"{NETWORK}:TagsObject",
    ),
    Spec(
        "Microsoft.Network/publicIPAddresses",
        V_NETWORK,
        f"{NETWORK}:PublicIPAddress",
        lro=True,
        etag="weak",
        busy="Updating",
        fill=fill_public_ip,
        patch_model=f"{NETWORK}:TagsObject",
    ),
    Spec(
        "Microsoft.Network/privateEndpoints",
        V_NETWORK,
        f"{NETWORK}:PrivateEndpoint",
        lro=True,
        etag="weak",
        busy="Updating",
        fill=fill_private_endpoint,
        on_delete=delete_private_endpoint,
    ),
    Spec(
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        V_NETWORK,
        f"{NETWORK}:PrivateDnsZoneGroup",
        lro=True,
        etag="weak",
        busy="Updating",
        fill=fill_dns_zone_group,
        on_delete=delete_dns_zone_group,
    ),
    Spec(
        "Microsoft.Network/networkInterfaces",
        V_NETWORK,
        f"{NETWORK}:NetworkInterface",
        lro=True,
        etag="weak",
        busy="Updating",
    ),
    Spec(
        "Microsoft.Network/privateDnsZones",
        V_PRIVATE_DNS,
        f"{PRIVATE_DNS}:PrivateZone",
        lro=True,
        etag="strong",
        busy="Updating",
        fill=fill_dns_zone,
        view=view_dns_zone,
    ),
    Spec(
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        V_PRIVATE_DNS,
        f"{PRIVATE_DNS}:VirtualNetworkLink",
        lro=True,
        etag="strong",
        busy="Updating",
        fill=fill_dns_link,
    ),
    Spec(
        "Microsoft.Network/privateDnsZones/A",
        V_PRIVATE_DNS,
        f"{PRIVATE_DNS}:RecordSet",
        etag="strong",
        fill=fill_record_set,
    ),
    # secrets and identity
    Spec(
        "Microsoft.KeyVault/vaults",
        V_KEYVAULT,
        "azure.mgmt.keyvault.models:VaultCreateOrUpdateParameters",
        patch_model="azure.mgmt.keyvault.models:VaultPatchParameters",
        lro=True,
        # ARM deletes a vault at once: 200, or 204 when there is none (the SDK accepts only those)
        delete_lro=False,
        busy="RegisteringDns",
        check=check_vault,
        fill=fill_vault,
        on_delete=delete_vault,
    ),
    Spec(
        "Microsoft.KeyVault/locations/deletedVaults",
        V_KEYVAULT,
        "azure.mgmt.keyvault.models:DeletedVault",
        custom=deleted_vaults,
    ),
    Spec(
        "Microsoft.KeyVault/deletedVaults",
        V_KEYVAULT,
        "azure.mgmt.keyvault.models:DeletedVault",
        custom_list=list_deleted_vaults,
    ),
    Spec(
        "Microsoft.KeyVault/vaults/secrets",
        V_KEYVAULT,
        "azure.mgmt.keyvault.models:SecretCreateOrUpdateParameters",
        patch_model="azure.mgmt.keyvault.models:SecretPatchParameters",
        write_only=["properties.value"],
        fill=fill_vault_secret,
    ),
    Spec(
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        {"2024-11-30", "2023-01-31", "2018-11-30"},
        "azure.mgmt.msi.v2024_11_30.models:Identity",
        patch_model="azure.mgmt.msi.v2024_11_30.models:IdentityUpdate",
        fill=fill_identity,
    ),
    Spec(
        "Microsoft.Authorization/roleAssignments",
        V_AUTHZ,
        f"{AUTHZ}:RoleAssignmentCreateParameters",
        check=check_role_assignment,
        fill=fill_role_assignment,
        custom_list=list_role_assignments,
    ),
    Spec(
        "Microsoft.Authorization/roleDefinitions",
        V_AUTHZ,
        f"{AUTHZ}:RoleDefinition",
        custom=role_definitions,
        custom_list=list_role_definitions,
    ),
    # workloads
    Spec(
        "Microsoft.ContainerRegistry/registries",
        {"2025-11-01", "2025-04-01", "2023-07-01"},
        "azure.mgmt.containerregistry.models:Registry",
        patch_model="azure.mgmt.containerregistry.models:RegistryUpdateParameters",
        lro=True,
        fill=fill_registry,
        actions={"importImage": import_image},
    ),
    Spec(
        "Microsoft.ContainerInstance/containerGroups",
        {"2023-05-01", "2024-05-01-preview"},
        "azure.mgmt.containerinstance.models:ContainerGroup",
        patch_model="azure.mgmt.containerinstance.models:Resource",
        lro=True,
        busy="Pending",
        write_only=[
            "properties.containers[].properties.environmentVariables[].secureValue",
            "properties.initContainers[].properties.environmentVariables[].secureValue",
            "properties.imageRegistryCredentials[].password",
            "properties.diagnostics.logAnalytics.workspaceKey",
            # x-ms-secret in the REST spec: accepted, never returned
            "properties.diagnostics.logAnalytics.workspaceResourceId",
        ],
        fill=fill_container_group,
        on_delete=delete_container_group,
    ),
    Spec(
        "Microsoft.DocumentDB/mongoClusters",
        {"2026-06-01", "2025-09-01", "2024-07-01"},
        "azure.mgmt.mongocluster.models:MongoCluster",
        patch_model="azure.mgmt.mongocluster.models:MongoClusterUpdate",
        lro=True,
        busy="InProgress",
        fill=fill_mongo_cluster,
        view=view_mongo_cluster,
        actions={"listConnectionStrings": list_connection_strings},
    ),
    # API Management
    Spec(
        "Microsoft.ApiManagement/service",
        V_APIM,
        f"{APIM}:ApiManagementServiceResource",
        patch_model=f"{APIM}:ApiManagementServiceUpdateParameters",
        lro=True,
        etag="strong",
        busy="Activating",
        fill=fill_apim,
        on_delete=delete_container_group,
    ),
    Spec(
        "Microsoft.ApiManagement/service/apis",
        V_APIM,
        f"{APIM}:ApiCreateOrUpdateParameter",
        patch_model=f"{APIM}:ApiUpdateContract",
        etag="header",
        fill=fill_apim_api,
    ),
    Spec(
        "Microsoft.ApiManagement/service/apis/operations",
        V_APIM,
        f"{APIM}:OperationContract",
        patch_model=f"{APIM}:OperationUpdateContract",
        etag="header",
    ),
    Spec(
        "Microsoft.ApiManagement/service/apis/policies",
        V_APIM,
        f"{APIM}:PolicyContract",
        etag="header",
        fill=fill_apim_policy,
    ),
    Spec(
        "Microsoft.ApiManagement/service/apis/operations/policies",
        V_APIM,
        f"{APIM}:PolicyContract",
        etag="header",
        fill=fill_apim_policy,
    ),
    Spec(
        "Microsoft.ApiManagement/service/policies",
        V_APIM,
        f"{APIM}:PolicyContract",
        etag="header",
        fill=fill_apim_policy,
    ),
    Spec(
        "Microsoft.ApiManagement/service/backends",
        V_APIM,
        f"{APIM}:BackendContract",
        patch_model=f"{APIM}:BackendUpdateParameters",
        etag="header",
    ),
    Spec(
        "Microsoft.ApiManagement/service/namedValues",
        V_APIM,
        f"{APIM}:NamedValueCreateContract",
        patch_model=f"{APIM}:NamedValueUpdateParameters",
        etag="header",
        view=view_named_value,
        actions={"listValue": list_named_value},
    ),
    Spec(
        "Microsoft.ApiManagement/service/loggers",
        V_APIM,
        f"{APIM}:LoggerContract",
        patch_model=f"{APIM}:LoggerUpdateContract",
        etag="header",
        fill=fill_apim_logger,
    ),
    Spec("Microsoft.ApiManagement/service/diagnostics", V_APIM, f"{APIM}:DiagnosticContract", etag="header"),
    Spec("Microsoft.ApiManagement/service/apis/diagnostics", V_APIM, f"{APIM}:DiagnosticContract", etag="header"),
    # monitoring
    Spec(
        "Microsoft.OperationalInsights/workspaces",
        {"2025-07-01", "2025-02-01", "2023-09-01", "2022-10-01"},
        "azure.mgmt.loganalytics.models:Workspace",
        patch_model="azure.mgmt.loganalytics.models:WorkspacePatch",
        lro=True,
        fill=fill_workspace,
        actions={"sharedKeys": shared_keys},
    ),
    Spec(
        "Microsoft.Insights/components",
        {"2020-02-02", "2020-02-02-preview", "2015-05-01"},
        "azure.mgmt.applicationinsights.v2020_02_02.models:ApplicationInsightsComponent",
        patch_model="azure.mgmt.applicationinsights.v2020_02_02.models:TagsResource",
        created_status=200,
        fill=fill_component,
    ),
]

_BY_TYPE = {spec.type_name.lower(): spec for spec in SPECS}


def spec(type_name):
    return _BY_TYPE.get((type_name or "").lower())


spec_of = spec
