#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: entra_application
short_description: Create, update or delete an Entra ID app registration
version_added: 0.1.0
description:
  - Makes an app registration (a Microsoft Graph C(application)) exist with the given sign-in audience,
    identifier URIs, access token version, group claims, app roles, optional claims, API permissions and
    public-client redirect URIs, or deletes it.
  - The application is found by O(app_id) when set, else by its display name. Entra ID allows several
    applications with the same name; when more than one exists the module fails, listing their object ids.
  - Options that are not set are not managed. A list option that is set describes the whole list.
  - Creation is idempotent. A new application gets a C(uniqueName) derived from its display name (the same
    name always gives the same key) and is created with Graph's upsert by that key. When no application is
    found by display name, for example because one created seconds ago does not show in Graph's lists yet, or
    a timed-out create did succeed, the module looks the key up, and the upsert updates the application that
    has it instead of creating a second one. Applications made without a C(uniqueName) keep being found by
    display name; when the application holding the key was renamed since, a new one is created without a key.
  - App roles keep their ids across runs. Entra ID refuses to remove an enabled app role or change its value
    or allowed member types; the module first disables the roles concerned, then writes the new list.
options:
  display_name:
    description:
      - Display name of the application. Identifies it unless O(app_id) is set; with O(app_id), the application
        is renamed to it.
    type: str
    required: true
  app_id:
    description:
      - Application (client) id of an existing application to manage. It cannot be chosen for a new application;
        when no application has it, the task fails.
    type: str
  sign_in_audience:
    description: Who may sign in to the application.
    type: str
    choices: [AzureADMyOrg, AzureADMultipleOrgs, AzureADandPersonalMicrosoftAccount, PersonalMicrosoftAccount]
  identifier_uris:
    description:
      - Application ID URIs, the audience of its access tokens in the v1 format.
      - When not set, V(api://<appId>), which is only known once the application exists; the module sets it
        right after creating the application. V([]) means none.
    type: list
    elements: str
  requested_access_token_version:
    description:
      - Version of the access tokens Entra ID issues for this application's API (C(api.requestedAccessTokenVersion)).
      - V(2) gives the issuer C(https://login.microsoftonline.com/<tenant>/v2.0) and the application id as audience.
    type: int
    choices: [1, 2]
    default: 2
  group_membership_claims:
    description: Which groups appear in the C(groups) claim of the tokens.
    type: str
    choices: ["None", SecurityGroup, DirectoryRole, ApplicationGroup, All]
  app_roles:
    description:
      - The complete list of app roles. Roles of the application that are not listed are disabled, then removed.
      - Accepts the C(app_roles) of the P(mcp_platform.azure.mcp_entra_app_roles#filter) filter as they are
        (Microsoft Graph names are accepted as aliases).
    type: list
    elements: dict
    suboptions:
      value:
        description: Value of the role in the C(roles) claim, for example V(MCP.Admin). No spaces.
        type: str
        required: true
      display_name:
        description: Display name. Defaults to O(app_roles[].value).
        type: str
        aliases: [displayName]
      description:
        description: Description, shown in consent and assignment screens. Defaults to the display name.
        type: str
      allowed_member_types:
        description: V(User) for users and groups, V(Application) for service principals (app-only access).
        type: list
        elements: str
        choices: [User, Application]
        default: [User]
        aliases: [allowedMemberTypes]
      id:
        description:
          - Id (a GUID) of the role. When not set, the id of the application's existing role with the same value
            is kept; a new role gets a UUID derived from the display name of the application and the role value,
            the same as P(mcp_platform.azure.mcp_entra_app_roles#filter) computes.
        type: str
      is_enabled:
        description: Whether the role can be assigned and appears in tokens.
        type: bool
        default: true
        aliases: [isEnabled]
  optional_claims:
    description:
      - Optional claims per token type. Token types not given have no optional claims.
    type: dict
    suboptions:
      id_token:
        description: Optional claims of ID tokens.
        type: list
        elements: dict
        suboptions: &claim
          name:
            description: Name of the claim, for example V(email) or V(groups).
            type: str
            required: true
          source:
            description:
              - Source of the claim, for example V(user) for a directory extension; not set for standard claims.
            type: str
          essential:
            description: Whether the client needs the claim for the best sign-in experience.
            type: bool
            default: false
          additional_properties:
            description: Claim modifiers, for example V(sam_account_name) or V(emit_as_roles) for C(groups).
            type: list
            elements: str
            default: []
      access_token:
        description: Optional claims of access tokens.
        type: list
        elements: dict
        suboptions: *claim
      saml2_token:
        description: Optional claims of SAML tokens.
        type: list
        elements: dict
        suboptions: *claim
  required_resource_access:
    description:
      - API permissions the application requests, per resource application.
    type: list
    elements: dict
    suboptions:
      resource_app_id:
        description: Application id of the API, for example V(00000003-0000-0000-c000-000000000000) for Microsoft Graph.
        type: str
        required: true
      resource_access:
        description: The permissions requested from that API.
        type: list
        elements: dict
        required: true
        suboptions:
          id:
            description: Id of the delegated permission (scope) or app role of the API.
            type: str
            required: true
          type:
            description: V(Scope) for a delegated permission, V(Role) for an application permission.
            type: str
            required: true
            choices: [Scope, Role]
  public_client_redirect_uris:
    description:
      - Redirect URIs of public clients (C(publicClient.redirectUris)), for example the loopback addresses of
        VS Code or the MCP Inspector.
    type: list
    elements: str
  state:
    description:
      - V(present) to create or update the application, V(absent) to delete it.
      - Entra ID keeps a deleted application in its deleted items for 30 days; its identifier URIs stay reserved
        until it is deleted permanently.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes
requirements:
  - msgraph-sdk >= 1.0.0
notes:
  - The identity running the module needs the Microsoft Graph permission C(Application.ReadWrite.All), or
    C(Application.ReadWrite.OwnedBy) for applications it owns.
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: The platform's app registration, roles from the access model
  mcp_platform.azure.entra_application:
    display_name: mcp-platform
    sign_in_audience: AzureADMyOrg
    requested_access_token_version: 2
    group_membership_claims: SecurityGroup
    app_roles: "{{ (mcp_platform_servers
                   | mcp_platform.azure.mcp_entra_app_roles(app_name='mcp-platform')).app_roles }}"
    required_resource_access:
      - resource_app_id: 00000003-0000-0000-c000-000000000000   # Microsoft Graph
        resource_access:
          - id: bc024368-1153-4739-b217-4326f2e966d0            # GroupMember.Read.All (delegated)
            type: Scope
    public_client_redirect_uris:
      - http://127.0.0.1:33418                                # VS Code
      - http://localhost:6274/oauth/callback                  # MCP Inspector
  register: mcp_app

- name: App roles written by hand
  mcp_platform.azure.entra_application:
    display_name: mcp-platform
    app_roles:
      - value: MCP.Admin
        display_name: MCP administrators
        description: Every tool of every MCP server
      - value: MCP.ReadOnly
        display_name: MCP readers
        description: Read tools only
        allowed_member_types: [User, Application]

- name: Delete it
  mcp_platform.azure.entra_application:
    display_name: mcp-platform
    state: absent
"""

RETURN = r"""
id:
  description: Object id of the application; null when absent (or not created yet in check mode).
  returned: always
  type: str
app_id:
  description: Application (client) id; null when absent (or not created yet in check mode).
  returned: always
  type: str
  sample: 6f1c2e3d-4b5a-4978-8695-a4b3c2d1e0f9
application:
  description: The application as Microsoft Graph returns it (Graph's property names); null when absent.
  returned: always
  type: dict
  sample:
    id: 0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f
    appId: 6f1c2e3d-4b5a-4978-8695-a4b3c2d1e0f9
    displayName: mcp-platform
    identifierUris: [api://6f1c2e3d-4b5a-4978-8695-a4b3c2d1e0f9]
    groupMembershipClaims: SecurityGroup
    api: {requestedAccessTokenVersion: 2}
    appRoles:
      - {id: 1f0e2d3c-..., value: MCP.Admin, displayName: MCP.Admin, allowedMemberTypes: [User], isEnabled: true}
operation:
  description: V(create), V(update), V(delete), or null when nothing was done.
  returned: always
  type: str
changes:
  description:
    - Properties that differed from the desired state (Graph names), for example V(appRoles).
    - V((found by uniqueName)) when the create met an application that already had its C(uniqueName); Graph
      wrote the desired properties onto it, and what it held before is not known.
  returned: always
  type: list
  elements: str
"""

import copy

from ansible_collections.mcp_platform.azure.plugins.module_utils._access_model import app_role_id
from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import deep_merge
from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import (
    FOUND_BY_UNIQUE_NAME,
    EntraInputError,
    EntraModule,
    GraphError,
    applications_named,
    changed_paths,
    claimed_by_key,
    is_guid,
    not_found_error,
    only_one,
    read_or_none,
    require_guids,
    result_dict,
    send,
    upsert,
)

CLAIM_SPEC = dict(
    name=dict(type="str", required=True),
    source=dict(type="str"),
    essential=dict(type="bool", default=False),
    additional_properties=dict(type="list", elements="str", default=[]),
)

ARGUMENT_SPEC = dict(
    display_name=dict(type="str", required=True),
    app_id=dict(type="str"),
    sign_in_audience=dict(
        type="str",
        choices=[
            "AzureADMyOrg",
            "AzureADMultipleOrgs",
            "AzureADandPersonalMicrosoftAccount",
            "PersonalMicrosoftAccount",
        ],
    ),
    identifier_uris=dict(type="list", elements="str"),
    requested_access_token_version=dict(type="int", choices=[1, 2], default=2),
    group_membership_claims=dict(
        type="str", choices=["None", "SecurityGroup", "DirectoryRole", "ApplicationGroup", "All"]
    ),
    app_roles=dict(
        type="list",
        elements="dict",
        options=dict(
            value=dict(type="str", required=True),
            display_name=dict(type="str", aliases=["displayName"]),
            description=dict(type="str"),
            allowed_member_types=dict(
                type="list",
                elements="str",
                choices=["User", "Application"],
                default=["User"],
                aliases=["allowedMemberTypes"],
            ),
            id=dict(type="str"),
            is_enabled=dict(type="bool", default=True, aliases=["isEnabled"]),
        ),
    ),
    optional_claims=dict(
        type="dict",
        options=dict(
            # Token types whose optional claims are listed, not tokens: nothing secret in them.
            id_token=dict(type="list", elements="dict", options=CLAIM_SPEC, no_log=False),
            access_token=dict(type="list", elements="dict", options=CLAIM_SPEC, no_log=False),
            saml2_token=dict(type="list", elements="dict", options=CLAIM_SPEC, no_log=False),
        ),
    ),
    required_resource_access=dict(
        type="list",
        elements="dict",
        options=dict(
            resource_app_id=dict(type="str", required=True),
            resource_access=dict(
                type="list",
                elements="dict",
                required=True,
                options=dict(
                    id=dict(type="str", required=True),
                    type=dict(type="str", required=True, choices=["Scope", "Role"]),
                ),
            ),
        ),
    ),
    public_client_redirect_uris=dict(type="list", elements="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)

TOKEN_TYPES = (("id_token", "idToken"), ("access_token", "accessToken"), ("saml2_token", "saml2Token"))
# Properties Entra ID checks before it lets an app role go or change: the role must be disabled first.
ROLE_IDENTITY = ("value", "allowedMemberTypes")


# ---- desired state ---------------------------------------------------------------------------------


def validate(params):
    """Input rules Graph would otherwise refuse half-way through a run."""
    if params["app_id"] is not None:
        params["app_id"] = require_guids([params["app_id"]], "app_id")[0]
    roles = params["app_roles"] or []
    values = [r["value"] for r in roles]
    duplicates = sorted(set(v for v in values if values.count(v) > 1))
    if duplicates:
        raise EntraInputError("app_roles: values must be unique; repeated: %s" % ", ".join(duplicates))
    for role in roles:
        if not role["value"] or any(ch.isspace() for ch in role["value"]) or role["value"].startswith("."):
            raise EntraInputError(
                "app_roles: value %r must be non-empty, without spaces, not start with '.'" % role["value"]
            )
        if role["id"] is not None and not is_guid(role["id"]):
            raise EntraInputError("app_roles: id %r of role %s is not a GUID" % (role["id"], role["value"]))
        if not role["allowed_member_types"]:
            raise EntraInputError("app_roles: role %s needs at least one allowed member type" % role["value"])
    ids = [r["id"].lower() for r in roles if r["id"]]
    if len(set(ids)) != len(ids):
        raise EntraInputError("app_roles: ids must be unique")
    for entry in params["required_resource_access"] or []:
        require_guids([entry["resource_app_id"]], "required_resource_access.resource_app_id")
        require_guids([a["id"] for a in entry["resource_access"]], "required_resource_access.resource_access.id")


def desired_app_roles(roles, current_roles, app_name):
    """App roles in Graph's shape, each with a stable id (explicit, else existing, else derived)."""
    existing = dict((r.get("value"), str(r.get("id")).lower()) for r in current_roles or [])
    result = []
    for role in roles:
        display_name = role["display_name"] or role["value"]
        result.append(
            {
                "id": (role["id"] or existing.get(role["value"]) or app_role_id(app_name, role["value"])).lower(),
                "value": role["value"],
                "displayName": display_name,
                "description": role["description"] or display_name,
                "allowedMemberTypes": sorted(role["allowed_member_types"]),
                "isEnabled": role["is_enabled"],
            }
        )
    return result


def desired_application(params, current):
    """The application's properties this run manages (Graph names); identifierUris needs the appId."""
    current = current or {}
    body = {"displayName": params["display_name"]}
    if params["sign_in_audience"]:
        body["signInAudience"] = params["sign_in_audience"]
    if params["identifier_uris"] is not None:
        body["identifierUris"] = list(params["identifier_uris"])
    elif current.get("appId"):
        body["identifierUris"] = ["api://%s" % current["appId"]]
    body["api"] = {"requestedAccessTokenVersion": params["requested_access_token_version"]}
    if params["group_membership_claims"]:
        body["groupMembershipClaims"] = params["group_membership_claims"]
    if params["app_roles"] is not None:
        body["appRoles"] = desired_app_roles(params["app_roles"], current.get("appRoles"), params["display_name"])
    if params["optional_claims"] is not None:
        body["optionalClaims"] = dict(
            (wire, [claim_body(c) for c in params["optional_claims"][option] or []]) for option, wire in TOKEN_TYPES
        )
    if params["required_resource_access"] is not None:
        body["requiredResourceAccess"] = [
            {
                "resourceAppId": entry["resource_app_id"].lower(),
                "resourceAccess": [{"id": a["id"].lower(), "type": a["type"]} for a in entry["resource_access"]],
            }
            for entry in params["required_resource_access"]
        ]
    if params["public_client_redirect_uris"] is not None:
        body["publicClient"] = {"redirectUris": list(params["public_client_redirect_uris"])}
    return body


def claim_body(claim):
    body = {
        "name": claim["name"],
        "essential": claim["essential"],
        "additionalProperties": list(claim["additional_properties"]),
    }
    if claim["source"]:
        body["source"] = claim["source"]
    return body


# ---- comparison ------------------------------------------------------------------------------------


def _sorted_by(key):
    def sort(values):
        if not isinstance(values, list):
            return values
        return sorted(values, key=lambda v: str(v.get(key, "")).lower() if isinstance(v, dict) else str(v))

    return sort


def _lower_ids(values):
    if not isinstance(values, list):
        return values
    return [dict(v, id=str(v.get("id")).lower()) if isinstance(v, dict) and v.get("id") else v for v in values]


def _sorted_list(values):
    return sorted(values) if isinstance(values, list) else values


# Graph keeps lists in the order written, but order means nothing for any of them; ids are GUIDs.
NORMALISERS = {
    "identifierUris": _sorted_list,
    "groupMembershipClaims": lambda v: (v or "None").lower(),
    "appRoles": lambda v: _sorted_by("id")(_lower_ids(v)),
    "appRoles[].allowedMemberTypes": _sorted_list,
    "optionalClaims.idToken": _sorted_by("name"),
    "optionalClaims.accessToken": _sorted_by("name"),
    "optionalClaims.saml2Token": _sorted_by("name"),
    "requiredResourceAccess": _sorted_by("resourceAppId"),
    "requiredResourceAccess[].resourceAccess": lambda v: _sorted_by("id")(_lower_ids(v)),
    "publicClient.redirectUris": _sorted_list,
}


def roles_to_disable(current_roles, desired_roles):
    """Ids of enabled roles that are removed, or whose value / member types change."""
    desired = dict((r["id"], r) for r in desired_roles)
    blocked = []
    for role in current_roles or []:
        if not role.get("isEnabled", True):
            continue
        new = desired.get(str(role.get("id")).lower())
        if new is None or any(
            sorted(new.get(k) or []) != sorted(role.get(k) or [])
            if isinstance(new.get(k), list)
            else new.get(k) != role.get(k)
            for k in ROLE_IDENTITY
        ):
            blocked.append(str(role.get("id")).lower())
    return blocked


def disabled(current_roles, ids):
    """The current roles with ``ids`` disabled (``origin`` is read-only: Graph refuses it in a PATCH)."""
    roles = [dict((k, v) for k, v in role.items() if k != "origin") for role in copy.deepcopy(current_roles)]
    for role in roles:
        if str(role.get("id")).lower() in ids:
            role["isEnabled"] = False
    return roles


def update_body(current, desired, changes):
    """PATCH body: the changed top-level properties; complex ones merged onto what exists."""
    top = sorted(set(path.split(".")[0].split("[")[0] for path in changes))
    body = {}
    for key in top:
        if isinstance(desired[key], dict) and isinstance(current.get(key), dict):
            body[key] = deep_merge(current[key], desired[key])
        else:
            body[key] = desired[key]
    return body


# ---- the run ---------------------------------------------------------------------------------------


def find(entra, params):
    if params["app_id"]:
        try:
            return entra.run(lambda c: send(c.applications_with_app_id(params["app_id"])))
        except GraphError as error:
            if not_found_error(error):
                return None
            raise
    return only_one(
        entra.run(lambda c: applications_named(c, params["display_name"])), "application", params["display_name"]
    )


def run(entra):
    params = entra.params
    validate(params)
    current = find(entra, params)
    key = None
    if current is None and not params["app_id"]:
        current, key = claimed_by_key("application", params["display_name"], lambda unique: read_by_key(entra, unique))
    if params["state"] == "absent":
        return absent(entra, current)
    if current is None:
        if params["app_id"]:
            raise EntraInputError("app_id: no application has the application id %s" % params["app_id"])
        return create(entra, params, key)
    return converge(entra, params, current)


def read_by_key(entra, key, retry_not_found=False):
    return read_or_none(entra, lambda c: send(c.applications_with_unique_name(key)), retry_not_found=retry_not_found)


def converge(entra, params, current, found_by_key=False):
    """Bring an existing application to the desired state. ``found_by_key``: the create's upsert met it (and
    has just written the desired properties), so what it held before is unknown and the run is a change."""
    desired = desired_application(params, current)
    changes = changed_paths(desired, current, NORMALISERS)
    before = None if found_by_key else current
    if not changes:
        if found_by_key:
            return outcome(entra, True, "update", before, current, current, [FOUND_BY_UNIQUE_NAME])
        return outcome(entra, False, None, current, current, current)
    body = update_body(current, desired, changes)
    after = dict(current, **body)
    if not entra.check_mode:

        def item(client):
            return client.applications.by_application_id(current["id"])

        blocked = roles_to_disable(current.get("appRoles"), desired.get("appRoles", [])) if "appRoles" in body else []
        if blocked:
            # Graph refuses to drop or redefine an enabled role: disable those first, in a write of their own.
            interim = {"appRoles": disabled(current["appRoles"], blocked)}
            entra.run(lambda c: send(item(c), "PATCH", interim), retry_not_found=found_by_key)
        entra.run(lambda c: send(item(c), "PATCH", body), retry_not_found=found_by_key)
    changes = ([FOUND_BY_UNIQUE_NAME] if found_by_key else []) + changes
    return outcome(entra, True, "update", before, after, after, changes)


def create(entra, params, key):
    """Create the application: by upsert on ``key`` (its uniqueName), or by POST when ``key`` is None."""
    desired = desired_application(params, None)
    if entra.check_mode:
        return outcome(entra, True, "create", None, desired, desired, ["(new)"])
    if key is None:
        created = entra.run(lambda c: send(c.applications, "POST", desired))
    else:
        created = entra.run(lambda c: upsert(c.applications_with_unique_name(key), desired))
    if created is None:
        # Graph already had an application with this key (it wrote ``desired`` onto it): made by an earlier run
        # that its lists do not show yet. It exists, so a 404 while reading it back is only replication lag.
        current = read_by_key(entra, key, retry_not_found=True)
        if current is None:
            raise GraphError("Graph accepted uniqueName %s but no application has it" % key, status=404)
        return converge(entra, params, current, found_by_key=True)
    if params["identifier_uris"] is None:
        # api://<appId> can only be written once Entra ID has chosen the appId; a just-created application
        # may not be visible yet to the replica serving the next call.
        uris = {"identifierUris": ["api://%s" % created["appId"]]}
        entra.run(lambda c: send(c.applications.by_application_id(created["id"]), "PATCH", uris), retry_not_found=True)
        created.update(uris)
    return outcome(entra, True, "create", None, created, created, ["(new)"])


def absent(entra, current):
    if current is None:
        return outcome(entra, False, None, None, None, None)
    if not entra.check_mode:
        try:
            entra.run(lambda c: send(c.applications.by_application_id(current["id"]), "DELETE"))
        except GraphError as error:
            if not not_found_error(error):
                raise
    return outcome(entra, True, "delete", current, None, None, ["(deleted)"])


def outcome(entra, changed, operation, before, after, application, changes=()):
    application = application or None
    return result_dict(
        entra,
        changed,
        before,
        after,
        changes,
        operation=operation,
        application=application,
        id=(application or {}).get("id"),
        app_id=(application or {}).get("appId"),
    )


def main():
    EntraModule(ARGUMENT_SPEC).execute(run, "Entra ID application")


if __name__ == "__main__":
    main()
