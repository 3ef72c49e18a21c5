# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource engine: get -> compare -> create / update / delete for every ARM module.

A module declares *what* (argument spec, ``desired_body(params)`` in REST wire names, an
``ArmResource`` description); this file does *how*: authentication, the SDK call, check mode,
``--diff``, long-running operations, tags, write-only fields and ARM error reporting.
The API is documented, with a worked example, in docs/developing-modules.md.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import copy
import hashlib
import json
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.mcp_platform.azure.plugins.module_utils._auth import (
    AUTH_ARGUMENT_SPEC,
    AuthError,
    azure_auth_from_params,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._clients import MissingSdk, Sdk, build_client
from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import (
    deep_merge,
    differences,
    get_path,
    mask,
    normalise,
    path_pattern,
    remove_path,
    strip_none,
)

TAGS_ARGUMENT_SPEC = dict(
    tags=dict(type="dict"),
    append_tags=dict(type="bool", default=True),
)
# Holds a slow salted hash of the write-only values last sent, so a re-run can tell whether they
# changed without Azure ever returning them (see docs/developing-modules.md, "Write-only fields").
FINGERPRINT_TAG = "mcp-platform-fingerprint"
FINGERPRINT_ITERATIONS = 100000
TERMINAL_STATES = ("succeeded", "failed", "canceled", "cancelled")


class ArmError(Exception):
    """An Azure call failed; carries ARM's error code and message."""

    def __init__(self, message, code=None, status=None, details=None):
        super(ArmError, self).__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.details = details

    def as_dict(self):
        return dict(code=self.code, message=self.message, status=self.status, details=self.details)


class ModuleError(Exception):
    """A problem the user can fix (wrong option combination, a guard not set); names the option."""


def arm_error_from(exc):
    """Turn an azure-core exception into an ArmError with ARM's code and message."""
    code = message = details = None
    status = getattr(getattr(exc, "response", None), "status_code", None) or getattr(exc, "status_code", None)
    error = getattr(exc, "error", None)
    if error is not None:
        code, message = getattr(error, "code", None), getattr(error, "message", None)
        details = [
            dict(code=getattr(d, "code", None), message=getattr(d, "message", None))
            for d in getattr(error, "details", None) or []
        ] or None
    if not code:
        body = _response_json(getattr(exc, "response", None))
        envelope = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else body
        if isinstance(envelope, dict):
            code, message = envelope.get("code"), envelope.get("message") or message
    message = message or getattr(exc, "message", None) or str(exc)
    code = code or type(exc).__name__
    return ArmError("%s: %s" % (code, message), code=code, status=status, details=details)


def _response_json(response):
    if response is None:
        return None
    try:
        text = response.text()
    except Exception:  # a streamed or already consumed body: nothing more to read
        return None
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _raw_body(pipeline_response, deserialized, headers):  # pylint: disable=unused-argument
    """``cls=`` hook for SDK calls: the exact JSON Azure returned, in wire names, for both SDK generations."""
    return _response_json(pipeline_response.http_response)


def to_wire(model):
    """An SDK model (autorest msrest model or typespec MutableMapping model) or a dict -> a plain wire dict."""
    if model is None or isinstance(model, (str, int, float, bool)):
        return model
    if hasattr(model, "_attribute_map") and hasattr(model, "serialize"):
        return model.serialize(keep_readonly=True)
    if hasattr(model, "as_dict") and hasattr(model, "_attr_to_rest_field"):
        return model.as_dict()
    if isinstance(model, dict):
        return dict((k, to_wire(v)) for k, v in model.items())
    if isinstance(model, (list, tuple)):
        return [to_wire(v) for v in model]
    return json.loads(json.dumps(model, default=str))


def _is_poller(value):
    return hasattr(value, "result") and hasattr(value, "done") and hasattr(value, "polling_method")


def fingerprint(values, salt):
    """A slow, salted hash of write-only values: safe to store in a tag, cheap to compare."""
    material = json.dumps(values, sort_keys=True, separators=(",", ":")).encode("utf-8")
    digest = hashlib.pbkdf2_hmac("sha256", material, salt.lower().encode("utf-8"), FINGERPRINT_ITERATIONS)
    return "pbkdf2-sha256:" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


class ArmResource:
    """How to reach one kind of ARM resource through its SDK, and how to compare it.

    sdk             Sdk(import path, client class, operation group) or the same as a tuple.
    path            option names whose values are the SDK call's leading positional arguments, in
                    SDK order, e.g. ("resource_group", "service_name", "name"); or a callable
                    params -> tuple.
    get/create/delete/update
                    operation-group method names; defaults: get, begin_create_or_update (else
                    create_or_update), begin_delete (else delete); update defaults to create (PUT).
    extra_args      {"get"|"create"|"update"|"delete": callable(params) -> tuple} appended after the
                    path (before the body for create/update), e.g. APIM's if_match for delete.
    extra_kwargs    {"get"|"create"|"update"|"delete": callable(params) -> dict} SDK keyword arguments.
    tags            the resource has ARM tags: the module gets ``tags`` / ``append_tags``.
    write_only      paths Azure never returns (passwords, secure values): compared by fingerprint.
    normalise       {path: "lower" | "location" | "resource_id" | "unordered" | callable}.
    ignore          paths of the desired body never compared (sent, but not a reason to update).
    recreate_on     paths whose change needs delete + create; refused unless option ``recreate``.
    delete_guard    a bool option that must be true before this resource is deleted or recreated.
    list_calls      for _info modules: {(option names...): method}, e.g.
                    {("resource_group",): "list_by_resource_group", (): "list"}.
    kind            a human name used in messages ("resource group").
    validate        callable(params) -> None or a list of problems ("option: rule"): input rules,
                    checked before the first Azure call; may also raise ModuleError.
    check_current   callable(current, params) -> None or a list of problems: rules against the
                    existing resource (settings that cannot change once set), checked before any
                    comparison or write; may also raise ModuleError.
    """

    def __init__(
        self,
        sdk,
        path,
        get="get",
        create=None,
        delete=None,
        update=None,
        extra_args=None,
        extra_kwargs=None,
        tags=False,
        write_only=(),
        normalise=None,
        ignore=(),
        recreate_on=(),
        delete_guard=None,
        list_calls=None,
        kind="resource",
        write_only_update_option=None,
        validate=None,
        check_current=None,
    ):
        self.sdk = sdk if isinstance(sdk, Sdk) else Sdk(*sdk)
        self.path = path
        self.get = get
        self.create = create
        self.delete = delete
        self.update = update
        self.extra_args = extra_args or {}
        self.extra_kwargs = extra_kwargs or {}
        self.tags = tags
        self.write_only = tuple(write_only)
        self.normalise = dict(normalise or {})
        self.normalise.setdefault("location", "location")
        self.ignore = tuple(ignore)
        self.recreate_on = tuple(recreate_on)
        self.delete_guard = delete_guard
        self.list_calls = list_calls or {}
        self.kind = kind
        self.write_only_update_option = write_only_update_option
        self.validate = validate
        self.check_current = check_current

    def path_args(self, params):
        if callable(self.path):
            return tuple(self.path(params))
        return tuple(params[name] for name in self.path)

    def args_for(self, operation, params):
        extra = self.extra_args.get(operation)
        return tuple(extra(params)) if extra else ()

    def kwargs_for(self, operation, params):
        extra = self.extra_kwargs.get(operation)
        return dict(extra(params)) if extra else {}


def arm_argument_spec(spec, tags=False):
    """The module's own options plus the authentication (and tag) options every module shares."""
    full = dict(AUTH_ARGUMENT_SPEC)
    if tags:
        full.update(TAGS_ARGUMENT_SPEC)
    full.update(spec)
    return full


class ArmModule:
    """An AnsibleModule with Azure authentication, SDK clients and error-reporting SDK calls.

    ``credential`` and ``client_overrides`` (e.g. ``transport=``) exist for tests.
    """

    def __init__(
        self,
        argument_spec,
        tags=False,
        credential=None,
        client_overrides=None,
        require_subscription=True,
        **module_kwargs,
    ):
        module_kwargs.setdefault("supports_check_mode", True)
        self._require_subscription = require_subscription
        self.module = AnsibleModule(argument_spec=arm_argument_spec(argument_spec, tags=tags), **module_kwargs)
        self._credential = credential
        self._client_overrides = client_overrides or {}
        self._auth = None
        self._clients = {}

    @property
    def params(self):
        return self.module.params

    @property
    def check_mode(self):
        return self.module.check_mode

    @property
    def diff_mode(self):
        return self.module._diff  # pylint: disable=protected-access

    @property
    def auth(self):
        if self._auth is None:
            try:
                self._auth = azure_auth_from_params(
                    self.params, run_command=self._run_command, require_subscription=self._require_subscription
                )
            except AuthError as exc:
                self.fail(str(exc))
        return self._auth

    def _run_command(self, argv):
        return self.module.run_command(argv)

    def client(self, sdk, **overrides):
        """An SDK client (cached per client class) for the resolved identity and cloud."""
        sdk = sdk if isinstance(sdk, Sdk) else Sdk(*sdk)
        key = (sdk.module, sdk.client, tuple(sorted(overrides.items())))
        if key not in self._clients:
            options = dict(self._client_overrides)
            options.update(overrides)
            try:
                self._clients[key] = build_client(self.auth, sdk, credential=self._credential, **options)
            except MissingSdk as exc:
                self.module.fail_json(msg=missing_required_lib(exc.package), exception=str(exc.error))
        return self._clients[key]

    def operations(self, sdk):
        """The SDK operation group named by ``sdk`` (e.g. client.resource_groups)."""
        sdk = sdk if isinstance(sdk, Sdk) else Sdk(*sdk)
        return getattr(self.client(sdk), sdk.operations)

    def call(self, method, *args, **kwargs):
        """Call an SDK method, sending ``body`` as exact JSON, returning Azure's JSON (or None).

        ``body=``: a dict sent verbatim as the request body after the positional arguments.
        ``wait=False``: for a long-running operation, return after Azure accepted it; the answer is
        then ``(json, True)``-style: see ``call_lro``. Errors raise ArmError.
        """
        return self.call_lro(method, *args, **kwargs)[0]

    def call_lro(self, method, *args, **kwargs):
        """Like ``call`` but returns ``(json, in_progress)``; ``in_progress`` only with ``wait=False``."""
        body = kwargs.pop("body", None)
        wait = kwargs.pop("wait", True)
        call_args = list(args)
        if body is not None:
            call_args.append(json.dumps(body).encode("utf-8"))
            kwargs.setdefault("content_type", "application/json")
        kwargs.setdefault("cls", _raw_body)
        lro = getattr(method, "__name__", "").startswith("begin_")
        if lro and not wait:
            # NoPolling: the poller's result is the initial response, and nothing is awaited.
            kwargs["polling"] = False
        try:
            result = method(*call_args, **kwargs)
            if _is_poller(result):
                if not wait:
                    try:
                        answer = result.result()
                    except (ValueError, AttributeError, TypeError):
                        answer = None  # 202 Accepted without a body
                    state = str(((answer or {}).get("properties") or {}).get("provisioningState") or "")
                    return answer, state.lower() not in TERMINAL_STATES
                return result.result(), False
            return result, False
        except ArmError:
            raise
        except Exception as exc:
            if _is_azure_error(exc):
                raise arm_error_from(exc) from exc
            raise

    def get_or_none(self, method, *args, **kwargs):
        """GET a resource; None when Azure answers 404."""
        kwargs.setdefault("cls", _raw_body)
        try:
            return method(*args, **kwargs)
        except Exception as exc:
            if _is_not_found(exc):
                return None
            if _is_azure_error(exc):
                raise arm_error_from(exc) from exc
            raise

    def fail(self, msg, **kwargs):
        self.module.fail_json(msg=msg, **kwargs)

    def fail_arm(self, error, action):
        self.module.fail_json(msg="Azure refused to %s: %s" % (action, error.message), error=error.as_dict())

    def exit(self, **result):
        self.module.exit_json(**result)


def _is_azure_error(exc):
    return any(cls.__module__.startswith("azure.core") for cls in type(exc).__mro__)


def _is_not_found(exc):
    status = getattr(getattr(exc, "response", None), "status_code", None) or getattr(exc, "status_code", None)
    return type(exc).__name__ == "ResourceNotFoundError" or status == 404


def _fail_on_problems(problems):
    """A rule hook may raise ModuleError itself or return its problems; either fails the task."""
    if problems:
        raise ModuleError("; ".join(problems) if isinstance(problems, (list, tuple)) else str(problems))


def _method(operations, preferred, fallbacks):
    for name in ([preferred] if preferred else []) + list(fallbacks):
        if name and hasattr(operations, name):
            return getattr(operations, name)
    raise AttributeError("%s has none of %s" % (type(operations).__name__, [preferred, *fallbacks]))


# ResourceEngine(..., current=NOT_READ): the engine reads the resource itself.
NOT_READ = object()


class ResourceEngine:
    """Runs one module invocation for one ARM resource; ``run()`` returns the result dict.

    ``current`` is the resource as the module already read it (None: it does not exist), so that a
    module that must look at it first (to wait for it, say) does not cost a second read.
    """

    def __init__(self, arm, resource, desired_body, current=NOT_READ):
        self.arm = arm
        self.resource = resource
        self.desired_body = desired_body
        self.known_current = current

    @property
    def params(self):
        return self.arm.params

    def _ops(self):
        return self.arm.operations(self.resource.sdk)

    def _call(self, operation, body=None, wait=True):
        ops = self._ops()
        res = self.resource
        defaults = dict(
            create=("begin_create_or_update", "create_or_update"),
            update=(res.create, "begin_create_or_update", "create_or_update"),
            delete=("begin_delete", "delete"),
        )[operation]
        method = _method(ops, getattr(res, operation), defaults)
        args = res.path_args(self.params) + res.args_for(operation, self.params)
        return self.arm.call_lro(method, *args, body=body, wait=wait, **res.kwargs_for(operation, self.params))

    def current(self):
        res = self.resource
        method = getattr(self._ops(), res.get)
        args = res.path_args(self.params) + res.args_for("get", self.params)
        return self.arm.get_or_none(method, *args, **res.kwargs_for("get", self.params))

    def validate(self, params):
        """Input rules, run before the first Azure call (the resource's ``validate``).

        Subclasses may extend it; a problem raises ModuleError, so nothing has been read or written.
        """
        if self.resource.validate is not None:
            _fail_on_problems(self.resource.validate(params))

    def check_current(self, current, params):
        """Rules against the existing resource, run when it exists and ``state=present``, before
        comparing or writing (the resource's ``check_current``): e.g. a setting that cannot be undone.
        """
        if self.resource.check_current is not None:
            _fail_on_problems(self.resource.check_current(current, params))

    def _salt(self):
        path = [str(part) for part in self.resource.path_args(self.params)]
        return "/".join([self.resource.sdk.module, self.resource.sdk.operations or "", *path])

    def _write_only_values(self, desired):
        values = {}
        for path in self.resource.write_only:
            found = [v for v in get_path(desired, path) if v is not None]
            if found:
                values[path] = found
        return values

    def _comparable(self, body):
        body = copy.deepcopy(body)
        for path in self.resource.write_only + self.resource.ignore:
            remove_path(body, path)
        body.pop("tags", None)
        return normalise(body, self.resource.normalise)

    def _desired_tags(self, current):
        """(tags to send, whether tags differ) — user tags only, the fingerprint tag aside."""
        current_tags = dict((current or {}).get("tags") or {})
        current_tags.pop(FINGERPRINT_TAG, None)
        wanted = self.params.get("tags")
        if not self.resource.tags or wanted is None:
            return current_tags, False
        wanted = dict((k, "" if v is None else str(v)) for k, v in wanted.items())
        if self.params.get("append_tags", True):
            merged = dict(current_tags)
            merged.update(wanted)
            wanted = merged
        return wanted, wanted != current_tags

    def run(self):
        params = self.params
        self.validate(params)
        current = self.current() if self.known_current is NOT_READ else self.known_current
        if params.get("state", "present") == "absent":
            return self._absent(current)
        if current is not None:
            self.check_current(current, params)
        desired = strip_none(self.desired_body(params))
        if not isinstance(desired, dict):
            raise ModuleError("desired_body must return a dict")
        if self.resource.tags:
            desired.pop("tags", None)
        write_only = self._write_only_values(desired)
        if current is None:
            return self._create(desired, write_only)
        return self._update(current, desired, write_only)

    def _with_tags(self, body, tags, write_only):
        if not self.resource.tags:
            return body
        tags = dict(tags)
        if write_only:
            tags[FINGERPRINT_TAG] = fingerprint(write_only, self._salt())
        body = dict(body)
        body["tags"] = tags
        return body

    def _result(self, changed, operation, before, after, resource, changes=(), in_progress=False):
        masked_resource = mask(resource, self.resource.write_only) if resource is not None else None
        result = dict(
            changed=changed,
            operation=operation,
            changes=list(changes),
            resource=masked_resource,
            id=(resource or {}).get("id") if isinstance(resource, dict) else None,
            in_progress=in_progress,
        )
        if self.arm.diff_mode:
            result["diff"] = dict(
                before=mask(before, self.resource.write_only) if before is not None else {},
                after=mask(after, self.resource.write_only) if after is not None else {},
            )
        return result

    def _create(self, desired, write_only):
        tags = self._desired_tags(None)[0]
        body = self._with_tags(desired, tags, write_only)
        if self.arm.check_mode:
            return self._result(True, "create", None, body, body, changes=["(new)"])
        try:
            created, in_progress = self._call("create", body=body, wait=self.params.get("wait", True))
        except ArmError as error:
            self.arm.fail_arm(error, "create the %s" % self.resource.kind)
        return self._result(True, "create", None, body, created or body, changes=["(new)"], in_progress=in_progress)

    def _update(self, current, desired, write_only):
        res = self.resource
        changes = differences(self._comparable(desired), self._comparable(current))
        tags, tags_changed = self._desired_tags(current)
        if tags_changed:
            changes.append("tags")
        current_fingerprint = ((current.get("tags") or {}) if res.tags else {}).get(FINGERPRINT_TAG)
        if write_only:
            forced = res.write_only_update_option and self.params.get(res.write_only_update_option) in (True, "always")
            if forced or (res.tags and current_fingerprint != fingerprint(write_only, self._salt())):
                changes.extend("%s (write-only)" % path for path in sorted(write_only))
        if not changes:
            return self._result(False, None, current, current, current)

        recreate = [p for p in res.recreate_on if any(path_pattern(p).match(c) for c in changes)]
        if recreate and not self.params.get("recreate"):
            raise ModuleError(
                "changing %s requires recreating the %s; set recreate=true to delete and create it again"
                % (", ".join(recreate), res.kind)
            )
        body = self._with_tags(desired, tags, write_only)
        predicted = deep_merge(current, body)
        operation = "recreate" if recreate else "update"
        if self.arm.check_mode:
            return self._result(True, operation, current, predicted, predicted, changes)
        wait = self.params.get("wait", True)
        try:
            if recreate:
                self._guard("recreate")
                self._call("delete", wait=True)
                answer, in_progress = self._call("create", body=body, wait=wait)
            else:
                answer, in_progress = self._call("update", body=body, wait=wait)
        except ArmError as error:
            self.arm.fail_arm(error, "%s the %s" % (operation, res.kind))
        return self._result(True, operation, current, predicted, answer or predicted, changes, in_progress)

    def _guard(self, action):
        guard = self.resource.delete_guard
        if guard and not self.params.get(guard):
            raise ModuleError(
                "%s of %s %s destroys its data; set %s=true to allow it"
                % (action, self.resource.kind, "/".join(map(str, self.resource.path_args(self.params))), guard)
            )

    def _absent(self, current):
        if current is None:
            return self._result(False, None, None, None, None)
        self._guard("deletion")
        if self.arm.check_mode:
            return self._result(True, "delete", current, None, None, ["(deleted)"])
        try:
            in_progress = self._call("delete", wait=self.params.get("wait", True))[1]
        except ArmError as error:
            self.arm.fail_arm(error, "delete the %s" % self.resource.kind)
        return self._result(True, "delete", current, None, None, ["(deleted)"], in_progress)


def report_failures(arm, kind, work):
    """Return ``work()``'s result; any failure ends the task the same way in every module.

    A ModuleError is the user's to fix (its message names the option), an ArmError carries ARM's
    code and message, and anything else still fails the task with the traceback attached.
    """
    try:
        return work()
    except ModuleError as exc:
        arm.fail(str(exc))
    except ArmError as error:
        arm.fail_arm(error, "read the %s" % kind)
    except Exception as exc:  # anything unexpected still ends as a failed task, never a bare traceback
        arm.fail("unexpected error handling the %s: %s" % (kind, exc), exception=traceback.format_exc())
    return None


def run_resource_module(argument_spec, desired_body, resource, finish=None, engine_class=None, **arm_kwargs):
    """The whole ``main()`` of an ARM resource module.

    ``finish(arm, result)``, when given, returns extra result fields (e.g. a login server read from
    the resource); it runs inside the same error handling, so an Azure error there is reported the
    same way. ``engine_class`` swaps in a ResourceEngine subclass.
    """
    arm = ArmModule(argument_spec, tags=resource.tags, **arm_kwargs)

    def work():
        result = (engine_class or ResourceEngine)(arm, resource, desired_body).run()
        if finish is not None:
            result.update(finish(arm, result))
        return result

    arm.exit(**report_failures(arm, resource.kind, work))


def list_resources(arm, resource):
    """For _info modules: one resource when every path option is set, else the best-fitting list call."""
    params = arm.params
    ops = arm.operations(resource.sdk)
    names = resource.path if not callable(resource.path) else ()
    if names and all(params.get(n) is not None for n in names):
        found = arm.get_or_none(getattr(ops, resource.get), *resource.path_args(params))
        return [found] if found is not None else []
    candidates = sorted(
        (k for k in resource.list_calls if all(params.get(n) is not None for n in k)), key=len, reverse=True
    )
    if not candidates:
        raise ModuleError("set %s to look up a %s" % (" and ".join(names), resource.kind))
    key = candidates[0]
    method = getattr(ops, resource.list_calls[key])
    try:
        return [to_wire(item) for item in method(*[params[n] for n in key])]
    except Exception as exc:
        if _is_azure_error(exc):
            raise arm_error_from(exc) from exc
        raise


# A name needs its resource group; without a name an _info module lists the group's or the subscription's.
LOOKUP_REQUIRED_BY = {"name": ("resource_group",)}


def lookup_argument_spec(**more):
    """Options of an ``_info`` module that reads one resource by name or lists them, and ``more``."""
    return dict(name=dict(type="str"), resource_group=dict(type="str"), **more)


def run_info_module(resource, argument_spec=None, **arm_kwargs):
    """The whole ``main()`` of an ``_info`` module: returns ``resources`` (a list of wire dicts).

    The options are the lookup ones (``lookup_argument_spec``) unless ``argument_spec`` is given.
    """
    if argument_spec is None:
        argument_spec = lookup_argument_spec()
        arm_kwargs.setdefault("required_by", LOOKUP_REQUIRED_BY)
    arm = ArmModule(argument_spec, **arm_kwargs)
    try:
        found = list_resources(arm, resource)
    except ModuleError as exc:
        arm.fail(str(exc))
    except ArmError as error:
        arm.fail_arm(error, "list the %s" % resource.kind)
    arm.exit(changed=False, resources=[mask(item, resource.write_only) for item in found])
