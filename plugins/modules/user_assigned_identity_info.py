#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: user_assigned_identity_info
short_description: Read Azure user-assigned managed identities
version_added: 0.1.0
description:
  - Returns one user-assigned managed identity by name, those of a resource group, or every one of the
    subscription, with its principal (object) id and client id.
options:
  name:
    description: Name of the identity. Needs O(resource_group).
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
- name: Read the identity the containers pull images with
  mcp_platform.azure.user_assigned_identity_info:
    name: id-mcp-platform
    resource_group: rg-mcp-platform
  register: pull_identity

- name: Show its object id
  ansible.builtin.debug:
    msg: "{{ pull_identity.resources[0].properties.principalId }}"
"""

RETURN = r"""
resources:
  description: The identities found (REST wire names); empty when the named identity does not exist.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "id-mcp-platform", "properties": {"principalId": "1111...", "clientId": "2222...",
            "tenantId": "3333..."}}]
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource, run_info_module

RESOURCE = ArmResource(
    sdk=("azure.mgmt.msi", "ManagedServiceIdentityClient", "user_assigned_identities"),
    path=("resource_group", "name"),
    list_calls={("resource_group",): "list_by_resource_group", (): "list_by_subscription"},
    kind="user-assigned identity",
)


def main():
    run_info_module(RESOURCE)


if __name__ == "__main__":
    main()
