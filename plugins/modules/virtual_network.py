#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: virtual_network
short_description: Create, update or delete an Azure virtual network and its subnets
version_added: 0.1.0
description:
  - Makes a virtual network exist with its address space and subnets, or removes it.
  - Subnets are managed inside the virtual network's own body, in one write. Each subnet can be
    delegated to a service (for example V(Microsoft.ContainerInstance/containerGroups)), associated
    with a network security group and a NAT gateway, and set its private-endpoint network policies.
  - Subnets that exist in Azure but are not listed in O(subnets) are kept unless O(purge_subnets=true).
    Subnet properties not set in a subnet entry are kept as Azure has them.
  - Subnet prefixes are checked before any call to Azure; each must lie inside O(address_prefixes)
    and no two may overlap.
options:
  name:
    description: Name of the virtual network.
    type: str
    required: true
  resource_group:
    description: Resource group of the virtual network.
    type: str
    required: true
  location:
    description:
      - Azure region, for example V(westeurope). Required when O(state=present).
      - A virtual network cannot move; a different location is refused unless O(recreate=true).
    type: str
  address_prefixes:
    description: Address space of the virtual network, as CIDR blocks. Required when O(state=present).
    type: list
    elements: str
  dns_servers:
    description:
      - Custom DNS servers of the virtual network. An empty list means the Azure-provided DNS.
      - When not set, the current setting is kept.
    type: list
    elements: str
  subnets:
    description: Subnets to manage.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the subnet.
        type: str
        required: true
      address_prefixes:
        description: CIDR blocks of the subnet (usually one), inside the virtual network's address space.
        type: list
        elements: str
        required: true
      delegations:
        description:
          - Services the subnet is delegated to, for example V(Microsoft.ContainerInstance/containerGroups).
          - An empty list removes every delegation; when not set, the current delegations are kept.
        type: list
        elements: str
      network_security_group:
        description:
          - Network security group of the subnet, by name (in O(resource_group)) or full resource id.
          - An empty string removes the association; when not set, the current one is kept.
        type: str
      nat_gateway:
        description:
          - NAT gateway of the subnet, by name (in O(resource_group)) or full resource id.
          - An empty string removes the association; when not set, the current one is kept.
        type: str
      private_endpoint_network_policies:
        description: Whether network security groups and route tables apply to private endpoints in the subnet.
        type: str
        choices: [Enabled, Disabled, NetworkSecurityGroupEnabled, RouteTableEnabled]
      private_link_service_network_policies:
        description: Whether network policies apply to private link services in the subnet.
        type: str
        choices: [Enabled, Disabled]
  purge_subnets:
    description: Delete subnets that exist in Azure but are not listed in O(subnets).
    type: bool
    default: false
  recreate:
    description: Allow deleting and creating the virtual network again when its location changes.
    type: bool
    default: false
  state:
    description: V(present) to create or update the virtual network, V(absent) to delete it.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Wait for long-running operations to finish. With V(false), the result has RV(in_progress=true).
    type: bool
    default: true
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.tags
  - mcp_platform.azure.attributes
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: The platform network with its three subnets
  mcp_platform.azure.virtual_network:
    name: vnet-mcp
    resource_group: rg-mcp-platform
    location: westeurope
    address_prefixes: [10.20.0.0/16]
    subnets:
      - name: snet-aci
        address_prefixes: [10.20.1.0/24]
        delegations: [Microsoft.ContainerInstance/containerGroups]
        network_security_group: nsg-aci
        nat_gateway: ng-mcp
      - name: snet-apim
        address_prefixes: [10.20.2.0/24]
        network_security_group: nsg-apim
      - name: snet-pe
        address_prefixes: [10.20.3.0/24]
        private_endpoint_network_policies: Disabled

- name: Remove every subnet not listed
  mcp_platform.azure.virtual_network:
    name: vnet-mcp
    resource_group: rg-mcp-platform
    location: westeurope
    address_prefixes: [10.20.0.0/16]
    subnets:
      - name: snet-aci
        address_prefixes: [10.20.1.0/24]
    purge_subnets: true

- name: Delete the virtual network
  mcp_platform.azure.virtual_network:
    name: vnet-mcp
    resource_group: rg-mcp-platform
    state: absent
"""

RETURN = r"""
resource:
  description: The virtual network as Azure returns it (REST wire names), subnets included; null when absent.
  returned: always
  type: dict
  sample: {"id": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-mcp",
           "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.20.0.0/16"]},
           "subnets": [{"name": "snet-aci", "properties": {"addressPrefix": "10.20.1.0/24"}}]}}
