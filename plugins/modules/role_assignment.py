#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: role_assignment
short_description: Grant or revoke an Azure RBAC role at a scope
version_added: 0.1.0
description:
  - Makes sure a principal holds a role at a scope (C(Microsoft.Authorization/roleAssignments), API
    version 2022-04-01), or no longer holds it there.
  - An assignment is found by what it means (scope, principal and role), whatever its name, so an
    assignment made by hand, by the portal or by another tool is recognised and never duplicated.
  - A new assignment gets a name derived from scope, principal and role (a version 5 UUID), so two
    runs, even concurrent ones, cannot create two assignments.
  - Only assignments made at exactly O(scope) are managed; one inherited from a parent scope does not count.
options:
  scope:
    description:
      - Where the role applies, for example a registry's resource id, a resource group id
        C(/subscriptions/<id>/resourceGroups/<name>) or a subscription C(/subscriptions/<id>).
    type: str
    required: true
  principal_id:
    description: Object id of the user, group or service principal (for a managed identity, its principal id).
    type: str
    required: true
  principal_type:
    description:
      - Type of the principal. Setting it lets Azure skip looking the principal up, which is what
        makes assigning a role to an identity created seconds before work (otherwise Entra ID
        replication can answer C(PrincipalNotFound)). Use V(ServicePrincipal) for managed identities.
      - Sent on creation only; Azure records the principal's real type.
    type: str
    choices: [User, Group, ServicePrincipal, ForeignGroup, Device]
  role:
    description:
      - The role, as a built-in (or custom) role name such as V(AcrPull) or V(Key Vault Secrets Officer),
        a role definition GUID, or a role definition resource id.
      - Well-known built-in role names (V(AcrPull), V(AcrPush), V(Reader), V(Contributor), V(Owner),
        V(User Access Administrator), V(Key Vault Administrator), V(Key Vault Secrets Officer),
        V(Key Vault Secrets User), V(API Management Service Contributor)) resolve to their fixed
        GUIDs without a call; any other name is resolved through the role definitions visible at O(scope).
    type: str
    required: true
  description:
    description: Free text stored with the assignment. Not set leaves it alone.
    type: str
  name:
    description:
      - Name (GUID) to give a new assignment. Default is derived from O(scope), O(principal_id) and the role.
      - An existing assignment with the same meaning is kept under its own name.
    type: str
  state:
    description: V(present) to grant the role, V(absent) to revoke it at this scope.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: The pull identity may pull from the registry, and nothing else
  mcp_platform.azure.role_assignment:
    scope: "{{ registry.id }}"
    role: AcrPull
    principal_id: "{{ pull_identity.principal_id }}"
    principal_type: ServicePrincipal

- name: The deploying principal manages the vault's secrets (role given by id)
  mcp_platform.azure.role_assignment:
    scope: "{{ vault.id }}"
    role: b86a8fe4-44ce-4948-aee5-eccb2c155cd7
    principal_id: "{{ deployer_object_id }}"

- name: Revoke it
  mcp_platform.azure.role_assignment:
    scope: "{{ vault.id }}"
    role: Key Vault Secrets Officer
    principal_id: "{{ deployer_object_id }}"
    state: absent
"""

RETURN = r"""
resource:
  description: The role assignment as Azure returns it (REST wire names); null when absent.
  returned: always
  type: dict
id:
  description: Resource id of the assignment; null when absent.
  returned: always
  type: str
name:
  description: Name (GUID) of the assignment found or created; the derived name when absent.
  returned: always
  type: str
role_definition_id:
  description: Resource id of the role definition the role resolved to.
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
  description: Always false; role assignments complete synchronously.
  returned: always
  type: bool
