#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: entra_app_role_assignment
short_description: Assign an app role of an Entra ID application to a group, user or service principal
version_added: 0.1.0
description:
  - Makes a group, user or service principal hold an app role of a resource service principal (the
    enterprise application of an API), or removes that assignment.
  - The role is named by its value (the string in the C(roles) claim), or by its id.
  - Assigning a role to a group needs Microsoft Entra ID P1 or higher; members of the group then receive the role.
  - The resource service principal is read with its app role assignments in one request. Graph puts at most 20
    assignments in that answer, so from 20 on they are read on their own, page by page.
options:
  resource_app_id:
    description: Application (client) id of the application that defines the role.
    type: str
  resource_id:
    description: Object id of the resource service principal that defines the role.
    type: str
  app_role:
    description:
      - Value of the app role, for example V(MCP.Admin).
    type: str
  app_role_id:
    description:
      - Id of the app role. V(00000000-0000-0000-0000-000000000000) is the default access of an application
        without app roles.
    type: str
  principal_id:
    description: Object id of the group, user or service principal that receives the role.
    type: str
    required: true
  state:
    description: V(present) to assign the role, V(absent) to remove the assignment.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes
requirements:
  - msgraph-sdk >= 1.0.0
notes:
  - The identity running the module needs the Microsoft Graph permission C(AppRoleAssignment.ReadWrite.All).
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Members of MCP-Admin hold MCP.Admin
  mcp_platform.azure.entra_app_role_assignment:
    resource_app_id: "{{ mcp_app.app_id }}"
    app_role: MCP.Admin
    principal_id: "{{ mcp_admin.id }}"

- name: Assignments compiled from the access model
  mcp_platform.azure.entra_app_role_assignment:
    resource_app_id: "{{ mcp_app.app_id }}"
    app_role_id: "{{ item.app_role_id }}"
    principal_id: "{{ item.group_id }}"
  loop: "{{ (mcp_platform_servers | mcp_platform.azure.mcp_entra_app_roles(group_ids=mcp_group_ids)).assignments }}"

- name: Withdraw the role
  mcp_platform.azure.entra_app_role_assignment:
    resource_app_id: "{{ mcp_app.app_id }}"
    app_role: MCP.Admin
    principal_id: "{{ mcp_admin.id }}"
    state: absent
