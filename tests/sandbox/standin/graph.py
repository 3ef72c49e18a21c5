"""Microsoft Graph v1.0: groups (members and owners), applications, service principals, app role assignments.

Paths and bodies follow msgraph-sdk's request builders (``/groups/{id}/members/$ref``,
``/servicePrincipals/{id}/appRoleAssignedTo``, ``/applications(appId='...')``...).

Alternate keys: ``appId`` (applications, service principals) and ``uniqueName`` (applications, groups). A
PATCH by uniqueName with ``Prefer: create-if-missing`` is Graph's upsert: 201 and the new object when no
object of that type has the key, else an update (204); without the header a missing key is a 404. The
uniqueName is set only that way, is unique per object type and cannot change.

Replication lag: with ``replication_lag`` seconds set, a new object is missing from every read (lists and
$filter, reads by id or key) for that long after its creation, as Graph's replicas may lag behind its writes;
writes see it at once.
"""

import copy
import re
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import urlencode

from .entra import CLIENT_ID, CLIENT_OBJECT_ID
from .http import Reply

COLLECTIONS = {
    "groups": "group",
    "applications": "application",
    "serviceprincipals": "servicePrincipal",
    "users": "user",
}
DEFAULT_ROLE = "00000000-0000-0000-0000-000000000000"
# Graph's paging of directory collections: 100 objects a page unless $top asks for up to 999; a page
# that expands a relationship holds at most 100 objects whatever $top says.
DEFAULT_PAGE = 100
MAX_PAGE = 999
EXPANDED_PAGE = 100
# An expanded relationship of a directory object holds at most 20 objects and has no nextLink.
EXPAND_CAP = 20
# Relationships $expand accepts, by object type (Graph's own names).
NAVIGATIONS = {
    "group": ("members", "owners"),
    "servicePrincipal": ("appRoleAssignedTo",),
}
# Directory users that exist from the start, so group membership can be exercised.
SEED_USERS = [
    ("0a0e1f30-4b5c-4d6e-8f70-8192a3b4c5d6", "Ada Admin", "ada@standin.example"),
    ("1b1f2041-5c6d-4e7f-9081-92a3b4c5d6e7", "Rey Reader", "rey@standin.example"),
]
_ALTERNATE_KEY = re.compile(r"^(applications|serviceprincipals|groups)\((appid|uniquename)='([^']+)'\)$", re.I)
# Alternate keys by object type, in Graph's own spelling.
ALTERNATE_KEYS = {
    "application": ("appId", "uniqueName"),
    "servicePrincipal": ("appId",),
    "group": ("uniqueName",),
}
_EQ = re.compile(r"^\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*$")
_ANY = re.compile(r"^\s*([A-Za-z]+)/any\(\s*(\w+)\s*:\s*\2\s+eq\s+'((?:[^']|'')*)'\s*\)\s*$", re.I)


def _now():
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def _error(status, code, message):
    return Reply(
        status,
        {"error": {"code": code, "message": message, "innerError": {"date": _now(), "request-id": str(uuid.uuid4())}}},
    )


def _read_only(name):
    return _error(400, "Request_BadRequest", f"Property '{name}' is read-only and cannot be set.")


def _not_found(object_id):
    return _error(
        404,
        "Request_ResourceNotFound",
        f"Resource '{object_id}' does not exist or one of its queried reference-property objects are not present.",
    )


