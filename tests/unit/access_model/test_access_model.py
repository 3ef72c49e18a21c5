"""The access model compiler: validation, and the meaning of every artefact it renders."""

import copy
import json
import re
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils import _access_model as model
from ansible_collections.mcp_platform.azure.plugins.module_utils._tool_catalog_mongodb import CATALOG

TENANT = "11111111-2222-3333-4444-555555555555"
CLIENT_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
ADMIN_GROUP = "0f0f0f0f-0000-0000-0000-000000000001"
READER_GROUP = "0f0f0f0f-0000-0000-0000-000000000002"
GROUP_IDS = {"MCP-Admin": ADMIN_GROUP, "MCP-Read-Only": READER_GROUP}
BASE_URL = "https://apim.example.net"
TOOLS = CATALOG[model.DEFAULT_VERSION]["tools"]


def default_model():
    return copy.deepcopy(model.DEFAULT_MCP_PLATFORM_SERVERS)


def policy(servers=None, **overrides):
    arguments = {
        "server": "mongodb",
        "tenant_id": TENANT,
        "audiences": ["api://mcp-platform", CLIENT_ID],
        "public_base_url": BASE_URL,
        "backend_host": "10.0.1.4",
        "group_ids": GROUP_IDS,
    }
    arguments.update(overrides)
    return ET.fromstring(model.apim_policy(servers or default_model(), **arguments))  # noqa: S314 - our own output


def readonly_expected():
    return sorted(
        name
        for name, tool in TOOLS.items()
        if tool["operation_type"] in ("read", "metadata")
        and name not in ("connect", "search-knowledge", "list-knowledge-sources")
    )


# ---------------------------------------------------------------------------------------------
# compilation


def test_default_model_compiles_with_admin_first():
    compiled = model.compile_servers(None)
    assert [tier["name"] for tier in compiled[0]["tiers"]] == ["admin", "readonly"]


def test_readonly_tier_is_read_and_metadata_minus_disabled():
    readonly = model.find_tier(model.compile_servers(default_model())[0], "readonly")
    assert readonly["allowed_tools"] == readonly_expected()
    assert len(readonly["allowed_tools"]) == 14
    assert readonly["read_only"] is True


def test_admin_tier_gets_everything_not_disabled():
    admin = model.find_tier(model.compile_servers(default_model())[0], "admin")
    assert set(admin["allowed_tools"]) == set(TOOLS) - {
        "connect",
        "disconnect",
        "search-knowledge",
        "list-knowledge-sources",
    }
    assert admin["decisions"]["disconnect"]["why"] == "disabled_tools entry 'connect' matches its operation type"
    assert admin["read_only"] is False


def test_tiers_are_ordered_by_privilege_not_by_declaration():
    servers = default_model()
    servers[0]["tiers"].reverse()
    assert [t["name"] for t in model.compile_servers(servers)[0]["tiers"]] == ["admin", "readonly"]


def test_compiled_model_compiles_to_itself():
    compiled = model.compile_servers(default_model())
    assert model.compile_servers(compiled) == compiled


