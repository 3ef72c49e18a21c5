# -*- coding: utf-8 -*-
# Copyright (c) mcp_platform.azure contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers shared by the network modules: CIDR rules, resource ids, NSG port/prefix shapes.

Nothing here talks to Azure; every function is a plain mapping or check, so it is unit-tested
directly and runs before the first call of a module.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    ArmModule,
    ModuleError,
    ResourceEngine,
    arm_error_from,
    report_failures,
    to_wire,
)

ARM_ID_PREFIX = "/subscriptions/"


class NetworkInputError(ModuleError, ValueError):
    """An option value breaks a rule; the message names the option and the rule."""


def parse_cidr(option, value):
    """Return an ip_network for a CIDR string, or raise naming the option."""
    if not isinstance(value, str) or "/" not in value:
        raise NetworkInputError("%s: %r is not a CIDR block (expected a.b.c.d/n)" % (option, value))
    try:
        return ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise NetworkInputError("%s: %r is not a valid CIDR block (%s)" % (option, value, exc)) from exc


def check_subnet_layout(
    address_prefixes, subnets, option="subnets", space_option="address_prefixes", subnet_label=None, prefix_suffix=None
):
    """Check that every subnet prefix lies inside the address space and that no two overlap.

    ``subnets`` is a list of ``(name, [prefix, ...])``. Raises NetworkInputError on the first
    breach, naming the subnet and the rule it broke. The modules name ``subnets[<name>]``; the
    network role names its own variables through ``space_option``, ``subnet_label`` (a format
    string with ``{option}`` and ``{name}``) and ``prefix_suffix``.
    """
    subnet_label = subnet_label or "{option}[{name}]"
    prefix_suffix = ".address_prefixes" if prefix_suffix is None else prefix_suffix
    space = [parse_cidr("%s[%d]" % (space_option, index), prefix) for index, prefix in enumerate(address_prefixes)]
    for index, left in enumerate(space):
        for right in space[index + 1 :]:
            if left.overlaps(right):
                raise NetworkInputError("%s: %s overlaps %s" % (space_option, left, right))
    seen = []
    for name, prefixes in subnets:
        label = subnet_label.format(option=option, name=name)
        for prefix in prefixes:
            network = parse_cidr(label + prefix_suffix, prefix)
            if not any(network.version == block.version and network.subnet_of(block) for block in space):
                raise NetworkInputError(
                    "%s: %s is not inside the address space %s (%s)"
                    % (label, network, ", ".join(str(block) for block in space), space_option)
                )
            for other_name, other in seen:
                if network.overlaps(other):
                    raise NetworkInputError("%s: %s overlaps %s of subnet %s" % (label, network, other, other_name))
            seen.append((name, network))


def resource_id(subscription_id, resource_group, resource_type, *names):
    """Build an ARM id: resource_type is 'Microsoft.Network/virtualNetworks/subnets' with one name per level."""
    namespace, _sep, types = resource_type.partition("/")
    segments = types.split("/")
    if len(segments) != len(names):
        raise ValueError("%s needs %d names, got %d" % (resource_type, len(segments), len(names)))
    path = "".join("/%s/%s" % (segment, name) for segment, name in zip(segments, names, strict=True))
    return "/subscriptions/%s/resourceGroups/%s/providers/%s%s" % (subscription_id, resource_group, namespace, path)


def reference_id(value, subscription_id, resource_group, resource_type):
    """Accept a full ARM id or a bare name (then in the module's own resource group and subscription)."""
    if value is None:
        return None
    if value.startswith(ARM_ID_PREFIX):
        return value
    if "/" in value:
        raise NetworkInputError("%r is neither a resource name nor a full ARM id of a %s" % (value, resource_type))
    return resource_id(subscription_id, resource_group, resource_type, value)


def check_reference(option, value, resource_type):
    """Input rule for an option naming another resource (a bare name or a full ARM id).

    Checked by the modules' ``validate`` so a malformed reference fails before the first Azure
    call, rather than while the body is built after the GET.
    """
    if value and not value.startswith(ARM_ID_PREFIX) and "/" in value:
        raise NetworkInputError(
            "%s: %r is neither a resource name nor a full ARM id of a %s" % (option, value, resource_type)
        )


