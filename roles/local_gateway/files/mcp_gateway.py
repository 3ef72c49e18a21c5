"""MCP gateway of the local target: the data-plane twin of the API Management policy.

For every MCP server of the compiled access model it serves /mcp/<server> and, per request:
checks the Origin header (DNS rebinding), validates the bearer token (RS256 against the issuer's
JWKS: signature, algorithm allow-list, issuer, audience, expiry, not-before), selects the first tier
whose app roles or groups the caller holds, refuses a `tools/call` of a tool outside that tier,
removes the caller's credentials, adds the gateway key the servers require, relays the answer
without buffering (Server-Sent Events stream through), and writes one audit line (caller, tier,
MCP method, tool, status, latency; never a token).

    mcp_gateway.py --config gateway.json --gateway-key-file KEY [--host 127.0.0.1] [--port 8080]

The configuration is the output of the `mcp_platform.azure.mcp_gateway_config` filter.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import re
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt

MAX_BODY_BYTES = 4 * 1024 * 1024
CLOCK_SKEW_SECONDS = 60
JWKS_REFRESH_INTERVAL = 30.0
# JSON-RPC error codes of the gateway's own refusals, in the implementation-defined server range.
UNAUTHORIZED = -32001
FORBIDDEN = -32003
RATE_LIMITED = -32029
BAD_GATEWAY = -32002
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
LOOPBACK_ORIGIN = re.compile(r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$")
# Only the headers of the MCP Streamable HTTP transport reach a server: never Authorization, cookies
# or a gateway key sent by the caller.
FORWARDED_REQUEST_HEADERS = ("accept", "content-type", "mcp-session-id", "mcp-protocol-version", "last-event-id")
DROPPED_RESPONSE_HEADERS = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
    "x-powered-by",
    "date",
    "server",
}

audit_logger = logging.getLogger("mcp_gateway.audit")


class TokenRejected(Exception):
    """The bearer token is missing or invalid (answered with 401)."""


@dataclass(frozen=True)
class JsonRpcCall:
    method: str | None
    id: Any = None
    tool: str | None = None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    status: int
    tier: str | None
    reason: str = ""
    error_code: int | None = None


# ---- decisions: pure functions, exercised by the unit tests -----------------------------------


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _space, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def origin_allowed(origin: str | None, allowed_origins: Iterable[str], allow_loopback: bool = True) -> bool:
    """Requests without Origin come from non-browser clients; browser origins must be listed."""
    if origin is None:
        return True
    if origin in set(allowed_origins):
        return True
    return allow_loopback and bool(LOOPBACK_ORIGIN.match(origin))


def validate_token(token: str, keys: Mapping[str, Any], auth: Mapping[str, Any]) -> dict:
    """Claims of a valid token; raises TokenRejected naming the first rule it breaks.

    `keys` maps key id to a `jwt.PyJWK` (or anything with `.key`).
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise TokenRejected(f"malformed token: {error}") from error
    algorithms = list(auth.get("algorithms") or ["RS256"])
    if header.get("alg") not in algorithms:
        raise TokenRejected(f"algorithm {header.get('alg')!r} is not allowed")
    kid = header.get("kid")
    if kid is None and len(keys) == 1:
        signing_key = next(iter(keys.values()))
    elif kid in keys:
        signing_key = keys[kid]
    else:
        raise TokenRejected("token signed by an unknown key")
    try:
        claims = jwt.decode(
            token,
            key=getattr(signing_key, "key", signing_key),
            algorithms=algorithms,
            audience=list(auth.get("audiences") or []),
            issuer=list(auth.get("issuers") or []),
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": ["exp", "iss", "aud"]},
        )
    except jwt.PyJWTError as error:
        raise TokenRejected(str(error) or type(error).__name__) from error
    return claims


def _claim_values(claims: Mapping[str, Any], name: str) -> set[str]:
    value = claims.get(name) or []
    if isinstance(value, str):
        value = [value]
    return {str(item) for item in value}


