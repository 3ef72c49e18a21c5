"""Entra ID: OIDC discovery, signing keys and the client-credentials token endpoint."""

import base64
import secrets
import time
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

TENANT_ID = "5a7d0c4e-1b2f-4c3d-9e8f-0a1b2c3d4e5f"
SUBSCRIPTION_ID = "9b1c2d3e-4f50-4a6b-8c7d-e8f9a0b1c2d3"
CLIENT_ID = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
# Object id of the deploying principal's service principal (what role assignments and systemData show).
CLIENT_OBJECT_ID = "6e7f8a9b-0c1d-4e2f-9a3b-4c5d6e7f8a9b"
KEY_ID = "standin-signing-key"
TOKEN_LIFETIME = 3600


def _b64(number):
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Entra:
    """Issues and checks the stand-in's access tokens."""

    def __init__(self):
        self.client_secret = secrets.token_urlsafe(30)
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._public = self._key.public_key()
        self.base_url = None
        self._verified = {}  # token -> expiry: a token is checked once, not on every request it carries

    def issuer(self, tenant=TENANT_ID):
        return f"{self.base_url}/{tenant}/v2.0"

    def openid_configuration(self, tenant):
        base = f"{self.base_url}/{tenant}"
        return {
            "issuer": self.issuer(tenant),
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "jwks_uri": f"{base}/discovery/v2.0/keys",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "tenant_region_scope": "EU",
            "cloud_instance_name": "127.0.0.1",
            "cloud_graph_host_name": "127.0.0.1",
            "msgraph_host": "127.0.0.1",
        }

    def jwks(self):
        numbers = self._public.public_numbers()
        return {
            "keys": [
                {"kty": "RSA", "use": "sig", "kid": KEY_ID, "alg": "RS256", "n": _b64(numbers.n), "e": _b64(numbers.e)}
            ]
        }

    @staticmethod
    def error(status, error, code, description):
        """The AADSTS error body Entra answers with."""
        return status, {
            "error": error,
            "error_description": f"AADSTS{code}: {description} Trace ID: {uuid.uuid4()} "
            f"Correlation ID: {uuid.uuid4()} Timestamp: {time.strftime('%Y-%m-%d %H:%M:%SZ', time.gmtime())}",
            "error_codes": [code],
            "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
            "trace_id": str(uuid.uuid4()),
            "correlation_id": str(uuid.uuid4()),
            "error_uri": f"https://login.microsoftonline.com/error?code={code}",
        }

    def token(self, tenant, form):
        """Answer a client-credentials token request: (status, body)."""
        if tenant.lower() not in (TENANT_ID, "organizations"):
            return self.error(
                400,
                "invalid_request",
                90002,
                f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID.",
            )
        if form.get("grant_type") != "client_credentials":
            return self.error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
        client_id = form.get("client_id", "")
        if client_id.lower() != CLIENT_ID:
            return self.error(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{client_id}' was not found in the directory '{TENANT_ID}'.",
            )
        if not secrets.compare_digest(form.get("client_secret", ""), self.client_secret):
            return self.error(
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret "
                "value, "
                f"not the client secret ID, for a secret added to app '{CLIENT_ID}'.",
            )
        scope = next((s for s in form.get("scope", "").split() if s.endswith("/.default")), "")
        audience = scope[: -len("/.default")] if scope else "00000003-0000-0000-c000-000000000000"
        now = int(time.time())
        claims = {
            "aud": audience,
            "iss": self.issuer(),
            "iat": now,
            "nbf": now,
            "exp": now + TOKEN_LIFETIME,
            "aio": secrets.token_urlsafe(12),
            "appid": CLIENT_ID,
            "azp": CLIENT_ID,
            "idp": self.issuer(),
            "oid": CLIENT_OBJECT_ID,
            "sub": CLIENT_OBJECT_ID,
            "tid": TENANT_ID,
            "ver": "2.0",
        }
        token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": KEY_ID})
        return 200, {
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME,
            "ext_expires_in": TOKEN_LIFETIME,
            "access_token": token,
        }

    def check_bearer(self, authorization):
        """Return None when the Authorization header holds a valid stand-in token, else the reason."""
        if not authorization:
            return "The 'Authorization' header is missing."
        scheme, _sep, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return "The 'Authorization' header is invalid."
        expiry = self._verified.get(token)
        if expiry is not None and expiry > time.time():
            return None
        try:
            claims = jwt.decode(
                token, self._public, algorithms=["RS256"], options={"verify_aud": False}, issuer=self.issuer()
            )
        except jwt.ExpiredSignatureError:
            return "The access token has expired."
        except jwt.InvalidTokenError as err:
            return f"The access token is invalid: {err}."
        if len(self._verified) > 10000:
            self._verified.clear()
        self._verified[token] = claims.get("exp", 0)
        return None