def test_allow_by_name_and_deny():
    servers = default_model()
    servers[0]["tiers"][1]["tools"] = {"allow": ["find", "count", "insert-many"], "deny": ["insert-many"]}
    readonly = model.find_tier(model.compile_servers(servers)[0], "readonly")
    assert readonly["allowed_tools"] == ["count", "find"]
    assert readonly["decisions"]["insert-many"]["why"] == "deny lists 'insert-many'"


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (lambda s: s[0]["tiers"][1].update(port=3000), "mcp_platform_servers[0].tiers[1].port", "already used"),
        (
            lambda s: s[0]["tiers"][1]["tools"].update(allow=["find", "findd"]),
            "mcp_platform_servers[0].tiers[1].tools.allow[1]",
            "unknown tool 'findd'",
        ),
        (lambda s: s[0].update(tiers=[]), "mcp_platform_servers[0].tiers", "must not be empty"),
        (
            lambda s: s[0]["tiers"][0]["principals"].update(users=["alice@example.com"]),
            "mcp_platform_servers[0].tiers[0].principals.users",
            "unknown principal form 'users'",
        ),
        (lambda s: s.append(copy.deepcopy(s[0])), "mcp_platform_servers[1].tiers[0].port", "already used"),
        (
            lambda s: s[0]["tiers"][1].update(name="admin"),
            "mcp_platform_servers[0].tiers[1].name",
            "already defined",
        ),
        (
            lambda s: s[0].update(disabled_tools=["connect", "no-such-tool"]),
            "mcp_platform_servers[0].disabled_tools[1]",
            "not a known tool",
        ),
        (lambda s: s[0].update(version="9.9.9"), "mcp_platform_servers[0].version", "no recorded tool catalog"),
        (
            lambda s: s[0]["tiers"][1]["tools"].update(allow_operation_types=["read", "write"]),
            "mcp_platform_servers[0].tiers[1].tools.allow_operation_types[1]",
            "unknown operation type",
        ),
        (
            lambda s: s[0]["tiers"][1].update(principals={}),
            "mcp_platform_servers[0].tiers[1].principals",
            "at least one group or app role",
        ),
        (
            lambda s: s[0]["tiers"][1]["principals"].update(app_roles=["MCP.Admin"]),
            "mcp_platform_servers[0].tiers[1].principals.app_roles[0]",
            "already grants",
        ),
        (lambda s: s[0]["tiers"][0].update(port=70000), "mcp_platform_servers[0].tiers[0].port", "between 1 and 65535"),
        (
            lambda s: s[0].update(rate_limit={"calls": 10, "period_seconds": 900}),
            "mcp_platform_servers[0].rate_limit.period_seconds",
            "between 1 and 300",
        ),
        (lambda s: s[0].update(tier=[]), "mcp_platform_servers[0].tier", "unknown server key"),
        (
            lambda s: s[0]["tiers"][1].update(tools={"allow": ["connect"]}),
            "mcp_platform_servers[0].tiers[1].tools",
            "allows no tool",
        ),
    ],
)
def test_invalid_models_name_the_offending_path(mutate, path, words):
    servers = default_model()
    mutate(servers)
    with pytest.raises(model.AccessModelError) as raised:
        model.compile_servers(servers)
    assert raised.value.path == path
    assert str(raised.value).startswith(path + ": ")
    assert words in str(raised.value)


# ---------------------------------------------------------------------------------------------
# server environment


def test_readonly_env_offers_exactly_the_tier_tools():
    env = model.server_env(default_model()[0], "readonly")
    assert env["MDB_MCP_READ_ONLY"] == "true"
    assert env["MDB_MCP_HTTP_PORT"] == "3001"
    assert env["MDB_MCP_TRANSPORT"] == "http"
    assert env["MDB_MCP_TELEMETRY"] == "disabled"
    assert env["MDB_MCP_LOGGERS"] == "stderr"
    assert env["MDB_MCP_CONFIRMATION_REQUIRED_TOOLS"] == ""
    assert "atlas" in env["MDB_MCP_DISABLED_TOOLS"].split(",")
    assert "MDB_MCP_HTTP_HEADERS" not in env and "MDB_MCP_CONNECTION_STRING" not in env
    assert model.enabled_tools_for_env(CATALOG[model.DEFAULT_VERSION], env) == readonly_expected()
    assert all(isinstance(value, str) for value in env.values())


def test_read_only_tier_narrower_than_read_only_mode_disables_the_rest():
    servers = default_model()
    servers[0]["tiers"][1]["tools"] = {"allow_operation_types": ["read"]}
    env = model.server_env(servers, "readonly", server="mongodb")
    assert "metadata" in env["MDB_MCP_DISABLED_TOOLS"].split(",")
    listed = model.enabled_tools_for_env(CATALOG[model.DEFAULT_VERSION], env)
    assert listed == sorted(n for n in readonly_expected() if TOOLS[n]["operation_type"] == "read")


