#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: apim_service_info
short_description: Read Azure API Management services, optionally waiting for one to be ready
version_added: 0.1.0
description:
  - Returns one API Management service by name, or every service of a resource group or subscription,
    with its gateway URL, provisioning state and IP addresses.
  - With O(wait=true) and O(name), waits until the service has settled (for example after
    M(mcp_platform.azure.apim_service) started it with O(mcp_platform.azure.apim_service#module:wait=false)), up to
    O(wait_timeout) seconds.
options:
  name:
    description: Name of the service; all services of O(resource_group) (or of the subscription) when not set.
    type: str
  resource_group:
    description: Resource group of the service(s). Required with O(name).
    type: str
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.wait
  - mcp_platform.azure.attributes.INFO
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Wait for the gateway started earlier with wait=false
  mcp_platform.azure.apim_service_info:
    name: apim-mcp-platform
    resource_group: rg-mcp-platform
    wait: true
    wait_timeout: 3600
  register: apim

- name: Use its private address
  ansible.builtin.debug:
    msg: "{{ apim.service.gateway_url }} at {{ apim.service.private_ip_addresses | first }}"
"""

RETURN = r"""
exists:
  description: Whether the named service exists (with O(name)); true when any service was found otherwise.
  returned: always
  type: bool
service:
  description: Facts of the named service; empty when O(name) is not set or it does not exist.
  returned: always
  type: dict
  contains:
    provisioning_state:
      description: For example V(Activating) while it is being created, V(Succeeded) once ready.
      type: str
    gateway_url:
      description: URL of the gateway.
      type: str
    developer_portal_url:
      description: URL of the developer portal.
      type: str
    management_api_url:
      description: URL of the management API.
      type: str
    public_ip_addresses:
      description: Public IP addresses of the gateway.
      type: list
      elements: str
    private_ip_addresses:
      description: Private IP addresses in the subnet (virtual network modes only).
      type: list
      elements: str
    virtual_network_type:
      description: V(None), V(External) or V(Internal).
      type: str
    subnet_id:
      description: The subnet the service is in.
      type: str
    principal_id:
      description: Object id of the system-assigned identity.
      type: str
    settled:
      description: False while an operation on the service is still running.
      type: bool
resources:
  description: The services found, as Azure returns them (REST wire names).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._apim import apim_operations, service_summary
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    LOOKUP_REQUIRED_BY,
    ArmModule,
    ArmResource,
    lookup_argument_spec,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._wait import WAIT_ARGUMENT_SPEC, find_or_wait

ARGUMENT_SPEC = lookup_argument_spec(**WAIT_ARGUMENT_SPEC)

RESOURCE = ArmResource(
    sdk=apim_operations("api_management_service"),
    path=("resource_group", "name"),
    list_calls={("resource_group",): "list_by_resource_group", (): "list"},
    kind="API Management service",
)


def main():
    arm = ArmModule(ARGUMENT_SPEC, required_by=LOOKUP_REQUIRED_BY)
    found = find_or_wait(arm, RESOURCE)
    service = service_summary(found[0]) if arm.params.get("name") and found else {}
    arm.exit(changed=False, exists=bool(found), service=service, resources=found)


if __name__ == "__main__":
    main()
