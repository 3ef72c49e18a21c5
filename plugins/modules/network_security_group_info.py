#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: network_security_group_info
short_description: Read Azure network security groups and decide what they do to given flows
version_added: 0.1.0
description:
  - Returns one network security group by name, those of a resource group, or those of the subscription,
    with their own and default security rules.
  - With O(flows) (and O(name)), evaluates each flow against the group's rules the way Azure does (rules of
    the flow's direction in priority order, the first match decides, the default rules last) and returns the
    decision and the rule that made it. This is what proves, for example, that the default
    C(AllowVnetInBound) rule is overridden by an explicit deny.
options:
  name:
    description: Name of one network security group; needs O(resource_group).
    type: str
  resource_group:
    description: Resource group to read from; without it, the whole subscription.
    type: str
  flows:
    description:
      - Flows to evaluate against the named group's rules. Needs O(name).
      - An address matches a rule prefix when the prefix is C(*), when the prefix is a CIDR block that
        contains the address, or when the prefix is a service tag equal to the address or listed in the
        flow's tags for that address (for example V(VirtualNetwork) for an address inside the virtual network).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: A label for the flow, returned with its decision.
        type: str
      direction:
        description: Direction of the flow as the group sees it.
        type: str
        choices: [Inbound, Outbound]
        default: Inbound
      protocol:
        description: Protocol of the flow.
        type: str
        choices: [Tcp, Udp, Icmp]
        default: Tcp
      source:
        description: Source address (IP address or CIDR block) or service tag.
        type: str
        required: true
      source_tags:
        description: Service tags the source belongs to.
        type: list
        elements: str
        default: []
      destination:
        description: Destination address (IP address or CIDR block) or service tag.
        type: str
        required: true
      destination_tags:
        description: Service tags the destination belongs to.
        type: list
        elements: str
        default: []
      destination_port:
        description: Destination port.
        type: int
        required: true
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes.INFO
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Prove the ACI subnet accepts the gateway and nothing else from the virtual network
  mcp_platform.azure.network_security_group_info:
    name: nsg-aci
    resource_group: rg-mcp-platform
    flows:
      - name: gateway to the admin tier
        source: 10.20.2.0/24
        source_tags: [VirtualNetwork]
        destination: 10.20.1.0/24
        destination_tags: [VirtualNetwork]
        destination_port: 3000
      - name: private endpoint subnet to the admin tier
        source: 10.20.3.0/24
        source_tags: [VirtualNetwork]
        destination: 10.20.1.0/24
        destination_tags: [VirtualNetwork]
        destination_port: 3000
  register: aci_nsg

- name: Fail unless the first flow is allowed and the second denied
  ansible.builtin.assert:
    that:
      - aci_nsg.flows[0].access == 'Allow'
      - aci_nsg.flows[1].access == 'Deny'
"""

RETURN = r"""
resources:
  description: The network security groups found (REST wire names); empty when the named group does not exist.
  returned: always
  type: list
  elements: dict
flows:
  description:
    - One decision per O(flows) entry, in the same order. Empty when the group does not exist.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The flow's label.
      type: str
    access:
      description: V(Allow) or V(Deny).
      type: str
    rule:
      description: Name of the rule that decided; null when no rule matched (Azure then denies).
      type: str
    priority:
      description: Priority of that rule.
      type: int
    default_rule:
      description: Whether the deciding rule is one of Azure's default rules.
      type: bool
    flow:
      description: The flow as evaluated.
      type: dict
  sample: [{"name": "gateway to the admin tier", "access": "Allow", "rule": "allow-apim-to-tiers",
            "priority": 100, "default_rule": false}]