"""


from ansible_collections.mcp_platform.azure.plugins.module_utils._identity import (
    BUILT_IN_ROLE_GUIDS,
    PRINCIPAL_TYPES,
    RoleInputError,
    assignment_matches,
    assignment_name,
    built_in_role_guid,
    check_principal_id,
    check_role,
    check_scope,
    is_guid,
    role_definition_id,
    role_guid,
    role_name_filter,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    ArmModule,
    ArmResource,
    ModuleError,
    ResourceEngine,
    arm_error_from,
    report_failures,
    to_wire,
)

ARGUMENT_SPEC = dict(
    scope=dict(type="str", required=True),
    principal_id=dict(type="str", required=True),
    principal_type=dict(type="str", choices=list(PRINCIPAL_TYPES)),
    role=dict(type="str", required=True),
    description=dict(type="str"),
    name=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)

SDK = ("azure.mgmt.authorization", "AuthorizationManagementClient", "role_assignments")
DEFINITIONS_SDK = ("azure.mgmt.authorization", "AuthorizationManagementClient", "role_definitions")

RESOURCE = ArmResource(
    sdk=SDK,
    # The name is known only after the lookup by meaning (found) or derived (new): see current().
    path=lambda p: (p["scope"], p["_assignment_name"]),
    create="create",
    update="create",
    delete="delete",
    # Azure records the principal's actual type; a different value given later is not a change.
    ignore=("properties.principalType",),
    kind="role assignment",
)


def check_params(params):
    """Input rules, checked before any call; messages name the option and the rule."""
    params["scope"] = check_scope(params["scope"])
    params["principal_id"] = check_principal_id(params["principal_id"])
    params["role"] = check_role(params["role"])
    if params["name"] is not None and not is_guid(params["name"]):
        raise RoleInputError("name: %r is not a GUID (role assignment names must be GUIDs)" % params["name"])


def desired_body(params):
    return {
        "properties": {
            "roleDefinitionId": params["_role_definition_id"],
            "principalId": params["principal_id"],
            "principalType": params["principal_type"],
            "description": params["description"],
        }
    }


def _listed(method, *args, **kwargs):
    """All items of an SDK list call as wire dicts; azure-core errors become ArmError."""
    try:
        return [to_wire(item) for item in method(*args, **kwargs)]
    except Exception as exc:
        if any(cls.__module__.startswith("azure.core") for cls in type(exc).__mro__):
            raise arm_error_from(exc) from exc
        raise


class RoleAssignmentEngine(ResourceEngine):
    """The resource engine, with the assignment found by scope + principal + role instead of by name.

    The assignment is read first under the name this module would give it, which is the one it
    has whenever this module made it: a re-run is then a single GET. Only when that name is free
    are the principal's assignments listed, to adopt one made elsewhere under another name.
    """

    def resolve_role(self):
        """(GUID, whether it is known to exist): given directly, a well-known built-in, or looked up by name."""
        params = self.params
        guid = role_guid(params["role"])
        if guid is not None:
            return guid, guid in BUILT_IN_ROLE_GUIDS.values()
        guid = built_in_role_guid(params["role"])
        if guid is not None:
            return guid, True
        found = _listed(
            self.arm.operations(DEFINITIONS_SDK).list, params["scope"], filter=role_name_filter(params["role"])
        )
        found = [
            d for d in found if ((d.get("properties") or {}).get("roleName") or "").lower() == params["role"].lower()
        ]
        if len(found) != 1:
            raise ModuleError(
                "role: %s role definition named %r at scope %s"
                % ("no" if not found else "more than one", params["role"], params["scope"])
            )
        return found[0]["name"].lower(), True

    def check_role_exists(self, guid):
        """A role given by an unfamiliar GUID must exist before anything is granted with it."""
        params = self.params
        if self.arm.get_or_none(self.arm.operations(DEFINITIONS_SDK).get, params["scope"], guid) is None:
            raise ModuleError("role: no role definition %s exists at scope %s" % (guid, params["scope"]))

    def current(self):
        params = self.params
        guid, known = self.resolve_role()
        params["_role_definition_id"] = role_definition_id(self.arm.auth.subscription_id, guid)
        own_name = params["name"] or assignment_name(params["scope"], params["principal_id"], guid)
        params["_assignment_name"] = own_name
        by_name = self.arm.get_or_none(self._ops().get, params["scope"], own_name)
        if by_name is not None and assignment_matches(by_name, params["scope"], params["principal_id"], guid):
            return by_name
        # principalId filter: everything granted to this principal at, above or below the scope.
        listed = _listed(
            self._ops().list_for_scope, params["scope"], filter="principalId eq '%s'" % params["principal_id"]
        )
        for assignment in listed:
            if assignment_matches(assignment, params["scope"], params["principal_id"], guid):
                params["_assignment_name"] = assignment["name"]
                return assignment
        if not known and params["state"] == "present":
            self.check_role_exists(guid)
        return None


def main():
    arm = ArmModule(ARGUMENT_SPEC)

    def work():
        check_params(arm.params)
        return RoleAssignmentEngine(arm, RESOURCE, desired_body).run()

    result = report_failures(arm, "role assignments of %s" % arm.params["scope"], work)
    result["name"] = arm.params["_assignment_name"]
    result["role_definition_id"] = arm.params["_role_definition_id"]
    arm.exit(**result)


if __name__ == "__main__":
    main()