class Graph:
    def __init__(self, standin):
        self.standin = standin
        self.objects = {}  # id -> object (with "@odata.type")
        self.reset()

    def reset(self):
        self.objects = {}
        for object_id, name, upn in SEED_USERS:
            self.objects[object_id] = {
                "@odata.type": "#microsoft.graph.user",
                "id": object_id,
                "displayName": name,
                "userPrincipalName": upn,
            }
        self.objects[CLIENT_OBJECT_ID] = {
            "@odata.type": "#microsoft.graph.servicePrincipal",
            "id": CLIENT_OBJECT_ID,
            "appId": CLIENT_ID,
            "displayName": "deployment principal",
            "servicePrincipalType": "Application",
            "appRoles": [],
            "appRoleAssignmentRequired": False,
        }
        self.members = {}  # group id -> [object ids]
        self.owners = {}  # group id -> [object ids]
        self.assignments = {}  # assignment id -> appRoleAssignment
        self.created_at = {}  # object id -> time.monotonic() of its creation
        self.replication_lag = 0.0

    def _replicated(self, obj):
        """Whether reads see ``obj`` yet (see replication lag, above)."""
        created = self.created_at.get(obj["id"])
        return created is None or time.monotonic() - created >= self.replication_lag

    def _of(self, kind):
        return [o for o in self.objects.values() if o["@odata.type"] == f"#microsoft.graph.{kind}"]

    def context(self, what):
        return f"{self.standin.base_url}/v1.0/$metadata#{what}"

    # ---- routing -------------------------------------------------------------------------------

    def handle(self, request):
        denied = self.standin.entra.check_bearer(request.headers.get("authorization"))
        if denied:
            return _error(401, "InvalidAuthenticationToken", denied)
        parts = [p for p in request.path.split("/") if p][1:]
        if not parts:
            return _error(400, "BadRequest", "Invalid request.")
        head = parts[0]
        match = _ALTERNATE_KEY.match(head)
        if match:
            return self._by_alternate_key(request, match, parts[1:])
        collection = head.lower()
        if collection == "directoryobjects" and len(parts) == 2 and request.method == "GET":
            found = self.objects.get(parts[1].lower())
            return Reply(200, found) if found and self._replicated(found) else _not_found(parts[1])
        if collection not in COLLECTIONS:
            return _error(400, "BadRequest", f"Resource not found for the segment '{head}'.")
        kind = COLLECTIONS[collection]
        if len(parts) == 1:
            if request.method == "GET":
                return self._list(request, kind, [o for o in self._of(kind) if self._replicated(o)], collection)
            if request.method == "POST":
                return self._create(request, kind)
            return _error(405, "Request_BadRequest", "Method not allowed.")
        found = self.objects.get(parts[1].lower())
        if found is None or found["@odata.type"] != f"#microsoft.graph.{kind}":
            return _not_found(parts[1])
        if request.method == "GET" and not self._replicated(found):
            return _not_found(parts[1])
        return self._item(request, kind, found, parts[2:])

    def _by_alternate_key(self, request, match, rest):
        """``/applications(appId='...')``, ``/groups(uniqueName='...')``...: read, update, delete, upsert."""
        kind = COLLECTIONS[match.group(1).lower()]
        key = next((k for k in ALTERNATE_KEYS[kind] if k.lower() == match.group(2).lower()), None)
        if key is None:
            return _error(
                400, "BadRequest", f"The key property '{match.group(2)}' is not an alternate key of '{kind}'."
            )
        value = match.group(3)
        found = next((o for o in self._of(kind) if str(o.get(key) or "").lower() == value.lower()), None)
        if key == "uniqueName" and request.method == "PATCH" and not rest and found is None:
            if "create-if-missing" not in request.headers.get("prefer", "").lower():
                return _not_found(value)
            reply = self._create(request, kind, unique_name=value)
            if reply.status == 201:
                reply.headers["Preference-Applied"] = "create-if-missing"
            return reply
        if found is None or (request.method == "GET" and not self._replicated(found)):
            return _not_found(value)
        return self._item(request, kind, found, rest)

    def _list(self, request, kind, items, what):
        expression = request.query_lower.get("$filter")
        if expression:
            matches = _filter(expression)
            if matches is None:
                return _error(400, "Request_UnsupportedQuery", f"Unsupported query: '{expression}'.")
            items = [o for o in items if matches(o)]
        expand = _parse_expand(request.query_lower.get("$expand"))
        problem = self._check_expand(kind, expand)
        if problem:
            return problem
        page_size = min(int(request.query_lower.get("$top") or DEFAULT_PAGE), MAX_PAGE)
        if expand:
            page_size = min(page_size, EXPANDED_PAGE)
        start = int(request.query_lower.get("$skiptoken") or 0)
        page = items[start : start + page_size]
        body = {"@odata.context": self.context(what), "value": [self._expanded(o, expand) for o in page]}
        if start + page_size < len(items):
            query = [(k, v) for k, v in request.query.items() if k.lower() != "$skiptoken"]
            query.append(("$skiptoken", str(start + page_size)))
            body["@odata.nextLink"] = f"{request.base_url}{request.path}?{urlencode(query)}"
        return Reply(200, body)

    def _check_expand(self, kind, expand):
        allowed = NAVIGATIONS.get(kind, ())
        for name, select in expand:
            if name not in allowed:
                return _error(
                    400, "BadRequest", f"Could not find a property named '{name}' on type 'microsoft.graph.{kind}'."
                )
            if select is False:
                return _error(400, "BadRequest", f"Only $select is supported inside $expand=({name}).")
        return None

    def _expanded(self, obj, expand):
        """The object as listed or read, with each requested relationship inline (capped, no nextLink)."""
        view = self._view(obj)
        for name, select in expand:
            related = self._related(obj, name)[:EXPAND_CAP]
            if select:
                keep = {"@odata.type", "id", *select}
                related = [dict((k, v) for k, v in r.items() if k in keep) for r in related]
            view[name] = related
        return view

    def _related(self, obj, name):
        if name == "appRoleAssignedTo":
            return [copy.deepcopy(a) for a in self.assignments.values() if a["resourceId"] == obj["id"]]
        links = self.members if name == "members" else self.owners
        return [self._view(self.objects[m]) for m in links.get(obj["id"], []) if m in self.objects]

    def _view(self, obj):
        view = copy.deepcopy(obj)
        if view.get("@odata.type") == "#microsoft.graph.application":
            for credential in view.get("passwordCredentials") or []:
                credential.pop("secretText", None)
        return view

    # ---- create ----------------------------------------------------------------------------------

    def _create(self, request, kind, unique_name=None):
        body = request.json() or {}
        if "uniqueName" in body and body["uniqueName"] != unique_name:
            return _read_only("uniqueName")
        object_id = str(uuid.uuid4())
        if kind == "group":
            for required in ("displayName", "mailNickname", "mailEnabled", "securityEnabled"):
                if required not in body:
                    return _error(
                        400,
                        "Request_BadRequest",
                        f"Invalid value specified for property '{required}' of resource 'Group'.",
                    )
            obj = {
                "groupTypes": [],
                "description": None,
                "isAssignableToRole": None,
                "visibility": None,
                "createdDateTime": _now(),
                "mail": None,
                "securityIdentifier": f"S-1-12-1-{uuid.uuid4().int % 10**10}",
            }
        elif kind == "application":
            if not body.get("displayName"):
                return _error(
                    400, "Request_BadRequest", "Property 'displayName' is required for resource 'Application'."
                )
            obj = {
                "appId": str(uuid.uuid4()),
                "createdDateTime": _now(),
                "signInAudience": "AzureADMyOrg",
                "identifierUris": [],
                "appRoles": [],
                "groupMembershipClaims": None,
                "requiredResourceAccess": [],
                "passwordCredentials": [],
                "api": {
                    "requestedAccessTokenVersion": None,
                    "acceptMappedClaims": None,
                    "knownClientApplications": [],
                    "oauth2PermissionScopes": [],
                    "preAuthorizedApplications": [],
                },
                "publisherDomain": "standin.example",
            }
            problem = self._check_application(body, None)
            if problem:
                return problem
        elif kind == "servicePrincipal":
            app = next(
                (a for a in self._of("application") if a["appId"].lower() == str(body.get("appId", "")).lower()), None
            )
            if app is None:
                return _error(
                    400,
                    "Request_BadRequest",
                    f"The appId '{body.get('appId')}' of the service principal does not reference a valid "
                    "application object.",
                )
            if any(sp.get("appId", "").lower() == app["appId"].lower() for sp in self._of("servicePrincipal")):
                return _error(
                    409,
                    "Request_MultipleObjectsWithSameKeyValue",
                    "The service principal for this application already exists.",
                )
            obj = {
                "appDisplayName": app["displayName"],
                "displayName": app["displayName"],
                "servicePrincipalType": "Application",
                "appRoleAssignmentRequired": False,
                "accountEnabled": True,
                "servicePrincipalNames": [app["appId"], *app.get("identifierUris", [])],
                "appRoles": copy.deepcopy(app.get("appRoles", [])),
                "tags": [],
            }
        else:
            obj = {"userPrincipalName": body.get("userPrincipalName"), "accountEnabled": True}
        obj.update(copy.deepcopy(body))
        obj["id"] = object_id
        obj["@odata.type"] = f"#microsoft.graph.{kind}"
        if unique_name is not None:
            obj["uniqueName"] = unique_name
        self.objects[object_id] = obj
        self.created_at[object_id] = time.monotonic()
        reply = dict(self._view(obj))
        reply["@odata.context"] = self.context(f"{kind}s/$entity")
        return Reply(201, reply)

    def _check_application(self, body, current):
        roles = body.get("appRoles")
        if roles is not None:
            values = [r.get("value") for r in roles]
            if len(set(values)) != len(values):
                return _error(400, "Request_BadRequest", "App role values must be unique.")
            for role in roles:
                try:
                    uuid.UUID(str(role.get("id")))
                except ValueError:
                    return _error(400, "Request_BadRequest", "Every app role needs an id that is a GUID.")
            if current is not None:
                # Entra refuses to change or drop a role that is still enabled.
                new_by_id = {str(r.get("id")).lower(): r for r in roles}
                for old in current.get("appRoles") or []:
                    new = new_by_id.get(str(old["id"]).lower())
                    changed = new is None or any(new.get(k) != old.get(k) for k in ("value", "allowedMemberTypes"))
                    if old.get("isEnabled", True) and changed:
                        return _error(
                            400,
                            "CannotDeleteOrUpdateEnabledEntitlement",
                            "Property appRoles.value cannot be deleted or updated unless it is disabled first.",
                        )
        return None

    # ---- item ------------------------------------------------------------------------------------

    def _item(self, request, kind, obj, rest):
        if not rest:
            if request.method == "GET":
                expand = _parse_expand(request.query_lower.get("$expand"))
                problem = self._check_expand(kind, expand)
                if problem:
                    return problem
                reply = self._expanded(obj, expand)
                reply["@odata.context"] = self.context(f"{kind}s/$entity")
                return Reply(200, reply)
            if request.method == "PATCH":
                body = request.json() or {}
                if "uniqueName" in body and body["uniqueName"] != obj.get("uniqueName"):
                    return _read_only("uniqueName")
                if kind == "application":
                    problem = self._check_application(body, obj)
                    if problem:
                        return problem
                for key, value in body.items():
                    if isinstance(value, dict) and isinstance(obj.get(key), dict):
                        obj[key].update(copy.deepcopy(value))
                    else:
                        obj[key] = copy.deepcopy(value)
                if kind == "application":
                    for sp in self._of("servicePrincipal"):
                        if sp.get("appId") == obj["appId"]:
                            sp["appRoles"] = copy.deepcopy(obj.get("appRoles", []))
                return Reply(204)
            if request.method == "DELETE":
                self.objects.pop(obj["id"], None)
                for links in (self.members, self.owners):
                    links.pop(obj["id"], None)
                    for linked in links.values():
                        if obj["id"] in linked:
                            linked.remove(obj["id"])
                return Reply(204)
            return _error(405, "Request_BadRequest", "Method not allowed.")
        segment = rest[0].lower()
        if kind == "group" and segment in ("members", "owners"):
            return self._references(request, obj, segment, rest[1:])
        if kind == "servicePrincipal" and segment == "approleassignedto":
            return self._assignments(request, obj, rest[1:])
        if segment == "approleassignments":
            found = [a for a in self.assignments.values() if a["principalId"] == obj["id"]]
            return Reply(200, {"@odata.context": self.context("appRoleAssignments"), "value": found})
        return _error(400, "BadRequest", f"Resource not found for the segment '{rest[0]}'.")

    def _references(self, request, group, segment, rest):
        """``/groups/{id}/members`` and ``/groups/{id}/owners``: list, add ($ref POST), remove ({id}/$ref DELETE)."""
        members = (self.members if segment == "members" else self.owners).setdefault(group["id"], [])
        if not rest:
            if request.method == "GET":
                items = [self._view(self.objects[m]) for m in members if m in self.objects]
                return self._list(request, "directoryObject", items, "directoryObjects")
            return _error(405, "Request_BadRequest", "Method not allowed.")
        if rest == ["$ref"] and request.method == "POST":
            reference = (request.json() or {}).get("@odata.id", "")
            member_id = reference.rstrip("/").rsplit("/", 1)[-1].lower()
            if member_id not in self.objects:
                return _not_found(member_id)
            if member_id in members:
                return _error(
                    400,
                    "Request_BadRequest",
                    "One or more added object references already exist for the following modified "
                    f"properties: '{segment}'.",
                )
            members.append(member_id)
            return Reply(204)
        if rest == ["$ref"] and request.method == "GET":
            return Reply(
                200, {"value": [{"@odata.id": f"{self.standin.base_url}/v1.0/directoryObjects/{m}"} for m in members]}
            )
        if len(rest) == 2 and rest[1] == "$ref" and request.method == "DELETE":
            member_id = rest[0].lower()
            if member_id not in members:
                return _not_found(member_id)
            members.remove(member_id)
            return Reply(204)
        return _error(400, "BadRequest", f"Unsupported {segment} request.")

    def _assignments(self, request, sp, rest):
        if not rest:
            if request.method == "GET":
                items = [a for a in self.assignments.values() if a["resourceId"] == sp["id"]]
                return self._list(request, "appRoleAssignment", items, "appRoleAssignments")
            if request.method == "POST":
                body = request.json() or {}
                principal = self.objects.get(str(body.get("principalId", "")).lower())
                if principal is None:
                    return _not_found(body.get("principalId"))
                if str(body.get("resourceId", "")).lower() != sp["id"]:
                    return _error(
                        400, "Request_BadRequest", "resourceId must be the service principal of this request."
                    )
                role_id = str(body.get("appRoleId", "")).lower()
                roles = {str(r["id"]).lower() for r in sp.get("appRoles", []) if r.get("isEnabled", True)}
                if role_id != DEFAULT_ROLE and role_id not in roles:
                    return _error(
                        400, "Request_BadRequest", "Permission being assigned was not found on application (appRoleId)."
                    )
                for existing in self.assignments.values():
                    if (existing["principalId"], existing["resourceId"], existing["appRoleId"].lower()) == (
                        principal["id"],
                        sp["id"],
                        role_id,
                    ):
                        return _error(
                            400, "Request_BadRequest", "Permission being assigned already exists on the object"
                        )
                assignment = {
                    "id": uuid.uuid4().hex + uuid.uuid4().hex[:11],
                    "appRoleId": body.get("appRoleId"),
                    "principalId": principal["id"],
                    "principalDisplayName": principal.get("displayName"),
                    "principalType": principal["@odata.type"].rsplit(".", 1)[-1][:1].upper()
                    + principal["@odata.type"].rsplit(".", 1)[-1][1:],
                    "resourceId": sp["id"],
                    "resourceDisplayName": sp.get("displayName"),
                    "createdDateTime": _now(),
                    "deletedDateTime": None,
                }
                self.assignments[assignment["id"]] = assignment
                return Reply(201, dict(assignment, **{"@odata.context": self.context("appRoleAssignments/$entity")}))
            return _error(405, "Request_BadRequest", "Method not allowed.")
        assignment = self.assignments.get(rest[0])
        if assignment is None or assignment["resourceId"] != sp["id"]:
            return _not_found(rest[0])
        if request.method == "GET":
            return Reply(200, assignment)
        if request.method == "DELETE":
            self.assignments.pop(rest[0])
            return Reply(204)
        return _error(405, "Request_BadRequest", "Method not allowed.")


