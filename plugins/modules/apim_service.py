#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: apim_service
short_description: Create, update or delete an Azure API Management service (classic tiers)
version_added: 0.1.0
description:
  - Makes an API Management service exist with the given tier, capacity, publisher, virtual network
    mode, managed identity and tags, or removes it.
  - Only the classic V(Developer) and V(Premium) tiers can join a virtual network
    (O(virtual_network_type=External) or V(Internal)); other combinations are refused before any
    call to Azure.
  - Creating a service takes 30 to 45 minutes. With O(wait=false) the task returns as soon as Azure
    has accepted the request, with RV(in_progress=true) and RV(provisioning_state), so the play can
    create everything else meanwhile. A later task waits for it by running this module again with
    the same options and O(wait=true) (nothing is sent when nothing differs; the task returns when
    the service has settled) or by M(mcp_platform.azure.apim_service_info) with
    O(mcp_platform.azure.apim_service_info#module:wait=true).
  - With O(wait=true), a service that is still being created or updated is waited for before it is
    compared or changed, because Azure refuses changes to a service while an operation runs.
options:
  name:
    description: Name of the service; it becomes the host name C(<name>.azure-api.net).
    type: str
    required: true
  resource_group:
    description: Resource group of the service.
    type: str
    required: true
  location:
    description: Azure region, for example V(westeurope). Required to create the service; a service cannot move.
    type: str
  sku:
    description:
      - Classic pricing tier. V(Developer) has no SLA and a single unit; V(Premium) is the production
        tier. Only these two support a virtual network.
    type: str
    choices: [Developer, Basic, Standard, Premium]
    default: Developer
  capacity:
    description: Number of scale units. V(Developer) allows only 1, V(Basic) at most 2, V(Standard) at most 4.
    type: int
    default: 1
  publisher_email:
    description: E-mail address that receives the service's notifications. Required with O(state=present).
    type: str
  publisher_name:
    description:
      - Organisation name shown in the developer portal and notification e-mails.
      - Required with O(state=present).
    type: str
  virtual_network_type:
    description:
      - V(None) for a service on the public internet only.
      - V(External) puts the gateway in O(subnet_id) with a public endpoint (the platform's setting);
        V(Internal) with a private endpoint only.
    type: str
    choices: ["None", External, Internal]
    default: "None"
  subnet_id:
    description:
      - Resource id of the subnet the service joins. Required when O(virtual_network_type) is
        V(External) or V(Internal); not allowed otherwise.
    type: str
  identity_type:
    description: Managed identity of the service. V(None) removes it; unset leaves the identity as it is.
    type: str
    choices: ["None", SystemAssigned, UserAssigned, "SystemAssigned, UserAssigned"]
  user_assigned_identities:
    description:
      - Resource ids of user-assigned identities, with O(identity_type) V(UserAssigned) or
        V(SystemAssigned, UserAssigned). The list is exact; identities not listed are removed.
    type: list
    elements: str
  state:
    description: V(present) to create or update the service, V(absent) to delete it.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description:
      - V(true) waits for running operations on the service (before and after this task's own
        change) to finish, up to O(wait_timeout) seconds.
      - V(false) sends the change and returns at once with RV(in_progress) and RV(provisioning_state).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait, with O(wait=true), for a service that is still being created or updated before
        this task looks at it. The task fails, naming this option, when the service is still busy then.
    type: int
    default: 3600
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.tags
  - mcp_platform.azure.attributes
notes:
  - The interval between two reads while waiting is 30 seconds; the environment variable
    E(MCP_PLATFORM_AZURE_POLLING_INTERVAL) overrides it.
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Start creating the gateway in the APIM subnet, do not wait for it
  mcp_platform.azure.apim_service:
    name: apim-mcp-platform
    resource_group: rg-mcp-platform
    location: westeurope
    sku: Developer
    publisher_email: platform@example.com
    publisher_name: Platform team
    virtual_network_type: External
    subnet_id: "{{ apim_subnet_id }}"
    identity_type: SystemAssigned
    wait: false
  register: apim_started

# ... create the network, vault, database and containers meanwhile ...

- name: Wait for the gateway (same options; nothing is sent when nothing changed)
  mcp_platform.azure.apim_service:
    name: apim-mcp-platform
    resource_group: rg-mcp-platform
    location: westeurope
    sku: Developer
    publisher_email: platform@example.com
    publisher_name: Platform team
    virtual_network_type: External
    subnet_id: "{{ apim_subnet_id }}"
    identity_type: SystemAssigned
    wait: true
    wait_timeout: 3600
  register: apim

- name: Remove the service
  mcp_platform.azure.apim_service:
    name: apim-mcp-platform
    resource_group: rg-mcp-platform
    state: absent
"""

RETURN = r"""
resource:
  description: The service as Azure returns it (REST wire names); null when absent.
  returned: always
  type: dict
id:
  description: Resource id; null when absent.
  returned: always
  type: str
operation:
  description: What was done, V(create), V(update), V(delete), or null when nothing was.
  returned: always
  type: str
changes:
  description: Paths of the REST body that differed from the desired state.
  returned: always
  type: list
  elements: str
in_progress:
  description: True when an operation on the service is still running in Azure (only possible with O(wait=false)).
  returned: always
  type: bool
provisioning_state:
  description: Provisioning state, for example V(Activating) right after creation, V(Succeeded) once ready.
  returned: when the service exists
  type: str
  sample: Succeeded
gateway_url:
  description: URL of the gateway.
  returned: when the service exists
  type: str
  sample: https://apim-mcp-platform.azure-api.net
public_ip_addresses:
  description: Public IP addresses of the gateway.
  returned: when the service exists
  type: list
  elements: str
private_ip_addresses:
  description: Private IP addresses of the gateway in its subnet (virtual network modes only).
  returned: when the service exists
  type: list
  elements: str
principal_id:
  description: Object id of the system-assigned identity, when there is one.
  returned: when the service exists
  type: str
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._apim import (
    apim_operations,
    run_engine,
    service_summary,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    ArmError,
    ArmModule,
    ArmResource,
    ModuleError,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._wait import (
    is_settled,
    provisioning_state,
    wait_until_settled,
)

VNET_TIERS = ("Developer", "Premium")
# Scale units each classic tier allows (Premium: 12 per region without a support request).
MAX_CAPACITY = {"Developer": 1, "Basic": 2, "Standard": 4, "Premium": 12}
USER_ASSIGNED_TYPES = ("UserAssigned", "SystemAssigned, UserAssigned")

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    location=dict(type="str"),
    sku=dict(type="str", choices=["Developer", "Basic", "Standard", "Premium"], default="Developer"),
    capacity=dict(type="int", default=1),
    publisher_email=dict(type="str"),
    publisher_name=dict(type="str"),
    virtual_network_type=dict(type="str", choices=["None", "External", "Internal"], default="None"),
    subnet_id=dict(type="str"),
    identity_type=dict(type="str", choices=["None", "SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned"]),
    user_assigned_identities=dict(type="list", elements="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=3600),
)


def _identity_type(value):
    return value.replace(" ", "").lower() if isinstance(value, str) else value


def _identity_ids(value):
    # Azure answers each identity with its principal and client id, and ids in its own casing; only
    # the set of ids is the caller's choice. A sorted list also makes removals visible.
    return sorted(key.lower().rstrip("/") for key in value) if isinstance(value, dict) else value


RESOURCE = ArmResource(
    sdk=apim_operations("api_management_service"),
    path=("resource_group", "name"),
    tags=True,
    normalise={
        "sku.name": "lower",
        "properties.virtualNetworkType": "lower",
        "properties.virtualNetworkConfiguration.subnetResourceId": "resource_id",
        "identity.type": _identity_type,
        "identity.userAssignedIdentities": _identity_ids,
    },
    kind="API Management service",
)


def validate(params):
    """Problems with the options, each naming the option and the rule; empty when all is well."""
    problems = []
    if params["state"] != "present":
        return problems
    for option in ("publisher_email", "publisher_name"):
        if not params.get(option):
            problems.append("%s: required with state=present" % option)
        elif len(params[option]) > 100:
            problems.append("%s: at most 100 characters" % option)
    sku, capacity, network = params["sku"], params["capacity"], params["virtual_network_type"]
    if capacity < 1 or capacity > MAX_CAPACITY[sku]:
        problems.append("capacity: the %s tier allows 1 to %d units, got %d" % (sku, MAX_CAPACITY[sku], capacity))
    if network != "None":
        if sku not in VNET_TIERS:
            problems.append("sku: virtual_network_type=%s needs the Developer or Premium tier, got %s" % (network, sku))
        if not params.get("subnet_id"):
            problems.append("subnet_id: required when virtual_network_type is %s" % network)
        elif "/subnets/" not in params["subnet_id"].lower():
            problems.append("subnet_id: must be a subnet resource id (.../virtualNetworks/<vnet>/subnets/<subnet>)")
    elif params.get("subnet_id"):
        problems.append("subnet_id: only allowed when virtual_network_type is External or Internal")
    identities = params.get("user_assigned_identities")
    if identities and params.get("identity_type") not in USER_ASSIGNED_TYPES:
        problems.append("user_assigned_identities: needs identity_type UserAssigned or 'SystemAssigned, UserAssigned'")
    if params.get("identity_type") in USER_ASSIGNED_TYPES and not identities:
        problems.append("user_assigned_identities: required when identity_type is %s" % params["identity_type"])
    if params["wait_timeout"] < 0:
        problems.append("wait_timeout: must not be negative")
    return problems


def desired_body(params):
    properties = {
        "publisherEmail": params["publisher_email"],
        "publisherName": params["publisher_name"],
        "virtualNetworkType": params["virtual_network_type"],
    }
    if params["virtual_network_type"] != "None":
        properties["virtualNetworkConfiguration"] = {"subnetResourceId": params["subnet_id"]}
    body = {
        "location": params["location"],
        "sku": {"name": params["sku"], "capacity": params["capacity"]},
        "properties": properties,
    }
    if params.get("identity_type"):
        identity = {"type": params["identity_type"]}
        if params["identity_type"] in USER_ASSIGNED_TYPES:
            identity["userAssignedIdentities"] = dict((rid, {}) for rid in params["user_assigned_identities"])
        body["identity"] = identity
    return body


def main():
    arm = ArmModule(ARGUMENT_SPEC, tags=True)
    params = arm.params
    problems = validate(params)
    if problems:
        arm.fail("; ".join(problems))
    services = arm.operations(RESOURCE.sdk)

    def read():
        return arm.get_or_none(services.get, params["resource_group"], params["name"])

    try:
        current = read()
        if current is not None and params["wait"] and not arm.check_mode and not is_settled(current):
            # Azure refuses changes while the service is being created or updated.
            current = wait_until_settled(read, params["wait_timeout"], kind=RESOURCE.kind)
    except ArmError as error:
        arm.fail_arm(error, "read the %s" % RESOURCE.kind)
    except ModuleError as exc:
        arm.fail(str(exc))
    if params["state"] == "present":
        if current is None and not params.get("location"):
            arm.fail("location: required to create the API Management service")
        if current is not None and params.get("location"):
            have = str(current.get("location", "")).replace(" ", "").lower()
            if have != params["location"].replace(" ", "").lower():
                arm.fail("location: an API Management service cannot move from %s to %s" % (have, params["location"]))
        if params.get("location") is None and current is not None:
            params["location"] = current.get("location")

    # The service was read above (and waited for): the engine works from that read.
    result = run_engine(arm, RESOURCE, desired_body, current=current)
    resource = result.get("resource")
    if resource is not None:
        result["in_progress"] = bool(result.get("in_progress")) or not is_settled(resource)
        summary = service_summary(resource)
        summary.pop("settled")
        result.update(summary)
        result["provisioning_state"] = provisioning_state(resource)
    arm.exit(**result)


if __name__ == "__main__":
    main()
