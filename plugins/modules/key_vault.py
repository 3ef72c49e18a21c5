#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: key_vault
short_description: Create, update or delete an Azure Key Vault
version_added: 0.1.0
description:
  - Makes a Key Vault (C(Microsoft.KeyVault/vaults)) exist in RBAC mode with soft delete, optional purge
    protection and network rules, or removes it.
  - Purge protection cannot be turned off once on, and the soft-delete retention cannot change after
    creation; the module refuses such changes before any call, naming the option.
  - Deleting a vault soft-deletes it with its secrets; it needs O(allow_data_loss=true).
options:
  name:
    description: Name of the vault (3 to 24 letters, digits and hyphens, starting with a letter; globally unique).
    type: str
    required: true
  resource_group:
    description: Resource group of the vault.
    type: str
    required: true
  location:
    description:
      - Azure region. Required to create the vault.
      - A vault cannot move; a different location is refused.
    type: str
  tenant_id:
    description:
      - Entra ID tenant that authenticates requests to the vault.
      - Defaults to the tenant of the credential the module runs with.
    type: str
  sku:
    description: V(premium) adds HSM-backed keys.
    type: str
    choices: [standard, premium]
    default: standard
  enable_rbac_authorization:
    description:
      - V(true) authorizes data-plane access with Azure RBAC (for example C(Key Vault Secrets Officer))
        instead of access policies. Access policies are not managed by this module.
    type: bool
    default: true
  soft_delete_retention_in_days:
    description: Days a deleted vault or secret stays recoverable (7 to 90). Cannot change after creation.
    type: int
    default: 90
  enable_purge_protection:
    description:
      - V(true) forbids purging deleted vaults and secrets before the retention period ends.
      - Irreversible; V(false) on a vault that has it is refused. Not set leaves it as it is.
    type: bool
  public_network_access:
    description: Whether the vault is reachable from public networks (still subject to O(network_acls)).
    type: str
    choices: [Enabled, Disabled]
  network_acls:
    description: Firewall of the vault. Not set leaves the current rules alone.
    type: dict
    suboptions:
      default_action:
        description: What happens to traffic no rule matches.
        type: str
        choices: [Allow, Deny]
        default: Deny
      bypass:
        description: Let trusted Azure services through the firewall.
        type: str
        choices: [AzureServices, None]
        default: AzureServices
      ip_rules:
        description: Public IPv4 addresses or CIDR ranges allowed in.
        type: list
        elements: str
        default: []
      virtual_network_subnet_ids:
        description: Resource ids of subnets (with the C(Microsoft.KeyVault) service endpoint) allowed in.
        type: list
        elements: str
        default: []
  enabled_for_deployment:
    description: Let virtual machines retrieve certificates stored as secrets.
    type: bool
  enabled_for_disk_encryption:
    description: Let Azure Disk Encryption retrieve secrets and unwrap keys.
    type: bool
  enabled_for_template_deployment:
    description: Let ARM template deployments retrieve secrets.
    type: bool
  allow_data_loss:
    description: Must be V(true) to delete the vault (O(state=absent)).
    type: bool
    default: false
  state:
    description: V(present) to create or update the vault, V(absent) to delete it.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Wait for creation and updates to finish. With V(false), the result has RV(in_progress=true).
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
- name: The platform's vault, RBAC mode, purge protection on, reachable only from the platform subnets
  mcp_platform.azure.key_vault:
    name: kv-mcp-platform
    resource_group: rg-mcp-platform
    location: westeurope
    enable_purge_protection: true
    network_acls:
      default_action: Deny
      bypass: AzureServices
      ip_rules: [203.0.113.10]
  register: vault
"""

RETURN = r"""
resource:
  description: The vault as Azure returns it (REST wire names); null when absent.
  returned: always
  type: dict
id:
  description: Resource id of the vault; null when absent.
  returned: always
  type: str
vault_uri:
  description: Data-plane URI of the vault (C(https://<name>.vault.azure.net/)); null when absent or not created yet.
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

import ipaddress
import re

from ansible_collections.mcp_platform.azure.plugins.module_utils._identity import credential_tenant_id
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    ArmModule,
    ArmResource,
    ModuleError,
    ResourceEngine,
    report_failures,
)

NETWORK_ACLS_SPEC = dict(
    default_action=dict(type="str", choices=["Allow", "Deny"], default="Deny"),
    bypass=dict(type="str", choices=["AzureServices", "None"], default="AzureServices"),
    ip_rules=dict(type="list", elements="str", default=[]),
    virtual_network_subnet_ids=dict(type="list", elements="str", default=[]),
)

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    location=dict(type="str"),
    tenant_id=dict(type="str"),
    sku=dict(type="str", choices=["standard", "premium"], default="standard"),
    enable_rbac_authorization=dict(type="bool", default=True),
    soft_delete_retention_in_days=dict(type="int", default=90),
    enable_purge_protection=dict(type="bool"),
    public_network_access=dict(type="str", choices=["Enabled", "Disabled"]),
    network_acls=dict(type="dict", options=NETWORK_ACLS_SPEC),
    enabled_for_deployment=dict(type="bool"),
    enabled_for_disk_encryption=dict(type="bool"),
    enabled_for_template_deployment=dict(type="bool"),
    allow_data_loss=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)


def _ip_rule(value):
    """The service stores a single address as a /32 range: compare them that way."""
    address = (value or {}).get("value") if isinstance(value, dict) else value
    try:
        return {"value": str(ipaddress.ip_network(address, strict=False))}
    except (ValueError, TypeError):
        return value