def test_non_loopback_host_sets_the_binding_flag():
    assert "MDB_MCP_DANGEROUS_HOST_BINDING" not in model.server_env(default_model()[0], "admin")
    env = model.server_env(default_model()[0], "admin", host="0.0.0.0")  # noqa: S104 - a container's bind address
    assert env["MDB_MCP_DANGEROUS_HOST_BINDING"] == "true"
    assert env["MDB_MCP_CONFIRMATION_REQUIRED_TOOLS"] == "drop-database,drop-collection,delete-many,drop-index"


# ---------------------------------------------------------------------------------------------
# APIM policy: parsed, and asserted for what it means


def condition_literals(element):
    return re.findall(r'"([^"]*)"', element.get("condition"))


def test_policy_validates_tokens_with_audiences_and_both_issuers():
    root = policy()
    inbound = root.find("inbound")
    token = inbound.find("validate-jwt")
    assert token.get("header-name") == "Authorization"
    assert token.get("require-expiration-time") == "true"
    assert token.get("require-signed-tokens") == "true"
    assert token.get("output-token-variable-name") == "mcp-jwt"
    assert token.find("openid-config").get("url") == (
        f"https://login.microsoftonline.com/{TENANT}/v2.0/.well-known/openid-configuration"
    )
    assert [a.text for a in token.find("audiences")] == ["api://mcp-platform", CLIENT_ID]
    assert [i.text for i in token.find("issuers")] == [
        f"https://sts.windows.net/{TENANT}/",
        f"https://login.microsoftonline.com/{TENANT}/v2.0",
    ]
    children = [child.tag for child in inbound]
    assert children.index("validate-jwt") < children.index("choose")


def test_policy_selects_tiers_most_privileged_first_with_one_backend_each():
    selection = policy().find("inbound").find("choose")
    whens = selection.findall("when")
    assert [w.find("set-variable").get("value") for w in whens] == ["admin", "readonly"]
    assert [w.find("set-backend-service").get("base-url") for w in whens] == [
        "http://10.0.1.4:3000/mcp",
        "http://10.0.1.4:3001/mcp",
    ]
    assert all(len(w.findall("set-backend-service")) == 1 for w in whens)
    assert "|MCP.Admin|" in condition_literals(whens[0])
    assert f"|{ADMIN_GROUP}|" in condition_literals(whens[0])
    assert "|MCP.ReadOnly|" in condition_literals(whens[1])
    # roles are checked before groups within a tier
    assert whens[0].get("condition").index("mcp-roles") < whens[0].get("condition").index("mcp-groups")
    assert selection.find("otherwise").find("set-variable").get("value") == ""


def test_policy_refuses_callers_without_tier_with_a_json_rpc_403():
    refusals = policy().find("inbound").findall("choose")[1]
    first = refusals.findall("when")[0]
    assert condition_literals(first) == ["mcp-tier", ""]
    response = first.find("return-response")
    assert response.find("set-status").get("code") == "403"
    assert '\\"jsonrpc\\":\\"2.0\\"' in response.find("set-body").text


def test_policy_allow_list_per_tier_matches_the_compiled_tools():
    refusals = policy().find("inbound").findall("choose")[1]
    allow_checks = {}
    for when in refusals.findall("when"):
        literals = condition_literals(when)
        if "tools/call" in literals:
            tier = literals[literals.index("mcp-tier") + 1]
            names = re.search(r"new string\[\] \{([^}]*)\}", when.get("condition")).group(1)
            allow_checks[tier] = sorted(re.findall(r'"([^"]+)"', names))
            assert when.find("return-response/set-status").get("code") == "403"
    compiled = model.compile_servers(default_model())[0]
    assert allow_checks == {tier["name"]: tier["allowed_tools"] for tier in compiled["tiers"]}
    assert "insert-many" not in allow_checks["readonly"]
    assert allow_checks["readonly"] == readonly_expected()


