#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: virtual_network_info
short_description: Read Azure virtual networks and their subnets
version_added: 0.1.0
description:
  - Returns one virtual network by name, those of a resource group, or those of the subscription, each with
    its address space and subnets (address prefix, delegations, network security group, NAT gateway).
  - RV(subnets) maps each subnet of a named network to a short summary, for checks in playbooks.
options:
  name:
    description: Name of the virtual network. Needs O(resource_group).
    type: str
  resource_group:
    description: Resource group to look in; the whole subscription when not set.
    type: str
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes.INFO
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Read the platform network
  mcp_platform.azure.virtual_network_info:
    name: vnet-mcp-platform
    resource_group: rg-mcp-platform
  register: platform_network

- name: Show which network security group guards the container subnet
  ansible.builtin.debug:
    msg: "{{ platform_network.subnets['snet-aci'].network_security_group }}"
"""

RETURN = r"""
resources:
  description: The virtual networks found (REST wire names); empty when the named network does not exist.
  returned: always
  type: list
  elements: dict
subnets:
  description:
    - For a named network, subnet name to summary; empty otherwise.
  returned: always
  type: dict
  sample: {"snet-aci": {"address_prefixes": ["10.20.1.0/24"],
           "delegations": ["Microsoft.ContainerInstance/containerGroups"],
           "network_security_group": "/subscriptions/0000/resourceGroups/rg/.../networkSecurityGroups/nsg-aci",
           "nat_gateway": "/subscriptions/0000/resourceGroups/rg/.../natGateways/nat-aci"}}
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    LOOKUP_REQUIRED_BY,
    ArmError,
    ArmModule,
    ArmResource,
    ModuleError,
    list_resources,
    lookup_argument_spec,
)

ARGUMENT_SPEC = lookup_argument_spec()

RESOURCE = ArmResource(
    sdk=("azure.mgmt.network", "NetworkManagementClient", "virtual_networks"),
    path=("resource_group", "name"),
    list_calls={("resource_group",): "list", (): "list_all"},
    kind="virtual network",
)


def summary(subnet):
    properties = subnet.get("properties") or {}
    prefixes = list(properties.get("addressPrefixes") or [])
    if properties.get("addressPrefix"):
        prefixes.insert(0, properties["addressPrefix"])
    return dict(
        id=subnet.get("id"),
        address_prefixes=prefixes,
        delegations=[(d.get("properties") or {}).get("serviceName") for d in properties.get("delegations") or []],
        network_security_group=(properties.get("networkSecurityGroup") or {}).get("id"),
        nat_gateway=(properties.get("natGateway") or {}).get("id"),
    )


def main():
    arm = ArmModule(ARGUMENT_SPEC, required_by=LOOKUP_REQUIRED_BY)
    try:
        found = list_resources(arm, RESOURCE)
    except ModuleError as exc:
        arm.fail(str(exc))
    except ArmError as error:
        arm.fail_arm(error, "read the virtual network")
    subnets = {}
    if arm.params["name"] and found:
        for subnet in (found[0].get("properties") or {}).get("subnets") or []:
            subnets[subnet.get("name")] = summary(subnet)
    arm.exit(changed=False, resources=found, subnets=subnets)


if __name__ == "__main__":
    main()
