#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: resource_group_info
short_description: Read Azure resource groups
version_added: 0.1.0
description:
  - Returns one resource group by name, or every resource group of the subscription.
options:
  name:
    description: Name of the resource group; all groups when not set.
    type: str
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes.INFO
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Look up the platform's resource group
  mcp_platform.azure.resource_group_info:
    name: rg-mcp-platform
  register: platform_group

- name: Every resource group
  mcp_platform.azure.resource_group_info:
  register: all_groups
"""

RETURN = r"""
resources:
  description: The resource groups found (REST wire names); empty when the named group does not exist.
  returned: always
  type: list
  elements: dict
  sample: [{"id": "/subscriptions/0000/resourceGroups/rg-mcp-platform", "location": "westeurope",
            "name": "rg-mcp-platform", "tags": {}}]
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource, run_info_module

ARGUMENT_SPEC = dict(
    name=dict(type="str"),
)

RESOURCE = ArmResource(
    sdk=("azure.mgmt.resource.resources", "ResourceManagementClient", "resource_groups"),
    path=("name",),
    list_calls={(): "list"},
    kind="resource group",
)


def main():
    run_info_module(RESOURCE, ARGUMENT_SPEC)


if __name__ == "__main__":
    main()