def same_id(left, right):
    """ARM ids compare case-insensitively (the service may re-case the resource group)."""
    if left is None or right is None:
        return left is right
    return left.rstrip("/").lower() == right.rstrip("/").lower()


def id_name(value):
    """Last segment of an ARM id."""
    return value.rstrip("/").rsplit("/", 1)[-1] if value else value


def single_or_list(values, singular, plural):
    """NSG rules carry one value in the singular field and several in the plural one.

    A rule is replaced whole on every write, so the body names only the shape it means.
    """
    values = list(values or [])
    if len(values) == 1:
        return {singular: values[0]}
    return {plural: values} if values else {}


def rule_values(properties, singular, plural):
    """Read an NSG rule's values back as a list whatever shape the service answered."""
    value = properties.get(singular)
    values = properties.get(plural) or []
    if value:
        return [value]
    return list(values)


def reference(value):
    """A sub-resource reference as the body carries it: only its id."""
    if isinstance(value, dict) and value.get("id"):
        return {"id": value["id"]}
    return None


def by_name(items):
    """Lists of named children (subnets, rules, links) compare by name, whatever order Azure keeps."""
    if not isinstance(items, list):
        return items
    return sorted(items, key=lambda item: str(item.get("name", "")).lower() if isinstance(item, dict) else str(item))


# Subnet properties a PUT of the virtual network can carry. A subnet left out of the VNet body is
# deleted, and a property left out of a subnet is reset, so subnets and properties this run does
# not manage are sent back exactly as Azure answered them (minus read-only parts).
_SUBNET_REFERENCES = ("networkSecurityGroup", "routeTable", "natGateway", "serviceGateway")
_SUBNET_REFERENCE_LISTS = ("serviceEndpointPolicies", "ipAllocations")
_SUBNET_PLAIN = (
    "addressPrefix",
    "addressPrefixes",
    "privateEndpointNetworkPolicies",
    "privateLinkServiceNetworkPolicies",
    "sharingScope",
    "defaultOutboundAccess",
    "ipamPoolPrefixAllocations",
)


def writable_subnet(subnet):
    """The writable part of a subnet as Azure returned it, ready to be sent back in a VNet PUT."""
    current = subnet.get("properties") or {}
    properties = {}
    for key in _SUBNET_PLAIN:
        if current.get(key) not in (None, [], ""):
            properties[key] = current[key]
    for key in _SUBNET_REFERENCES:
        ref = reference(current.get(key))
        if ref:
            properties[key] = ref
    for key in _SUBNET_REFERENCE_LISTS:
        refs = [reference(item) for item in current.get(key) or []]
        if any(refs):
            properties[key] = [ref for ref in refs if ref]
    if current.get("serviceEndpoints"):
        properties["serviceEndpoints"] = [
            dict((k, v) for k, v in endpoint.items() if k != "provisioningState")
            for endpoint in current["serviceEndpoints"]
        ]
    if current.get("delegations"):
        properties["delegations"] = [
            {"name": d.get("name"), "properties": {"serviceName": (d.get("properties") or {}).get("serviceName")}}
            for d in current["delegations"]
        ]
    return {"name": subnet.get("name"), "properties": properties}


def writable_rule(rule):
    """An NSG rule as Azure returned it, minus read-only parts, for rules kept without being managed."""
    properties = dict(
        (k, v)
        for k, v in (rule.get("properties") or {}).items()
        if k != "provisioningState" and v not in (None, "", [])
    )
    return {"name": rule.get("name"), "properties": properties}


class StatefulEngine(ResourceEngine):
    """The engine, with ``desired_body(params, current, arm)``.

    Network bodies embed children (subnets, rules) that a PUT replaces whole; to leave alone what
    this run does not manage, the desired body is built from what Azure currently has. ``params``
    may be given to run the engine on one item of a list option (a VNet link, a record set).
    """

    def __init__(self, arm, resource, desired_body, params=None):
        super(StatefulEngine, self).__init__(
            arm, resource, lambda params: desired_body(params, self.existing, self.arm)
        )
        self.existing = None
        self._item_params = params

    @property
    def params(self):
        return self._item_params if self._item_params is not None else self.arm.params

    def current(self):
        self.existing = super(StatefulEngine, self).current()
        return self.existing