def _filter(expression):
    """A predicate for the simple filters the collection uses (``x eq 'v'``, ``list/any(u:u eq 'v')``)."""
    clauses = re.split(r"\s+and\s+", expression, flags=re.I)
    predicates = []
    for clause in clauses:
        match = _EQ.match(clause)
        if match:
            field, value = match.group(1), match.group(2).replace("''", "'")
            predicates.append(lambda o, f=field, v=value: str(_get(o, f) or "").lower() == v.lower())
            continue
        match = _ANY.match(clause)
        if match:
            field, value = match.group(1), match.group(3).replace("''", "'")
            predicates.append(lambda o, f=field, v=value: v.lower() in [str(x).lower() for x in (_get(o, f) or [])])
            continue
        return None
    return lambda o: all(p(o) for p in predicates)


def _parse_expand(value):
    """``members($select=id),owners`` -> [("members", ["id"]), ("owners", None)]; a nested option
    other than $select gives ``False`` in place of the list (Graph refuses those on directory objects)."""
    if not value:
        return []
    items, depth, current = [], 0, ""
    for char in value:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    parsed = []
    for item in items:
        name, options = item.strip().partition("(")[::2]
        name = _canonical_navigation(name.strip())
        select = None
        if options:
            option, fields = options.rstrip(")").partition("=")[::2]
            select = False
            if option.strip().lower() == "$select":
                select = [f.strip() for f in fields.split(",") if f.strip()]
        parsed.append((name, select))
    return parsed


def _canonical_navigation(name):
    # Graph matches property names without regard to case.
    known = [n for names in NAVIGATIONS.values() for n in names]
    return next((n for n in known if n.lower() == name.lower()), name)


def _get(obj, field):
    return next((v for k, v in obj.items() if k.lower() == field.lower()), None)
