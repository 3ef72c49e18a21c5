#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: entra_service_principal
short_description: Create, update or delete the service principal of an Entra ID application
version_added: 0.1.0
description:
  - Makes the service principal (enterprise application) of an application exist in the tenant, with whether
    users need an app role assignment to get a token, and its tags; or deletes it.
  - Right after an application is created, Entra ID may not know it yet on the replica that creates the service
    principal; the creation is retried for a bounded time.
options:
  app_id:
    description: Application (client) id of the application.
    type: str
    required: true
  app_role_assignment_required:
    description:
      - Whether a user or service principal needs an app role assignment to get a token for the application.
        With V(true), only the assigned groups' members can sign in.
    type: bool
  tags:
    description:
      - Tags (plain strings) of the service principal, for example V(WindowsAzureActiveDirectoryIntegratedApp).
      - The complete list unless O(append_tags=true). Not managed when not set.
    type: list
    elements: str
  append_tags:
    description: Add O(tags) to the existing tags instead of replacing them.
    type: bool
    default: false
  state:
    description: V(present) to create or update the service principal, V(absent) to delete it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes
requirements:
  - msgraph-sdk >= 1.0.0
notes:
  - The identity running the module needs the Microsoft Graph permission C(Application.ReadWrite.All).
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Only assigned users and groups get tokens for the platform
  mcp_platform.azure.entra_service_principal:
    app_id: "{{ mcp_app.app_id }}"
    app_role_assignment_required: true
    tags: [WindowsAzureActiveDirectoryIntegratedApp]
  register: mcp_sp
"""

RETURN = r"""
id:
  description: Object id of the service principal; null when absent (or not created yet in check mode).
  returned: always
  type: str
service_principal:
  description: The service principal as Microsoft Graph returns it (Graph's property names); null when absent.
  returned: always
  type: dict
  sample:
    id: 7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d
    appId: 6f1c2e3d-4b5a-4978-8695-a4b3c2d1e0f9
    displayName: mcp-platform
    appRoleAssignmentRequired: true
    tags: [WindowsAzureActiveDirectoryIntegratedApp]
operation:
  description: V(create), V(update), V(delete), or null when nothing was done.
  returned: always
  type: str
changes:
  description: Properties that differed from the desired state (Graph names).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import (
    EntraModule,
    GraphError,
    changed_paths,
    not_found_error,
    require_guids,
    result_dict,
    send,
)

ARGUMENT_SPEC = dict(
    app_id=dict(type="str", required=True),
    app_role_assignment_required=dict(type="bool"),
    tags=dict(type="list", elements="str"),
    append_tags=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)


def desired_service_principal(params, current):
    body = {"appId": params["app_id"]}
    if params["app_role_assignment_required"] is not None:
        body["appRoleAssignmentRequired"] = params["app_role_assignment_required"]
    if params["tags"] is not None:
        tags = list(params["tags"])
        if params["append_tags"]:
            tags = list((current or {}).get("tags") or []) + [
                t for t in tags if t not in ((current or {}).get("tags") or [])
            ]
        body["tags"] = tags
    return body


NORMALISERS = {"tags": lambda v: sorted(set(v)) if isinstance(v, list) else v, "appId": str.lower}


def application_not_replicated(error):
    # Graph answers 400 (not 404) while the application is not yet known where the principal is created.
    return error.status == 400 and "does not reference a valid application" in (error.message or "")


def run(entra):
    params = entra.params
    params["app_id"] = require_guids([params["app_id"]], "app_id")[0]
    try:
        current = entra.run(lambda c: send(c.service_principals_with_app_id(params["app_id"])))
    except GraphError as error:
        if not not_found_error(error):
            raise
        current = None

    if params["state"] == "absent":
        if current is None:
            return outcome(entra, False, None, None, None)
        if not entra.check_mode:
            try:
                entra.run(lambda c: send(c.service_principals.by_service_principal_id(current["id"]), "DELETE"))
            except GraphError as error:
                if not not_found_error(error):
                    raise
        return outcome(entra, True, "delete", current, None, ["(deleted)"])

    desired = desired_service_principal(params, current)
    if current is None:
        if entra.check_mode:
            return outcome(entra, True, "create", None, desired, ["(new)"])
        created = entra.run_until_consistent(
            lambda c: send(c.service_principals, "POST", desired), application_not_replicated
        )
        return outcome(entra, True, "create", None, created, ["(new)"])

    changes = changed_paths(desired, current, NORMALISERS)
    if not changes:
        return outcome(entra, False, None, current, current)
    patch = dict((key, value) for key, value in desired.items() if key in changes)
    if not entra.check_mode:
        entra.run(lambda c: send(c.service_principals.by_service_principal_id(current["id"]), "PATCH", patch))
    return outcome(entra, True, "update", current, dict(current, **patch), changes)


def outcome(entra, changed, operation, before, after, changes=()):
    return result_dict(
        entra,
        changed,
        before,
        after,
        changes,
        operation=operation,
        service_principal=after,
        id=(after or {}).get("id"),
    )


def main():
    EntraModule(ARGUMENT_SPEC).execute(run, "Entra ID service principal")


if __name__ == "__main__":
    main()
