# Copyright (c) mcp_platform.azure contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The access model compiler: who may use which MCP tool, decided once.

`compile_servers()` validates ``mcp_platform_servers`` against the recorded tool catalog of
each server release and expands it into a compiled form. Every enforcement point is rendered
from that one compiled form, so they cannot drift apart:

- ``apim_policy()``: the API Management policy of a server's API (token validation, tier
  selection, backend per tier, tools/call allow-list, no token passthrough, gateway key, audit);
- ``server_env()``: the environment of one tier's mongodb-mcp-server process, chosen so the
  server itself offers exactly the tools the tier is allowed;
- ``entra_app_roles()``: app roles with stable ids and their group assignments;
- ``gateway_config()``: the same decisions as data, for the local gateway;
- ``permissions_report()``: who can list and call which tool on which instance, and why.

Pure Python with standard library imports only, so modules, filters and tests share it.
"""

import copy
import json
import re
import uuid
import xml.etree.ElementTree as ET

from ansible_collections.mcp_platform.azure.plugins.module_utils._tool_catalog_mongodb import (
    CATALOG as MONGODB_CATALOG,
)

VARIABLE = "mcp_platform_servers"
DEFAULT_PACKAGE = "mongodb-mcp-server"
DEFAULT_VERSION = "3.0.4"
CATALOGS = {"mongodb-mcp-server": MONGODB_CATALOG}

# The operation types mongodb-mcp-server keeps when MDB_MCP_READ_ONLY=true (mcp-core toolBase).
READ_ONLY_OPERATION_TYPES = ("read", "metadata", "connect")
WRITE_OPERATION_TYPES = ("create", "update", "delete")
# mongodb-mcp-server refuses to bind anything else unless MDB_MCP_DANGEROUS_HOST_BINDING is set.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

GATEWAY_KEY_HEADER = "x-mcp-gateway-key"
GATEWAY_KEY_NAMED_VALUE = "mcp-gateway-key"
# Request headers the gateway sets for the backend and the API diagnostic logs.
AUDIT_HEADERS = {
    "caller": "x-mcp-caller-oid",
    "tier": "x-mcp-tier",
    "method": "x-mcp-method",
    "tool": "x-mcp-tool",
}
# JSON-RPC error codes of the refusals a gateway answers itself (implementation-defined server
# range). The APIM policy and the local gateway give the same codes, so clients see one platform.
UNAUTHORIZED_ERROR_CODE = -32001
REFUSED_ERROR_CODE = -32003
# Namespace of the app role ids: uuid5(namespace, "<app name>/<role value>") never changes.
APP_ROLE_NAMESPACE = uuid.UUID("9d5c7a8e-3f41-5b0e-9a63-6f1c2e4b8d70")

NAME_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$")
APP_ROLE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,119}$")
OBJECT_ID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

PRINCIPAL_FORMS = ("groups", "app_roles")
TOOL_RULE_KEYS = ("allow", "allow_operation_types", "deny")
SERVER_KEYS = ("name", "package", "version", "tiers", "disabled_tools", "confirmation_required_tools", "rate_limit")
TIER_KEYS = ("name", "port", "principals", "tools")
# Keys compile_servers() adds; accepted on input so a compiled model compiles to itself.
COMPILED_SERVER_KEYS = ("catalog",)
COMPILED_TIER_KEYS = (
    "allowed_tools",
    "decisions",
    "read_only",
    "server_disabled_tools",
    "confirmation_tools",
    "source_path",
)

DEFAULT_MCP_PLATFORM_SERVERS = [
    {
        "name": "mongodb",
        "package": "mongodb-mcp-server",
        "version": "3.0.4",
        "tiers": [
            {
                "name": "admin",
                "port": 3000,
                "principals": {"groups": ["MCP-Admin"], "app_roles": ["MCP.Admin"]},
                "tools": {"allow": "*"},
            },
            {
                "name": "readonly",
                "port": 3001,
                "principals": {"groups": ["MCP-Read-Only"], "app_roles": ["MCP.ReadOnly"]},
                "tools": {"allow_operation_types": ["read", "metadata"]},
            },
        ],
        "disabled_tools": ["connect", "search-knowledge", "list-knowledge-sources"],
        "confirmation_required_tools": ["drop-database", "drop-collection", "delete-many", "drop-index"],
    }
]


class AccessModelError(ValueError):
    """An invalid access model; `path` names the offending value, e.g. mcp_platform_servers[0].tiers[1].port."""

    def __init__(self, path, message):
        super().__init__("{0}: {1}".format(path, message))
        self.path = path
        self.rule = message


# --------------------------------------------------------------------------------------------
# validation helpers


def _type_name(value):
    return {dict: "a mapping", list: "a list", str: "a string", int: "an integer", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _require_mapping(value, path):
    if not isinstance(value, dict):
        raise AccessModelError(path, "must be a mapping, got {0}".format(_type_name(value)))
    return value


def _require_list(value, path, allow_empty=True):
    if not isinstance(value, list):
        raise AccessModelError(path, "must be a list, got {0}".format(_type_name(value)))
    if not value and not allow_empty:
        raise AccessModelError(path, "must not be empty")
    return value


def _require_string(value, path, pattern=None, rule=None):
    if not isinstance(value, str) or not value.strip():
        raise AccessModelError(path, "must be a non-empty string, got {0!r}".format(value))
    if pattern is not None and not pattern.match(value):
        raise AccessModelError(path, "{0!r} {1}".format(value, rule))
    return value


def _require_int(value, path, low, high):
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        else:
            raise AccessModelError(path, "must be an integer, got {0!r}".format(value))
    if not low <= value <= high:
        raise AccessModelError(path, "must be between {0} and {1}, got {2}".format(low, high, value))
    return value


def _reject_unknown_keys(mapping, path, known, what):
    for key in mapping:
        if key not in known:
            raise AccessModelError(
                "{0}.{1}".format(path, key),
                "unknown {0} key {1!r}; known keys: {2}".format(what, key, ", ".join(known)),
            )


def _string_list(value, path, allow_empty=True):
    items = _require_list(value, path, allow_empty=allow_empty)
    seen = set()
    for index, item in enumerate(items):
        item_path = "{0}[{1}]".format(path, index)
        _require_string(item, item_path)
        if item in seen:
            raise AccessModelError(item_path, "{0!r} is listed twice".format(item))
        seen.add(item)
    return list(items)


def is_object_id(value):
    return bool(OBJECT_ID_PATTERN.match(value))


# --------------------------------------------------------------------------------------------
# catalog


def catalog_for(package, version, path="catalog"):
    """The recorded tool catalog of one server release."""
    releases = CATALOGS.get(package)
    if releases is None:
        raise AccessModelError(
            path + ".package", "no tool catalog for package {0!r}; known: {1}".format(package, ", ".join(CATALOGS))
        )
    if version not in releases:
        raise AccessModelError(
            path + ".version",
            "no recorded tool catalog for {0} {1} (recorded: {2}); record it with "
            "tests/support/record_tool_catalog.py --version {1}".format(package, version, ", ".join(releases)),
        )
    return releases[version]


def _entry_matches(tool_name, tool, entry):
    """How mongodb-mcp-server matches a MDB_MCP_DISABLED_TOOLS entry: category, operation type or name."""
    if entry == tool["category"]:
        return "category"
    if entry == tool["operation_type"]:
        return "operation type"
    if entry == tool_name:
        return "name"
    return None


def enabled_tools(catalog, read_only, disabled_entries):
    """The tools mongodb-mcp-server registers for a read-only flag and a disabled-tools list."""
    enabled = []
    for name, tool in catalog["tools"].items():
        if read_only and tool["operation_type"] not in READ_ONLY_OPERATION_TYPES:
            continue
        if any(_entry_matches(name, tool, entry) for entry in disabled_entries):
            continue
        enabled.append(name)
    return sorted(enabled)


def enabled_tools_for_env(catalog, env):
    """The tools a server started with `env` (MDB_MCP_* variables) lists, per the catalog."""
    read_only = str(env.get("MDB_MCP_READ_ONLY", "false")).strip().lower() == "true"
    entries = [entry.strip() for entry in str(env.get("MDB_MCP_DISABLED_TOOLS", "")).split(",") if entry.strip()]
    return enabled_tools(catalog, read_only, entries)


# --------------------------------------------------------------------------------------------
# compilation


def _validate_tool_rules(rules, path, catalog):
    _require_mapping(rules, path)
    _reject_unknown_keys(rules, path, TOOL_RULE_KEYS, "tool rule")
    if not any(key in rules for key in ("allow", "allow_operation_types")):
        raise AccessModelError(path, "needs allow (tool names or '*') or allow_operation_types")
    known_tools = catalog["tools"]
    known_types = catalog["operation_types"]
    normalised = {}
    if "allow" in rules:
        allow = rules["allow"]
        if allow == "*":
            normalised["allow"] = "*"
        else:
            names = _string_list(allow, path + ".allow")
            for index, name in enumerate(names):
                if name not in known_tools:
                    raise AccessModelError(
                        "{0}.allow[{1}]".format(path, index),
                        "unknown tool {0!r}; known tools: {1}".format(name, ", ".join(sorted(known_tools))),
                    )
            normalised["allow"] = names
    if "allow_operation_types" in rules:
        types = _string_list(rules["allow_operation_types"], path + ".allow_operation_types", allow_empty=False)
        for index, value in enumerate(types):
            if value not in known_types:
                raise AccessModelError(
                    "{0}.allow_operation_types[{1}]".format(path, index),
                    "unknown operation type {0!r}; known: {1}".format(value, ", ".join(known_types)),
                )
        normalised["allow_operation_types"] = types
    if "deny" in rules:
        deny = _string_list(rules["deny"], path + ".deny")
        for index, value in enumerate(deny):
            if value not in known_tools and value not in known_types:
                raise AccessModelError(
                    "{0}.deny[{1}]".format(path, index),
                    "{0!r} is neither a known tool nor an operation type".format(value),
                )
        normalised["deny"] = deny
    return normalised


def _validate_principals(principals, path):
    _require_mapping(principals, path)
    for key in principals:
        if key not in PRINCIPAL_FORMS:
            raise AccessModelError(
                "{0}.{1}".format(path, key),
                "unknown principal form {0!r}; use groups (group names or object ids) or app_roles "
                "(app role values)".format(key),
            )
    normalised = {}
    for form in PRINCIPAL_FORMS:
        values = _string_list(principals.get(form) or [], "{0}.{1}".format(path, form))
        for index, value in enumerate(values):
            item_path = "{0}.{1}[{2}]".format(path, form, index)
            if form == "app_roles":
                _require_string(
                    value, item_path, APP_ROLE_PATTERN, "is not a valid app role value (letters, digits, . _ : -)"
                )
            elif "|" in value or '"' in value:
                raise AccessModelError(item_path, 'group {0!r} must not contain | or "'.format(value))
        normalised[form] = values
    if not normalised["groups"] and not normalised["app_roles"]:
        raise AccessModelError(path, "needs at least one group or app role, or nobody can reach the tier")
    return normalised


def _decide_tools(rules, disabled_entries, catalog):
    """Per catalog tool: allowed or not, and the reason in words."""
    decisions = {}
    allow = rules.get("allow")
    allowed_types = rules.get("allow_operation_types", [])
    deny = rules.get("deny", [])
    for name, tool in sorted(catalog["tools"].items()):
        operation_type = tool["operation_type"]
        disabled = [(entry, _entry_matches(name, tool, entry)) for entry in disabled_entries]
        disabled = [(entry, how) for entry, how in disabled if how]
        if disabled:
            entry, how = disabled[0]
            reason = "disabled_tools entry {0!r} matches its {1}".format(entry, how)
            decisions[name] = {"allowed": False, "operation_type": operation_type, "why": reason}
            continue
        denied = [entry for entry in deny if entry in (name, operation_type)]
        if denied:
            reason = "deny lists {0!r}".format(denied[0])
            decisions[name] = {"allowed": False, "operation_type": operation_type, "why": reason}
            continue
        if allow == "*":
            reason = "allow: '*'"
        elif allow and name in allow:
            reason = "allow lists it"
        elif operation_type in allowed_types:
            reason = "operation type {0!r} is in allow_operation_types".format(operation_type)
        else:
            reason = "not allowed: operation type {0!r} is not in the tier's rules".format(operation_type)
            decisions[name] = {"allowed": False, "operation_type": operation_type, "why": reason}
            continue
        decisions[name] = {"allowed": True, "operation_type": operation_type, "why": reason}
    return decisions


def _server_disabled_entries(allowed, read_only, base_entries, catalog, path):
    """MDB_MCP_DISABLED_TOOLS for a tier: the model's entries plus whatever makes the server offer exactly `allowed`.

    Whole operation types are disabled where possible (shorter, and robust to a tool being
    renamed), single tools otherwise. Each entry is checked against the server's matching rule
    (category, operation type or name), because an entry such as "connect" is both a tool and
    an operation type.
    """
    allowed = set(allowed)
    entries = list(base_entries)
    for category in catalog.get("unlisted_categories", []):
        if category not in entries:
            entries.append(category)

    def harmless(entry):
        return not any(_entry_matches(name, catalog["tools"][name], entry) for name in allowed)

    extra = set(enabled_tools(catalog, read_only, entries)) - allowed
    for operation_type in catalog["operation_types"]:
        tools_of_type = {name for name in extra if catalog["tools"][name]["operation_type"] == operation_type}
        if tools_of_type and harmless(operation_type):
            entries.append(operation_type)
            extra = set(enabled_tools(catalog, read_only, entries)) - allowed
    for name in sorted(extra):
        if not harmless(name):
            raise AccessModelError(
                path, "the server cannot disable {0!r} without also disabling an allowed tool".format(name)
            )
        entries.append(name)
    offered = set(enabled_tools(catalog, read_only, entries))
    if offered != allowed:
        raise AccessModelError(path, "no server configuration offers exactly the allowed tools")
    return entries


def _privilege_key(tier):
    writes = sum(
        1 for item in tier["decisions"].values() if item["allowed"] and item["operation_type"] in WRITE_OPERATION_TYPES
    )
    return (-writes, -len(tier["allowed_tools"]))


def _compile_server(server, path, ports):
    _require_mapping(server, path)
    _reject_unknown_keys(server, path, SERVER_KEYS + COMPILED_SERVER_KEYS, "server")
    name = _require_string(
        server.get("name"), path + ".name", NAME_PATTERN, "must be lower-case letters, digits and - (at most 40)"
    )
    package = _require_string(server.get("package", DEFAULT_PACKAGE), path + ".package")
    version = server.get("version", DEFAULT_VERSION)
    version = _require_string(str(version) if isinstance(version, (int, float)) else version, path + ".version")
    catalog = catalog_for(package, version, path)

    disabled = _string_list(server.get("disabled_tools") or [], path + ".disabled_tools")
    selectors = set(catalog["tools"]) | set(catalog["operation_types"]) | set(catalog.get("unlisted_categories", []))
    selectors |= {tool["category"] for tool in catalog["tools"].values()}
    for index, entry in enumerate(disabled):
        if entry not in selectors:
            raise AccessModelError(
                "{0}.disabled_tools[{1}]".format(path, index),
                "{0!r} is not a known tool, operation type or category of {1} {2}".format(entry, package, version),
            )
    confirmation = _string_list(server.get("confirmation_required_tools") or [], path + ".confirmation_required_tools")
    for index, entry in enumerate(confirmation):
        if entry not in catalog["tools"]:
            raise AccessModelError(
                "{0}.confirmation_required_tools[{1}]".format(path, index),
                "unknown tool {0!r} of {1} {2}".format(entry, package, version),
            )

    rate_limit = server.get("rate_limit")
    if rate_limit is not None:
        rate_path = path + ".rate_limit"
        _require_mapping(rate_limit, rate_path)
        _reject_unknown_keys(rate_limit, rate_path, ("calls", "period_seconds"), "rate limit")
        if "calls" not in rate_limit:
            raise AccessModelError(rate_path + ".calls", "is required")
        rate_limit = {
            "calls": _require_int(rate_limit["calls"], rate_path + ".calls", 1, 1000000),
            # API Management's rate-limit-by-key renews over at most 300 seconds.
            "period_seconds": _require_int(rate_limit.get("period_seconds", 60), rate_path + ".period_seconds", 1, 300),
        }

    tiers_path = path + ".tiers"
    raw_tiers = _require_list(server.get("tiers"), tiers_path, allow_empty=False)
    tiers = []
    tier_names = {}
    principal_owner = {}
    for index, raw_tier in enumerate(raw_tiers):
        tier_path = "{0}[{1}]".format(tiers_path, index)
        _require_mapping(raw_tier, tier_path)
        _reject_unknown_keys(raw_tier, tier_path, TIER_KEYS + COMPILED_TIER_KEYS, "tier")
        tier_name = _require_string(
            raw_tier.get("name"), tier_path + ".name", NAME_PATTERN, "must be lower-case letters, digits and -"
        )
        if tier_name in tier_names:
            raise AccessModelError(
                tier_path + ".name", "tier {0!r} is already defined at {1}".format(tier_name, tier_names[tier_name])
            )
        tier_names[tier_name] = tier_path
        if "port" not in raw_tier:
            raise AccessModelError(tier_path + ".port", "is required")
        port = _require_int(raw_tier["port"], tier_path + ".port", 1, 65535)
        if port in ports:
            raise AccessModelError(tier_path + ".port", "port {0} is already used by {1}".format(port, ports[port]))
        ports[port] = tier_path
        if "principals" not in raw_tier:
            raise AccessModelError(tier_path + ".principals", "is required")
        principals = _validate_principals(raw_tier["principals"], tier_path + ".principals")
        for form in PRINCIPAL_FORMS:
            for position, value in enumerate(principals[form]):
                key = (form, value.lower())
                if key in principal_owner:
                    raise AccessModelError(
                        "{0}.principals.{1}[{2}]".format(tier_path, form, position),
                        "{0!r} already grants {1}; a principal belongs to one tier".format(value, principal_owner[key]),
                    )
                principal_owner[key] = tier_path
        if "tools" not in raw_tier:
            raise AccessModelError(tier_path + ".tools", "is required")
        rules = _validate_tool_rules(raw_tier["tools"], tier_path + ".tools", catalog)
        decisions = _decide_tools(rules, disabled, catalog)
        allowed = sorted(name for name, item in decisions.items() if item["allowed"])
        if not allowed:
            raise AccessModelError(tier_path + ".tools", "allows no tool once disabled_tools are removed")
        read_only = all(decisions[name]["operation_type"] in READ_ONLY_OPERATION_TYPES for name in allowed)
        tiers.append(
            {
                "name": tier_name,
                "source_path": tier_path,
                "port": port,
                "principals": principals,
                "tools": rules,
                "allowed_tools": allowed,
                "decisions": decisions,
                "read_only": read_only,
                "server_disabled_tools": _server_disabled_entries(allowed, read_only, disabled, catalog, tier_path),
                "confirmation_tools": [tool for tool in confirmation if tool in allowed],
            }
        )
    # Most privileged first: the gateway evaluates tiers in this order and the first match wins.
    tiers.sort(key=_privilege_key)
    return {
        "name": name,
        "package": package,
        "version": version,
        "tiers": tiers,
        "disabled_tools": disabled,
        "confirmation_required_tools": confirmation,
        "rate_limit": rate_limit,
        "catalog": {
            tool_name: {"operation_type": tool["operation_type"], "category": tool["category"]}
            for tool_name, tool in sorted(catalog["tools"].items())
        },
    }


def compile_servers(servers, variable=VARIABLE):
    """Validate and expand the access model; raises AccessModelError naming the offending path."""
    if servers is None:
        servers = DEFAULT_MCP_PLATFORM_SERVERS
    _require_list(servers, variable, allow_empty=False)
    compiled = []
    names = {}
    ports = {}
    for index, server in enumerate(servers):
        path = "{0}[{1}]".format(variable, index)
        item = _compile_server(copy.deepcopy(server), path, ports)
        if item["name"] in names:
            raise AccessModelError(
                path + ".name", "server {0!r} is already defined at {1}".format(item["name"], names[item["name"]])
            )
        names[item["name"]] = path
        compiled.append(item)
    return compiled


def _as_compiled_list(servers):
    if isinstance(servers, dict):
        servers = [servers]
    return compile_servers(servers)


def find_server(compiled, server=None):
    if server is None:
        if len(compiled) != 1:
            raise AccessModelError("server", "name one of: {0}".format(", ".join(s["name"] for s in compiled)))
        return compiled[0]
    for item in compiled:
        if item["name"] == server:
            return item
    raise AccessModelError(
        "server", "unknown server {0!r}; known: {1}".format(server, ", ".join(s["name"] for s in compiled))
    )


def find_tier(server, tier):
    for item in server["tiers"]:
        if item["name"] == tier:
            return item
    raise AccessModelError(
        "tier",
        "server {0!r} has no tier {1!r}; tiers: {2}".format(
            server["name"], tier, ", ".join(t["name"] for t in server["tiers"])
        ),
    )


# --------------------------------------------------------------------------------------------
# server environment


def server_env(servers, tier, host="127.0.0.1", server=None):
    """Environment (all strings, no secrets) of one tier's mongodb-mcp-server process.

    The caller adds MDB_MCP_HTTP_HEADERS (the gateway key) and MDB_MCP_CONNECTION_STRING.
    """
    compiled_server = find_server(_as_compiled_list(servers), server)
    compiled_tier = find_tier(compiled_server, tier)
    env = {
        "MDB_MCP_TRANSPORT": "http",
        "MDB_MCP_HTTP_HOST": host,
        "MDB_MCP_HTTP_PORT": str(compiled_tier["port"]),
        "MDB_MCP_READ_ONLY": "true" if compiled_tier["read_only"] else "false",
        "MDB_MCP_DISABLED_TOOLS": ",".join(compiled_tier["server_disabled_tools"]),
        # An empty list replaces the server's built-in default list, so the model alone decides.
        "MDB_MCP_CONFIRMATION_REQUIRED_TOOLS": ",".join(compiled_tier["confirmation_tools"]),
        "MDB_MCP_TELEMETRY": "disabled",
        "MDB_MCP_LOGGERS": "stderr",
    }
    if host.strip() not in LOOPBACK_HOSTS:
        # The server refuses a non-loopback bind (e.g. 0.0.0.0 in a container) without this flag.
        env["MDB_MCP_DANGEROUS_HOST_BINDING"] = "true"
    return env


# --------------------------------------------------------------------------------------------
# gateway decisions as data (local gateway)


def _resource_urls(public_base_url, server_name):
    base = public_base_url.rstrip("/")
    return (
        "{0}/mcp/{1}".format(base, server_name),
        "{0}/.well-known/oauth-protected-resource/mcp/{1}".format(base, server_name),
    )


def _resolve_groups(groups, group_ids, path, required):
    resolved = []
    for index, group in enumerate(groups):
        if is_object_id(group):
            resolved.append(group.lower())
        elif group in group_ids:
            object_id = group_ids[group]
            if not isinstance(object_id, str) or not is_object_id(object_id):
                raise AccessModelError("group_ids.{0}".format(group), "{0!r} is not an object id".format(object_id))
            resolved.append(object_id.lower())
        elif required:
            raise AccessModelError(
                "{0}[{1}]".format(path, index),
                "group {0!r} has no object id: tokens carry group object ids, so pass group_ids "
                "mapping {0!r} to its object id".format(group),
            )
        else:
            resolved.append(group)
    return resolved


def _groups_path(tier):
    return tier["source_path"] + ".principals.groups"


def _normalise_auth(auth):
    auth = dict(_require_mapping(auth or {}, "auth"))
    for key in ("issuers", "audiences"):
        values = auth.get(key)
        if isinstance(values, str):
            values = [values]
        auth[key] = _string_list(values if values is not None else [], "auth." + key, allow_empty=False)
    _require_string(auth.get("jwks_uri"), "auth.jwks_uri")
    auth["algorithms"] = _string_list(auth.get("algorithms") or ["RS256"], "auth.algorithms", allow_empty=False)
    auth["authorization_servers"] = _string_list(
        auth.get("authorization_servers") or list(auth["issuers"]), "auth.authorization_servers", allow_empty=False
    )
    return auth


def default_scopes(audiences):
    """Scope a client requests for the protected resource: '<first non-GUID audience>/.default'."""
    for audience in audiences:
        if not is_object_id(audience):
            return ["{0}/.default".format(audience.rstrip("/"))]
    return ["{0}/.default".format(audiences[0])] if audiences else []


def gateway_config(servers, auth, public_base_url, backend_host="127.0.0.1", group_ids=None):
    """The local gateway's configuration: the same decisions as the APIM policy, as data."""
    compiled = _as_compiled_list(servers)
    auth = _normalise_auth(auth)
    _require_string(public_base_url, "public_base_url")
    group_ids = _require_mapping(group_ids or {}, "group_ids")
    scopes = auth.get("scopes_supported") or default_scopes(auth["audiences"])
    config_servers = []
    for server in compiled:
        resource, metadata_url = _resource_urls(public_base_url, server["name"])
        tiers = []
        for tier in server["tiers"]:
            tiers.append(
                {
                    "name": tier["name"],
                    "backend_url": "http://{0}:{1}/mcp".format(backend_host, tier["port"]),
                    "roles": list(tier["principals"]["app_roles"]),
                    "groups": _resolve_groups(tier["principals"]["groups"], group_ids, _groups_path(tier), False),
                    "allowed_tools": list(tier["allowed_tools"]),
                }
            )
        config_servers.append(
            {
                "name": server["name"],
                "path": "/mcp/{0}".format(server["name"]),
                "resource": resource,
                "resource_metadata_url": metadata_url,
                "scopes_supported": list(scopes),
                "rate_limit": copy.deepcopy(server["rate_limit"]),
                "tiers": tiers,
            }
        )
    return {"auth": auth, "gateway_key_header": GATEWAY_KEY_HEADER, "servers": config_servers}