id:
  description: Resource id of the virtual network; null when absent.
  returned: always
  type: str
subnet_ids:
  description: Resource id of every subnet of the virtual network, by subnet name.
  returned: when O(state=present)
  type: dict
  sample: {"snet-aci": "/subscriptions/0000/.../virtualNetworks/vnet-mcp/subnets/snet-aci"}
operation:
  description: What was done, V(create), V(update), V(recreate), V(delete), or null when nothing was.
  returned: always
  type: str
changes:
  description: Paths of the REST body that differed from the desired state.
  returned: always
  type: list
  elements: str
in_progress:
  description: True when O(wait=false) left a long-running operation running in Azure.
  returned: always
  type: bool
"""

import re

from ansible_collections.mcp_platform.azure.plugins.module_utils._network import (
    ArmModule,
    NetworkInputError,
    StatefulEngine,
    by_name,
    check_reference,
    check_subnet_layout,
    ref_id,
    resource_id,
    run_guarded,
    subscription_id,
    writable_subnet,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource

SUBNET_SPEC = dict(
    name=dict(type="str", required=True),
    address_prefixes=dict(type="list", elements="str", required=True),
    delegations=dict(type="list", elements="str"),
    network_security_group=dict(type="str"),
    nat_gateway=dict(type="str"),
    private_endpoint_network_policies=dict(
        type="str", choices=["Enabled", "Disabled", "NetworkSecurityGroupEnabled", "RouteTableEnabled"]
    ),
    private_link_service_network_policies=dict(type="str", choices=["Enabled", "Disabled"]),
)

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    location=dict(type="str"),
    address_prefixes=dict(type="list", elements="str"),
    dns_servers=dict(type="list", elements="str"),
    subnets=dict(type="list", elements="dict", options=SUBNET_SPEC),
    purge_subnets=dict(type="bool", default=False),
    recreate=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)

# A delegation names a resource type: Namespace.Provider/type.
SERVICE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+/[A-Za-z][A-Za-z0-9/]*$")
NONE_REFERENCE = {"id": "(none)"}
# VNet-level settings a PUT would reset if left out; kept as Azure has them.
CARRIED_PROPERTIES = ("enableDdosProtection", "ddosProtectionPlan", "encryption", "flowTimeoutInMinutes")


def comparable_subnets(subnets):
    """Subnets sorted by name, a missing association spelled out so that its removal is a change."""
    if not isinstance(subnets, list):
        return subnets
    result = []
    for subnet in by_name(subnets):
        subnet = dict(subnet)
        properties = dict(subnet.get("properties") or {})
        for key in ("networkSecurityGroup", "natGateway"):
            properties[key] = properties.get(key) or NONE_REFERENCE
        if properties.get("addressPrefixes") and not properties.get("addressPrefix"):
            prefixes = properties.pop("addressPrefixes")
            if len(prefixes) == 1:
                properties["addressPrefix"] = prefixes[0]
            else:
                properties["addressPrefixes"] = sorted(prefixes)
        else:
            properties.pop("addressPrefixes", None)
        properties["delegations"] = by_name(properties.get("delegations") or [])
        subnet["properties"] = properties
        result.append(subnet)
    return result


RESOURCE = ArmResource(
    sdk=("azure.mgmt.network", "NetworkManagementClient", "virtual_networks"),
    path=("resource_group", "name"),
    tags=True,
    normalise={
        "properties.addressSpace.addressPrefixes": "unordered",
        "properties.subnets": comparable_subnets,
        "properties.subnets[].properties.privateEndpointNetworkPolicies": "lower",
        "properties.subnets[].properties.privateLinkServiceNetworkPolicies": "lower",
    },
    recreate_on=("location",),
    kind="virtual network",
)


def validate(params):
    if params["state"] != "present":
        return
    for option in ("location", "address_prefixes"):
        if not params[option]:
            raise NetworkInputError("%s is required when state=present" % option)
    subnets = params["subnets"] or []
    names = [subnet["name"].lower() for subnet in subnets]
    duplicates = sorted(set(name for name in names if names.count(name) > 1))
    if duplicates:
        raise NetworkInputError("subnets: names must be unique, repeated: %s" % ", ".join(duplicates))
    for subnet in subnets:
        if not subnet["address_prefixes"]:
            raise NetworkInputError(
                "subnets[%s].address_prefixes: at least one CIDR block is required" % subnet["name"]
            )
        for option, resource_type in (
            ("network_security_group", "Microsoft.Network/networkSecurityGroups"),
            ("nat_gateway", "Microsoft.Network/natGateways"),
        ):
            check_reference("subnets[%s].%s" % (subnet["name"], option), subnet[option], resource_type)
        for service in subnet["delegations"] or []:
            if not SERVICE_NAME.match(service):
                raise NetworkInputError(
                    "subnets[%s].delegations: %r is not a resource type such as "
                    "Microsoft.ContainerInstance/containerGroups" % (subnet["name"], service)
                )
    check_subnet_layout(params["address_prefixes"], [(s["name"], s["address_prefixes"]) for s in subnets])


def _set_reference(arm, properties, key, value, resource_type):
    if value is None:
        return
    if value == "":
        properties.pop(key, None)
    else:
        properties[key] = {"id": ref_id(arm, value, resource_type)}


def _delegations(services, current_delegations):
    """Delegations keep the name Azure already has for a service, so only the service set is compared."""
    names = dict(
        ((d.get("properties") or {}).get("serviceName", "").lower(), d.get("name")) for d in current_delegations or []
    )
    return [
        {"name": names.get(service.lower()) or service.replace("/", "."), "properties": {"serviceName": service}}
        for service in services
    ]


def subnet_body(arm, spec, existing):
    """One subnet of the VNet body: what Azure has, overlaid with what the entry manages."""
    subnet = writable_subnet(existing) if existing else {"name": spec["name"], "properties": {}}
    subnet["name"] = spec["name"]
    properties = subnet["properties"]
    properties.pop("addressPrefix", None)
    properties.pop("addressPrefixes", None)
    if len(spec["address_prefixes"]) == 1:
        properties["addressPrefix"] = spec["address_prefixes"][0]
    else:
        properties["addressPrefixes"] = list(spec["address_prefixes"])
    _set_reference(
        arm,
        properties,
        "networkSecurityGroup",
        spec["network_security_group"],
        "Microsoft.Network/networkSecurityGroups",
    )
    _set_reference(arm, properties, "natGateway", spec["nat_gateway"], "Microsoft.Network/natGateways")
    if spec["delegations"] is not None:
        current_delegations = ((existing or {}).get("properties") or {}).get("delegations")
        properties["delegations"] = _delegations(spec["delegations"], current_delegations)
    for option, key in (
        ("private_endpoint_network_policies", "privateEndpointNetworkPolicies"),
        ("private_link_service_network_policies", "privateLinkServiceNetworkPolicies"),
    ):
        if spec[option] is not None:
            properties[key] = spec[option]
    return subnet


def desired_body(params, current, arm):
    current_properties = (current or {}).get("properties") or {}
    existing = dict((s.get("name", "").lower(), s) for s in current_properties.get("subnets") or [])
    subnets = []
    for spec in params["subnets"] or []:
        subnets.append(subnet_body(arm, spec, existing.get(spec["name"].lower())))
    if not params["purge_subnets"]:
        managed = set(spec["name"].lower() for spec in params["subnets"] or [])
        subnets.extend(writable_subnet(s) for key, s in existing.items() if key not in managed)
    properties = {"addressSpace": {"addressPrefixes": list(params["address_prefixes"])}, "subnets": subnets}
    if params["dns_servers"] is not None:
        properties["dhcpOptions"] = {"dnsServers": list(params["dns_servers"])}
    elif (current_properties.get("dhcpOptions") or {}).get("dnsServers"):
        properties["dhcpOptions"] = {"dnsServers": current_properties["dhcpOptions"]["dnsServers"]}
    for key in CARRIED_PROPERTIES:
        if current_properties.get(key) is not None:
            properties[key] = current_properties[key]
    return {"location": params["location"], "properties": properties}


def subnet_ids(arm, params, resource):
    subnets = ((resource or {}).get("properties") or {}).get("subnets") or []
    ids = {}
    for subnet in subnets:
        ids[subnet["name"]] = subnet.get("id") or resource_id(
            subscription_id(arm),
            params["resource_group"],
            "Microsoft.Network/virtualNetworks/subnets",
            params["name"],
            subnet["name"],
        )
    return ids


def main():
    arm = ArmModule(ARGUMENT_SPEC, tags=True)

    def work():
        validate(arm.params)
        result = StatefulEngine(arm, RESOURCE, desired_body).run()
        if arm.params["state"] == "present":
            result["subnet_ids"] = subnet_ids(arm, arm.params, result["resource"])
        return result

    run_guarded(arm, RESOURCE.kind, work)


if __name__ == "__main__":
    main()
