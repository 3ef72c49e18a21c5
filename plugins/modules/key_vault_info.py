#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: key_vault_info
short_description: Read Azure Key Vaults
version_added: 0.1.0
description:
  - Returns one Key Vault by name, the vaults of a resource group, or every vault of the subscription,
    with their properties (RBAC mode, soft delete, purge protection, network access, vault URI).
  - Reads the management plane only; no secret value is read.
options:
  name:
    description: Name of the vault. Needs O(resource_group).
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
- name: Read the platform's vault
  mcp_platform.azure.key_vault_info:
    name: kv-mcp-platform
    resource_group: rg-mcp-platform
  register: platform_vault

- name: Fail unless the vault is in RBAC mode
  ansible.builtin.assert:
    that: platform_vault.resources[0].properties.enableRbacAuthorization
"""

RETURN = r"""
resources:
  description: The vaults found (REST wire names); empty when the named vault does not exist.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "kv-mcp-platform", "properties": {"enableRbacAuthorization": true, "enableSoftDelete": true,
            "enablePurgeProtection": true, "vaultUri": "https://kv-mcp-platform.vault.azure.net/"}}]
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource, run_info_module

RESOURCE = ArmResource(
    sdk=("azure.mgmt.keyvault", "KeyVaultManagementClient", "vaults"),
    path=("resource_group", "name"),
    list_calls={("resource_group",): "list_by_resource_group", (): "list_by_subscription"},
    kind="Key Vault",
)


def main():
    run_info_module(RESOURCE)


if __name__ == "__main__":
    main()
