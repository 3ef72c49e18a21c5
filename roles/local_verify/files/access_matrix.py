"""Prove the access model of a running MCP platform with a real MCP client.

    access_matrix.py --gateway-url URL --server mongodb --token-command CMD \
        --admin NAME --readonly NAME --no-tier NAME [--write-tool insert-many] [--read-tool find] \
        [--database sample_store] [--collection products]

CMD prints a token for a principal (`CMD PRINCIPAL [--audience A] [--issuer I] [--lifetime S]`).
Every check prints one JSON line {"check", "ok", "detail"}; the exit status is 1 when any check
fails. Tokens are never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import subprocess
import sys
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import httpx2
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "mcp-platform-verify", "version": "1"},
    },
}
MCP_HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}


class Matrix:
    def __init__(self) -> None:
        self.failures = 0

    def record(self, check: str, ok: bool, detail: Any = "") -> bool:
        if not ok:
            self.failures += 1
        print(json.dumps({"check": check, "ok": bool(ok), "detail": detail}, default=str), flush=True)
        return ok


class Tokens:
    def __init__(self, command: str) -> None:
        self.command = shlex.split(command)

    def mint(self, principal: str, *extra: str) -> str:
        # The token command is the operator's own, given on the command line.
        result = subprocess.run(  # noqa: S603
            [*self.command, principal, *extra], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"token command failed for {principal}: {result.stderr.strip()}")
        return result.stdout.strip()


def foreign_signature(token: str) -> str:
    """The same claims and key id, signed by a key the issuer never published."""
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": header.get("kid")})


def unsigned(token: str) -> str:
    """The same claims with `alg: none` and no signature."""
    claims = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode(claims, None, algorithm="none")


def raw_post(url: str, token: str | None, body: dict[str, Any]) -> httpx.Response:
    headers = dict(MCP_HEADERS)
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    return httpx.post(url, headers=headers, json=body, timeout=30.0)


def check_unauthenticated(matrix: Matrix, url: str, metadata_url: str) -> None:
    response = raw_post(url, None, INITIALIZE)
    challenge = response.headers.get("www-authenticate", "")
    matrix.record(
        "no token -> 401 with resource_metadata",
        response.status_code == 401 and f'resource_metadata="{metadata_url}"' in challenge,
        {"status": response.status_code, "www-authenticate": challenge},
    )
    metadata = httpx.get(metadata_url, timeout=10.0)
    document = metadata.json() if metadata.status_code == 200 else {}
    matrix.record(
        "protected resource metadata (RFC 9728)",
        document.get("resource") == url and bool(document.get("authorization_servers")),
        {"status": metadata.status_code, "document": document},
    )


def check_rejected_tokens(matrix: Matrix, url: str, tokens: Tokens, principal: str) -> None:
    valid = tokens.mint(principal)
    bad_tokens: dict[str, Callable[[], str]] = {
        "expired token": lambda: tokens.mint(principal, "--lifetime", "-3600"),
        "token not yet valid": lambda: tokens.mint(principal, "--not-before", "3600", "--lifetime", "7200"),
        "wrong audience": lambda: tokens.mint(principal, "--audience", "api://some-other-application"),
        "wrong issuer": lambda: tokens.mint(principal, "--issuer", "https://issuer.invalid/"),
        "foreign signature": lambda: foreign_signature(valid),
        "alg none": lambda: unsigned(valid),
    }
    for name, make in bad_tokens.items():
        response = raw_post(url, make(), INITIALIZE)
        matrix.record(
            f"{name} -> 401",
            response.status_code == 401 and "invalid_token" in response.headers.get("www-authenticate", ""),
            {"status": response.status_code},
        )


def check_no_tier(matrix: Matrix, url: str, tokens: Tokens, principal: str) -> None:
    response = raw_post(url, tokens.mint(principal), INITIALIZE)
    try:
        body = response.json()
    except ValueError:
        body = {}
    matrix.record(
        f"principal without a tier ({principal}) -> 403 JSON-RPC error",
        response.status_code == 403 and isinstance(body.get("error"), dict),
        {"status": response.status_code, "body": body},
    )


def tool_text(result: Any) -> str:
    return "\n".join(getattr(item, "text", "") for item in result.content)


async def with_client(url: str, token: str, action):
    headers = {"authorization": f"Bearer {token}"}
    timeout = httpx2.Timeout(30.0, read=120.0)
    async with (
        httpx2.AsyncClient(headers=headers, timeout=timeout) as http,
        Client(streamable_http_client(url, http_client=http), mode="legacy") as client,
    ):
        return await action(client)


async def check_admin(matrix: Matrix, url: str, token: str, args: argparse.Namespace) -> None:
    async def act(client: Client) -> None:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        matrix.record(
            f"admin lists {args.write_tool} and {args.read_tool}",
            {args.write_tool, args.read_tool} <= tools,
            {"tools": len(tools)},
        )
        marker = f"verify-{uuid.uuid4().hex[:12]}"
        inserted = await client.call_tool(
            args.write_tool,
            {
                **args.connection,
                "database": args.database,
                "collection": "verify_runs",
                "documents": [{"marker": marker}],
            },
        )
        matrix.record(f"admin calls {args.write_tool}", not inserted.is_error, tool_text(inserted)[:300])
        found = await client.call_tool(
            args.read_tool,
            {**args.connection, "database": args.database, "collection": "verify_runs", "filter": {"marker": marker}},
        )
        matrix.record("admin reads back what it wrote", marker in tool_text(found), tool_text(found)[:300])
        await check_find(matrix, client, "admin", args)

    await with_client(url, token, act)


async def check_find(matrix: Matrix, client: Client, who: str, args: argparse.Namespace) -> None:
    found = await client.call_tool(
        args.read_tool,
        {**args.connection, "database": args.database, "collection": args.collection, "filter": {}, "limit": 5},
    )
    text = tool_text(found)
    matrix.record(
        f"{who} {args.read_tool} returns seeded data",
        not found.is_error and args.expect_text in text,
        text[:300],
    )


async def check_readonly(matrix: Matrix, url: str, token: str, args: argparse.Namespace) -> None:
    async def act(client: Client) -> None:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        matrix.record(
            f"read-only does not see {args.write_tool}",
            args.write_tool not in tools and args.read_tool in tools,
            {"tools": len(tools)},
        )
        try:
            result = await client.session.call_tool(
                args.write_tool,
                {
                    **args.connection,
                    "database": args.database,
                    "collection": "verify_runs",
                    "documents": [{"forced": True}],
                },
            )
        except MCPError as refused:
            matrix.record(
                f"read-only forced tools/call {args.write_tool} is refused by the gateway",
                refused.code == args.forbidden_code,
                {"code": refused.code, "message": refused.message},
            )
        else:
            matrix.record(
                f"read-only forced tools/call {args.write_tool} is refused by the gateway",
                False,
                {"is_error": result.is_error, "text": tool_text(result)[:300]},
            )
        await check_find(matrix, client, "read-only", args)

    await with_client(url, token, act)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the access matrix against an MCP gateway.")
    parser.add_argument("--gateway-url", required=True)
    parser.add_argument("--server", default="mongodb")
    parser.add_argument("--token-command", required=True)
    parser.add_argument("--admin", required=True)
    parser.add_argument("--readonly", required=True)
    parser.add_argument("--no-tier", required=True)
    parser.add_argument("--write-tool", default="insert-many")
    parser.add_argument("--read-tool", default="find")
    parser.add_argument("--database", default="sample_store")
    parser.add_argument("--collection", default="products")
    parser.add_argument("--expect-text", default="MCP-001", help="text the seeded collection's find must show")
    parser.add_argument("--forbidden-code", type=int, default=-32003, help="JSON-RPC code of the gateway's 403")
    parser.add_argument(
        "--connection-id",
        default="preconfigured",
        help="connectionId the server's tools take (empty for servers without one)",
    )
    args = parser.parse_args(argv)
    args.connection = {"connectionId": args.connection_id} if args.connection_id else {}

    base = args.gateway_url.rstrip("/")
    url = f"{base}/mcp/{args.server}"
    metadata_url = f"{base}/.well-known/oauth-protected-resource/mcp/{args.server}"
    tokens = Tokens(args.token_command)
    matrix = Matrix()
    check_unauthenticated(matrix, url, metadata_url)
    check_rejected_tokens(matrix, url, tokens, args.admin)
    check_no_tier(matrix, url, tokens, args.no_tier)
    asyncio.run(check_admin(matrix, url, tokens.mint(args.admin), args))
    asyncio.run(check_readonly(matrix, url, tokens.mint(args.readonly), args))
    print(json.dumps({"summary": {"failures": matrix.failures}}))
    return 1 if matrix.failures else 0


if __name__ == "__main__":
    sys.exit(main())