"""

RETURN = r"""
assignment:
  description: The app role assignment as Microsoft Graph returns it (Graph's property names); null when absent.
  returned: always
  type: dict
  sample:
    id: 8eSUQ5aYBkmTLuRvTQ2CNkiRyNaKPrtEo8-q5gf8H5E
    appRoleId: 1f0e2d3c-4b5a-5968-8776-a5b4c3d2e1f0
    principalId: 5b8e7c4e-3f0a-4d59-9a33-1b2c3d4e5f60
    principalType: Group
    resourceId: 7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d
id:
  description: Id of the assignment; null when absent (or not created yet in check mode).
  returned: always
  type: str
app_role_id:
  description: Id of the app role.
  returned: always
  type: str
resource_id:
  description: Object id of the resource service principal.
  returned: always
  type: str
operation:
  description: V(create), V(delete), or null when nothing was done.
  returned: always
  type: str
changes:
  description: V((new)) or V((deleted)) when the assignment was made or removed.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import (
    PAGE_SIZE,
    EntraInputError,
    EntraModule,
    GraphError,
    collect,
    not_found_error,
    require_guids,
    result_dict,
    send,
    take_expanded,
)

ARGUMENT_SPEC = dict(
    resource_app_id=dict(type="str"),
    resource_id=dict(type="str"),
    app_role=dict(type="str"),
    app_role_id=dict(type="str"),
    principal_id=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)
DEFAULT_ACCESS = "00000000-0000-0000-0000-000000000000"
# The resource's assignments: read inline with the service principal ($expand) when there are few.
ASSIGNED_TO = "appRoleAssignedTo"


def role_id_for(resource, value, role_id):
    """The id of the role named by value (or checked by id) among the resource's app roles."""
    roles = resource.get("appRoles") or []
    if role_id:
        if role_id != DEFAULT_ACCESS and role_id not in [str(r.get("id")).lower() for r in roles]:
            raise EntraInputError(
                "app_role_id: %s is not an app role of %s (roles: %s)"
                % (role_id, resource.get("displayName"), describe(roles))
            )
        return role_id
    matches = [r for r in roles if r.get("value") == value]
    if not matches:
        raise EntraInputError(
            "app_role: %s has no app role with the value %r (roles: %s)"
            % (resource.get("displayName"), value, describe(roles))
        )
    return str(matches[0]["id"]).lower()


def describe(roles):
    return ", ".join("%s=%s" % (r.get("value"), r.get("id")) for r in roles) or "none"


def matching(assignments, principal_id, role_id):
    return [
        a
        for a in assignments
        if str(a.get("principalId")).lower() == principal_id and str(a.get("appRoleId")).lower() == role_id
    ]


def resource_of(entra, params):
    """The resource service principal (with its app roles) and its assignments, in one read when Graph allows."""

    def read(client):
        if params["resource_id"]:
            builder = client.service_principals.by_service_principal_id(params["resource_id"])
        else:
            builder = client.service_principals_with_app_id(params["resource_app_id"])
        return send(builder, expand=ASSIGNED_TO)

    try:
        # The service principal may have been created by the task just before this one.
        resource = entra.run(read, retry_not_found=True)
    except GraphError as error:
        if not_found_error(error):
            raise EntraInputError(
                "%s: no service principal %s exists"
                % (
                    "resource_id" if params["resource_id"] else "resource_app_id",
                    params["resource_id"] or params["resource_app_id"],
                )
            ) from error
        raise
    assignments = take_expanded(resource, ASSIGNED_TO)
    if assignments is None:
        # More than Graph puts inline: page the whole list.
        assignments = entra.run(
            lambda c: collect(
                c.service_principals.by_service_principal_id(resource["id"]).app_role_assigned_to, top=PAGE_SIZE
            )
        )
    return resource, assignments


def run(entra):
    params = entra.params
    for option in ("resource_app_id", "resource_id", "app_role_id", "principal_id"):
        if params[option] is not None:
            params[option] = require_guids([params[option]], option)[0]
    resource, assignments = resource_of(entra, params)
    role_id = role_id_for(resource, params["app_role"], params["app_role_id"])
    principal_id = params["principal_id"]

    existing = matching(assignments, principal_id, role_id)
    current = existing[0] if existing else None
    common = dict(app_role_id=role_id, resource_id=resource["id"])

    if params["state"] == "absent":
        if current is None:
            return result_dict(entra, False, None, None, operation=None, assignment=None, id=None, **common)
        if not entra.check_mode:
            for assignment in existing:
                try:
                    entra.run(
                        lambda c, a=assignment: send(
                            c.service_principals.by_service_principal_id(
                                resource["id"]
                            ).app_role_assigned_to.by_app_role_assignment_id(a["id"]),
                            "DELETE",
                        )
                    )
                except GraphError as error:
                    if not not_found_error(error):
                        raise
        return result_dict(
            entra, True, current, None, ["(deleted)"], operation="delete", assignment=None, id=current["id"], **common
        )

    if current is not None:
        return result_dict(
            entra, False, current, current, operation=None, assignment=current, id=current["id"], **common
        )
    body = {"principalId": principal_id, "resourceId": resource["id"], "appRoleId": role_id}
    if entra.check_mode:
        return result_dict(entra, True, None, body, ["(new)"], operation="create", assignment=body, id=None, **common)
    # A principal created a moment ago may still be unknown to the replica serving this call (404).
    created = entra.run(
        lambda c: send(c.service_principals.by_service_principal_id(resource["id"]).app_role_assigned_to, "POST", body),
        retry_not_found=True,
    )
    return result_dict(
        entra, True, None, created, ["(new)"], operation="create", assignment=created, id=created.get("id"), **common
    )


def main():
    EntraModule(
        ARGUMENT_SPEC,
        required_one_of=[("resource_app_id", "resource_id"), ("app_role", "app_role_id")],
        mutually_exclusive=[("resource_app_id", "resource_id"), ("app_role", "app_role_id")],
    ).execute(run, "Entra ID app role assignment")


if __name__ == "__main__":
    main()
