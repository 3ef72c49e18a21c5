#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: log_analytics_workspace_info
short_description: Read Azure Log Analytics workspaces
version_added: 0.1.0
description:
  - Returns one Log Analytics workspace by name, the workspaces of a resource group, or every one of the
    subscription, with its customer id (C(properties.customerId), the id log senders such as container groups
    name it by). Its shared keys are never read.
requirements:
  - azure-mgmt-loganalytics >= 12.0.0
options:
  name:
    description: Name of the workspace. Needs O(resource_group).
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
- name: Read the platform's workspace
  mcp_platform.azure.log_analytics_workspace_info:
    name: mcp-logs
    resource_group: rg-mcp-platform
  register: workspace

- name: Its customer id, which container groups send their logs to
  ansible.builtin.debug:
    msg: "{{ workspace.resources[0].properties.customerId }}"
"""

RETURN = r"""
resources:
  description: The workspaces found (REST wire names); empty when the named workspace does not exist.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "mcp-logs", "properties": {"customerId": "1111...", "retentionInDays": 30,
            "sku": {"name": "PerGB2018"}}}]
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource, run_info_module

RESOURCE = ArmResource(
    sdk=("azure.mgmt.loganalytics", "LogAnalyticsManagementClient", "workspaces"),
    path=("resource_group", "name"),
    list_calls={("resource_group",): "list_by_resource_group", (): "list"},
    kind="Log Analytics workspace",
)


def main():
    run_info_module(RESOURCE)


if __name__ == "__main__":
    main()
