#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: network_security_group
short_description: Create, update or delete an Azure network security group and its rules
version_added: 0.1.0
description:
  - Makes a network security group exist with the given security rules, or removes it.
  - Rules are managed inside the group's own body, in one write. Rules that exist in Azure but are
    not listed in O(rules) are kept unless O(purge_rules=true).
  - Source and destination prefixes accept CIDR blocks, V(*) and service tags such as
    V(VirtualNetwork), V(Internet), V(ApiManagement), V(AzureLoadBalancer), V(Storage), V(Sql),
    V(AzureKeyVault) or V(AzureMonitor).
  - Rules are checked before any call to Azure; priorities must be between 100 and 4096 and unique
    per direction, names unique.
options:
  name:
    description: Name of the network security group.
    type: str
    required: true
  resource_group:
    description: Resource group of the network security group.
    type: str
    required: true
  location:
    description:
      - Azure region, for example V(westeurope). Required when O(state=present).
      - A network security group cannot move; a different location is refused unless O(recreate=true).
    type: str
  rules:
    description: Security rules to manage.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the rule.
        type: str
        required: true
      description:
        description: Free text shown with the rule.
        type: str
      priority:
        description: Order of evaluation, 100 (first) to 4096; unique per direction.
        type: int
        required: true
      direction:
        description: Traffic the rule applies to.
        type: str
        choices: [Inbound, Outbound]
        default: Inbound
      access:
        description: Whether matching traffic is allowed or denied.
        type: str
        choices: [Allow, Deny]
        default: Allow
      protocol:
        description: Network protocol; V(*) matches any.
        type: str
        choices: ['*', Tcp, Udp, Icmp, Esp, Ah]
        default: '*'
      source_port_ranges:
        description: Source ports or ranges (V(80), V(1024-65535)); V(*) matches any.
        type: list
        elements: str
        default: ['*']
      destination_port_ranges:
        description: Destination ports or ranges (V(443), V(3000-3001)); V(*) matches any.
        type: list
        elements: str
        default: ['*']
      source_address_prefixes:
        description: Source CIDR blocks, service tags or V(*).
        type: list
        elements: str
        default: ['*']
      destination_address_prefixes:
        description: Destination CIDR blocks, service tags or V(*).
        type: list
        elements: str
        default: ['*']
  purge_rules:
    description: Delete rules that exist in Azure but are not listed in O(rules).
    type: bool
    default: false
  recreate:
    description: Allow deleting and creating the network security group again when its location changes.
    type: bool
    default: false
  state:
    description: V(present) to create or update the network security group, V(absent) to delete it.
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
- name: Only the API Management subnet reaches the MCP servers
  mcp_platform.azure.network_security_group:
    name: nsg-aci
    resource_group: rg-mcp-platform
    location: westeurope
    purge_rules: true
    rules:
      - name: allow-apim-to-mcp
        priority: 100
        protocol: Tcp
        source_address_prefixes: [10.20.2.0/24]
        destination_port_ranges: ["3000", "3001"]
      - name: deny-vnet
        priority: 4000
        access: Deny
        source_address_prefixes: [VirtualNetwork]

- name: API Management management plane and load balancer probes
  mcp_platform.azure.network_security_group:
    name: nsg-apim
    resource_group: rg-mcp-platform
    location: westeurope
    rules:
      - name: allow-management
        priority: 110
        protocol: Tcp
        source_address_prefixes: [ApiManagement]
        destination_address_prefixes: [VirtualNetwork]
        destination_port_ranges: ["3443"]
      - name: allow-load-balancer
        priority: 120
        protocol: Tcp
        source_address_prefixes: [AzureLoadBalancer]
        destination_port_ranges: ["6390"]
"""

RETURN = r"""
resource:
  description: The network security group as Azure returns it (REST wire names); null when absent.
  returned: always
  type: dict
  sample: {"id": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg-aci",
           "location": "westeurope", "properties": {"securityRules": [{"name": "deny-vnet",
           "properties": {"priority": 4000, "access": "Deny", "direction": "Inbound", "protocol": "*"}}]}}
id:
  description: Resource id of the network security group; null when absent.
  returned: always
  type: str
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