def test_policy_reads_the_json_rpc_body_preserving_it():
    variables = {v.get("name"): v.get("value") for v in policy().find("inbound").findall("set-variable")}
    assert "context.Request.Body.As<JObject>(preserveContent: true)" in variables["mcp-method"]
    assert 'SelectToken("params.name")' in variables["mcp-tool"]


def test_policy_strips_the_caller_token_and_sends_the_gateway_key():
    inbound = policy(gateway_key_named_value="mongodb-gateway-key").find("inbound")
    headers = {h.get("name"): h for h in inbound.findall("set-header")}
    assert headers["Authorization"].get("exists-action") == "delete"
    assert headers[model.GATEWAY_KEY_HEADER].find("value").text == "{{mongodb-gateway-key}}"
    tags = [child.tag + ":" + (child.get("name") or "") for child in inbound]
    assert tags.index("set-header:Authorization") > tags.index("choose:")


def test_policy_audits_caller_tier_method_and_tool():
    inbound = policy().find("inbound")
    trace = inbound.find("trace")
    assert {m.get("name") for m in trace.findall("metadata")} == set(model.AUDIT_HEADERS.values())
    header_names = {h.get("name") for h in inbound.findall("set-header")}
    assert set(model.AUDIT_HEADERS.values()) <= header_names
    caller = next(v for v in inbound.findall("set-variable") if v.get("name") == "mcp-caller")
    assert '"oid"' in caller.get("value")


def test_policy_streams_and_answers_401_with_resource_metadata():
    root = policy()
    assert root.find("backend/forward-request").get("buffer-response") == "false"
    when = root.find("on-error/choose/when")
    assert condition_literals(when) == ["validate-jwt"]
    response = when.find("return-response")
    assert response.find("set-status").get("code") == "401"
    challenge = next(h for h in response.findall("set-header") if h.get("name") == "WWW-Authenticate")
    assert f'resource_metadata=\\"{BASE_URL}/.well-known/oauth-protected-resource/mcp/mongodb\\"' in (
        challenge.find("value").text
    )


def test_policy_rate_limit_per_caller_only_when_configured():
    assert policy().find("inbound/rate-limit-by-key") is None
    servers = default_model()
    servers[0]["rate_limit"] = {"calls": 120, "period_seconds": 60}
    limit = policy(servers).find("inbound/rate-limit-by-key")
    assert (limit.get("calls"), limit.get("renewal-period")) == ("120", "60")
    assert "mcp-caller" in limit.get("counter-key")


def test_policy_needs_group_object_ids_unless_groups_are_ignored():
    with pytest.raises(model.AccessModelError) as raised:
        policy(group_ids={})
    assert raised.value.path == "mcp_platform_servers[0].tiers[0].principals.groups[0]"
    whens = policy(group_ids={}, accept_groups_claim=False).find("inbound/choose").findall("when")
    assert all("mcp-groups" not in w.get("condition") for w in whens)


def test_policy_with_validate_azure_ad_token():
    root = policy(validation="validate-azure-ad-token", client_application_ids=[CLIENT_ID])
    token = root.find("inbound/validate-azure-ad-token")
    assert token.get("tenant-id") == TENANT
    assert [a.text for a in token.find("client-application-ids")] == [CLIENT_ID]
    assert condition_literals(root.find("on-error/choose/when")) == ["validate-azure-ad-token"]


def test_metadata_document_and_its_policy():
    document = model.protected_resource_metadata(
        default_model(), "mongodb", BASE_URL, [f"https://login.microsoftonline.com/{TENANT}/v2.0"], ["api://x/.default"]
    )
    assert document["resource"] == f"{BASE_URL}/mcp/mongodb"
    assert document["bearer_methods_supported"] == ["header"]
    root = ET.fromstring(  # noqa: S314 - our own output
        model.apim_metadata_policy(
            default_model(), "mongodb", BASE_URL, [f"https://login.microsoftonline.com/{TENANT}/v2.0"]
        )
    )
    body = json.loads(root.find("inbound/return-response/set-body").text)
    assert body["authorization_servers"] == [f"https://login.microsoftonline.com/{TENANT}/v2.0"]


