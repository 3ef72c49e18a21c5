"""Prove the access model of an Azure deployment through API Management with a real MCP client.

    azure_access_matrix.py --gateway-url https://NAME.azure-api.net --server mongodb \
        --matrix-library roles/local_verify/files [--write-tool insert-many] [--read-tool find]

The checks are those of the local target's access matrix (access_matrix.py, imported from
--matrix-library), fed with real Entra ID access tokens instead of a dev issuer's. Tokens are read
from the environment, never from the command line, and never printed:

    MCP_VERIFY_ADMIN_TOKEN          a member of the most privileged tier (required)
    MCP_VERIFY_READONLY_TOKEN       a member of the read-only tier (required)
    MCP_VERIFY_NO_TIER_TOKEN        a principal of the tenant that no tier names (required)
    MCP_VERIFY_EXPIRED_TOKEN        an expired token for the application (optional)
    MCP_VERIFY_WRONG_AUDIENCE_TOKEN a valid token for another audience, e.g. ARM (optional)
    MCP_VERIFY_WRONG_ISSUER_TOKEN   a valid token from another tenant (optional)

Entra only signs tokens it issues, so the claim checks (expiry, audience, issuer) need such tokens;
without one the check is reported as SKIP, never as a pass. The signature checks (a foreign key,
`alg: none`) are derived from the admin token. Every check prints one JSON line {"check", "ok",
"status", "detail"}; the exit status is 1 when any check fails and 2 when a required token is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import sys
from typing import Any

REQUIRED = {
    "admin": "MCP_VERIFY_ADMIN_TOKEN",
    "readonly": "MCP_VERIFY_READONLY_TOKEN",
    "no-tier": "MCP_VERIFY_NO_TIER_TOKEN",
}
CLAIM_CHECKS = {
    "expired token": "MCP_VERIFY_EXPIRED_TOKEN",
    "wrong audience": "MCP_VERIFY_WRONG_AUDIENCE_TOKEN",
    "wrong issuer": "MCP_VERIFY_WRONG_ISSUER_TOKEN",
}


class EnvironmentTokens:
    """The token source access_matrix.py expects (`mint(principal)`), backed by environment variables."""

    def __init__(self, environ: dict[str, str]) -> None:
        self.environ = environ

    def mint(self, principal: str, *extra: str) -> str:
        if extra:
            raise ValueError("Entra tokens cannot be minted with chosen claims")
        return self.environ[REQUIRED[principal]]


def make_matrix(library: Any):
    class AzureMatrix(library.Matrix):
        def record(self, check: str, ok: bool, detail: Any = "") -> bool:
            if not ok:
                self.failures += 1
            status = "PASS" if ok else "FAIL"
            line = {"check": check, "ok": bool(ok), "status": status, "detail": detail}
            print(json.dumps(line, default=str), flush=True)
            return ok

        def skip(self, check: str, reason: str) -> None:
            print(json.dumps({"check": check, "ok": True, "status": "SKIP", "detail": reason}), flush=True)

    return AzureMatrix()


def check_rejected_tokens(library: Any, matrix: Any, url: str, admin_token: str, environ: dict[str, str]) -> None:
    for name, variable in CLAIM_CHECKS.items():
        token = environ.get(variable)
        if not token:
            matrix.skip(f"{name} -> 401", f"set {variable} to run this check")
            continue
        response = library.raw_post(url, token, library.INITIALIZE)
        matrix.record(f"{name} -> 401", response.status_code == 401, {"status": response.status_code})
    for name, forge in (("foreign signature", library.foreign_signature), ("alg none", library.unsigned)):
        response = library.raw_post(url, forge(admin_token), library.INITIALIZE)
        matrix.record(f"{name} -> 401", response.status_code == 401, {"status": response.status_code})


def main(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the access matrix against API Management with Entra tokens.")
    parser.add_argument("--gateway-url", required=True)
    parser.add_argument("--server", default="mongodb")
    parser.add_argument("--matrix-library", required=True, help="directory holding access_matrix.py")
    parser.add_argument("--write-tool", default="insert-many")
    parser.add_argument("--read-tool", default="find")
    parser.add_argument("--database", default="mcp_platform_verify")
    parser.add_argument("--forbidden-code", type=int, default=-32003, help="JSON-RPC code of the gateway's 403")
    parser.add_argument("--connection-id", default="preconfigured")
    args = parser.parse_args(argv)
    environ = dict(os.environ if environ is None else environ)

    missing = [variable for variable in REQUIRED.values() if not environ.get(variable)]
    if missing:
        print(json.dumps({"summary": {"missing": missing}}))
        return 2

    sys.path.insert(0, args.matrix_library)
    library = importlib.import_module("access_matrix")

    # There is no seeded data on Azure: the admin writes a marker document into a verify collection
    # and both tiers must then find it with the read tool.
    args.connection = {"connectionId": args.connection_id} if args.connection_id else {}
    args.collection = "verify_runs"
    args.expect_text = "verify-"

    base = args.gateway_url.rstrip("/")
    url = f"{base}/mcp/{args.server}"
    metadata_url = f"{base}/.well-known/oauth-protected-resource/mcp/{args.server}"
    tokens = EnvironmentTokens(environ)
    matrix = make_matrix(library)
    library.check_unauthenticated(matrix, url, metadata_url)
    check_rejected_tokens(library, matrix, url, tokens.mint("admin"), environ)
    library.check_no_tier(matrix, url, tokens, "no-tier")
    asyncio.run(library.check_admin(matrix, url, tokens.mint("admin"), args))
    asyncio.run(library.check_readonly(matrix, url, tokens.mint("readonly"), args))
    print(json.dumps({"summary": {"failures": matrix.failures}}))
    return 1 if matrix.failures else 0


if __name__ == "__main__":
    sys.exit(main())