# --------------------------------------------------------------------------------------------
# RFC 9728 protected resource metadata


def protected_resource_metadata(servers, server, public_base_url, authorization_servers, scopes=None):
    compiled_server = find_server(_as_compiled_list(servers), server)
    resource, _metadata_url = _resource_urls(
        _require_string(public_base_url, "public_base_url"), compiled_server["name"]
    )
    if isinstance(authorization_servers, str):
        authorization_servers = [authorization_servers]
    document = {
        "resource": resource,
        "authorization_servers": _string_list(authorization_servers, "authorization_servers", allow_empty=False),
        "bearer_methods_supported": ["header"],
        "resource_name": "{0} MCP server".format(compiled_server["name"]),
    }
    if scopes:
        document["scopes_supported"] = _string_list(scopes, "scopes")
    return document


# --------------------------------------------------------------------------------------------
# API Management policy


def entra_issuers(tenant_id):
    """Both token versions Entra issues for a tenant: v1 (sts.windows.net) and v2 (login.microsoftonline.com)."""
    return [
        "https://sts.windows.net/{0}/".format(tenant_id),
        "https://login.microsoftonline.com/{0}/v2.0".format(tenant_id),
    ]


def _csharp_string(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _json_rpc_error_expression(message):
    # The request id is echoed so MCP clients can match the refusal to their request.
    return (
        '@("{{\\"jsonrpc\\":\\"2.0\\",\\"id\\":" + (string)context.Variables["mcp-rpc-id"] + '
        '",\\"error\\":{{\\"code\\":{0},\\"message\\":{1}}}}}")'
    ).format(REFUSED_ERROR_CODE, json.dumps(message).replace('"', '\\"'))


def _return_response(parent, status, reason, body, headers=None):
    response = ET.SubElement(parent, "return-response")
    ET.SubElement(response, "set-status", {"code": str(status), "reason": reason})
    for name, value in [("Content-Type", "application/json"), *(headers or [])]:
        header = ET.SubElement(response, "set-header", {"name": name, "exists-action": "override"})
        ET.SubElement(header, "value").text = value
    ET.SubElement(response, "set-body").text = body
    return response


def _set_variable(parent, name, value):
    return ET.SubElement(parent, "set-variable", {"name": name, "value": value})


def _claim_list_expression(claim):
    # set-variable only stores basic types, so the claim's values become one "|a|b|" string.
    return (
        '@{{ string[] values; return ((Jwt)context.Variables["mcp-jwt"]).Claims.TryGetValue({0}, out values) '
        '? "|" + string.Join("|", values) + "|" : "|"; }}'
    ).format(_csharp_string(claim))


_METHOD_EXPRESSION = (
    '@{ if (context.Request.Method != "POST") { return ""; } '
    "string text = context.Request.Body.As<string>(preserveContent: true); "
    'if (string.IsNullOrWhiteSpace(text) || !text.TrimStart().StartsWith("{")) { return "(invalid)"; } '
    "JObject rpc = context.Request.Body.As<JObject>(preserveContent: true); "
    'return rpc.Value<string>("method") ?? ""; }'
)
_TOOL_EXPRESSION = (
    '@{ if ((string)context.Variables["mcp-method"] != "tools/call") { return ""; } '
    "JObject rpc = context.Request.Body.As<JObject>(preserveContent: true); "
    'return (string)rpc.SelectToken("params.name") ?? ""; }'
)
_RPC_ID_EXPRESSION = (
    '@{ string method = (string)context.Variables["mcp-method"]; '
    'if (method == "" || method == "(invalid)") { return "null"; } '
    "JObject rpc = context.Request.Body.As<JObject>(preserveContent: true); "
    'JToken id = rpc["id"]; return id == null ? "null" : id.ToString(Newtonsoft.Json.Formatting.None); }'
)


def _tier_condition(tier, group_object_ids):
    checks = [
        '((string)context.Variables["mcp-roles"]).Contains({0})'.format(_csharp_string("|" + role + "|"))
        for role in tier["principals"]["app_roles"]
    ]
    checks += [
        '((string)context.Variables["mcp-groups"]).Contains({0})'.format(_csharp_string("|" + group + "|"))
        for group in group_object_ids
    ]
    return "@(" + " || ".join(checks) + ")"


def _allow_list_condition(tier):
    names = ", ".join(_csharp_string(name) for name in tier["allowed_tools"])
    return (
        '@((string)context.Variables["mcp-tier"] == {0} && (string)context.Variables["mcp-method"] == "tools/call" '
        '&& !new string[] {{ {1} }}.Contains((string)context.Variables["mcp-tool"]))'
    ).format(_csharp_string(tier["name"]), names)


def apim_policy(
    servers,
    server,
    tenant_id,
    audiences,
    public_base_url,
    backend_urls=None,
    backend_host=None,
    group_ids=None,
    accept_groups_claim=True,
    issuers=None,
    openid_config_url=None,
    validation="validate-jwt",
    client_application_ids=None,
    gateway_key_named_value=GATEWAY_KEY_NAMED_VALUE,
    clock_skew_seconds=60,
):
    """The API Management policy (XML) of one MCP server's API."""
    compiled = _as_compiled_list(servers)
    compiled_server = find_server(compiled, server)
    tenant_id = _require_string(tenant_id, "tenant_id")
    if isinstance(audiences, str):
        audiences = [audiences]
    audiences = _string_list(audiences, "audiences", allow_empty=False)
    issuers = _string_list(issuers, "issuers", allow_empty=False) if issuers else entra_issuers(tenant_id)
    openid_config_url = openid_config_url or (
        "https://login.microsoftonline.com/{0}/v2.0/.well-known/openid-configuration".format(tenant_id)
    )
    if validation not in ("validate-jwt", "validate-azure-ad-token"):
        raise AccessModelError(
            "validation", "must be validate-jwt or validate-azure-ad-token, got {0!r}".format(validation)
        )
    group_ids = _require_mapping(group_ids or {}, "group_ids")
    backend_urls = _require_mapping(backend_urls or {}, "backend_urls")
    for tier_name in backend_urls:
        find_tier(compiled_server, tier_name)
    _resource, metadata_url = _resource_urls(
        _require_string(public_base_url, "public_base_url"), compiled_server["name"]
    )
    _require_string(
        gateway_key_named_value,
        "gateway_key_named_value",
        re.compile(r"^[A-Za-z0-9._-]+$"),
        "is not a valid named value name",
    )

    policies = ET.Element("policies")
    inbound = ET.SubElement(policies, "inbound")
    ET.SubElement(inbound, "base")

    # 1. Token: signature, expiry, audience and issuer (v1 and v2 Entra tokens).
    if validation == "validate-jwt":
        token = ET.SubElement(
            inbound,
            "validate-jwt",
            {
                "header-name": "Authorization",
                "require-scheme": "Bearer",
                "failed-validation-httpcode": "401",
                "require-expiration-time": "true",
                "require-signed-tokens": "true",
                "clock-skew": str(clock_skew_seconds),
                "output-token-variable-name": "mcp-jwt",
            },
        )
        ET.SubElement(token, "openid-config", {"url": openid_config_url})
        audiences_element = ET.SubElement(token, "audiences")
        for audience in audiences:
            ET.SubElement(audiences_element, "audience").text = audience
        issuers_element = ET.SubElement(token, "issuers")
        for issuer in issuers:
            ET.SubElement(issuers_element, "issuer").text = issuer
    else:
        client_ids = _string_list(client_application_ids or [], "client_application_ids", allow_empty=False)
        token = ET.SubElement(
            inbound,
            "validate-azure-ad-token",
            {
                "tenant-id": tenant_id,
                "header-name": "Authorization",
                "failed-validation-httpcode": "401",
                "output-token-variable-name": "mcp-jwt",
            },
        )
        client_element = ET.SubElement(token, "client-application-ids")
        for client_id in client_ids:
            ET.SubElement(client_element, "application-id").text = client_id
        audiences_element = ET.SubElement(token, "audiences")
        for audience in audiences:
            ET.SubElement(audiences_element, "audience").text = audience

    # 2. What the request is and who sends it.
    _set_variable(
        inbound, "mcp-caller", '@(((Jwt)context.Variables["mcp-jwt"]).Claims.GetValueOrDefault("oid", "unknown"))'
    )
    _set_variable(inbound, "mcp-roles", _claim_list_expression("roles"))
    _set_variable(inbound, "mcp-groups", _claim_list_expression("groups") if accept_groups_claim else "|")
    _set_variable(inbound, "mcp-method", _METHOD_EXPRESSION)
    _set_variable(inbound, "mcp-tool", _TOOL_EXPRESSION)
    _set_variable(inbound, "mcp-rpc-id", _RPC_ID_EXPRESSION)

    # 3. Tier selection, most privileged first; the first match picks the backend.
    selection = ET.SubElement(inbound, "choose")
    for tier in compiled_server["tiers"]:
        group_object_ids = (
            _resolve_groups(tier["principals"]["groups"], group_ids, _groups_path(tier), True)
            if accept_groups_claim
            else []
        )
        if not tier["principals"]["app_roles"] and not group_object_ids:
            continue
        when = ET.SubElement(selection, "when", {"condition": _tier_condition(tier, group_object_ids)})
        _set_variable(when, "mcp-tier", tier["name"])
        if tier["name"] in backend_urls:
            backend_url = _require_string(backend_urls[tier["name"]], "backend_urls." + tier["name"])
        elif backend_host:
            backend_url = "http://{0}:{1}/mcp".format(backend_host, tier["port"])
        else:
            raise AccessModelError("backend_urls." + tier["name"], "is required (or pass backend_host)")
        ET.SubElement(when, "set-backend-service", {"base-url": backend_url})
    otherwise = ET.SubElement(selection, "otherwise")
    _set_variable(otherwise, "mcp-tier", "")

    # 4. Audit: one trace per request, and headers the API diagnostic logs.
    trace = ET.SubElement(inbound, "trace", {"source": "mcp-gateway", "severity": "information"})
    ET.SubElement(trace, "message").text = (
        '@(string.Format("mcp {0} tier={1} method={2} tool={3}", (string)context.Variables["mcp-caller"], '
        '(string)context.Variables["mcp-tier"], (string)context.Variables["mcp-method"], '
        '(string)context.Variables["mcp-tool"]))'
    )
    for field, header in AUDIT_HEADERS.items():
        value = '@((string)context.Variables["mcp-{0}"])'.format(field)
        ET.SubElement(trace, "metadata", {"name": header, "value": value})
    for field, header in AUDIT_HEADERS.items():
        set_header = ET.SubElement(inbound, "set-header", {"name": header, "exists-action": "override"})
        ET.SubElement(set_header, "value").text = '@((string)context.Variables["mcp-{0}"])'.format(field)

    # 5. Refusals the gateway answers itself.
    refusals = ET.SubElement(inbound, "choose")
    no_tier = ET.SubElement(refusals, "when", {"condition": '@((string)context.Variables["mcp-tier"] == "")'})
    _return_response(no_tier, 403, "Forbidden", _json_rpc_error_expression("No access tier for this caller"))
    invalid = ET.SubElement(
        refusals, "when", {"condition": '@((string)context.Variables["mcp-method"] == "(invalid)")'}
    )
    _return_response(
        invalid, 400, "Bad Request", _json_rpc_error_expression("Only single JSON-RPC objects are accepted")
    )
    for tier in compiled_server["tiers"]:
        when = ET.SubElement(refusals, "when", {"condition": _allow_list_condition(tier)})
        _return_response(
            when, 403, "Forbidden", _json_rpc_error_expression("Tool not allowed for tier " + tier["name"])
        )

    # 6. Per-caller rate limit.
    if compiled_server["rate_limit"]:
        ET.SubElement(
            inbound,
            "rate-limit-by-key",
            {
                "calls": str(compiled_server["rate_limit"]["calls"]),
                "renewal-period": str(compiled_server["rate_limit"]["period_seconds"]),
                "counter-key": '@((string)context.Variables["mcp-caller"])',
            },
        )

    # 7. No token passthrough; the backend only answers requests carrying the gateway key.
    ET.SubElement(inbound, "set-header", {"name": "Authorization", "exists-action": "delete"})
    key_header = ET.SubElement(inbound, "set-header", {"name": GATEWAY_KEY_HEADER, "exists-action": "override"})
    ET.SubElement(key_header, "value").text = "{{" + gateway_key_named_value + "}}"

    backend = ET.SubElement(policies, "backend")
    # Streamable HTTP answers with server-sent events: stream them instead of buffering.
    ET.SubElement(backend, "forward-request", {"buffer-response": "false"})
    outbound = ET.SubElement(policies, "outbound")
    ET.SubElement(outbound, "base")

    on_error = ET.SubElement(policies, "on-error")
    ET.SubElement(on_error, "base")
    errors = ET.SubElement(on_error, "choose")
    token_failed = ET.SubElement(
        errors, "when", {"condition": '@(context.LastError.Source == "{0}")'.format(validation)}
    )
    challenge = (
        '@(context.LastError.Reason == "TokenNotPresent" ? "Bearer resource_metadata=\\"{0}\\"" : '
        '"Bearer error=\\"invalid_token\\", resource_metadata=\\"{0}\\"")'
    ).format(metadata_url)
    _return_response(
        token_failed,
        401,
        "Unauthorized",
        '{"error": "invalid_token", "error_description": "A valid bearer token is required"}',
        headers=[("WWW-Authenticate", challenge)],
    )
    return _to_xml(policies)


def apim_metadata_policy(servers, server, public_base_url, authorization_servers, scopes=None):
    """Policy of the GET operation that serves the RFC 9728 metadata document from the gateway."""
    document = protected_resource_metadata(servers, server, public_base_url, authorization_servers, scopes)
    policies = ET.Element("policies")
    inbound = ET.SubElement(policies, "inbound")
    ET.SubElement(inbound, "base")
    _return_response(inbound, 200, "OK", json.dumps(document, separators=(", ", ": ")))
    for section in ("backend", "outbound", "on-error"):
        ET.SubElement(ET.SubElement(policies, section), "base")
    return _to_xml(policies)


def _to_xml(element):
    ET.indent(element, space="    ")
    return ET.tostring(element, encoding="unicode")


# --------------------------------------------------------------------------------------------
# Entra app roles


def app_role_id(app_name, value):
    """Stable id of an app role: the same app and value give the same id on every run."""
    return str(uuid.uuid5(APP_ROLE_NAMESPACE, "{0}/{1}".format(app_name, value)))


def entra_app_roles(servers, app_name="mcp-platform", group_ids=None, allowed_member_types=None):
    """App roles (Graph appRole shape) and their group assignments."""
    compiled = _as_compiled_list(servers)
    _require_string(app_name, "app_name")
    group_ids = _require_mapping(group_ids or {}, "group_ids")
    member_types = _string_list(allowed_member_types or ["User"], "allowed_member_types", allow_empty=False)
    roles = {}
    assignments = []
    for server in compiled:
        for tier in server["tiers"]:
            grants = "{0}/{1}".format(server["name"], tier["name"])
            for value in tier["principals"]["app_roles"]:
                role = roles.setdefault(
                    value,
                    {
                        "id": app_role_id(app_name, value),
                        "value": value,
                        "displayName": value,
                        "description": "",
                        "allowedMemberTypes": list(member_types),
                        "isEnabled": True,
                        "grants": [],
                    },
                )
                role["grants"].append(grants)
                group_object_ids = _resolve_groups(tier["principals"]["groups"], group_ids, _groups_path(tier), False)
                for group, object_id in zip(tier["principals"]["groups"], group_object_ids, strict=True):
                    assignments.append(
                        {
                            "app_role": value,
                            "app_role_id": role["id"],
                            "group": group,
                            "group_id": object_id if is_object_id(object_id) else None,
                        }
                    )
    app_roles = []
    for role in roles.values():
        grants = role.pop("grants")
        role["description"] = "Grants the MCP tier(s) {0}".format(", ".join(grants))
        app_roles.append(role)
    return {"app_roles": app_roles, "assignments": assignments}


# --------------------------------------------------------------------------------------------
# effective-permissions report


def permissions_report(servers, backend_host="127.0.0.1", group_ids=None):
    """Who can list and call which tool on which instance, and why (JSON-able)."""
    compiled = _as_compiled_list(servers)
    group_ids = _require_mapping(group_ids or {}, "group_ids")
    report = {"servers": []}
    for server in compiled:
        catalog = catalog_for(server["package"], server["version"])
        server_entry = {"name": server["name"], "package": server["package"], "version": server["version"], "tiers": []}
        for order, tier in enumerate(server["tiers"], start=1):
            env = server_env([server], tier["name"], host=backend_host)
            listed = set(enabled_tools_for_env(catalog, env))
            callable_tools = set(tier["allowed_tools"])
            if listed != callable_tools:
                raise AccessModelError(
                    "{0}.tiers.{1}".format(server["name"], tier["name"]),
                    "server would list {0} but the gateway allows {1}".format(sorted(listed), sorted(callable_tools)),
                )
            principals = [{"kind": "app_role", "value": value} for value in tier["principals"]["app_roles"]]
            for group in tier["principals"]["groups"]:
                object_id = group if is_object_id(group) else group_ids.get(group)
                principals.append({"kind": "group", "value": group, "object_id": object_id})
            tools = []
            refused = []
            for name, decision in sorted(tier["decisions"].items()):
                item = {"name": name, "operation_type": decision["operation_type"], "why": decision["why"]}
                if decision["allowed"]:
                    item.update(
                        {
                            "list": name in listed,
                            "call": name in callable_tools,
                            "confirmation_required": name in tier["confirmation_tools"],
                        }
                    )
                    tools.append(item)
                else:
                    refused.append(item)
            server_entry["tiers"].append(
                {
                    "tier": tier["name"],
                    "evaluation_order": order,
                    "instance": {
                        "port": tier["port"],
                        "backend_url": "http://{0}:{1}/mcp".format(backend_host, tier["port"]),
                        "read_only": tier["read_only"],
                        "disabled_tools": list(tier["server_disabled_tools"]),
                    },
                    "principals": principals,
                    "tools": tools,
                    "refused_tools": refused,
                }
            )
        report["servers"].append(server_entry)
    return report


def permissions_report_markdown(report):
    lines = ["# Effective MCP permissions", ""]
    for server in report["servers"]:
        lines += ["## {0} ({1} {2})".format(server["name"], server["package"], server["version"]), ""]
        lines.append(
            "Tiers are evaluated in this order; a caller gets the first tier one of its app roles or groups matches."
        )
        lines.append("")
        for tier in server["tiers"]:
            instance = tier["instance"]
            lines += [
                "### {0}. {1}".format(tier["evaluation_order"], tier["tier"]),
                "",
                "- Instance: `{0}` (read-only mode: {1})".format(
                    instance["backend_url"], "yes" if instance["read_only"] else "no"
                ),
                "- Principals: {0}".format(
                    ", ".join(
                        "{0} `{1}`{2}".format(
                            "app role" if p["kind"] == "app_role" else "group",
                            p["value"],
                            " ({0})".format(p["object_id"])
                            if p.get("object_id") and p["object_id"] != p["value"]
                            else "",
                        )
                        for p in tier["principals"]
                    )
                ),
                "- Server MDB_MCP_DISABLED_TOOLS: `{0}`".format(",".join(instance["disabled_tools"])),
                "",
                "| tool | operation type | list | call | confirmation | why |",
                "|---|---|---|---|---|---|",
            ]
            for tool in tier["tools"]:
                lines.append(
                    "| `{0}` | {1} | {2} | {3} | {4} | {5} |".format(
                        tool["name"],
                        tool["operation_type"],
                        "yes" if tool["list"] else "no",
                        "yes" if tool["call"] else "no",
                        "yes" if tool["confirmation_required"] else "no",
                        tool["why"],
                    )
                )
            lines += ["", "Refused:", ""]
            for tool in tier["refused_tools"]:
                lines.append("- `{0}` ({1}): {2}".format(tool["name"], tool["operation_type"], tool["why"]))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
