"""Connect to an MCP server of the platform with the MCP Python SDK, list its tools and call one.

    TOKEN=$(.local-state/bin/mcp-token admin) .venv/bin/python docs/examples/mcp_client.py \
        http://127.0.0.1:8080/mcp/mongodb

On Azure, use the gateway URL (https://<apim>.azure-api.net/mcp/mongodb) and an Entra access token
for the platform's API (az account get-access-token --resource api://<app id>).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client


async def main(url: str, token: str) -> None:
    # The gateway authenticates every request by its bearer token; the MCP session rides on top.
    http = httpx2.AsyncClient(headers={"authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30.0, read=120.0))
    async with http, Client(streamable_http_client(url, http_client=http), mode="legacy") as client:
        tools = sorted(tool.name for tool in (await client.list_tools()).tools)
        print(f"{len(tools)} tools: {', '.join(tools)}")
        # The server was started with its database connection string: "preconfigured" names it.
        arguments = {"connectionId": "preconfigured", "database": "sample_store", "collection": "products", "limit": 2}
        result = await client.call_tool("find", arguments)
        print("find ->", "error" if result.is_error else "ok")
        for item in result.content:
            print(getattr(item, "text", json.dumps(item.model_dump(), default=str))[:800])


if __name__ == "__main__":
    if len(sys.argv) != 2 or not os.environ.get("TOKEN"):
        sys.exit("usage: TOKEN=<access token> python mcp_client.py <MCP endpoint URL>")
    asyncio.run(main(sys.argv[1], os.environ["TOKEN"]))
