#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: private_dns_zone
short_description: Create, update or delete an Azure private DNS zone, its VNet links and A record sets
version_added: 0.1.0
description:
  - Makes a private DNS zone exist (private DNS zones are global, they have no region), linked to
    virtual networks and holding A record sets, or removes it.
  - VNet links and A record sets that exist in Azure but are not listed are kept unless
    O(purge_virtual_network_links=true) or O(purge_a_records=true).
  - With O(state=absent), the zone's VNet links are deleted first (Azure refuses to delete a linked zone),
    then the zone with its record sets.
  - Tags apply to the zone.
options:
  name:
    description: The zone name, for example V(privatelink.mongocluster.cosmos.azure.com).
    type: str
    required: true
  resource_group:
    description: Resource group of the zone.
    type: str
    required: true
  virtual_network_links:
    description: Links that make the zone resolvable from virtual networks.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the link.
        type: str
        required: true
      virtual_network:
        description:
          - The virtual network, by name (in O(resource_group)) or full resource id.
          - The network of a link cannot change; a different one deletes and creates the link again.
        type: str
        required: true
      registration_enabled:
        description: Register the virtual machines of the network in the zone automatically.
        type: bool
        default: false
      resolution_policy:
        description: V(NxDomainRedirect) falls back to public resolution for names the zone does not have.
        type: str
        choices: [Default, NxDomainRedirect]
  a_records:
    description: A record sets of the zone.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name relative to the zone, V(@) for the apex.
        type: str
        required: true
      ipv4_addresses:
        description: IPv4 addresses of the record set.
        type: list
        elements: str
        required: true
      ttl:
        description: Time to live, in seconds.
        type: int
        default: 3600
  purge_virtual_network_links:
    description: Delete VNet links that exist in Azure but are not listed in O(virtual_network_links).
    type: bool
    default: false
  purge_a_records:
    description: Delete A record sets that exist in Azure but are not listed in O(a_records).
    type: bool
    default: false
  state:
    description: V(present) to create or update the zone, V(absent) to delete it with its links and records.
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
- name: Name resolution of the vCore cluster's private endpoint
  mcp_platform.azure.private_dns_zone:
    name: privatelink.mongocluster.cosmos.azure.com
    resource_group: rg-mcp-platform
    virtual_network_links:
      - name: vnet-mcp-link
        virtual_network: vnet-mcp
    a_records:
      - name: c-mcp-mongo
        ipv4_addresses: ["{{ pe.private_ip_address }}"]
        ttl: 300
"""

RETURN = r"""
resource:
  description: The zone as Azure returns it (REST wire names); null when absent.
  returned: always
  type: dict
id:
  description: Resource id of the zone; null when absent.
  returned: always
  type: str
virtual_network_links:
  description: The zone's VNet links as Azure returns them (those listed and those kept).
  returned: when O(state=present)
  type: list
  elements: dict
a_records:
  description: The A record sets listed in O(a_records), as Azure returns them.
  returned: when O(state=present)
  type: list
  elements: dict
operation:
  description: What was done to the zone, V(create), V(update), V(delete), or null.
  returned: always
  type: str
changes:
  description:
    - Paths that differed from the desired state.
    - Those of links and records are prefixed C(virtualNetworkLinks/<name>) or C(A/<name>).
  returned: always
  type: list
  elements: str
in_progress:
  description: True when O(wait=false) left a long-running operation running in Azure.
  returned: always
  type: bool
