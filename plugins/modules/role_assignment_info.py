#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: role_assignment_info
short_description: Read Azure role assignments at, above and below a scope
version_added: 0.1.0
description:
  - Lists the role assignments visible at a scope (those made at the scope, at any parent scope, and at any
    scope below it), optionally only those of one principal.
  - Each assignment comes with the GUID of its role definition (RV(assignments[].role_guid)), so built-in roles
    can be compared by their fixed ids.
  - This is what proves that a principal holds exactly the roles it should, and nowhere else.
options:
  scope:
    description:
      - Scope to list at, for example a registry's resource id.
      - When not set, the whole subscription (every assignment of the subscription, its resource groups and
        resources).
    type: str
  principal_id:
    description: Object id of a principal; only its assignments are returned.
    type: str
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes.INFO
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Everything the pull identity may do in the subscription
  mcp_platform.azure.role_assignment_info:
    principal_id: "{{ identity_principal_id }}"
  register: pull_identity_roles

- name: Fail unless it holds exactly AcrPull on the registry
  ansible.builtin.assert:
    that:
      - pull_identity_roles.assignments | length == 1
      - pull_identity_roles.assignments[0].role_guid == '7f951dda-4ed3-4680-a7ca-43fe172d538d'
"""

RETURN = r"""
assignments:
  description:
    - The role assignments found (REST wire names) plus RV(assignments[].role_guid) and RV(assignments[].scope).
  returned: always
  type: list
  elements: dict
  contains:
    role_guid:
      description: GUID of the role definition (the last segment of C(properties.roleDefinitionId)), lower case.
      type: str
    scope:
      description: Scope the assignment was made at.
      type: str
  sample: [{"name": "0d7d...", "role_guid": "7f951dda-4ed3-4680-a7ca-43fe172d538d",
            "scope": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr1",
            "properties": {"principalId": "1111...", "roleDefinitionId": "/subscriptions/0000/providers/..."}}]
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._identity import (
    RoleInputError,
    check_principal_id,
    check_scope,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    ArmError,
    ArmModule,
    arm_error_from,
    to_wire,
)

ARGUMENT_SPEC = dict(
    scope=dict(type="str"),
    principal_id=dict(type="str"),
)

SDK = ("azure.mgmt.authorization", "AuthorizationManagementClient", "role_assignments")


def describe(assignment):
    properties = assignment.get("properties") or {}
    role = (properties.get("roleDefinitionId") or "").rstrip("/").rsplit("/", 1)[-1].lower()
    return dict(assignment, role_guid=role, scope=properties.get("scope"))


def main():
    arm = ArmModule(ARGUMENT_SPEC)
    params = arm.params
    try:
        scope = check_scope(params["scope"]) if params["scope"] else "/subscriptions/%s" % arm.auth.subscription_id
        principal = check_principal_id(params["principal_id"]) if params["principal_id"] else None
    except RoleInputError as exc:
        arm.fail(str(exc))
    kwargs = {"filter": "principalId eq '%s'" % principal} if principal else {}
    try:
        try:
            listed = [to_wire(item) for item in arm.operations(SDK).list_for_scope(scope, **kwargs)]
        except Exception as exc:
            if type(exc).__module__.startswith("azure.core"):
                raise arm_error_from(exc) from exc
            raise
    except ArmError as error:
        arm.fail_arm(error, "list the role assignments")
    arm.exit(changed=False, assignments=[describe(item) for item in listed])


if __name__ == "__main__":
    main()
