#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: resource_group
short_description: Create, update or delete an Azure resource group
version_added: 0.1.0
description:
  - Makes a resource group exist with the given location and tags, or removes it.
  - Deleting a resource group deletes every resource in it.
options:
  name:
    description: Name of the resource group.
    type: str
    required: true
  location:
    description:
      - Azure region, for example V(westeurope). Required to create the group.
      - A resource group cannot move; a different location than the existing group's is refused.
    type: str
  state:
    description: V(present) to create or update the group, V(absent) to delete it with all its resources.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Wait for the deletion to finish. With V(false), the result has RV(in_progress=true).
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
- name: A resource group for the platform
  mcp_platform.azure.resource_group:
    name: rg-mcp-platform
    location: westeurope
    tags:
      owner: platform-team

- name: Remove it and everything in it
  mcp_platform.azure.resource_group:
    name: rg-mcp-platform
    state: absent
"""

RETURN = r"""
resource:
  description: The resource group as Azure returns it (REST wire names); null when absent.
  returned: always
  type: dict
  sample:
    id: /subscriptions/0000/resourceGroups/rg-mcp-platform
    location: westeurope
    name: rg-mcp-platform
    properties: {provisioningState: Succeeded}
    tags: {owner: platform-team}
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
  description: True when O(wait=false) left a long-running operation running in Azure.
  returned: always
  type: bool
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource, run_resource_module

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    location=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)

RESOURCE = ArmResource(
    sdk=("azure.mgmt.resource.resources", "ResourceManagementClient", "resource_groups"),
    path=("name",),
    create="create_or_update",
    delete="begin_delete",
    tags=True,
    recreate_on=("location",),
    kind="resource group",
)


def desired_body(params):
    return {"location": params["location"]}


def main():
    run_resource_module(
        ARGUMENT_SPEC,
        desired_body,
        RESOURCE,
        required_if=[("state", "present", ["location"])],
    )


if __name__ == "__main__":
    main()