"""

import ipaddress

from ansible_collections.mcp_platform.azure.plugins.module_utils._network import (
    ArmModule,
    NetworkInputError,
    StatefulEngine,
    check_reference,
    list_or_empty,
    merge_results,
    ref_id,
    run_guarded,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource

LINK_SPEC = dict(
    name=dict(type="str", required=True),
    virtual_network=dict(type="str", required=True),
    registration_enabled=dict(type="bool", default=False),
    resolution_policy=dict(type="str", choices=["Default", "NxDomainRedirect"]),
)
RECORD_SPEC = dict(
    name=dict(type="str", required=True),
    ipv4_addresses=dict(type="list", elements="str", required=True),
    ttl=dict(type="int", default=3600),
)
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    virtual_network_links=dict(type="list", elements="dict", options=LINK_SPEC),
    a_records=dict(type="list", elements="dict", options=RECORD_SPEC),
    purge_virtual_network_links=dict(type="bool", default=False),
    purge_a_records=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)

SDK_MODULE = "azure.mgmt.privatedns"
SDK_CLIENT = "PrivateDnsManagementClient"
# Private DNS zones and their links are global resources.
GLOBAL = "global"
TTL_RANGE = (1, 2147483647)

ZONE = ArmResource(
    sdk=(SDK_MODULE, SDK_CLIENT, "private_zones"),
    path=("resource_group", "name"),
    tags=True,
    kind="private DNS zone",
)
LINK = ArmResource(
    sdk=(SDK_MODULE, SDK_CLIENT, "virtual_network_links"),
    path=("resource_group", "zone_name", "name"),
    normalise={"properties.resolutionPolicy": "lower"},
    recreate_on=("properties.virtualNetwork",),
    kind="private DNS zone VNet link",
)
A_RECORDS = ArmResource(
    sdk=(SDK_MODULE, SDK_CLIENT, "record_sets"),
    path=lambda p: (p["resource_group"], p["zone_name"], "A", p["name"]),
    normalise={"properties.aRecords": lambda records: sorted(records, key=lambda r: str(r.get("ipv4Address")))},
    kind="private DNS A record set",
)


def validate(params):
    if params["state"] != "present":
        return
    for option, items in (
        ("virtual_network_links", params["virtual_network_links"]),
        ("a_records", params["a_records"]),
    ):
        names = [item["name"].lower() for item in items or []]
        repeated = sorted(set(n for n in names if names.count(n) > 1))
        if repeated:
            raise NetworkInputError("%s: names must be unique, repeated: %s" % (option, ", ".join(repeated)))
    for link in params["virtual_network_links"] or []:
        check_reference(
            "virtual_network_links[%s].virtual_network" % link["name"],
            link["virtual_network"],
            "Microsoft.Network/virtualNetworks",
        )
    low, high = TTL_RANGE
    for record in params["a_records"] or []:
        where = "a_records[%s]" % record["name"]
        if not record["ipv4_addresses"]:
            raise NetworkInputError("%s.ipv4_addresses: at least one address is required" % where)
        for address in record["ipv4_addresses"]:
            try:
                ipaddress.IPv4Address(address)
            except ValueError as exc:
                raise NetworkInputError("%s.ipv4_addresses: %r is not an IPv4 address" % (where, address)) from exc
        if not low <= record["ttl"] <= high:
            raise NetworkInputError("%s.ttl: %d is outside %d-%d" % (where, record["ttl"], low, high))


def zone_body(params, current, arm):  # pylint: disable=unused-argument
    return {"location": GLOBAL}


def link_body(params, current, arm):  # pylint: disable=unused-argument
    properties = {
        "virtualNetwork": {"id": ref_id(arm, params["virtual_network"], "Microsoft.Network/virtualNetworks")},
        "registrationEnabled": params["registration_enabled"],
    }
    if params["resolution_policy"]:
        properties["resolutionPolicy"] = params["resolution_policy"]
    return {"location": GLOBAL, "properties": properties}


def record_body(params, current, arm):  # pylint: disable=unused-argument
    return {
        "properties": {
            "ttl": params["ttl"],
            "aRecords": [{"ipv4Address": address} for address in params["ipv4_addresses"]],
        }
    }


def _item_params(params, item, state="present"):
    # Item engines see the item's options plus what the engine reads by name; a link's network is
    # fixed, so a different one is always replaced (a link holds no data).
    return dict(
        item,
        resource_group=params["resource_group"],
        zone_name=params["name"],
        state=state,
        wait=params["wait"],
        recreate=True,
        tags=None,
    )


def _existing_names(items):
    return dict((item.get("name", "").lower(), item.get("name")) for item in items)


def _link_count(zone):
    """How many VNet links Azure says the zone has; None when it does not say."""
    count = ((zone or {}).get("properties") or {}).get("numberOfVirtualNetworkLinks")
    return count if isinstance(count, int) else None


class ZoneEngine(StatefulEngine):
    """The zone's engine; deleting the zone first deletes its VNet links (Azure refuses a linked zone)."""

    def __init__(self, arm, list_links):
        super(ZoneEngine, self).__init__(arm, ZONE, zone_body)
        self.list_links = list_links
        self.children = {}

    def _absent(self, current):
        if current is not None and _link_count(current) != 0:
            for name in _existing_names(self.list_links()).values():
                item = _item_params(self.params, {"name": name}, state="absent")
                self.children["virtualNetworkLinks/%s" % name] = StatefulEngine(
                    self.arm, LINK, link_body, params=item
                ).run()
        return super(ZoneEngine, self)._absent(current)


