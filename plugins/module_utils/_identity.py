# -*- coding: utf-8 -*-
# Copyright (c) mcp_platform.azure contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role assignments: input rules, role resolution, and a name that makes re-runs safe.

A role assignment is identified by Azure through its name (a GUID) but is *meant* by its scope,
principal and role. Two runs that each pick a random name would create two identical
assignments (or fail with RoleAssignmentExists), so new assignments get a name derived from
what they mean (uuid5), and an existing assignment is found by meaning, whatever its name.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import re
import uuid

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ModuleError

ROLE_DEFINITION_SEGMENT = "/providers/microsoft.authorization/roledefinitions/"
ROLE_ASSIGNMENT_TYPE = "Microsoft.Authorization/roleAssignments"
PRINCIPAL_TYPES = ("User", "Group", "ServicePrincipal", "ForeignGroup", "Device")

# Built-in role definitions have the same GUID in every Azure cloud and tenant, so these names
# resolve without a roleDefinitions lookup. Any other name (or a custom role) is looked up.
BUILT_IN_ROLE_GUIDS = {
    "acrpull": "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    "acrpush": "8311e382-0749-4cb8-b61a-304f252e45ec",
    "key vault administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    "key vault secrets officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    "key vault secrets user": "4633458b-17de-408a-b874-0445c86b69e6",
    "reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "user access administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "api management service contributor": "312a565d-c81f-4fd8-895a-4e21e48d571c",
}

# Fixed namespace of this collection's role assignment names (uuid5 of a DNS-style name, so it is
# reproducible from the source alone).
ASSIGNMENT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "roleassignments.mcp-platform.azure")

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SCOPE = re.compile(
    r"^/(subscriptions/[^/]+(/resourceGroups/[^/]+(/providers/.+)?)?"
    r"|providers/Microsoft\.Management/managementGroups/[^/]+)$",
    re.IGNORECASE,
)


class RoleInputError(ModuleError, ValueError):
    """An option value breaks a rule; the message names the option and the rule."""


def is_guid(value):
    return isinstance(value, str) and bool(_GUID.match(value))


def normalise_scope(scope):
    """Scopes compare case-insensitively and without a trailing slash (ARM returns either)."""
    return scope.rstrip("/").lower()


def check_scope(scope, option="scope"):
    if not isinstance(scope, str) or not _SCOPE.match(scope.rstrip("/")):
        raise RoleInputError(
            "%s: %r is not an ARM scope (expected /subscriptions/<id>[/resourceGroups/<name>"
            "[/providers/<type>/<name>]] or a management group id)" % (option, scope)
        )
    return scope.rstrip("/")


def check_principal_id(principal_id, option="principal_id"):
    if not is_guid(principal_id):
        raise RoleInputError("%s: %r is not an object id (a GUID)" % (option, principal_id))
    return principal_id.lower()


def role_guid(role):
    """The GUID of a role given as a GUID or a role definition id; None for a role name."""
    if is_guid(role):
        return role.lower()
    lowered = role.lower()
    if ROLE_DEFINITION_SEGMENT in lowered:
        last = lowered.rstrip("/").rsplit("/", 1)[-1]
        if is_guid(last):
            return last
        raise RoleInputError("role: %r names a role definition id whose last segment is not a GUID" % role)
    return None


def built_in_role_guid(role):
    """The GUID of a well-known built-in role given by name (any casing); None otherwise."""
    return BUILT_IN_ROLE_GUIDS.get(" ".join(role.split()).lower()) if isinstance(role, str) else None


def check_role(role, option="role"):
    if not isinstance(role, str) or not role.strip():
        raise RoleInputError("%s: must be a built-in role name, a role definition GUID or id" % option)
    role_guid(role)
    return role.strip()


def role_definition_id(subscription_id, guid):
    """The subscription-level id ARM stores in properties.roleDefinitionId for a built-in role."""
    return "/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s" % (subscription_id, guid)


def role_name_filter(role_name):
    """OData filter for roleDefinitions list; a quote inside a name is doubled as OData requires."""
    return "roleName eq '%s'" % role_name.replace("'", "''")


def assignment_name(scope, principal_id, guid):
    """Deterministic assignment name: the same scope + principal + role always give the same GUID."""
    meaning = "|".join((normalise_scope(scope), principal_id.lower(), guid.lower()))
    return str(uuid.uuid5(ASSIGNMENT_NAMESPACE, meaning))


def assignment_matches(assignment, scope, principal_id, guid):
    """True when an assignment (REST dict) grants ``guid`` to ``principal_id`` exactly at ``scope``.

    A ``principalId eq`` list also returns assignments inherited from above and those below the
    scope; only one made at this very scope is ours to manage.
    """
    properties = assignment.get("properties") or {}
    assigned_scope = properties.get("scope") or ""
    assigned_role = (properties.get("roleDefinitionId") or "").rstrip("/").rsplit("/", 1)[-1]
    return (
        normalise_scope(assigned_scope) == normalise_scope(scope)
        and (properties.get("principalId") or "").lower() == principal_id.lower()
        and assigned_role.lower() == guid.lower()
    )


def credential_tenant_id(auth):
    """The Entra ID tenant (GUID) of the identity the module runs as.

    Taken from the ``tenant`` setting when it is a GUID; otherwise (a domain name, the Azure CLI, a
    managed identity) from the ``tid`` claim of an ARM access token, which names the tenant that
    actually issued it. The token is only decoded, not verified: it is our own, fresh from Entra ID.
    """
    configured = auth.settings.get("tenant")
    if is_guid(configured):
        return configured.lower()
    token = auth.credential().get_token(auth.cloud.credential_scope).token
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as exc:
        raise RoleInputError("tenant_id: not set, and the access token carries no readable tenant") from exc
    tenant = claims.get("tid")
    if not is_guid(tenant):
        raise RoleInputError("tenant_id: not set, and the access token carries no tenant id (tid claim)")
    return tenant.lower()
