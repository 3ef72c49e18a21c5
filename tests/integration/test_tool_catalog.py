"""The recorded tool catalog and the compiled server environments, against the real server.

Starts the pinned mongodb-mcp-server from npm and lists its tools with the MCP Python SDK.
"""

import asyncio
import secrets

import httpx2
import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils import _access_model as model
from ansible_collections.mcp_platform.azure.plugins.module_utils._tool_catalog_mongodb import CATALOG
from tests.support import record_tool_catalog as recorder
from tests.support.mcp_server import free_port, running_mongodb_mcp_server

pytestmark = pytest.mark.timeout(300)

VERSION = model.DEFAULT_VERSION


def test_recorded_catalog_matches_the_real_server():
    """A release that adds a tool, drops one or changes an operation type fails here."""
    assert recorder.record(VERSION) == CATALOG[VERSION]


def test_default_catalog_counts_match_the_release():
    tools = CATALOG[VERSION]["tools"]
    assert len(tools) == 27
    assert sum("read_only" in tool["modes"] for tool in tools.values()) == 18


def test_readonly_tier_allows_exactly_read_and_metadata_tools_minus_disabled():
    compiled = model.compile_servers(model.DEFAULT_MCP_PLATFORM_SERVERS)[0]
    readonly = model.find_tier(compiled, "readonly")
    expected = {
        name
        for name, tool in CATALOG[VERSION]["tools"].items()
        if tool["operation_type"] in ("read", "metadata")
        and name not in {"connect", "search-knowledge", "list-knowledge-sources"}
    }
    assert set(readonly["allowed_tools"]) == expected
    assert "find" in expected and "insert-many" not in expected


def _list_names(env, headers=None):
    with running_mongodb_mcp_server(env, VERSION) as url:
        return sorted(tool["name"] for tool in asyncio.run(recorder.list_tools(url, headers)))


@pytest.mark.parametrize("tier", ["readonly", "admin"])
def test_compiled_environment_makes_the_server_list_exactly_the_allowed_tools(tier):
    env = model.server_env(model.DEFAULT_MCP_PLATFORM_SERVERS[0], tier, host="127.0.0.1")
    env["MDB_MCP_HTTP_PORT"] = str(free_port())
    gateway_key = secrets.token_urlsafe(24)
    env["MDB_MCP_HTTP_HEADERS"] = '{"%s": "%s"}' % (model.GATEWAY_KEY_HEADER, gateway_key)
    compiled = model.compile_servers(model.DEFAULT_MCP_PLATFORM_SERVERS)[0]
    allowed = model.find_tier(compiled, tier)["allowed_tools"]

    listed = _list_names(env, headers={model.GATEWAY_KEY_HEADER: gateway_key})

    assert listed == allowed
    assert listed == model.enabled_tools_for_env(CATALOG[VERSION], env)


def test_server_refuses_requests_without_the_gateway_key():
    env = model.server_env(model.DEFAULT_MCP_PLATFORM_SERVERS[0], "readonly")
    env["MDB_MCP_HTTP_PORT"] = str(free_port())
    env["MDB_MCP_HTTP_HEADERS"] = '{"%s": "%s"}' % (model.GATEWAY_KEY_HEADER, secrets.token_urlsafe(24))
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }
    with running_mongodb_mcp_server(env, VERSION) as url:
        response = httpx2.post(
            url, json=initialize, headers={"accept": "application/json, text/event-stream"}, timeout=10
        )
    assert response.status_code == 403
