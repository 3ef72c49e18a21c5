"""The local gateway's decisions, as pure functions: token validation, tier selection, tool gating."""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import sys
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

REPO = Path(__file__).resolve().parents[3]


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class body runs.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gateway = load("mcp_gateway", REPO / "roles/local_gateway/files/mcp_gateway.py")

ISSUER = "http://127.0.0.1:8081"
AUDIENCE = "api://mcp-platform-local"
AUTH = {"issuers": [ISSUER], "audiences": [AUDIENCE], "jwks_uri": f"{ISSUER}/jwks", "algorithms": ["RS256"]}
SERVER = {
    "name": "mongodb",
    "resource_metadata_url": "http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp/mongodb",
    "scopes_supported": ["api://mcp-platform-local/.default"],
    "tiers": [
        {
            "name": "admin",
            "roles": ["MCP.Admin"],
            "groups": ["MCP-Admin"],
            "allowed_tools": ["find", "insert-many"],
        },
        {"name": "readonly", "roles": ["MCP.ReadOnly"], "groups": ["MCP-Read-Only"], "allowed_tools": ["find"]},
    ],
}


@pytest.fixture(scope="module")
def signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def keys(signing_key):
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    return {"k1": jwt.PyJWK(dict(jwk, kid="k1", alg="RS256"))}


def claims(**overrides):
    now = int(time.time())
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": "u1", "oid": "u1", "iat": now, "nbf": now, "exp": now + 600}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def token(key, kid="k1", algorithm="RS256", **overrides):
    return jwt.encode(claims(**overrides), key, algorithm=algorithm, headers={"kid": kid} if kid else None)


def test_a_valid_token_yields_its_claims(signing_key, keys):
    assert gateway.validate_token(token(signing_key, roles=["MCP.Admin"]), keys, AUTH)["roles"] == ["MCP.Admin"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"nbf": int(time.time()) + 3600, "exp": int(time.time()) + 7200}, "not yet valid"),
        ({"aud": "api://another-app"}, "(?i)audience"),
        ({"iss": "https://login.example.invalid/"}, "(?i)issuer"),
        ({"exp": None}, "exp"),
        ({"aud": None}, "aud"),
    ],
)
def test_tokens_breaking_a_rule_are_rejected(signing_key, keys, overrides, message):
    with pytest.raises(gateway.TokenRejected, match=message):
        gateway.validate_token(token(signing_key, **overrides), keys, AUTH)


def test_a_signature_by_another_key_is_rejected(keys):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(gateway.TokenRejected, match=r"[Ss]ignature"):
        gateway.validate_token(token(stranger), keys, AUTH)


def test_alg_none_is_rejected_before_any_key_is_used(keys):
    unsigned = jwt.encode(claims(roles=["MCP.Admin"]), None, algorithm="none")
    with pytest.raises(gateway.TokenRejected, match="algorithm 'none' is not allowed"):
        gateway.validate_token(unsigned, keys, AUTH)


def test_hmac_signed_with_the_public_key_is_rejected(signing_key, keys):
    # The classic algorithm confusion: HS256 keyed with the RSA public key the gateway trusts.
    public_pem = signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    encode = jwt.utils.base64url_encode
    signing_input = (
        encode(json.dumps({"alg": "HS256", "kid": "k1"}).encode()) + b"." + encode(json.dumps(claims()).encode())
    )
    signature = encode(hmac.new(public_pem, signing_input, hashlib.sha256).digest())
    forged = (signing_input + b"." + signature).decode()
    with pytest.raises(gateway.TokenRejected, match="HS256"):
        gateway.validate_token(forged, keys, AUTH)


def test_an_unknown_key_id_is_rejected(signing_key, keys):
    with pytest.raises(gateway.TokenRejected, match="unknown key"):
        gateway.validate_token(token(signing_key, kid="rotated-away"), keys, AUTH)


def test_garbage_is_rejected(keys):
    with pytest.raises(gateway.TokenRejected, match="malformed"):
        gateway.validate_token("not-a-jwt", keys, AUTH)