from ansible_collections.mcp_platform.azure.plugins.module_utils._network import (
    NetworkInputError,
    by_name,
    rule_values,
    run_network_module,
    single_or_list,
    writable_rule,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource

RULE_SPEC = dict(
    name=dict(type="str", required=True),
    description=dict(type="str"),
    priority=dict(type="int", required=True),
    direction=dict(type="str", choices=["Inbound", "Outbound"], default="Inbound"),
    access=dict(type="str", choices=["Allow", "Deny"], default="Allow"),
    protocol=dict(type="str", choices=["*", "Tcp", "Udp", "Icmp", "Esp", "Ah"], default="*"),
    source_port_ranges=dict(type="list", elements="str", default=["*"]),
    destination_port_ranges=dict(type="list", elements="str", default=["*"]),
    source_address_prefixes=dict(type="list", elements="str", default=["*"]),
    destination_address_prefixes=dict(type="list", elements="str", default=["*"]),
)

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    location=dict(type="str"),
    rules=dict(type="list", elements="dict", options=RULE_SPEC),
    purge_rules=dict(type="bool", default=False),
    recreate=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)

# Each pair: the option, then the singular and plural wire fields of a rule.
VALUE_FIELDS = (
    ("source_port_ranges", "sourcePortRange", "sourcePortRanges"),
    ("destination_port_ranges", "destinationPortRange", "destinationPortRanges"),
    ("source_address_prefixes", "sourceAddressPrefix", "sourceAddressPrefixes"),
    ("destination_address_prefixes", "destinationAddressPrefix", "destinationAddressPrefixes"),
)
CASE_INSENSITIVE = ("protocol", "access", "direction")
PRIORITY_RANGE = (100, 4096)


def comparable_rules(rules):
    """Rules sorted by name; each value pair read as one sorted list whatever shape Azure answered."""
    if not isinstance(rules, list):
        return rules
    result = []
    for rule in by_name(rules):
        properties = dict(rule.get("properties") or {})
        for _option, singular, plural in VALUE_FIELDS:
            values = sorted(rule_values(properties, singular, plural))
            properties.pop(singular, None)
            properties.pop(plural, None)
            properties[plural] = values
        for key in CASE_INSENSITIVE:
            if isinstance(properties.get(key), str):
                properties[key] = properties[key].lower()
        result.append(dict(rule, properties=properties))
    return result


RESOURCE = ArmResource(
    sdk=("azure.mgmt.network", "NetworkManagementClient", "network_security_groups"),
    path=("resource_group", "name"),
    tags=True,
    normalise={"properties.securityRules": comparable_rules},
    recreate_on=("location",),
    kind="network security group",
)


def validate(params):
    if not params["location"]:
        raise NetworkInputError("location is required when state=present")
    rules = params["rules"] or []
    seen_names = set()
    seen_priorities = {}
    low, high = PRIORITY_RANGE
    for rule in rules:
        where = "rules[%s]" % rule["name"]
        if rule["name"].lower() in seen_names:
            raise NetworkInputError("%s: rule names must be unique" % where)
        seen_names.add(rule["name"].lower())
        if not low <= rule["priority"] <= high:
            raise NetworkInputError("%s.priority: %d is outside %d-%d" % (where, rule["priority"], low, high))
        key = (rule["direction"], rule["priority"])
        if key in seen_priorities:
            raise NetworkInputError(
                "%s.priority: %d is already used by %s rule %s"
                % (where, rule["priority"], rule["direction"], seen_priorities[key])
            )
        seen_priorities[key] = rule["name"]
        for option, _singular, _plural in VALUE_FIELDS:
            values = rule[option]
            if not values:
                raise NetworkInputError("%s.%s: at least one value is required (use '*' for any)" % (where, option))
            if "*" in values and len(values) > 1:
                raise NetworkInputError("%s.%s: '*' cannot be combined with other values" % (where, option))


def rule_body(rule):
    properties = {
        "priority": rule["priority"],
        "direction": rule["direction"],
        "access": rule["access"],
        "protocol": rule["protocol"],
    }
    if rule["description"]:
        properties["description"] = rule["description"]
    for option, singular, plural in VALUE_FIELDS:
        properties.update(single_or_list(rule[option], singular, plural))
    return {"name": rule["name"], "properties": properties}


def desired_body(params, current, arm):  # pylint: disable=unused-argument
    rules = [rule_body(rule) for rule in params["rules"] or []]
    if not params["purge_rules"]:
        managed = set(rule["name"].lower() for rule in rules)
        existing = ((current or {}).get("properties") or {}).get("securityRules") or []
        rules.extend(writable_rule(rule) for rule in existing if rule.get("name", "").lower() not in managed)
    return {"location": params["location"], "properties": {"securityRules": rules}}


def main():
    run_network_module(ARGUMENT_SPEC, desired_body, RESOURCE, validate=validate)


if __name__ == "__main__":
    main()
