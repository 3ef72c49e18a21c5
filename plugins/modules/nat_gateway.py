#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nat_gateway
short_description: Create, update or delete an Azure NAT gateway together with its public IP
version_added: 0.1.0
description:
  - Makes a Standard NAT gateway exist with its own Standard, static, IPv4 public IP address, or
    removes both.
  - The public IP (a separate Azure resource, C(Microsoft.Network/publicIPAddresses)) belongs to the
    NAT gateway - this module creates it first, attaches it, and deletes it after the gateway unless
    O(keep_public_ip=true). Tags apply to both.
  - Associate the NAT gateway with a subnet through M(mcp_platform.azure.virtual_network)
    (C(subnets[].nat_gateway)). Azure refuses to delete a NAT gateway still used by a subnet.
options:
  name:
    description: Name of the NAT gateway.
    type: str
    required: true
  resource_group:
    description: Resource group of the NAT gateway and its public IP.
    type: str
    required: true
  location:
    description: Azure region, for example V(westeurope). Required when O(state=present).
    type: str
  idle_timeout_in_minutes:
    description: Idle timeout of outbound TCP connections, 4 to 120 minutes.
    type: int
    default: 4
  zones:
    description:
      - Availability zone of the NAT gateway and its public IP (at most one).
      - Zones cannot change in place; a change needs O(recreate=true).
    type: list
    elements: str
  public_ip_name:
    description: Name of the public IP address the module manages for the gateway. Default C(<name>-pip).
    type: str
  keep_public_ip:
    description: With O(state=absent), delete only the NAT gateway and keep its public IP address.
    type: bool
    default: false
  recreate:
    description:
      - Allow deleting and creating the NAT gateway or its public IP again when a property that
        cannot change in place (location, zones, SKU) differs.
    type: bool
    default: false
  state:
    description: V(present) to create or update the NAT gateway and its public IP, V(absent) to delete them.
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
- name: Outbound path of the container subnet
  mcp_platform.azure.nat_gateway:
    name: ng-mcp
    resource_group: rg-mcp-platform
    location: westeurope
    idle_timeout_in_minutes: 10

- name: Delete the NAT gateway and its public IP
  mcp_platform.azure.nat_gateway:
    name: ng-mcp
    resource_group: rg-mcp-platform
    state: absent
"""

RETURN = r"""
resource:
  description: The NAT gateway as Azure returns it (REST wire names); null when absent.
  returned: always
  type: dict
  sample: {"id": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng-mcp",
           "sku": {"name": "Standard"}, "properties": {"idleTimeoutInMinutes": 4,
           "publicIpAddresses": [{"id": "/subscriptions/0000/.../publicIPAddresses/ng-mcp-pip"}]}}
id:
  description: Resource id of the NAT gateway; null when absent.
  returned: always
  type: str
public_ip:
  description: The public IP address resource as Azure returns it; null when absent.
  returned: always
  type: dict
public_ip_address:
  description: The outbound IPv4 address; null when absent or not yet known (check mode).
  returned: always
  type: str
  sample: 20.1.2.3
operation:
  description: What was done to the NAT gateway, V(create), V(update), V(recreate), V(delete), or null.
  returned: always
  type: str
changes:
  description:
    - Paths that differed from the desired state.
    - Those of the public IP are prefixed C(publicIPAddresses/<name>).
  returned: always
  type: list
  elements: str
in_progress:
  description: True when O(wait=false) left a long-running operation running in Azure.
  returned: always
  type: bool
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._network import (
    ArmModule,
    NetworkInputError,
    StatefulEngine,
    merge_results,
    ref_id,
    run_guarded,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    location=dict(type="str"),
    idle_timeout_in_minutes=dict(type="int", default=4),
    zones=dict(type="list", elements="str"),
    public_ip_name=dict(type="str"),
    keep_public_ip=dict(type="bool", default=False),
    recreate=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)

PUBLIC_IP_TYPE = "Microsoft.Network/publicIPAddresses"
IDLE_TIMEOUT_RANGE = (4, 120)