"""

import ipaddress

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    LOOKUP_REQUIRED_BY,
    ArmError,
    ArmModule,
    arm_error_from,
    lookup_argument_spec,
    to_wire,
)

FLOW_SPEC = dict(
    name=dict(type="str"),
    direction=dict(type="str", choices=["Inbound", "Outbound"], default="Inbound"),
    protocol=dict(type="str", choices=["Tcp", "Udp", "Icmp"], default="Tcp"),
    source=dict(type="str", required=True),
    source_tags=dict(type="list", elements="str", default=[]),
    destination=dict(type="str", required=True),
    destination_tags=dict(type="list", elements="str", default=[]),
    destination_port=dict(type="int", required=True),
)

ARGUMENT_SPEC = lookup_argument_spec(
    flows=dict(type="list", elements="dict", options=FLOW_SPEC, default=[]),
)

SDK = ("azure.mgmt.network", "NetworkManagementClient", "network_security_groups")


def _network(value):
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None


def _values(properties, singular, plural):
    """A rule field Azure may answer as one value or a list: always a list."""
    values = list(properties.get(plural) or [])
    if properties.get(singular) not in (None, ""):
        values.append(properties[singular])
    return values or ["*"]


def address_matches(prefix, address, tags):
    """Whether a rule's address prefix covers the flow's address (a CIDR block or a service tag)."""
    lowered = prefix.strip().lower()
    if lowered in ("*", "any", "0.0.0.0/0"):
        return True
    wanted = _network(prefix)
    given = _network(address)
    if wanted is not None:
        return given is not None and given.version == wanted.version and given.subnet_of(wanted)
    # A service tag: the flow states which tags its address belongs to.
    return lowered == address.strip().lower() or lowered in (tag.lower() for tag in tags)


def port_matches(port_range, port):
    text = str(port_range).strip()
    if text in ("*", "0-65535"):
        return True
    low, sep, high = text.partition("-")
    try:
        return int(low) <= port <= int(high if sep else low)
    except ValueError:
        return False


def rule_matches(properties, flow):
    if (properties.get("direction") or "").lower() != flow["direction"].lower():
        return False
    protocol = (properties.get("protocol") or "*").lower()
    if protocol not in ("*", flow["protocol"].lower()):
        return False
    if not any(
        address_matches(p, flow["source"], flow["source_tags"])
        for p in _values(properties, "sourceAddressPrefix", "sourceAddressPrefixes")
    ):
        return False
    if not any(
        address_matches(p, flow["destination"], flow["destination_tags"])
        for p in _values(properties, "destinationAddressPrefix", "destinationAddressPrefixes")
    ):
        return False
    return any(
        port_matches(r, flow["destination_port"])
        for r in _values(properties, "destinationPortRange", "destinationPortRanges")
    )


def evaluate(group, flow):
    """Azure's decision for one flow: the lowest-priority-number matching rule, defaults after custom rules."""
    properties = group.get("properties") or {}
    rules = [(rule, False) for rule in properties.get("securityRules") or []]
    rules += [(rule, True) for rule in properties.get("defaultSecurityRules") or []]
    # Default rules have priorities 65000-65500, above every custom rule's (at most 4096).
    rules.sort(key=lambda pair: int((pair[0].get("properties") or {}).get("priority") or 0))
    for rule, is_default in rules:
        rule_properties = rule.get("properties") or {}
        if rule_matches(rule_properties, flow):
            return dict(
                name=flow.get("name"),
                access=rule_properties.get("access"),
                rule=rule.get("name"),
                priority=rule_properties.get("priority"),
                default_rule=is_default,
                flow=flow,
            )
    return dict(name=flow.get("name"), access="Deny", rule=None, priority=None, default_rule=False, flow=flow)


def find(arm):
    params = arm.params
    groups = arm.operations(SDK)
    if params["name"]:
        found = arm.get_or_none(groups.get, params["resource_group"], params["name"])
        return [found] if found else []
    try:
        if params["resource_group"]:
            return [to_wire(item) for item in groups.list(params["resource_group"])]
        return [to_wire(item) for item in groups.list_all()]
    except Exception as exc:
        if type(exc).__module__.startswith("azure.core"):
            raise arm_error_from(exc) from exc
        raise


def main():
    arm = ArmModule(ARGUMENT_SPEC, required_by=LOOKUP_REQUIRED_BY)
    params = arm.params
    if params["flows"] and not params["name"]:
        arm.fail("flows: needs name (flows are evaluated against one network security group)")
    for index, flow in enumerate(params["flows"]):
        if not 0 <= flow["destination_port"] <= 65535:
            arm.fail("flows[%d].destination_port: %s is not a port number" % (index, flow["destination_port"]))
    try:
        found = find(arm)
    except ArmError as error:
        arm.fail_arm(error, "read the network security group")
    flows = [evaluate(found[0], flow) for flow in params["flows"]] if found and params["name"] else []
    arm.exit(changed=False, resources=found, flows=flows)


if __name__ == "__main__":
    main()