@pytest.mark.parametrize(
    ("token_claims", "tier"),
    [
        ({"roles": ["MCP.Admin"]}, "admin"),
        ({"roles": ["MCP.ReadOnly"]}, "readonly"),
        ({"groups": ["MCP-Read-Only"]}, "readonly"),
        ({"roles": ["MCP.ReadOnly"], "groups": ["MCP-Admin"]}, "admin"),
        ({"roles": "MCP.Admin"}, "admin"),
        ({"roles": ["Something.Else"], "groups": ["Other"]}, None),
        ({}, None),
    ],
)
def test_the_first_matching_tier_wins(token_claims, tier):
    selected = gateway.select_tier(SERVER, token_claims)
    assert (selected["name"] if selected else None) == tier


def calls(*messages):
    body = messages[0] if len(messages) == 1 else list(messages)
    return gateway.parse_jsonrpc(json.dumps(body).encode())


def tool_call(name, request_id=7):
    return {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": {"name": name, "arguments": {}}}


def test_read_only_may_call_its_tools_but_not_write_tools():
    reader = {"roles": ["MCP.ReadOnly"]}
    assert gateway.decide(SERVER, reader, calls(tool_call("find"))) == gateway.Decision(True, 200, "readonly")
    refused = gateway.decide(SERVER, reader, calls(tool_call("insert-many")))
    assert (refused.allowed, refused.status, refused.tier, refused.error_code) == (
        False,
        403,
        "readonly",
        gateway.FORBIDDEN,
    )
    assert "insert-many" in refused.reason


def test_admin_may_call_write_tools():
    assert gateway.decide(SERVER, {"roles": ["MCP.Admin"]}, calls(tool_call("insert-many"))).allowed


def test_a_batch_is_refused_when_any_call_is_outside_the_tier():
    decision = gateway.decide(
        SERVER, {"roles": ["MCP.ReadOnly"]}, calls(tool_call("find", 1), tool_call("insert-many", 2))
    )
    assert not decision.allowed


def test_other_methods_pass_for_any_tier_and_nothing_passes_without_one():
    listing = calls({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert gateway.decide(SERVER, {"roles": ["MCP.ReadOnly"]}, listing).allowed
    outsider = gateway.decide(SERVER, {"roles": []}, listing)
    assert (outsider.allowed, outsider.status, outsider.tier) == (False, 403, None)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b"[1]",
        json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {}}).encode(),
    ],
)
def test_unreadable_bodies_are_refused(body):
    with pytest.raises(ValueError):
        gateway.parse_jsonrpc(body)


def test_parse_keeps_ids_methods_and_tool_names():
    parsed = calls(tool_call("find", "abc"))
    assert parsed == [gateway.JsonRpcCall(method="tools/call", id="abc", tool="find")]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("Bearer ", None), (None, None)],
)
def test_bearer_token_parsing(header, expected):
    assert gateway.bearer_token(header) == expected


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (None, True),
        ("http://localhost:6274", True),
        ("http://127.0.0.1:8080", True),
        ("https://app.example.com", True),
        ("http://evil.example", False),
        ("http://localhost.evil.example", False),
        ("null", False),
    ],
)
def test_origin_check(origin, allowed):
    assert gateway.origin_allowed(origin, ["https://app.example.com"]) is allowed


def test_loopback_origins_can_be_refused_too():
    assert not gateway.origin_allowed("http://localhost:6274", [], allow_loopback=False)


def test_the_challenge_points_at_the_resource_metadata():
    plain = gateway.challenge(SERVER)
    assert plain.startswith(f'Bearer resource_metadata="{SERVER["resource_metadata_url"]}"')
    assert 'error="invalid_token"' in gateway.challenge(SERVER, "invalid_token", 'bad "thing"')
    assert '"thing"' not in gateway.challenge(SERVER, "invalid_token", 'bad "thing"')


def test_rate_limit_counts_per_caller_within_a_window():
    limited = dict(SERVER, rate_limit={"calls": 2, "period_seconds": 60})
    limiter = gateway.RateLimiter()
    assert [limiter.allow(limited, "a", 0.0) for _round in range(3)] == [True, True, False]
    assert limiter.allow(limited, "b", 1.0)
    assert limiter.allow(limited, "a", 61.0)
    assert all(limiter.allow(SERVER, "a", 0.0) for _round in range(10))


def test_refusal_codes_match_the_compiled_apim_policy():
    from ansible_collections.mcp_platform.azure.plugins.module_utils import _access_model

    assert gateway.FORBIDDEN == _access_model.REFUSED_ERROR_CODE
    assert gateway.UNAUTHORIZED == _access_model.UNAUTHORIZED_ERROR_CODE
