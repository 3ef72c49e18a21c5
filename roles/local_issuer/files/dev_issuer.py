"""Development OAuth 2.0 / OpenID Connect token issuer for the local target.

It stands in for Entra ID on one host: OIDC and RFC 8414 discovery, a JWKS, RS256 access tokens
that carry `roles` and `groups` claims like Entra v2 tokens, the authorization-code flow with PKCE
(S256) and dynamic client registration so that MCP clients can sign in through discovery, and a
command line that mints a token for a principal, with overrides for audience, issuer and lifetime
so that tests can make tokens the gateway must refuse.

    dev_issuer.py init-key --config CONFIG
    dev_issuer.py serve --config CONFIG [--host 127.0.0.1] [--port 8081]
    dev_issuer.py token --config CONFIG PRINCIPAL [--audience A] [--issuer I] [--lifetime SECONDS]

CONFIG is a JSON file: {"issuer", "audience", "key_file", "tenant_id", "token_lifetime_seconds",
"scopes", "principals": [{"name", "display_name", "roles", "groups"}]}. It is a development tool:
every principal signs in without a password.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import os
import secrets
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

AUTHORIZATION_CODE_TTL = 300
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
OID_NAMESPACE = uuid.UUID("6f1c7f0e-3a5b-4d7e-9a51-6d0c1f2a9b47")


def load_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    config = json.loads(Path(path).read_text())
    for key in ("issuer", "audience", "key_file", "principals"):
        if key not in config:
            raise SystemExit(f"{path}: missing required key {key!r}")
    config.setdefault("token_lifetime_seconds", 3600)
    config.setdefault("tenant_id", str(uuid.uuid5(OID_NAMESPACE, config["issuer"])))
    config.setdefault("scopes", [])
    return config


def ensure_signing_key(key_file: str | os.PathLike[str]) -> bool:
    """Create the RSA signing key once (mode 0600). Returns True when it was created."""
    path = Path(key_file)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return True


def load_signing_key(key_file: str | os.PathLike[str]) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(Path(key_file).read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SystemExit(f"{key_file}: not an RSA private key")
    return key


def public_jwk(key: rsa.RSAPrivateKey) -> dict[str, str]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    # RFC 7638 thumbprint: a key id that changes exactly when the key does.
    canonical = json.dumps({"e": jwk["e"], "kty": jwk["kty"], "n": jwk["n"]}, separators=(",", ":"), sort_keys=True)
    kid = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": jwk["n"], "e": jwk["e"]}


def principal_claims(config: dict[str, Any], name: str) -> dict[str, Any]:
    for principal in config["principals"]:
        if principal["name"] == name:
            break
    else:
        known = ", ".join(p["name"] for p in config["principals"])
        raise KeyError(f"unknown principal {name!r}; known principals: {known}")
    object_id = principal.get("object_id") or str(uuid.uuid5(OID_NAMESPACE, name))
    claims: dict[str, Any] = {
        "sub": object_id,
        "oid": object_id,
        "name": principal.get("display_name", name),
        "preferred_username": principal.get("username", f"{name}@local.test"),
    }
    if principal.get("roles"):
        claims["roles"] = list(principal["roles"])
    if principal.get("groups"):
        claims["groups"] = list(principal["groups"])
    return claims


def mint_token(
    config: dict[str, Any],
    principal: str,
    *,
    audience: str | None = None,
    issuer: str | None = None,
    lifetime: int | None = None,
    not_before: int = 0,
    scope: str | None = None,
    client_id: str | None = None,
    key: rsa.RSAPrivateKey | None = None,
) -> str:
    """An RS256 access token for `principal`. A negative `lifetime` gives an expired token."""
    key = key or load_signing_key(config["key_file"])
    now = int(time.time())
    lifetime = config["token_lifetime_seconds"] if lifetime is None else lifetime
    claims = principal_claims(config, principal)
    claims.update(
        {
            "iss": issuer or config["issuer"],
            "aud": audience or config["audience"],
            "iat": now,
            "nbf": now + not_before,
            "exp": now + lifetime,
            "jti": secrets.token_hex(8),
            "tid": config["tenant_id"],
            "ver": "2.0",
        }
    )
    if scope:
        claims["scp"] = scope
    if client_id:
        claims["azp"] = client_id
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": public_jwk(key)["kid"]})


def is_loopback_redirect(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme in ("http", "https") and (parts.hostname or "") in LOOPBACK_HOSTS and not parts.fragment


def pkce_matches(verifier: str, challenge: str) -> bool:
    computed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return secrets.compare_digest(computed, challenge)


@dataclass
class PendingCode:
    principal: str
    client_id: str
    redirect_uri: str
    challenge: str
    scope: str
    expires: float


@dataclass
class IssuerState:
    config: dict[str, Any]
    key: rsa.RSAPrivateKey
    clients: dict[str, list[str]] = field(default_factory=dict)
    codes: dict[str, PendingCode] = field(default_factory=dict)


def discovery_document(config: dict[str, Any]) -> dict[str, Any]:
    base = config["issuer"].rstrip("/")
    return {
        "issuer": config["issuer"],
        "authorization_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/token",
        "registration_endpoint": f"{base}/register",
        "jwks_uri": f"{base}/jwks",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": config["scopes"],
    }


def build_app(config: dict[str, Any]):
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
    from starlette.routing import Route

    state = IssuerState(config=config, key=load_signing_key(config["key_file"]))
    jwks = {"keys": [public_jwk(state.key)]}

    def oauth_error(error: str, description: str, status: int = 400) -> Response:
        return JSONResponse({"error": error, "error_description": description}, status_code=status)

    async def discovery(_request: Request) -> Response:
        return JSONResponse(discovery_document(config))

    async def keys(_request: Request) -> Response:
        return JSONResponse(jwks)

    async def register(request: Request) -> Response:
        try:
            metadata = await request.json()
        except ValueError:
            return oauth_error("invalid_client_metadata", "body must be JSON")
        redirect_uris = metadata.get("redirect_uris") or []
        if not redirect_uris or not all(isinstance(u, str) and is_loopback_redirect(u) for u in redirect_uris):
            return oauth_error("invalid_redirect_uri", "redirect_uris must be loopback http(s) URLs")
        client_id = secrets.token_urlsafe(12)
        state.clients[client_id] = redirect_uris
        body = dict(metadata, client_id=client_id, client_id_issued_at=int(time.time()))
        body["token_endpoint_auth_method"] = "none"  # noqa: S105 - public clients, PKCE only
        return JSONResponse(body, status_code=201)

    def authorization_problem(params: dict[str, str]) -> str | None:
        if params.get("response_type") != "code":
            return "response_type must be code"
        if not params.get("client_id"):
            return "client_id is required"
        redirect_uri = params.get("redirect_uri", "")
        registered = state.clients.get(params["client_id"])
        if not (redirect_uri in registered if registered else is_loopback_redirect(redirect_uri)):
            return "redirect_uri is not registered for this client (unregistered clients: loopback only)"
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return "PKCE with code_challenge_method S256 is required"
        return None

    async def authorize(request: Request) -> Response:
        params = dict(request.query_params) if request.method == "GET" else dict(await request.form())
        problem = authorization_problem(params)
        if problem:
            return HTMLResponse(f"<h1>Sign-in refused</h1><p>{html.escape(problem)}</p>", status_code=400)
        principal = params.get("principal")
        if request.method == "GET" or not principal:
            hidden = "".join(
                f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                for k, v in params.items()
                if k != "principal"
            )
            buttons = "".join(
                f'<p><button name="principal" value="{html.escape(p["name"])}">{html.escape(p["name"])}</button>'
                f" roles: {html.escape(', '.join(p.get('roles', [])) or 'none')};"
                f" groups: {html.escape(', '.join(p.get('groups', [])) or 'none')}</p>"
                for p in config["principals"]
            )
            page = (
                "<!doctype html><title>Local sign-in</title><h1>Local development sign-in</h1>"
                f'<form method="post" action="/authorize">{hidden}{buttons}</form>'
            )
            return HTMLResponse(page)
        try:
            principal_claims(config, principal)
        except KeyError as error:
            return HTMLResponse(f"<p>{html.escape(str(error))}</p>", status_code=400)
        code = secrets.token_urlsafe(24)
        state.codes[code] = PendingCode(
            principal=principal,
            client_id=params["client_id"],
            redirect_uri=params["redirect_uri"],
            challenge=params["code_challenge"],
            scope=params.get("scope", ""),
            expires=time.monotonic() + AUTHORIZATION_CODE_TTL,
        )
        answer = {"code": code}
        if "state" in params:
            answer["state"] = params["state"]
        separator = "&" if "?" in params["redirect_uri"] else "?"
        return RedirectResponse(params["redirect_uri"] + separator + urlencode(answer), status_code=302)

    async def token(request: Request) -> Response:
        form = dict(await request.form())
        if form.get("grant_type") != "authorization_code":
            return oauth_error("unsupported_grant_type", "only authorization_code is supported")
        pending = state.codes.pop(form.get("code", ""), None)
        if pending is None or pending.expires < time.monotonic():
            return oauth_error("invalid_grant", "unknown or expired authorization code")
        if form.get("redirect_uri") != pending.redirect_uri or form.get("client_id", pending.client_id) != (
            pending.client_id
        ):
            return oauth_error("invalid_grant", "client_id or redirect_uri does not match the authorization request")
        if not pkce_matches(form.get("code_verifier", ""), pending.challenge):
            return oauth_error("invalid_grant", "code_verifier does not match the code_challenge")
        lifetime = int(config["token_lifetime_seconds"])
        access_token = mint_token(
            config, pending.principal, scope=pending.scope or None, client_id=pending.client_id, key=state.key
        )
        return JSONResponse(
            {"access_token": access_token, "token_type": "Bearer", "expires_in": lifetime, "scope": pending.scope},
            headers={"Cache-Control": "no-store"},
        )

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    routes = [
        Route("/.well-known/openid-configuration", discovery),
        Route("/.well-known/oauth-authorization-server", discovery),
        Route("/jwks", keys),
        Route("/register", register, methods=["POST"]),
        Route("/authorize", authorize, methods=["GET", "POST"]),
        Route("/token", token, methods=["POST"]),
        Route("/healthz", health),
    ]
    # Browser-based MCP clients (MCP Inspector) call discovery, registration and the token endpoint
    # from a page served on a loopback origin.
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origin_regex=r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?",
            allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type", "mcp-protocol-version"],
        )
    ]
    return Starlette(routes=routes, middleware=middleware)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Development token issuer of the local MCP platform.")
    commands = parser.add_subparsers(dest="command", required=True)
    init_key = commands.add_parser("init-key", help="create the signing key once")
    init_key.add_argument("--config", required=True)
    serve = commands.add_parser("serve", help="serve discovery, JWKS and the sign-in flow")
    serve.add_argument("--config", required=True)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8081)
    token = commands.add_parser("token", help="print an access token for a principal")
    token.add_argument("--config", required=True)
    token.add_argument("principal")
    token.add_argument("--audience", help="override the aud claim")
    token.add_argument("--issuer", help="override the iss claim")
    token.add_argument("--lifetime", type=int, help="seconds until exp; negative for an expired token")
    token.add_argument("--not-before", type=int, default=0, help="seconds from now until nbf")
    token.add_argument("--scope", help="scp claim")
    args = parser.parse_args(argv)

    config = load_config(args.config)
    if args.command == "init-key":
        print("created" if ensure_signing_key(config["key_file"]) else "exists")
        return 0
    if args.command == "token":
        try:
            print(
                mint_token(
                    config,
                    args.principal,
                    audience=args.audience,
                    issuer=args.issuer,
                    lifetime=args.lifetime,
                    not_before=args.not_before,
                    scope=args.scope,
                )
            )
        except KeyError as error:
            print(error.args[0], file=sys.stderr)
            return 2
        return 0

    import uvicorn

    uvicorn.run(build_app(config), host=args.host, port=args.port, log_level="info", access_log=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