# ---------------------------------------------------------------------------------------------
# gateway config, Entra roles, report


def test_gateway_config_has_the_contract_shape():
    auth = {
        "issuers": ["https://127.0.0.1:9443/dev"],
        "audiences": ["api://mcp-platform"],
        "jwks_uri": "https://127.0.0.1:9443/jwks",
    }
    config = model.gateway_config(
        default_model(), auth, "https://127.0.0.1:8443/", group_ids={"MCP-Admin": ADMIN_GROUP}
    )
    assert json.loads(json.dumps(config)) == config
    assert config["auth"]["algorithms"] == ["RS256"]
    assert config["auth"]["authorization_servers"] == ["https://127.0.0.1:9443/dev"]
    assert config["gateway_key_header"] == "x-mcp-gateway-key"
    server = config["servers"][0]
    assert set(server) == {
        "name",
        "path",
        "resource",
        "resource_metadata_url",
        "scopes_supported",
        "rate_limit",
        "tiers",
    }
    assert server["path"] == "/mcp/mongodb"
    assert server["resource"] == "https://127.0.0.1:8443/mcp/mongodb"
    assert server["resource_metadata_url"] == "https://127.0.0.1:8443/.well-known/oauth-protected-resource/mcp/mongodb"
    assert server["rate_limit"] is None
    admin, readonly = server["tiers"]
    assert set(admin) == {"name", "backend_url", "roles", "groups", "allowed_tools"}
    assert admin["groups"] == [ADMIN_GROUP]
    assert readonly["groups"] == ["MCP-Read-Only"]
    assert readonly["backend_url"] == "http://127.0.0.1:3001/mcp"
    assert readonly["allowed_tools"] == readonly_expected()


def test_gateway_config_names_a_missing_auth_field():
    with pytest.raises(model.AccessModelError) as raised:
        model.gateway_config(default_model(), {"issuers": ["x"], "audiences": ["y"]}, "https://h")
    assert raised.value.path == "auth.jwks_uri"


def test_entra_app_roles_have_stable_ids_and_group_assignments():
    first = model.entra_app_roles(default_model(), app_name="mcp-platform", group_ids=GROUP_IDS)
    again = model.entra_app_roles(default_model(), app_name="mcp-platform", group_ids=GROUP_IDS)
    assert first == again
    roles = {role["value"]: role for role in first["app_roles"]}
    assert set(roles) == {"MCP.Admin", "MCP.ReadOnly"}
    assert roles["MCP.Admin"]["id"] != roles["MCP.ReadOnly"]["id"]
    assert roles["MCP.Admin"]["id"] != model.entra_app_roles(default_model(), app_name="other")["app_roles"][0]["id"]
    assert roles["MCP.Admin"]["allowedMemberTypes"] == ["User"]
    assert {(a["app_role"], a["group_id"]) for a in first["assignments"]} == {
        ("MCP.Admin", ADMIN_GROUP),
        ("MCP.ReadOnly", READER_GROUP),
    }


def test_permissions_report_says_what_and_why():
    report = model.permissions_report(default_model(), group_ids=GROUP_IDS)
    admin, readonly = report["servers"][0]["tiers"]
    assert (admin["evaluation_order"], readonly["evaluation_order"]) == (1, 2)
    assert [t["name"] for t in readonly["tools"]] == readonly_expected()
    assert all(t["list"] and t["call"] for t in readonly["tools"])
    refused = {t["name"]: t["why"] for t in readonly["refused_tools"]}
    assert "insert-many" in refused and "'create'" in refused["insert-many"]
    assert {"kind": "group", "value": "MCP-Read-Only", "object_id": READER_GROUP} in readonly["principals"]
    markdown = model.permissions_report_markdown(report)
    assert "### 2. readonly" in markdown and "| `find` | read | yes | yes | no |" in markdown
