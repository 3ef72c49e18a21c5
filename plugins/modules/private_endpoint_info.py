#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: private_endpoint_info
short_description: Read Azure private endpoints and their private IP addresses
version_added: 0.1.0
description:
  - Returns one private endpoint (O(name) and O(resource_group)), those of a resource group, or
    those of the subscription, each with the private IP addresses of the network interfaces Azure
    created for it.
options:
  name:
    description: Name of one private endpoint; needs O(resource_group).
    type: str
  resource_group:
    description: Resource group to read from; without it, the whole subscription.
    type: str
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes.INFO
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Private IP of the vCore cluster's endpoint
  mcp_platform.azure.private_endpoint_info:
    name: pe-mongo
    resource_group: rg-mcp-platform
  register: pe

- name: Use it
  ansible.builtin.debug:
    msg: "{{ pe.private_endpoints[0].private_ip_address }}"
"""

RETURN = r"""
private_endpoints:
  description: The private endpoints found; empty when none (or the named one does not exist).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the private endpoint.
      type: str
    id:
      description: Resource id of the private endpoint.
      type: str
    private_ip_address:
      description: First private IP of the endpoint; null when Azure has not allocated one yet.
      type: str
    addresses:
      description: Every private IP of the endpoint with its network interface id and FQDNs.
      type: list
      elements: dict
    resource:
      description: The private endpoint as Azure returns it (REST wire names).
      type: dict
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._network import (
    ArmModule,
    endpoint_addresses,
    run_guarded,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    LOOKUP_REQUIRED_BY,
    ArmError,
    arm_error_from,
    lookup_argument_spec,
    to_wire,
)

ARGUMENT_SPEC = lookup_argument_spec()

SDK = ("azure.mgmt.network", "NetworkManagementClient", "private_endpoints")


def describe(arm, endpoint):
    addresses = endpoint_addresses(arm, endpoint)
    return dict(
        name=endpoint.get("name"),
        id=endpoint.get("id"),
        private_ip_address=addresses[0]["private_ip_address"] if addresses else None,
        addresses=addresses,
        resource=endpoint,
    )


def find(arm):
    params = arm.params
    endpoints = arm.operations(SDK)
    if params["name"]:
        found = arm.get_or_none(endpoints.get, params["resource_group"], params["name"])
        return [found] if found else []
    try:
        if params["resource_group"]:
            return [to_wire(item) for item in endpoints.list(params["resource_group"])]
        return [to_wire(item) for item in endpoints.list_by_subscription()]
    except ArmError:
        raise
    except Exception as exc:
        if type(exc).__module__.startswith("azure.core"):
            raise arm_error_from(exc) from exc
        raise


def main():
    arm = ArmModule(ARGUMENT_SPEC, required_by=LOOKUP_REQUIRED_BY)

    def work():
        return dict(changed=False, private_endpoints=[describe(arm, endpoint) for endpoint in find(arm)])

    run_guarded(arm, "private endpoint", work)


if __name__ == "__main__":
    main()