def subscription_id(arm):
    return arm.auth.subscription_id


def ref_id(arm, value, resource_type, resource_group=None):
    """An option naming another resource: a full ARM id, or a name in the module's resource group."""
    return reference_id(value, subscription_id(arm), resource_group or arm.params["resource_group"], resource_type)


def merge_results(main, children):
    """One module result from the main resource's and its children's engine results.

    ``children`` maps a label (``virtualNetworkLinks/hub``) to an engine result.
    """
    result = dict(main)
    for label, child in children.items():
        if child["changed"]:
            result["changed"] = True
            result["changes"] = list(result["changes"]) + ["%s: %s" % (label, change) for change in child["changes"]]
        if child.get("in_progress"):
            result["in_progress"] = True
    if "diff" in main:
        before = {"": main["diff"]["before"]}
        after = {"": main["diff"]["after"]}
        for label, child in children.items():
            before[label] = child.get("diff", {}).get("before", {})
            after[label] = child.get("diff", {}).get("after", {})
        result["diff"] = dict(before=before, after=after)
    return result


def run_guarded(arm, kind, work):
    """Run ``work()`` (returns the result dict) and exit with it, failures reported as the engine does."""
    arm.exit(**report_failures(arm, kind, work))


def run_network_module(argument_spec, desired_body, resource, validate=None, **arm_kwargs):
    """``main()`` of a single-resource network module: validate input, then the stateful engine."""
    arm = ArmModule(argument_spec, tags=resource.tags, **arm_kwargs)

    def work():
        if validate is not None and arm.params.get("state", "present") == "present":
            validate(arm.params)
        return StatefulEngine(arm, resource, desired_body).run()

    run_guarded(arm, resource.kind, work)


NETWORK_SDK = ("azure.mgmt.network", "NetworkManagementClient", "network_interfaces")


def parse_id(value):
    """(resource group, name) of an ARM id such as a network interface's."""
    parts = value.strip("/").split("/")
    lowered = [part.lower() for part in parts]
    group = parts[lowered.index("resourcegroups") + 1] if "resourcegroups" in lowered else None
    return group, parts[-1]


def endpoint_addresses(arm, endpoint):
    """Private IPs of a private endpoint, read from the network interfaces Azure made for it.

    Returns a list of {"network_interface_id", "private_ip_address", "fqdns"} (one per IP
    configuration); the FQDNs come from the endpoint's ``customDnsConfigs``.
    """
    properties = (endpoint or {}).get("properties") or {}
    fqdns_by_ip = {}
    for config in properties.get("customDnsConfigs") or []:
        for address in config.get("ipAddresses") or []:
            fqdns_by_ip.setdefault(address, []).append(config.get("fqdn"))
    interfaces = arm.operations(NETWORK_SDK)
    addresses = []
    for interface in properties.get("networkInterfaces") or []:
        if not interface.get("id"):
            continue
        group, name = parse_id(interface["id"])
        nic = arm.get_or_none(interfaces.get, group, name)
        for configuration in ((nic or {}).get("properties") or {}).get("ipConfigurations") or []:
            address = (configuration.get("properties") or {}).get("privateIPAddress")
            if address:
                addresses.append(
                    {
                        "network_interface_id": interface["id"],
                        "private_ip_address": address,
                        "fqdns": [f for f in fqdns_by_ip.get(address, []) if f],
                    }
                )
    return addresses


def list_or_empty(method, *args):
    """Items of an SDK list call as wire dicts; none when the parent does not exist (yet)."""
    try:
        return [to_wire(item) for item in method(*args)]
    except Exception as exc:
        status = getattr(getattr(exc, "response", None), "status_code", None) or getattr(exc, "status_code", None)
        if status == 404:
            return []
        if any(cls.__module__.startswith("azure.core") for cls in type(exc).__mro__):
            raise arm_error_from(exc) from exc
        raise