RESOURCE = ArmResource(
    sdk=("azure.mgmt.keyvault", "KeyVaultManagementClient", "vaults"),
    path=("resource_group", "name"),
    delete="delete",
    tags=True,
    normalise={
        "properties.sku.name": "lower",
        "properties.tenantId": "lower",
        "properties.networkAcls.defaultAction": "lower",
        "properties.networkAcls.bypass": "lower",
        "properties.networkAcls.ipRules[]": _ip_rule,
        "properties.networkAcls.ipRules": "unordered",
        "properties.networkAcls.virtualNetworkRules[].id": "resource_id",
        "properties.networkAcls.virtualNetworkRules": "unordered",
        "properties.publicNetworkAccess": "lower",
    },
    recreate_on=("location",),
    delete_guard="allow_data_loss",
    kind="key vault",
    check_current=lambda current, params: check_against_current(params, current),
)

_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")


def check_params(params):
    """Input rules, checked before any call; messages name the option and the rule."""
    if not _NAME.match(params["name"]) or "--" in params["name"]:
        raise ModuleError(
            "name: %r must be 3 to 24 letters, digits or single hyphens, start with a letter and not end with a hyphen"
            % params["name"]
        )
    if params["state"] != "present":
        return
    retention = params["soft_delete_retention_in_days"]
    if not 7 <= retention <= 90:
        raise ModuleError("soft_delete_retention_in_days: must be from 7 to 90; got %d" % retention)
    for index, rule in enumerate((params["network_acls"] or {}).get("ip_rules") or []):
        try:
            network = ipaddress.ip_network(rule, strict=False)
        except ValueError as exc:
            raise ModuleError(
                "network_acls.ip_rules[%d]: %r is not an IPv4 address or CIDR range" % (index, rule)
            ) from exc
        if network.version != 4:
            raise ModuleError("network_acls.ip_rules[%d]: %r: Key Vault accepts IPv4 rules only" % (index, rule))
    for index, subnet in enumerate((params["network_acls"] or {}).get("virtual_network_subnet_ids") or []):
        if "/providers/microsoft.network/virtualnetworks/" not in subnet.lower() or "/subnets/" not in subnet.lower():
            raise ModuleError(
                "network_acls.virtual_network_subnet_ids[%d]: %r is not a subnet resource id" % (index, subnet)
            )


def check_against_current(params, current):
    """Changes the service refuses or that cannot be undone, caught before any write."""
    if current is None or params["state"] != "present":
        return
    properties = current.get("properties") or {}
    if properties.get("enablePurgeProtection") and params["enable_purge_protection"] is False:
        raise ModuleError(
            "enable_purge_protection: the vault has purge protection, which cannot be turned off once on; "
            "leave the option unset or true"
        )
    current_retention = properties.get("softDeleteRetentionInDays")
    if current_retention is not None and int(current_retention) != params["soft_delete_retention_in_days"]:
        raise ModuleError(
            "soft_delete_retention_in_days: is %s on the existing vault and cannot change after creation; got %d"
            % (current_retention, params["soft_delete_retention_in_days"])
        )


def network_acls_body(acls):
    if acls is None:
        return None
    return {
        "defaultAction": acls["default_action"],
        "bypass": acls["bypass"],
        "ipRules": [{"value": rule} for rule in acls["ip_rules"]],
        "virtualNetworkRules": [{"id": subnet} for subnet in acls["virtual_network_subnet_ids"]],
    }


def desired_body(params):
    return {
        "location": params["location"],
        "properties": {
            "tenantId": params["tenant_id"],
            "sku": {"family": "A", "name": params["sku"]},
            "enableRbacAuthorization": params["enable_rbac_authorization"],
            # Soft delete is mandatory on every new vault; stating it keeps old vaults in line.
            "enableSoftDelete": True,
            "softDeleteRetentionInDays": params["soft_delete_retention_in_days"],
            # The service rejects enablePurgeProtection=false outright, even on create: only true is sent.
            "enablePurgeProtection": True if params["enable_purge_protection"] else None,
            "publicNetworkAccess": params["public_network_access"],
            "networkAcls": network_acls_body(params["network_acls"]),
            "enabledForDeployment": params["enabled_for_deployment"],
            "enabledForDiskEncryption": params["enabled_for_disk_encryption"],
            "enabledForTemplateDeployment": params["enabled_for_template_deployment"],
        },
    }


class KeyVaultEngine(ResourceEngine):
    """The resource engine, with the vault's tenant defaulting to the tenant of the identity in use.

    The irreversible-setting checks run through the engine's ``check_current`` hook (see RESOURCE).
    """

    def run(self):
        if not self.params["tenant_id"] and self.params["state"] == "present":
            self.params["tenant_id"] = credential_tenant_id(self.arm.auth)
        return super(KeyVaultEngine, self).run()


def main():
    arm = ArmModule(ARGUMENT_SPEC, tags=True, required_if=[("state", "present", ["location"])])

    def work():
        check_params(arm.params)
        return KeyVaultEngine(arm, RESOURCE, desired_body).run()

    result = report_failures(arm, RESOURCE.kind, work)
    result["vault_uri"] = ((result["resource"] or {}).get("properties") or {}).get("vaultUri")
    arm.exit(**result)


if __name__ == "__main__":
    main()
