"""Azure Resource Manager: a generic, stateful resource store driven by the type table in catalog.py."""

import copy
import time
import uuid
from datetime import datetime, timezone

from . import catalog
from .entra import CLIENT_ID, SUBSCRIPTION_ID, TENANT_ID
from .http import Reply, arm_error
from .schema import ValidationError, validate

RESOURCE_GROUPS = "Microsoft.Resources/resourceGroups"
STATUS_SEGMENTS = {"operationstatuses", "operationresults"}
# Longest pause the stand-in asks a poller to wait: long durations are polled a few times, not once.
MAX_POLL_DELAY_MS = 5000


def now_iso():
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def normalise_location(location):
    return location.replace(" ", "").lower() if isinstance(location, str) else location


class Target:
    """What an ARM path designates."""

    def __init__(self, kind, **fields):
        self.kind = kind  # subscriptions, subscription, groups, group, item, collection, action, operation, provider
        self.subscription = fields.get("subscription")
        self.group = fields.get("group")
        self.scope = fields.get("scope")  # "/subscriptions/x[/resourceGroups/y[/providers/...]]"
        self.namespace = fields.get("namespace")
        self.types = fields.get("types", [])
        self.names = fields.get("names", [])
        self.action = fields.get("action")
        self.operation = fields.get("operation")  # (segment, id)

    @property
    def type_name(self):
        if self.kind in ("group", "groups"):
            return RESOURCE_GROUPS
        if not self.namespace or not self.types:
            return None
        return "/".join([self.namespace, *self.types])


def parse(path):
    segs = [s for s in path.split("/") if s]
    if not segs or segs[0].lower() != "subscriptions":
        return Target("unknown")
    if len(segs) == 1:
        return Target("subscriptions")
    sub = segs[1]
    provider_at = max((i for i, s in enumerate(segs) if s.lower() == "providers" and i >= 2), default=None)
    if provider_at is None:
        if len(segs) == 2:
            return Target("subscription", subscription=sub)
        if segs[2].lower() != "resourcegroups":
            return Target("unknown", subscription=sub)
        if len(segs) == 3:
            return Target("groups", subscription=sub)
        if len(segs) == 4:
            return Target("group", subscription=sub, group=segs[3], names=[segs[3]])
        if len(segs) == 5 and segs[4].lower() == "resources":
            return Target("group_resources", subscription=sub, group=segs[3])
        return Target("unknown", subscription=sub)
    group = segs[3] if len(segs) > 3 and segs[2].lower() == "resourcegroups" else None
    scope = "/" + "/".join(segs[:provider_at])
    rest = segs[provider_at + 1 :]
    if not rest:
        return Target("unknown", subscription=sub)
    namespace, rest = rest[0], rest[1:]
    fields = dict(subscription=sub, group=group, scope=scope, namespace=namespace)
    if len(rest) >= 4 and rest[0].lower() == "locations" and rest[2].lower() in STATUS_SEGMENTS:
        return Target("operation", operation=(rest[2].lower(), rest[3]), **fields)
    if not rest:
        return Target("provider", **fields)
    if len(rest) % 2 == 0:
        return Target("item", types=rest[0::2], names=rest[1::2], **fields)
    return Target("odd", types=rest[0::2], names=rest[1::2], action=rest[-1], **fields)