def select_tier(server: Mapping[str, Any], claims: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The first tier (most privileged first) whose app roles or groups the caller holds."""
    roles = _claim_values(claims, "roles")
    groups = _claim_values(claims, "groups")
    for tier in server["tiers"]:
        if roles & set(tier.get("roles") or []) or groups & set(tier.get("groups") or []):
            return tier
    return None


def parse_jsonrpc(body: bytes) -> list[JsonRpcCall]:
    """The JSON-RPC messages of a POST body (one message or a batch); raises ValueError if it is none."""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"body is not JSON: {error}") from error
    messages = document if isinstance(document, list) else [document]
    if not messages:
        raise ValueError("empty JSON-RPC batch")
    calls = []
    for message in messages:
        if not isinstance(message, dict):
            raise ValueError("a JSON-RPC message must be an object")
        method = message.get("method")
        tool = None
        if method == "tools/call":
            params = message.get("params")
            tool = params.get("name") if isinstance(params, dict) else None
            if not isinstance(tool, str):
                raise ValueError("tools/call without a tool name")
        calls.append(JsonRpcCall(method=method if isinstance(method, str) else None, id=message.get("id"), tool=tool))
    return calls


def decide(server: Mapping[str, Any], claims: Mapping[str, Any], calls: Iterable[JsonRpcCall] = ()) -> Decision:
    """Whether an authenticated caller may send these messages to this server, and through which tier."""
    tier = select_tier(server, claims)
    if tier is None:
        return Decision(
            False, 403, None, f"no tier of {server['name']} matches the caller's roles or groups", FORBIDDEN
        )
    allowed_tools = set(tier.get("allowed_tools") or [])
    for call in calls:
        if call.method == "tools/call" and call.tool not in allowed_tools:
            return Decision(
                False, 403, tier["name"], f"tool {call.tool!r} is not allowed for tier {tier['name']!r}", FORBIDDEN
            )
    return Decision(True, 200, tier["name"])


def jsonrpc_error(code: int, message: str, request_id: Any = None) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}


def challenge(server: Mapping[str, Any], error: str | None = None, description: str | None = None) -> str:
    """The WWW-Authenticate value of a 401 (RFC 6750 + RFC 9728 resource_metadata)."""
    parts = [f'resource_metadata="{server["resource_metadata_url"]}"']
    scopes = server.get("scopes_supported") or []
    if scopes:
        parts.append(f'scope="{" ".join(scopes)}"')
    if error:
        parts.append(f'error="{error}"')
    if description:
        parts.append('error_description="{}"'.format(description.replace('"', "'")))
    return "Bearer " + ", ".join(parts)


def protected_resource_metadata(server: Mapping[str, Any], auth: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "resource": server["resource"],
        "authorization_servers": list(auth.get("authorization_servers") or auth.get("issuers") or []),
        "scopes_supported": list(server.get("scopes_supported") or []),
        "bearer_methods_supported": ["header"],
        "resource_name": f"MCP server {server['name']}",
    }


@dataclass
class RateLimiter:
    """Fixed-window call counter per (server, caller), as APIM's rate-limit-by-key does."""

    windows: dict[tuple[str, str], tuple[float, int]] = field(default_factory=dict)

    def allow(self, server: Mapping[str, Any], caller: str, now: float) -> bool:
        limit = server.get("rate_limit")
        if not limit:
            return True
        key = (server["name"], caller)
        started, count = self.windows.get(key, (now, 0))
        if now - started >= limit["period_seconds"]:
            started, count = now, 0
        if count >= limit["calls"]:
            self.windows[key] = (started, count)
            return False
        self.windows[key] = (started, count + 1)
        return True


# ---- the HTTP application -------------------------------------------------------------------


class JwksCache:
    """Signing keys of the issuer, refetched when a token names an unknown key id (key rotation)."""

    def __init__(self, client, jwks_uri: str):
        self._client = client
        self._uri = jwks_uri
        self._keys: dict[str, Any] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def keys_for(self, token: str) -> dict[str, Any]:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            return self._keys
        if (not self._keys or (kid and kid not in self._keys)) and (
            time.monotonic() - self._fetched_at > JWKS_REFRESH_INTERVAL or not self._keys
        ):
            async with self._lock:
                await self._refresh()
        return self._keys

    async def _refresh(self) -> None:
        self._fetched_at = time.monotonic()
        try:
            response = await self._client.get(self._uri, timeout=5.0)
            response.raise_for_status()
            key_set = jwt.PyJWKSet.from_dict(response.json())
        except Exception as error:  # any failure leaves the previous keys in place
            logging.getLogger("mcp_gateway").warning("cannot fetch JWKS from %s: %s", self._uri, error)
            return
        self._keys = {key.key_id: key for key in key_set.keys if key.key_id}


def caller_of(claims: Mapping[str, Any]) -> str:
    return str(claims.get("oid") or claims.get("sub") or "unknown")


def build_app(
    config: Mapping[str, Any],
    gateway_key: str,
    allowed_origins: Iterable[str] = (),
    allow_loopback_origins: bool = True,
):
    import httpx
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response, StreamingResponse
    from starlette.routing import Route

    auth = config["auth"]
    key_header = config.get("gateway_key_header", "x-mcp-gateway-key")
    servers = {server["name"]: server for server in config["servers"]}
    origins = list(allowed_origins)
    limiter = RateLimiter()
    # One pooled client for every backend: no read timeout, since an SSE stream may stay open for hours.
    client = httpx.AsyncClient(timeout=httpx.Timeout(connect=5.0, read=None, write=30.0, pool=10.0))
    jwks = JwksCache(client, auth["jwks_uri"])

    def audit(request: Request, server: str, started: float, status: int, **fields: Any) -> None:
        record = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "server": server,
            "http_method": request.method,
            "caller": fields.pop("caller", None),
            "tier": fields.pop("tier", None),
            "mcp_method": fields.pop("mcp_method", None),
            "tool": fields.pop("tool", None),
            "status": status,
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        }
        record.update(fields)
        audit_logger.info(json.dumps(record, sort_keys=True))

    def refuse(status: int, code: int, message: str, request_id: Any = None, headers=None) -> Response:
        return JSONResponse(jsonrpc_error(code, message, request_id), status_code=status, headers=headers)

    async def metadata(request: Request) -> Response:
        server = servers.get(request.path_params["server"])
        if server is None:
            return JSONResponse({"error": "unknown MCP server"}, status_code=404)
        return JSONResponse(protected_resource_metadata(server, auth))

    async def relay(request: Request) -> Response:
        started = time.perf_counter()
        name = request.path_params["server"]
        server = servers.get(name)
        if server is None:
            audit(request, name, started, 404, reason="unknown server")
            return refuse(404, INVALID_REQUEST, f"unknown MCP server {name!r}")
        if not origin_allowed(request.headers.get("origin"), origins, allow_loopback_origins):
            audit(request, name, started, 403, reason="origin not allowed")
            return refuse(403, FORBIDDEN, "Origin not allowed")

        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            audit(request, name, started, 401, reason="no bearer token")
            return refuse(401, UNAUTHORIZED, "bearer token required", headers={"WWW-Authenticate": challenge(server)})
        try:
            claims = validate_token(token, await jwks.keys_for(token), auth)
        except TokenRejected as rejected:
            audit(request, name, started, 401, reason=f"invalid token: {rejected}")
            return refuse(
                401,
                UNAUTHORIZED,
                "invalid bearer token",
                headers={"WWW-Authenticate": challenge(server, "invalid_token", str(rejected))},
            )
        caller = caller_of(claims)

        body = b""
        calls: list[JsonRpcCall] = []
        if request.method == "POST":
            body = await request.body()
            if len(body) > MAX_BODY_BYTES:
                audit(request, name, started, 413, caller=caller, reason="body too large")
                return refuse(413, INVALID_REQUEST, "request body too large")
            try:
                calls = parse_jsonrpc(body)
            except ValueError as error:
                audit(request, name, started, 400, caller=caller, reason=str(error))
                return refuse(400, PARSE_ERROR, str(error))
        first = calls[0] if calls else JsonRpcCall(method=None)
        tool_names = [call.tool for call in calls if call.tool]
        context = {
            "caller": caller,
            "mcp_method": ",".join(call.method or "?" for call in calls) or None,
            "tool": ",".join(tool_names) or None,
        }

        decision = decide(server, claims, calls)
        if not decision.allowed:
            audit(request, name, started, decision.status, tier=decision.tier, reason=decision.reason, **context)
            return refuse(decision.status, decision.error_code or FORBIDDEN, decision.reason, first.id)
        if not limiter.allow(server, caller, time.monotonic()):
            audit(request, name, started, 429, tier=decision.tier, reason="rate limit", **context)
            return refuse(429, RATE_LIMITED, "rate limit exceeded", first.id)

        tier = next(t for t in server["tiers"] if t["name"] == decision.tier)
        headers = {k: request.headers[k] for k in FORWARDED_REQUEST_HEADERS if k in request.headers}
        headers[key_header] = gateway_key
        headers["accept-encoding"] = "identity"
        outgoing = client.build_request(request.method, tier["backend_url"], headers=headers, content=body or None)
        try:
            upstream = await client.send(outgoing, stream=True)
        except httpx.HTTPError as error:
            audit(request, name, started, 502, tier=decision.tier, reason=f"backend: {type(error).__name__}", **context)
            return refuse(502, BAD_GATEWAY, f"MCP server tier {decision.tier!r} is unreachable", first.id)
        audit(request, name, started, upstream.status_code, tier=decision.tier, **context)

        async def stream():
            try:
                async for chunk in upstream.aiter_raw():
                    yield chunk
            finally:
                await upstream.aclose()

        response_headers = {k: v for k, v in upstream.headers.items() if k.lower() not in DROPPED_RESPONSE_HEADERS}
        return StreamingResponse(stream(), status_code=upstream.status_code, headers=response_headers)

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok", "servers": sorted(servers)})

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        await client.aclose()

    routes = [
        Route("/.well-known/oauth-protected-resource/mcp/{server}", metadata, methods=["GET"]),
        Route("/mcp/{server}", relay, methods=["GET", "POST", "DELETE"]),
        Route("/healthz", health, methods=["GET"]),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_origin_regex=LOOPBACK_ORIGIN.pattern if allow_loopback_origins else None,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["authorization", "content-type", "mcp-session-id", "mcp-protocol-version", "last-event-id"],
            expose_headers=["mcp-session-id", "www-authenticate"],
        )
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="MCP gateway of the local MCP platform.")
    parser.add_argument("--config", required=True, help="JSON from the mcp_gateway_config filter")
    parser.add_argument("--gateway-key-file", required=True, help="file holding the key the MCP servers require")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--audit-log", help="append audit lines (JSON) to this file instead of standard output")
    parser.add_argument("--allowed-origin", action="append", default=[], help="a browser origin to accept")
    parser.add_argument("--no-loopback-origins", action="store_true", help="refuse loopback browser origins too")
    args = parser.parse_args(argv)

    config = json.loads(Path(args.config).read_text())
    gateway_key = Path(args.gateway_key_file).read_text().strip()
    if not gateway_key:
        print(f"{args.gateway_key_file} is empty", file=sys.stderr)
        return 2
    handler = logging.FileHandler(args.audit_log) if args.audit_log else logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    audit_logger.addHandler(handler)
    audit_logger.setLevel(logging.INFO)
    audit_logger.propagate = False

    import uvicorn

    app = build_app(config, gateway_key, args.allowed_origin, not args.no_loopback_origins)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
