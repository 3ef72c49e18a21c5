#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: private_endpoint
short_description: Create, update or delete an Azure private endpoint and its DNS zone group
version_added: 0.1.0
description:
  - Makes a private endpoint exist in a subnet, connected to a target resource's private link
    sub-resource (its group id, for example V(MongoCluster) for a Cosmos DB for MongoDB vCore
    cluster or V(vault) for a Key Vault), or removes it.
  - With O(private_dns_zones), also manages the endpoint's DNS zone group, so Azure keeps the A
    records of the endpoint's private IP in those private DNS zones.
  - The subnet and the connection cannot change in place; a change needs O(recreate=true).
options:
  name:
    description: Name of the private endpoint.
    type: str
    required: true
  resource_group:
    description: Resource group of the private endpoint.
    type: str
    required: true
  location:
    description: Azure region, the same as the subnet's virtual network. Required when O(state=present).
    type: str
  subnet:
    description:
      - Subnet of the endpoint, by full resource id, or by name together with O(virtual_network).
      - Required when O(state=present).
    type: str
  virtual_network:
    description: Virtual network of O(subnet) when O(subnet) is a name, by name (in O(resource_group)) or full id.
    type: str
  target:
    description: Resource id of the resource to connect to (the private link service). Required when O(state=present).
    type: str
  group_ids:
    description: Private link sub-resources of the target, for example V(MongoCluster). Required when O(state=present).
    type: list
    elements: str
  connection_name:
    description: Name of the private link service connection. Default O(name).
    type: str
  manual_approval:
    description: Ask the target's owner to approve the connection instead of connecting directly.
    type: bool
    default: false
  request_message:
    description: Message sent to the target's owner with a manual approval request.
    type: str
  custom_network_interface_name:
    description: Name of the network interface Azure creates for the endpoint.
    type: str
  private_dns_zones:
    description:
      - Private DNS zones (names in O(resource_group), or full ids) of the endpoint's DNS zone group.
      - An empty list deletes the DNS zone group; when not set, the zone group is left as it is.
    type: list
    elements: str
  private_dns_zone_group_name:
    description: Name of the DNS zone group.
    type: str
    default: default
  recreate:
    description: Allow deleting and creating the endpoint again when its subnet or connection changes.
    type: bool
    default: false
  state:
    description: V(present) to create or update the private endpoint, V(absent) to delete it.
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
- name: Private endpoint of the vCore cluster, registered in its private DNS zone
  mcp_platform.azure.private_endpoint:
    name: pe-mongo
    resource_group: rg-mcp-platform
    location: westeurope
    virtual_network: vnet-mcp
    subnet: snet-pe
    target: "{{ mongo_cluster.id }}"
    group_ids: [MongoCluster]
    private_dns_zones: [privatelink.mongocluster.cosmos.azure.com]
"""

RETURN = r"""
resource:
  description: The private endpoint as Azure returns it (REST wire names); null when absent.
  returned: always
  type: dict
id:
  description: Resource id of the private endpoint; null when absent.
  returned: always
  type: str
private_dns_zone_group:
  description: The DNS zone group as Azure returns it; null when absent or not managed.
  returned: always
  type: dict
addresses:
  description:
    - Private IPs of the endpoint with their FQDNs, from the endpoint's C(customDnsConfigs), or read
      from its network interface when Azure does not list them there.
  returned: when O(state=present) and the endpoint exists
  type: list
  elements: dict
  sample: [{"network_interface_id": "/subscriptions/0000/.../networkInterfaces/pe-mongo.nic.1",
            "private_ip_address": "10.20.3.4", "fqdns": ["c-mongo.mongocluster.cosmos.azure.com"]}]
private_ip_address:
  description: The first private IP of the endpoint; null when not known (absent, check mode, or no interface yet).
  returned: always
  type: str
operation:
  description: What was done to the endpoint, V(create), V(update), V(recreate), V(delete), or null.
  returned: always
  type: str
changes:
  description:
    - Paths that differed from the desired state.
    - Those of the DNS zone group are prefixed C(privateDnsZoneGroups/<name>).
  returned: always
  type: list
  elements: str
in_progress:
  description: True when O(wait=false) left a long-running operation running in Azure.
  returned: always
  type: bool
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._network import (
    ARM_ID_PREFIX,
    ArmModule,
    NetworkInputError,
    StatefulEngine,
    check_reference,
    endpoint_addresses,
    id_name,
    merge_results,
    ref_id,
    run_guarded,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    location=dict(type="str"),
    subnet=dict(type="str"),
    virtual_network=dict(type="str"),
    target=dict(type="str"),
    group_ids=dict(type="list", elements="str"),
    connection_name=dict(type="str"),
    manual_approval=dict(type="bool", default=False),
    request_message=dict(type="str"),
    custom_network_interface_name=dict(type="str"),
    private_dns_zones=dict(type="list", elements="str"),
    private_dns_zone_group_name=dict(type="str", default="default"),
    recreate=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)


def _lower_list(values):
    return [v.lower() for v in values] if isinstance(values, list) else values


ENDPOINT = ArmResource(
    sdk=("azure.mgmt.network", "NetworkManagementClient", "private_endpoints"),
    path=("resource_group", "name"),
    tags=True,
    normalise={
        "properties.privateLinkServiceConnections[].properties.groupIds": _lower_list,
        "properties.manualPrivateLinkServiceConnections[].properties.groupIds": _lower_list,
    },
    recreate_on=(
        "location",
        "properties.subnet",
        "properties.privateLinkServiceConnections",
        "properties.manualPrivateLinkServiceConnections",
        "properties.customNetworkInterfaceName",
    ),
    kind="private endpoint",
)

