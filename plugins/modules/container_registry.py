#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: container_registry
short_description: Create, update or delete an Azure container registry
version_added: 0.1.0
description:
  - Makes an Azure container registry (C(Microsoft.ContainerRegistry/registries)) exist with the given
    SKU and access settings, or removes it.
  - The admin user (a shared username and password) stays disabled unless asked for; pulls should use
    a managed identity holding C(AcrPull) on the registry.
options:
  name:
    description: Name of the registry (5 to 50 letters and digits, globally unique).
    type: str
    required: true
  resource_group:
    description: Resource group of the registry.
    type: str
    required: true
  location:
    description:
      - Azure region. Required to create the registry.
      - A registry cannot move; a different location is refused.
    type: str
  sku:
    description: Service tier. Private endpoints and O(public_network_access=Disabled) need V(Premium).
    type: str
    choices: [Basic, Standard, Premium]
    default: Basic
  admin_user_enabled:
    description: Enable the admin user. Leave it off and pull with an identity instead.
    type: bool
    default: false
  public_network_access:
    description: Whether the registry is reachable from public networks. V(Disabled) needs O(sku=Premium).
    type: str
    choices: [Enabled, Disabled]
  anonymous_pull_enabled:
    description: Allow pulls without credentials (V(Standard) and V(Premium) only).
    type: bool
  zone_redundancy:
    description: Spread the registry over availability zones (V(Premium) only; cannot change after creation).
    type: str
    choices: [Enabled, Disabled]
  recreate:
    description: Allow deleting and creating the registry again when O(zone_redundancy) changes. Images are lost.
    type: bool
    default: false
  state:
    description: V(present) to create or update the registry, V(absent) to delete it and its images.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Wait for create, update and delete to finish. With V(false), the result has RV(in_progress=true).
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
- name: Registry for the MCP server images
  mcp_platform.azure.container_registry:
    name: acrmcpplatform
    resource_group: rg-mcp-platform
    location: westeurope
    sku: Standard
  register: registry
"""

RETURN = r"""
resource:
  description: The registry as Azure returns it (REST wire names); null when absent.
  returned: always
  type: dict
id:
  description: Resource id of the registry; null when absent.
  returned: always
  type: str
login_server:
  description: Host name images are pulled from (C(<name>.azurecr.io)); null when absent or not created yet.
  returned: always
  type: str
operation:
  description: What was done, V(create), V(update), V(recreate), V(delete), or null when nothing was.
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

import re

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    ArmResource,
    ModuleError,
    run_resource_module,
)

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    location=dict(type="str"),
    sku=dict(type="str", choices=["Basic", "Standard", "Premium"], default="Basic"),
    admin_user_enabled=dict(type="bool", default=False),
    public_network_access=dict(type="str", choices=["Enabled", "Disabled"]),
    anonymous_pull_enabled=dict(type="bool"),
    zone_redundancy=dict(type="str", choices=["Enabled", "Disabled"]),
    recreate=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)


_NAME = re.compile(r"^[a-zA-Z0-9]{5,50}$")


def check_params(params):
    """Rules the service would reject, checked before any call (message names the option)."""
    if not _NAME.match(params["name"]):
        raise ModuleError("name: %r must be 5 to 50 letters or digits (no hyphens)" % params["name"])
    if params["state"] != "present":
        return
    premium_only = [
        option
        for option, value in (
            ("public_network_access", params["public_network_access"] == "Disabled"),
            ("zone_redundancy", params["zone_redundancy"] == "Enabled"),
        )
        if value
    ]
    if premium_only and params["sku"] != "Premium":
        raise ModuleError("%s: needs sku=Premium; sku is %s" % (", ".join(premium_only), params["sku"]))
    if params["anonymous_pull_enabled"] and params["sku"] == "Basic":
        raise ModuleError("anonymous_pull_enabled: needs sku=Standard or Premium; sku is Basic")


RESOURCE = ArmResource(
    sdk=("azure.mgmt.containerregistry", "ContainerRegistryManagementClient", "registries"),
    path=("resource_group", "name"),
    create="begin_create",
    delete="begin_delete",
    tags=True,
    normalise={"sku.name": "lower", "properties.publicNetworkAccess": "lower", "properties.zoneRedundancy": "lower"},
    recreate_on=("location", "properties.zoneRedundancy"),
    kind="container registry",
    validate=check_params,
)


def login_server(arm, result):
    return {"login_server": ((result["resource"] or {}).get("properties") or {}).get("loginServer")}


def desired_body(params):
    return {
        "location": params["location"],
        "sku": {"name": params["sku"]},
        "properties": {
            "adminUserEnabled": params["admin_user_enabled"],
            "publicNetworkAccess": params["public_network_access"],
            "anonymousPullEnabled": params["anonymous_pull_enabled"],
            "zoneRedundancy": params["zone_redundancy"],
        },
    }


def main():
    run_resource_module(
        ARGUMENT_SPEC,
        desired_body,
        RESOURCE,
        finish=login_server,
        required_if=[("state", "present", ["location"])],
    )


if __name__ == "__main__":
    main()