class Arm:
    def __init__(self, standin):
        self.standin = standin
        self.durations = {}
        self.store = {}  # lower-cased id -> record
        self.operations = {}
        self.running = set()  # ids of operations still in progress (settle() looks only at these)
        self.ip_pools = {}  # subnet id (lower) -> set of allocated addresses
        self.deleted_vaults = {}  # vault name (lower) -> soft-deleted vault (Microsoft.KeyVault/deletedVaults)

    def reset(self):
        self.store.clear()
        self.operations.clear()
        self.running.clear()
        self.deleted_vaults.clear()
        self.ip_pools.clear()
        self.durations.clear()

    @property
    def base_url(self):
        return self.standin.base_url

    # ---- helpers for catalog hooks ------------------------------------------------------------------

    def get(self, resource_id):
        return self.store.get((resource_id or "").lower().rstrip("/"))

    def children(self, resource_id, type_name=None):
        prefix = resource_id.lower().rstrip("/") + "/"
        found = [r for k, r in self.store.items() if k.startswith(prefix)]
        if type_name:
            found = [r for r in found if r["type"].lower() == type_name.lower()]
        return found

    def of_type(self, type_name):
        return [r for r in self.store.values() if r["type"].lower() == type_name.lower()]

    def put_record(self, resource_id, type_name, body):
        record = {"id": resource_id, "type": type_name, "body": body, "extra": {}}
        self.store[resource_id.lower()] = record
        return record

    def remove(self, resource_id):
        """Delete a resource and everything below it (children, extension resources at its scope)."""
        key = resource_id.lower().rstrip("/")
        for k in [k for k in self.store if k == key or k.startswith(key + "/")]:
            record = self.store.pop(k)
            spec = catalog.spec(record["type"])
            if spec and spec.on_delete:
                spec.on_delete(self, record)

    def resource_type_of(self, path):
        target = parse(path)
        if target.kind == "odd" and len(target.types) > 1:
            return "/".join([target.namespace, *target.types[:-1]])
        return target.type_name

    # ---- long-running operations ------------------------------------------------------------------

    def settle(self):
        if not self.running:
            return
        current = time.monotonic()
        for op_id in [i for i in self.running if self.operations[i]["end_at"] <= current]:
            self._finish(self.operations[op_id])

    def _finish(self, op):
        self.running.discard(op["id"])
        op["status"] = "Failed" if op["fail"] else "Succeeded"
        op["endTime"] = now_iso()
        if op["apply"] is not None and not op["fail"]:
            op["apply"]()
        record = self.get(op["resource_id"])
        if op["kind"] == "delete":
            if op["fail"]:
                if record:
                    _set_state(record, "Succeeded")
            else:
                self.remove(op["resource_id"])
        elif op["kind"] == "put" and record:
            _set_state(record, "Failed" if op["fail"] else "Succeeded")
            spec = catalog.spec(record["type"])
            if spec and spec.on_ready and not op["fail"]:
                spec.on_ready(self, record)

    def start_operation(
        self, target, resource_id, kind, api_version, fail=False, location=None, result=None, apply=None
    ):
        """Register a long-running operation; ``apply`` runs when it succeeds.

        ``fail`` is True (a generic service failure) or an ARM error dict the status monitor reports.
        """
        op_id = str(uuid.uuid4())
        type_name = (target.type_name or RESOURCE_GROUPS) if kind != "action" else self.resource_type_of_target(target)
        duration = self.durations.get(type_name.lower(), self.durations.get("*", 0.0))
        self.operations[op_id] = {
            "id": op_id,
            "kind": kind,
            "resource_id": resource_id,
            "status": "InProgress",
            "startTime": now_iso(),
            "end_at": time.monotonic() + duration,
            "fail": fail,
            "result": result,
            "apply": apply,
        }
        self.running.add(op_id)
        namespace = target.namespace or "Microsoft.Resources"
        where = normalise_location(location) or "global"
        base = f"{self.base_url}/subscriptions/{target.subscription}/providers/{namespace}/locations/{where}"
        query = f"?api-version={api_version}"
        return (
            f"{base}/operationStatuses/{op_id}{query}",
            f"{base}/operationResults/{op_id}{query}",
        )

    def poll_delay_headers(self, operation):
        """When to poll again: the operation's remaining time, in milliseconds.

        ``operation`` is an operation id or one of the URLs start_operation returns.

        Only retry-after-ms: azure-core prefers a whole-second Retry-After when both are present,
        which would round every scaled-down duration up to a second.
        """
        op = self.operations[operation.split("?")[0].rstrip("/").rsplit("/", 1)[-1]]
        remaining_ms = max(10, min(MAX_POLL_DELAY_MS, int((op["end_at"] - time.monotonic()) * 1000) + 10))
        return {"retry-after-ms": str(remaining_ms)}

    def resource_type_of_target(self, target):
        return "/".join([target.namespace, *target.types[:-1]]) if len(target.types) > 1 else target.type_name

    def poll(self, target):
        segment, op_id = target.operation
        op = self.operations.get(op_id)
        if op is None:
            return arm_error(404, "OperationNotFound", f"The operation '{op_id}' could not be found.")
        headers = self.poll_delay_headers(op_id) if op["status"] == "InProgress" else {}
        if segment == "operationstatuses":
            body = {
                "id": target.scope + "/providers/" + target.namespace + "/operationStatuses/" + op_id,
                "name": op_id,
            }
            body.update(status=op["status"], startTime=op["startTime"])
            if op.get("endTime"):
                body["endTime"] = op["endTime"]
            if op["status"] == "Failed":
                body["error"] = _operation_error(op)
            return Reply(200, body, headers)
        # operationResults (Location polling)
        if op["status"] == "InProgress":
            return Reply(202, None, dict(headers, Location=f"{self.base_url}{_path_of(target)}"))
        if op["status"] == "Failed":
            error = _operation_error(op)
            return arm_error(400, error["code"], error["message"])
        if op["kind"] == "put":
            record = self.get(op["resource_id"])
            return Reply(200, self.render(record)) if record else Reply(204)
        if op["result"] is not None:
            return Reply(200, op["result"])
        return Reply(204) if op["kind"] == "delete" else Reply(200)

    # ---- entry point --------------------------------------------------------------------------------

    def handle(self, request, fail_lro=False):
        self.settle()
        target = parse(request.path)
        if target.kind == "unknown":
            return arm_error(
                404, "NotFound", f"No HTTP resource was found that matches the request URI '{request.url}'."
            )
        if target.kind == "subscriptions":
            return Reply(200, {"value": [self._subscription()]})
        if target.subscription.lower() != SUBSCRIPTION_ID:
            return arm_error(
                404, "SubscriptionNotFound", f"The subscription '{target.subscription}' could not be found."
            )
        if target.kind == "subscription":
            return Reply(200, self._subscription())
        if target.kind == "operation":
            return self.poll(target)
        if not request.api_version:
            return arm_error(
                400,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
        if target.kind == "provider":
            return Reply(
                200,
                {
                    "id": f"{target.scope}/providers/{target.namespace}",
                    "namespace": target.namespace,
                    "registrationState": "Registered",
                },
            )
        if target.kind == "group_resources":
            group = self.get(f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{target.group}")
            if not group:
                return _group_missing(target.group)
            prefix = group["id"].lower() + "/providers/"
            return Reply(200, {"value": [self.render(r) for k, r in self.store.items() if k.startswith(prefix)]})

        is_action = target.kind == "odd" and request.method == "POST"
        type_name = self.resource_type_of_target(target) if is_action else target.type_name
        spec = catalog.spec(type_name)
        if spec is None:
            return arm_error(
                404,
                "InvalidResourceType",
                f"The resource type '{'/'.join(target.types)}' could not be found in the namespace "
                f"'{target.namespace}' for api version '{request.api_version}'.",
            )
        if request.api_version not in spec.api_versions:
            return arm_error(
                400,
                "InvalidApiVersionParameter",
                f"The api-version '{request.api_version}' is invalid. The supported versions are "
                f"'{','.join(sorted(spec.api_versions, reverse=True))}'.",
            )
        if spec.custom and (is_action or target.kind == "item"):
            return spec.custom(self, request, target, spec)
        if is_action:
            return self.action(request, target, spec, fail_lro)
        if target.kind in ("odd", "groups"):
            if request.method != "GET":
                return arm_error(
                    405, "MethodNotAllowed", f"The method '{request.method}' is not allowed on a collection."
                )
            return self.list(request, target, spec)
        resource_id = self.canonical_id(target, spec)
        problem = self.check_parents(target, resource_id, request.method)
        if problem:
            return problem
        method = request.method
        if method in ("GET", "HEAD"):
            record = self.get(resource_id)
            if record is None:
                if method == "HEAD":
                    return Reply(404)
                return self.not_found(target, spec)
            return Reply(200 if method == "GET" else 204, self.render(record), self._etag_headers(record, spec))
        if method == "PUT":
            return self.put(request, target, spec, resource_id, fail_lro)
        if method == "PATCH":
            return self.patch(request, target, spec, resource_id)
        if method == "DELETE":
            return self.delete(request, target, spec, resource_id, fail_lro)
        return arm_error(405, "MethodNotAllowed", f"The method '{method}' is not allowed.")

    def _subscription(self):
        return {
            "id": f"/subscriptions/{SUBSCRIPTION_ID}",
            "subscriptionId": SUBSCRIPTION_ID,
            "tenantId": TENANT_ID,
            "displayName": "Azure stand-in",
            "state": "Enabled",
            "subscriptionPolicies": {
                "locationPlacementId": "Public_2014-09-01",
                "quotaId": "PayAsYouGo_2014-09-01",
                "spendingLimit": "Off",
            },
            "authorizationSource": "RoleBased",
        }

    def canonical_id(self, target, spec):
        if target.kind == "group":
            return f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{target.group}"
        scope_record = self.get(target.scope)
        scope = scope_record["id"] if scope_record else _canonical_scope(target.scope)
        parts = spec.type_name.split("/")
        segments = [f"{t}/{n}" for t, n in zip(parts[1:], target.names, strict=False)]
        return f"{scope}/providers/{parts[0]}/" + "/".join(segments)

    def check_parents(self, target, resource_id, method):
        if target.kind == "group":
            return None
        if target.group:
            group_id = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{target.group}"
            if not self.get(group_id):
                return _group_missing(target.group)
        scope = target.scope.rstrip("/")
        if scope.lower().count("/providers/") and not self.get(scope):
            return arm_error(404, "ResourceNotFound", f"The scope resource '{scope}' was not found.")
        if len(target.names) > 1:
            parent_id = resource_id.rsplit("/", 2)[0]
            if not self.get(parent_id):
                parent_type = "/".join([target.namespace, *target.types[:-1]])
                return arm_error(
                    404,
                    "ParentResourceNotFound",
                    f"Failed to perform '{'read' if method == 'GET' else 'write'}' on resource(s) of type "
                    f"'{'/'.join([target.namespace, *target.types])}', because the parent resource "
                    f"'{parent_id}' could not be found. (parent type '{parent_type}')",
                )
        return None

    def not_found(self, target, spec):
        if target.kind == "group":
            return _group_missing(target.group)
        name = "/".join(f"{t}/{n}" for t, n in zip(target.types, target.names, strict=False))
        where = f" under resource group '{target.group}'" if target.group else ""
        return arm_error(
            404,
            "ResourceNotFound",
            f"The Resource '{target.namespace}/{name}'{where} was not found. For more details please go to "
            "https://aka.ms/ARMResourceNotFoundFix",
        )

    # ---- rendering ----------------------------------------------------------------------------------

    def render(self, record):
        body = clone(record["body"])
        spec = catalog.spec(record["type"])
        if spec:
            if spec.view:
                body = spec.view(self, record, body)
            for path in spec.all_write_only():
                _strip(body, path.split("."))
        return body

    def _etag_headers(self, record, spec):
        etag = record["body"].get("etag") or record["extra"].get("etag")
        return {"ETag": etag} if etag else {}

    # ---- verbs --------------------------------------------------------------------------------------

    def _validated(self, request, spec, partial):
        try:
            body = request.json()
        except ValueError:
            return None, arm_error(400, "InvalidRequestContent", "The request content was not valid JSON.")
        if body is None:
            return None, arm_error(400, "InvalidRequestContent", "The request content is empty.")
        model = (spec.patch_model if partial else spec.model) or spec.model
        try:
            return validate(catalog.load_schema(model), body, partial=partial), None
        except ValidationError as err:
            return None, arm_error(400, err.code, err.message, target=err.target)

    def put(self, request, target, spec, resource_id, fail_lro):
        body, problem = self._validated(request, spec, partial=False)
        if problem:
            return problem
        existing = self.get(resource_id)
        if existing and existing["extra"].get("state") == "Deleting":
            return arm_error(409, "Conflict", f"The resource '{resource_id}' is being deleted.")
        # write-only values the client does not resend are kept, as the service does
        if existing:
            for path in spec.all_write_only():
                _carry(existing["body"], body, path.split("."))
        if spec.check:
            problem = spec.check(self, request, target, resource_id, body, existing)
            if problem:
                return problem
        name = target.names[-1]
        full = {"id": resource_id, "name": name, "type": spec.type_name}
        full.update(body)
        if "location" in full:
            full["location"] = normalise_location(full["location"])
        schema = catalog.load_schema(spec.model)
        stamp = now_iso()
        if "systemdata" in schema.fields:
            created = (existing or {}).get("body", {}).get("systemData", {})
            full["systemData"] = {
                "createdBy": created.get("createdBy", CLIENT_ID),
                "createdByType": created.get("createdByType", "Application"),
                "createdAt": created.get("createdAt", stamp),
                "lastModifiedBy": CLIENT_ID,
                "lastModifiedByType": "Application",
                "lastModifiedAt": stamp,
            }
        if spec.etag:
            full["etag"] = f'W/"{uuid.uuid4()}"' if spec.etag == "weak" else f'"{uuid.uuid4().hex}"'
        record = {
            "id": resource_id,
            "type": spec.type_name,
            "body": full,
            "extra": dict((existing or {}).get("extra", {})),
        }
        if spec.etag == "header":
            record["extra"]["etag"] = full.pop("etag")
        has_state = _has_provisioning_state(schema)
        fill_identity(self, full)
        if spec.fill:
            problem = spec.fill(self, request, target, record, existing)
            if problem:
                return problem
        self.store[resource_id.lower()] = record
        status = 200 if existing else spec.created_status
        if spec.lro and request.method == "PUT":
            if has_state:
                _set_state(record, spec.busy_state(existing))
            async_url, _location_url = self.start_operation(
                target, resource_id, "put", request.api_version, fail=fail_lro, location=full.get("location")
            )
            return Reply(
                status, self.render(record), {"Azure-AsyncOperation": async_url, **self._etag_headers(record, spec)}
            )
        if has_state:
            _set_state(record, "Succeeded")
        if spec.on_ready:
            spec.on_ready(self, record)
        return Reply(status, self.render(record), self._etag_headers(record, spec))

    def patch(self, request, target, spec, resource_id):
        existing = self.get(resource_id)
        if existing is None:
            return self.not_found(target, spec)
        body, problem = self._validated(request, spec, partial=True)
        if problem:
            return problem
        before = copy.deepcopy(existing)
        merged = copy.deepcopy(existing["body"])
        _merge(merged, body)
        if spec.check:
            problem = spec.check(self, request, target, resource_id, merged, existing)
            if problem:
                return problem
        existing["body"] = merged
        fill_identity(self, merged)
        if "systemData" in merged:
            merged["systemData"].update(
                lastModifiedBy=CLIENT_ID, lastModifiedByType="Application", lastModifiedAt=now_iso()
            )
        if spec.fill:
            problem = spec.fill(self, request, target, existing, before)
            if problem:
                return problem
        headers = self._etag_headers(existing, spec)
        if spec.lro:
            # applied at once; the status monitor is there for SDK methods that poll PATCH
            async_url, _location_url = self.start_operation(
                target, resource_id, "patch", request.api_version, location=merged.get("location")
            )
            headers["Azure-AsyncOperation"] = async_url
        return Reply(200, self.render(existing), headers)

    def delete(self, request, target, spec, resource_id, fail_lro):
        record = self.get(resource_id)
        if record is None:
            if target.kind == "group":
                return _group_missing(target.group)
            return Reply(204)
        if spec.check_delete:
            problem = spec.check_delete(self, record)
            if problem:
                return problem
        if target.kind == "group":
            _set_state(record, "Deleting")
            record["extra"]["state"] = "Deleting"
            _async_url, location_url = self.start_operation(
                target, resource_id, "delete", request.api_version, fail=fail_lro
            )
            return Reply(202, None, {"Location": location_url, **self.poll_delay_headers(location_url)})
        if spec.delete_lro:
            record["extra"]["state"] = "Deleting"
            if _has_provisioning_state(catalog.load_schema(spec.model)):
                _set_state(record, "Deleting")
            async_url, location_url = self.start_operation(
                target,
                resource_id,
                "delete",
                request.api_version,
                fail=fail_lro,
                location=record["body"].get("location"),
            )
            return Reply(202, None, {"Azure-AsyncOperation": async_url, "Location": location_url})
        self.remove(resource_id)
        return Reply(spec.deleted_status)

    def list(self, request, target, spec):
        if target.kind == "groups":
            records = list(self.of_type(RESOURCE_GROUPS))
            return Reply(200, {"value": [self.render(r) for r in records]})
        if spec.custom_list:
            return spec.custom_list(self, request, target, spec)
        if target.group and not self.get(f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{target.group}"):
            return _group_missing(target.group)
        parent = target.scope
        if len(target.types) > 1:
            parent_id = self.canonical_id(
                Target("item", **_fields(target, len(target.types) - 1)),
                catalog.spec("/".join([target.namespace, *target.types[:-1]])) or spec,
            )
            if not self.get(parent_id):
                return arm_error(
                    404, "ParentResourceNotFound", f"The parent resource '{parent_id}' could not be found."
                )
            parent = parent_id
        prefix = parent.lower().rstrip("/") + "/"
        if target.scope.lower().count("/resourcegroups/") == 0 and len(target.types) == 1:
            prefix = f"/subscriptions/{SUBSCRIPTION_ID}/".lower()
        records = [
            r for k, r in self.store.items() if r["type"].lower() == spec.type_name.lower() and k.startswith(prefix)
        ]
        return Reply(200, {"value": [self.render(r) for r in records]})

    def action(self, request, target, spec, fail_lro):
        item = Target("item", **_fields(target, len(target.types) - 1)) if len(target.types) > 1 else None
        name = target.action.lower()
        handler = spec.actions.get(name)
        if item is None:
            handler = spec.actions.get(name)
            if handler is None:
                return arm_error(
                    404, "NotFound", f"The action '{target.action}' is not supported on '{spec.type_name}'."
                )
            return handler(self, request, target, None)
        resource_id = self.canonical_id(item, spec)
        problem = self.check_parents(item, resource_id, "POST")
        if problem:
            return problem
        record = self.get(resource_id)
        if record is None:
            return self.not_found(item, spec)
        if handler is None:
            return arm_error(404, "NotFound", f"The action '{target.action}' is not supported on '{spec.type_name}'.")
        return handler(self, request, item, record, fail_lro=fail_lro)


# ---- managed identities -------------------------------------------------------------------------


def fill_identity(arm, body):
    """What ARM adds to any resource's ``identity``: the system-assigned principal, user-assigned ids.

    A system-assigned identity keeps its principal while it stays enabled (stable per resource id);
    each user-assigned entry shows the principal and client id of that identity resource.
    """
    identity = body.get("identity")
    if not isinstance(identity, dict):
        return
    kind = str(identity.get("type") or "None").replace(" ", "").lower()
    if "systemassigned" in kind:
        identity["principalId"] = _stable_uuid("system-assigned", body["id"])
        identity["tenantId"] = TENANT_ID
    else:
        identity.pop("principalId", None)
        identity.pop("tenantId", None)
    assigned = identity.get("userAssignedIdentities")
    if "userassigned" not in kind:
        identity.pop("userAssignedIdentities", None)
    elif isinstance(assigned, dict):
        for key in list(assigned):
            user = arm.get(key)
            props = (user or {}).get("body", {}).get("properties", {})
            assigned[key] = {
                "principalId": props.get("principalId") or _stable_uuid("principal", key),
                "clientId": props.get("clientId") or _stable_uuid("client", key),
            }


def _stable_uuid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(p.lower() for p in parts)))


# ---- small pure helpers -------------------------------------------------------------------------


def clone(value):
    """A deep copy of JSON data (several times faster than copy.deepcopy, which every GET would pay)."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


def _operation_error(op):
    if isinstance(op["fail"], dict):
        return dict(op["fail"])
    return {"code": "InternalServerError", "message": "The operation failed inside the service."}


def _fields(target, count):
    return dict(
        subscription=target.subscription,
        group=target.group,
        scope=target.scope,
        namespace=target.namespace,
        types=target.types[:count],
        names=target.names[:count],
    )


def _path_of(target):
    return (
        f"/subscriptions/{target.subscription}/providers/{target.namespace}/locations/x/{target.operation[0]}/"
        f"{target.operation[1]}"
    )


def _canonical_scope(scope):
    parts = [p for p in scope.split("/") if p]
    if len(parts) >= 2:
        parts[0] = "subscriptions"
    if len(parts) >= 4:
        parts[2] = "resourceGroups"
    return "/" + "/".join(parts)


def _group_missing(group):
    return arm_error(404, "ResourceGroupNotFound", f"Resource group '{group}' could not be found.")


def _has_provisioning_state(schema):
    props = schema.fields.get("properties")
    if props is None:
        return "provisioningstate" in schema.fields
    return props.type[0] == "object" and "provisioningstate" in props.type[1].fields


def _set_state(record, state):
    record["body"].setdefault("properties", {})["provisioningState"] = state


def _strip(value, parts):
    if not parts or value is None:
        return
    head, rest = parts[0], parts[1:]
    is_list = head.endswith("[]")
    key = head[:-2] if is_list else head
    if not isinstance(value, dict):
        return
    match = next((k for k in value if k.lower() == key.lower()), None)
    if match is None:
        return
    if not rest:
        value.pop(match)
        return
    children = value[match] if is_list and isinstance(value[match], list) else [value[match]]
    for child in children:
        _strip(child, rest)


def _carry(old, new, parts):
    """Copy a write-only value from the stored body when the new body lacks it (lists by element name)."""
    head, rest = parts[0], parts[1:]
    is_list = head.endswith("[]")
    key = head[:-2] if is_list else head
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    old_key = next((k for k in old if k.lower() == key.lower()), None)
    new_key = next((k for k in new if k.lower() == key.lower()), None)
    if old_key is None:
        return
    if not rest:
        if new_key is None:
            new[old_key] = old[old_key]
        return
    if new_key is None:
        return
    if is_list:
        olds = {str(o.get("name", i)): o for i, o in enumerate(old[old_key] or []) if isinstance(o, dict)}
        for i, item in enumerate(new[new_key] or []):
            if isinstance(item, dict):
                match = olds.get(str(item.get("name", i)))
                if match is not None:
                    _carry(match, item, rest)
    else:
        _carry(old[old_key], new[new_key], rest)


def _merge(target, patch):
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