ZONE_GROUP = ArmResource(
    sdk=("azure.mgmt.network", "NetworkManagementClient", "private_dns_zone_groups"),
    path=("resource_group", "endpoint_name", "name"),
    normalise={"properties.privateDnsZoneConfigs": lambda configs: sorted(configs, key=lambda c: str(c.get("name")))},
    kind="private DNS zone group",
)


def validate(params):
    if params["state"] != "present":
        return
    for option in ("location", "subnet", "target", "group_ids"):
        if not params[option]:
            raise NetworkInputError("%s is required when state=present" % option)
    if not params["subnet"].startswith(ARM_ID_PREFIX) and not params["virtual_network"]:
        raise NetworkInputError("subnet: %r is a name, so virtual_network is required too" % params["subnet"])
    if not params["target"].startswith(ARM_ID_PREFIX):
        raise NetworkInputError("target: must be the full resource id of the resource to connect to")
    if params["request_message"] and len(params["request_message"]) > 140:
        raise NetworkInputError("request_message: at most 140 characters")
    check_reference("virtual_network", params["virtual_network"], "Microsoft.Network/virtualNetworks")
    for index, zone in enumerate(params["private_dns_zones"] or []):
        check_reference("private_dns_zones[%d]" % index, zone, "Microsoft.Network/privateDnsZones")


def subnet_id(arm, params):
    if params["subnet"].startswith(ARM_ID_PREFIX):
        return params["subnet"]
    vnet = ref_id(arm, params["virtual_network"], "Microsoft.Network/virtualNetworks")
    return "%s/subnets/%s" % (vnet, params["subnet"])


def endpoint_body(params, current, arm):  # pylint: disable=unused-argument
    connection = {
        "name": params["connection_name"] or params["name"],
        "properties": {"privateLinkServiceId": params["target"], "groupIds": list(params["group_ids"])},
    }
    if params["request_message"]:
        connection["properties"]["requestMessage"] = params["request_message"]
    key = "manualPrivateLinkServiceConnections" if params["manual_approval"] else "privateLinkServiceConnections"
    properties = {"subnet": {"id": subnet_id(arm, params)}, key: [connection]}
    if params["custom_network_interface_name"]:
        properties["customNetworkInterfaceName"] = params["custom_network_interface_name"]
    return {"location": params["location"], "properties": properties}


def zone_group_body(params, current, arm):  # pylint: disable=unused-argument
    configs = []
    for zone in params["private_dns_zones"]:
        zone_id = ref_id(arm, zone, "Microsoft.Network/privateDnsZones")
        # Config names only need to be unique in the group; the zone name with dashes is what Azure's portal uses.
        configs.append({"name": id_name(zone_id).replace(".", "-"), "properties": {"privateDnsZoneId": zone_id}})
    return {"properties": {"privateDnsZoneConfigs": configs}}


def addresses_of(arm, endpoint):
    """Private IPs of the endpoint with their FQDNs.

    Azure reports them in the endpoint's own ``customDnsConfigs`` (fqdn + ipAddresses), so the
    endpoint read already made is enough; the network interface is read only when they are missing
    there (a connection not approved yet, or a DNS zone group that took over the records).
    """
    properties = endpoint.get("properties") or {}
    interfaces = [i.get("id") for i in properties.get("networkInterfaces") or [] if i.get("id")]
    fqdns_by_ip = {}
    for config in properties.get("customDnsConfigs") or []:
        for address in config.get("ipAddresses") or []:
            fqdns = fqdns_by_ip.setdefault(address, [])
            if config.get("fqdn"):
                fqdns.append(config["fqdn"])
    if len(interfaces) != 1 or not fqdns_by_ip:
        return endpoint_addresses(arm, endpoint)
    return [
        {"network_interface_id": interfaces[0], "private_ip_address": address, "fqdns": fqdns}
        for address, fqdns in fqdns_by_ip.items()
    ]


def main():
    arm = ArmModule(ARGUMENT_SPEC, tags=True)

    def work():
        params = arm.params
        validate(params)
        result = StatefulEngine(arm, ENDPOINT, endpoint_body).run()
        children = {}
        zone_group = None
        if params["state"] == "present" and params["private_dns_zones"] is not None:
            group_params = dict(
                params,
                endpoint_name=params["name"],
                name=params["private_dns_zone_group_name"],
                state="present" if params["private_dns_zones"] else "absent",
            )
            label = "privateDnsZoneGroups/%s" % params["private_dns_zone_group_name"]
            children[label] = StatefulEngine(arm, ZONE_GROUP, zone_group_body, params=group_params).run()
            zone_group = children[label]["resource"]
        merged = merge_results(result, children)
        merged["private_dns_zone_group"] = zone_group
        merged["addresses"] = []
        if params["state"] == "present" and result["resource"] and result["resource"].get("id"):
            merged["addresses"] = addresses_of(arm, result["resource"])
        merged["private_ip_address"] = merged["addresses"][0]["private_ip_address"] if merged["addresses"] else None
        return merged

    run_guarded(arm, ENDPOINT.kind, work)


if __name__ == "__main__":
    main()
