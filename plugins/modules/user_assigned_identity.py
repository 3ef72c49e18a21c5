#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: user_assigned_identity
short_description: Create, update or delete an Azure user-assigned managed identity
version_added: 0.1.0
description:
  - Makes a user-assigned managed identity (C(Microsoft.ManagedIdentity/userAssignedIdentities),
    API version 2024-11-30) exist, or removes it.
  - Returns the identity's principal id (the object id to grant roles to) and client id (the id a
    workload presents, e.g. for image pulls).
  - A new identity's service principal can take a while to reach every Entra ID replica; grant roles
    to it with M(mcp_platform.azure.role_assignment) and
    O(mcp_platform.azure.role_assignment#module:principal_type=ServicePrincipal).
options:
  name:
    description: Name of the identity.
    type: str
    required: true
  resource_group:
    description: Resource group of the identity.
    type: str
    required: true
  location:
    description:
      - Azure region. Required to create the identity.
      - An identity cannot move; a different location is refused.
    type: str
  isolation_scope:
    description:
      - V(Regional) restricts assigning the identity to resources in its own region.
      - Not set means the service default (V(None)) on create and no change on update.
    type: str
    choices: [None, Regional]
  state:
    description: V(present) to create or update the identity, V(absent) to delete it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.tags
  - mcp_platform.azure.attributes
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: The identity the MCP containers pull their image with
  mcp_platform.azure.user_assigned_identity:
    name: id-mcp-pull
    resource_group: rg-mcp-platform
    location: westeurope
  register: pull_identity

- name: Let it pull from the registry
  mcp_platform.azure.role_assignment:
    scope: "{{ registry.id }}"
    role: AcrPull
    principal_id: "{{ pull_identity.principal_id }}"
    principal_type: ServicePrincipal
"""

RETURN = r"""
resource:
  description: The identity as Azure returns it (REST wire names); null when absent.
  returned: always
  type: dict
id:
  description: Resource id of the identity; null when absent.
  returned: always
  type: str
principal_id:
  description:
    - Object id of the identity's service principal (grant roles to this).
    - Null when absent, or in check mode before creation.
  returned: always
  type: str
client_id:
  description: Application (client) id of the identity; null when absent or in check mode before creation.
  returned: always
  type: str
tenant_id:
  description: Entra ID tenant of the identity; null when absent or in check mode before creation.
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
  description: Always false; identity operations complete synchronously.
  returned: always
  type: bool
"""


from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    ArmResource,
    run_resource_module,
)

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    location=dict(type="str"),
    isolation_scope=dict(type="str", choices=["None", "Regional"]),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)

RESOURCE = ArmResource(
    sdk=("azure.mgmt.msi", "ManagedServiceIdentityClient", "user_assigned_identities"),
    path=("resource_group", "name"),
    create="create_or_update",
    delete="delete",
    tags=True,
    normalise={"properties.isolationScope": "lower"},
    recreate_on=("location",),
    kind="user-assigned identity",
)


def desired_body(params):
    return {"location": params["location"], "properties": {"isolationScope": params["isolation_scope"]}}


def identity_ids(resource):
    """principalId / clientId / tenantId of an identity answer (None when not known yet)."""
    properties = (resource or {}).get("properties") or {}
    return dict(
        principal_id=properties.get("principalId"),
        client_id=properties.get("clientId"),
        tenant_id=properties.get("tenantId"),
    )


def main():
    run_resource_module(
        ARGUMENT_SPEC,
        desired_body,
        RESOURCE,
        finish=lambda arm, result: identity_ids(result["resource"]),
        required_if=[("state", "present", ["location"])],
    )


if __name__ == "__main__":
    main()