NAT_GATEWAY = ArmResource(
    sdk=("azure.mgmt.network", "NetworkManagementClient", "nat_gateways"),
    path=("resource_group", "name"),
    tags=True,
    normalise={"sku.name": "lower", "zones": "unordered"},
    recreate_on=("location", "zones"),
    kind="NAT gateway",
)

# A NAT gateway only takes Standard static public IPs; SKU and zones of an address are fixed.
PUBLIC_IP = ArmResource(
    sdk=("azure.mgmt.network", "NetworkManagementClient", "public_ip_addresses"),
    path=("resource_group", "name"),
    tags=True,
    normalise={
        "sku.name": "lower",
        "sku.tier": "lower",
        "zones": "unordered",
        "properties.publicIPAllocationMethod": "lower",
        "properties.publicIPAddressVersion": "lower",
    },
    recreate_on=("location", "sku.name", "zones", "properties.publicIPAddressVersion"),
    kind="public IP address of the NAT gateway",
)


def public_ip_name(params):
    return params["public_ip_name"] or "%s-pip" % params["name"]


def validate(params):
    if params["state"] != "present":
        return
    if not params["location"]:
        raise NetworkInputError("location is required when state=present")
    low, high = IDLE_TIMEOUT_RANGE
    if not low <= params["idle_timeout_in_minutes"] <= high:
        raise NetworkInputError(
            "idle_timeout_in_minutes: %d is outside %d-%d" % (params["idle_timeout_in_minutes"], low, high)
        )
    if params["zones"] is not None and len(params["zones"]) > 1:
        raise NetworkInputError("zones: a NAT gateway lives in at most one zone, got %s" % ", ".join(params["zones"]))
    if params["public_ip_name"] and "/" in params["public_ip_name"]:
        # The module creates this address in resource_group: a path or an ARM id cannot name it.
        raise NetworkInputError("public_ip_name: %r must be a name, not a path or ARM id" % params["public_ip_name"])


def public_ip_body(params, current, arm):  # pylint: disable=unused-argument
    body = {
        "location": params["location"],
        "sku": {"name": "Standard", "tier": "Regional"},
        "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"},
    }
    if params["zones"] is not None:
        body["zones"] = list(params["zones"])
    return body


def nat_gateway_body(params, current, arm):  # pylint: disable=unused-argument
    body = {
        "location": params["location"],
        "sku": {"name": "Standard"},
        "properties": {
            "idleTimeoutInMinutes": params["idle_timeout_in_minutes"],
            "publicIpAddresses": [{"id": ref_id(arm, public_ip_name(params), PUBLIC_IP_TYPE)}],
        },
    }
    if params["zones"] is not None:
        body["zones"] = list(params["zones"])
    return body


def main():
    arm = ArmModule(ARGUMENT_SPEC, tags=True)

    def work():
        params = arm.params
        validate(params)
        ip_name = public_ip_name(params)
        ip_params = dict(params, name=ip_name)
        label = "publicIPAddresses/%s" % ip_name
        children = {}
        if params["state"] == "present":
            children[label] = StatefulEngine(arm, PUBLIC_IP, public_ip_body, params=ip_params).run()
            result = StatefulEngine(arm, NAT_GATEWAY, nat_gateway_body).run()
        else:
            # The gateway goes first: Azure refuses to delete a public IP still attached to it.
            result = StatefulEngine(arm, NAT_GATEWAY, nat_gateway_body).run()
            if not params["keep_public_ip"]:
                children[label] = StatefulEngine(arm, PUBLIC_IP, public_ip_body, params=ip_params).run()
        merged = merge_results(result, children)
        ip_resource = (children.get(label) or {}).get("resource")
        merged["public_ip"] = ip_resource
        merged["public_ip_address"] = ((ip_resource or {}).get("properties") or {}).get("ipAddress")
        return merged

    run_guarded(arm, NAT_GATEWAY.kind, work)


if __name__ == "__main__":
    main()
