"""Record the tool catalog of a pinned mongodb-mcp-server release.

Run ``.venv/bin/python -m tests.support.record_tool_catalog --version 3.0.4`` after a
version bump. It installs the release from npm, starts it over Streamable HTTP in its
default mode and in read-only mode, lists the tools of each with the MCP Python SDK, reads
each tool's category and operation type from the server's own tool classes (tools/list
does not carry them), and writes the result into
``plugins/module_utils/_tool_catalog_mongodb.py``. The integration test
``tests/integration/test_tool_catalog.py`` records again and compares, so a release that
adds a tool or changes an operation type fails the suite instead of silently widening a
read-only tier.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.support.mcp_server import (
    DEFAULT_VERSION,
    PACKAGE,
    REPO_ROOT,
    ensure_mongodb_mcp_server,
    free_port,
    install_dir,
    running_mongodb_mcp_server,
)

CATALOG_MODULE = REPO_ROOT / "plugins" / "module_utils" / "_tool_catalog_mongodb.py"

# Modes the catalog records: the environment each one starts the server with.
MODES: dict[str, dict[str, str]] = {
    "default": {},
    "read_only": {"MDB_MCP_READ_ONLY": "true"},
}

# Imports the server's tool class list and prints each class's static identity.
_TOOL_CLASSES_SCRIPT = """
const { pathToFileURL } = await import("node:url");
const mod = await import(pathToFileURL(process.argv[1]).href);
const tools = mod.AllTools.map((tool) => ({
  name: tool.toolName,
  category: tool.category,
  operation_type: tool.operationType,
}));
process.stdout.write(JSON.stringify(tools));
"""


def base_env(port: int) -> dict[str, str]:
    """Environment of a recording run: HTTP on loopback, no database, nothing leaves the host."""
    return {
        "MDB_MCP_TRANSPORT": "http",
        "MDB_MCP_HTTP_HOST": "127.0.0.1",
        "MDB_MCP_HTTP_PORT": str(port),
        "MDB_MCP_TELEMETRY": "disabled",
        "MDB_MCP_LOGGERS": "stderr",
    }


def tool_classes(version: str = DEFAULT_VERSION) -> list[dict[str, str]]:
    """Category and operation type of every tool class the release defines, from its own code."""
    ensure_mongodb_mcp_server(version)
    all_tools = install_dir(version) / "node_modules" / PACKAGE / "dist" / "esm" / "allTools.js"
    output = subprocess.run(
        ["node", "--input-type=module", "-e", _TOOL_CLASSES_SCRIPT, str(all_tools)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return json.loads(output)


async def list_tools(url: str, headers: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """tools/list through the MCP Python SDK, every page, as plain dicts."""
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    tools: list[dict[str, Any]] = []
    async with (
        httpx2.AsyncClient(headers=dict(headers or {}), timeout=30) as http,
        Client(streamable_http_client(url, http_client=http), cache=None) as client,
    ):
        cursor = None
        while True:
            page = await client.list_tools(cursor=cursor)
            tools.extend(tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in page.tools)
            cursor = page.next_cursor
            if not cursor:
                return tools


def listed_tools(env: Mapping[str, str], version: str = DEFAULT_VERSION, headers=None) -> list[dict[str, Any]]:
    """Start the real server with `env` and return what tools/list answers."""
    with running_mongodb_mcp_server(env, version) as url:
        return asyncio.run(list_tools(url, headers))


def record(version: str = DEFAULT_VERSION) -> dict[str, Any]:
    classes = {tool["name"]: tool for tool in tool_classes(version)}
    listings = {mode: listed_tools({**base_env(free_port()), **extra}, version) for mode, extra in MODES.items()}
    default_listing = {tool["name"]: tool for tool in listings["default"]}
    unknown = sorted(set(default_listing) - set(classes))
    if unknown:
        raise RuntimeError(f"tools listed but not found among the server's tool classes: {unknown}")
    tools = {}
    for name in sorted(default_listing):
        annotations = default_listing[name].get("annotations", {})
        tools[name] = {
            "operation_type": classes[name]["operation_type"],
            "category": classes[name]["category"],
            "annotations": {key: annotations[key] for key in sorted(annotations) if key != "title"},
            "modes": [mode for mode in MODES if any(tool["name"] == name for tool in listings[mode])],
        }
    listed_categories = {tool["category"] for tool in tools.values()}
    return {
        "package": PACKAGE,
        "tools": tools,
        "operation_types": sorted({tool["operation_type"] for tool in classes.values()}),
        # Defined by the release but not offered here (they need Atlas API credentials or a
        # local container runtime); the compiler disables them so no host can widen a tier.
        "unlisted_categories": sorted({tool["category"] for tool in classes.values()} - listed_categories),
    }


def _render(value: Any, indent: int = 0) -> str:
    """A Python literal laid out the way ruff format leaves it (magic trailing commas)."""
    pad = " " * (indent + 4)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = "".join(f"{pad}{json.dumps(key)}: {_render(item, indent + 4)},\n" for key, item in value.items())
        return "{\n" + items + " " * indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = "".join(f"{pad}{_render(item, indent + 4)},\n" for item in value)
        return "[\n" + items + " " * indent + "]"
    if isinstance(value, bool) or value is None:
        return repr(value)
    return json.dumps(value)


MODULE_HEADER = '''\
# Copyright (c) mcp_platform.azure contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tool catalog of mongodb-mcp-server, one entry per pinned release.

Generated by tests/support/record_tool_catalog.py from the real server (tools/list in each
mode, plus each tool's category and operation type from the server's tool classes); checked
against the real server by tests/integration/test_tool_catalog.py. Do not edit by hand.
"""

'''


def write_catalog(version: str, entry: Mapping[str, Any], path: Path = CATALOG_MODULE) -> None:
    catalog: dict[str, Any] = {}
    if path.exists():
        namespace: dict[str, Any] = {}
        exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102 - our own generated file
        catalog = dict(namespace.get("CATALOG", {}))
    catalog[version] = entry
    ordered = {key: catalog[key] for key in sorted(catalog, key=lambda v: tuple(int(p) for p in v.split(".")))}
    path.write_text(MODULE_HEADER + "CATALOG = " + _render(ordered) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=DEFAULT_VERSION, help="mongodb-mcp-server release to record")
    parser.add_argument("--output", type=Path, default=CATALOG_MODULE)
    args = parser.parse_args()
    entry = record(args.version)
    write_catalog(args.version, entry, args.output)
    counts = {mode: sum(mode in tool["modes"] for tool in entry["tools"].values()) for mode in MODES}
    print(f"recorded {PACKAGE} {args.version}: {counts} -> {args.output}")


if __name__ == "__main__":
    main()