def main():
    arm = ArmModule(ARGUMENT_SPEC, tags=True)

    def work():
        params = arm.params
        validate(params)
        client = arm.client((SDK_MODULE, SDK_CLIENT, "private_zones"))

        def list_links():
            return list_or_empty(client.virtual_network_links.list, params["resource_group"], params["name"])

        zone = ZoneEngine(arm, list_links)
        if params["state"] == "absent":
            return merge_results(zone.run(), zone.children)

        result = zone.run()
        children = {}
        for link in params["virtual_network_links"] or []:
            item = _item_params(params, link)
            children["virtualNetworkLinks/%s" % link["name"]] = StatefulEngine(arm, LINK, link_body, params=item).run()
        for record in params["a_records"] or []:
            item = _item_params(params, record)
            children["A/%s" % record["name"]] = StatefulEngine(arm, A_RECORDS, record_body, params=item).run()

        # The zone counts its links: when every one of them is listed here, the list of links is
        # known without reading it (purging has nothing to delete, and no other link is kept).
        links_before = _link_count(zone.existing) if zone.existing is not None else 0
        listed_before = sum(
            1
            for label, c in children.items()
            if label.startswith("virtualNetworkLinks/") and c["operation"] != "create"
        )
        existing_links = list_links() if links_before is None or links_before > listed_before else []

        if params["purge_virtual_network_links"]:
            wanted = set(link["name"].lower() for link in params["virtual_network_links"] or [])
            for key, name in _existing_names(existing_links).items():
                if key not in wanted:
                    item = _item_params(params, {"name": name}, state="absent")
                    children["virtualNetworkLinks/%s" % name] = StatefulEngine(arm, LINK, link_body, params=item).run()
        if params["purge_a_records"]:
            wanted = set(record["name"].lower() for record in params["a_records"] or [])
            existing = list_or_empty(client.record_sets.list_by_type, params["resource_group"], params["name"], "A")
            for key, name in _existing_names(existing).items():
                if key not in wanted:
                    item = _item_params(params, {"name": name}, state="absent")
                    children["A/%s" % name] = StatefulEngine(arm, A_RECORDS, record_body, params=item).run()

        merged = merge_results(result, children)
        merged["virtual_network_links"] = _final(children, "virtualNetworkLinks/", existing_links)
        merged["a_records"] = [
            c["resource"] for label, c in sorted(children.items()) if label.startswith("A/") and c["resource"]
        ]
        return merged

    run_guarded(arm, ZONE.kind, work)


def _final(children, prefix, existing):
    """Links after this run: those handled (minus deleted) plus those kept as they were."""
    handled = dict(
        (label[len(prefix) :].lower(), c["resource"]) for label, c in children.items() if label.startswith(prefix)
    )
    final = [resource for resource in handled.values() if resource]
    final.extend(item for item in existing if item.get("name", "").lower() not in handled)
    return sorted(final, key=lambda item: str(item.get("name")))


if __name__ == "__main__":
    main()
