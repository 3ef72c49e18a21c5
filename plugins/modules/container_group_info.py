#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: container_group_info
short_description: Read Azure Container Instances container groups
version_added: 0.1.0
description:
  - Returns one container group by name, the groups of a resource group, or every group of the subscription.
  - Secure environment values, registry passwords and workspace keys are never returned.
requirements:
  - azure-mgmt-containerinstance >= 10.0.0
options:
  name:
    description: Name of the container group. Needs O(resource_group).
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
- name: Where does the MCP server run now?
  mcp_platform.azure.container_group_info:
    name: aci-mcp-mongodb
    resource_group: rg-mcp-platform
  register: found

- name: Point the APIM backend at its current private IP
  ansible.builtin.set_fact:
    mcp_backend_ip: "{{ found.resources[0].properties.ipAddress.ip }}"
"""

RETURN = r"""
resources:
  description:
    - The container groups found (REST wire names, write-only values masked); empty when the named group does not exist.
    - C(properties.ipAddress.ip) is the group's IP address (private in its subnet for a Private address).
    - C(properties.diagnostics.logAnalytics.workspaceId) is the customer id of the Log Analytics workspace the
      containers' logs go to (Azure returns neither the workspace key nor the workspace resource id).
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/0000/resourceGroups/rg-mcp/providers/Microsoft.ContainerInstance/containerGroups/aci-mcp
      name: aci-mcp
      properties:
        ipAddress: {type: Private, ip: 10.20.1.4, ports: [{port: 3000, protocol: TCP}]}
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource, run_info_module

RESOURCE = ArmResource(
    sdk=("azure.mgmt.containerinstance", "ContainerInstanceManagementClient", "container_groups"),
    path=("resource_group", "name"),
    write_only=(
        "properties.containers[].properties.environmentVariables[].secureValue",
        "properties.imageRegistryCredentials[].password",
        "properties.diagnostics.logAnalytics.workspaceKey",
        "properties.diagnostics.logAnalytics.workspaceResourceId",
    ),
    list_calls={("resource_group",): "list_by_resource_group", (): "list"},
    kind="container group",
)


def main():
    run_info_module(RESOURCE)


if __name__ == "__main__":
    main()
