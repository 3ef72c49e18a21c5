"""Key Vault secrets data plane, with the bearer challenge and RBAC checks the real service applies."""

import time
import uuid

import jwt

from .entra import TENANT_ID
from .http import Reply

VAULT_AUDIENCE = "https://vault.azure.net"
SECRETS_OFFICER = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"
SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"
VAULT_ADMIN = "00482a5a-887f-4fb3-b363-3b7fe8e74483"
READ_ROLES = {SECRETS_OFFICER, SECRETS_USER, VAULT_ADMIN}
WRITE_ROLES = {SECRETS_OFFICER, VAULT_ADMIN}


def _error(status, code, message, inner=None):
    error = {"code": code, "message": message}
    if inner:
        error["innererror"] = {"code": inner}
    return Reply(status, {"error": error})


class KeyVault:
    def __init__(self, standin):
        self.standin = standin
        self.current_vault = None
        self.vaults = {}  # vault name (lower) -> {"secrets": {name: [versions]}, "deleted": {name: [versions]}}

    def reset(self):
        self.vaults.clear()

    def ensure_vault(self, name):
        return self.vaults.setdefault(name.lower(), {"secrets": {}, "deleted": {}})

    def drop_vault(self, name):
        """Forget a vault's secrets; returns them (a soft-deleted vault keeps them for recovery)."""
        return self.vaults.pop(name.lower(), None)

    def vault_uri(self, name):
        return self.standin.vault_url(name)

    def set_secret(self, vault, name, value, content_type=None, enabled=True, tags=None, new_version=True):
        """Shared by the data plane and ARM vaults/secrets: both write the same secret."""
        store = self.ensure_vault(vault)
        versions = store["secrets"].setdefault(name.lower(), [])
        now = int(time.time())
        if versions and (not new_version or value is None):
            current = versions[-1]
            current.update(enabled=enabled, updated=now)
            if content_type is not None:
                current["contentType"] = content_type
            if tags is not None:
                current["tags"] = tags
            return current
        secret = {
            "name": name,
            "value": value,
            "version": uuid.uuid4().hex,
            "enabled": enabled,
            "created": now,
            "updated": now,
            "contentType": content_type,
            "tags": tags,
        }
        versions.append(secret)
        return secret

    def _mirror_to_arm(self, vault_record, vault, secret):
        """A secret written on the data plane is visible as an ARM vaults/secrets resource too."""
        secret_id = f"{vault_record['id']}/secrets/{secret['name']}"
        uri = f"{self.vault_uri(vault)}secrets/{secret['name']}"
        body = {
            "id": secret_id,
            "name": secret["name"],
            "type": "Microsoft.KeyVault/vaults/secrets",
            "location": vault_record["body"].get("location"),
            "properties": {
                "secretUri": uri,
                "secretUriWithVersion": f"{uri}/{secret['version']}",
                "attributes": {
                    "enabled": secret["enabled"],
                    "created": secret["created"],
                    "updated": secret["updated"],
                },
            },
        }
        if secret.get("contentType"):
            body["properties"]["contentType"] = secret["contentType"]
        if secret.get("tags"):
            body["tags"] = secret["tags"]
        self.standin.arm.put_record(secret_id, "Microsoft.KeyVault/vaults/secrets", body)

    def _unmirror(self, vault_record, name):
        """A deleted secret is gone from ARM too (one store for both planes)."""
        self.standin.arm.store.pop(f"{vault_record['id']}/secrets/{name}".lower(), None)

    def render(self, vault, secret, with_value=True):
        body = {
            "id": f"{self.vault_uri(vault)}secrets/{secret['name']}/{secret['version']}",
            "attributes": {
                "enabled": secret["enabled"],
                "created": secret["created"],
                "updated": secret["updated"],
                "recoveryLevel": "Recoverable+Purgeable",
                "recoverableDays": 90,
            },
        }
        if with_value:
            body["value"] = secret["value"]
        if secret.get("contentType"):
            body["contentType"] = secret["contentType"]
        if secret.get("tags"):
            body["tags"] = secret["tags"]
        return body

    # ---- requests --------------------------------------------------------------------------------

    def challenge(self):
        header = f'Bearer authorization="{self.standin.base_url}/{TENANT_ID}", resource="{VAULT_AUDIENCE}"'
        return Reply(
            401,
            {"error": {"code": "Unauthorized", "message": "AKV10000: Request is missing a Bearer or PoP token."}},
            {"WWW-Authenticate": header},
        )

    def handle(self, request):
        parts = [p for p in request.path.split("/") if p][1:]
        if not parts:
            return _error(404, "NotFound", "No vault in the request path.")
        vault_name, rest = parts[0].lower(), parts[1:]
        authorization = request.headers.get("authorization")
        if not authorization:
            return self.challenge()
        claims = self._claims(authorization)
        if claims is None:
            return Reply(
                401,
                {"error": {"code": "Unauthorized", "message": "AKV10022: Invalid audience or token."}},
                {"WWW-Authenticate": self.challenge().headers["WWW-Authenticate"]},
            )
        vault_record = next(
            (
                r
                for r in self.standin.arm.of_type("Microsoft.KeyVault/vaults")
                if r["id"].rsplit("/", 1)[-1].lower() == vault_name
            ),
            None,
        )
        if vault_record is None or vault_name not in self.vaults:
            return _error(404, "VaultNotFound", f"The vault '{vault_name}' does not exist.")
        write = request.method in ("PUT", "PATCH", "DELETE", "POST")
        denied = self._authorize(vault_record, claims.get("oid", ""), write, request)
        if denied:
            return denied
        store = self.vaults[vault_name]
        self.current_vault = vault_record
        if rest and rest[0].lower() == "secrets":
            return self._secrets(request, vault_name, store, rest[1:])
        if rest and rest[0].lower() == "deletedsecrets":
            return self._deleted(request, vault_name, store, rest[1:])
        return _error(400, "BadParameter", "The request URI is not valid.")

    def _claims(self, authorization):
        scheme, _sep, token = authorization.partition(" ")
        if scheme.lower() != "bearer":
            return None
        if self.standin.entra.check_bearer(authorization):
            return None
        claims = jwt.decode(token, options={"verify_signature": False})
        if claims.get("aud", "").rstrip("/") != VAULT_AUDIENCE:
            return None
        return claims

    def _authorize(self, vault_record, principal, write, request):
        props = vault_record["body"].get("properties", {})
        if props.get("enableRbacAuthorization", True):
            allowed = WRITE_ROLES if write else READ_ROLES
            vault_id = vault_record["id"].lower()
            for assignment in self.standin.arm.of_type("Microsoft.Authorization/roleAssignments"):
                aprops = assignment["body"]["properties"]
                scope = aprops.get("scope", "").lower()
                role = aprops.get("roleDefinitionId", "").rsplit("/", 1)[-1].lower()
                if (
                    aprops.get("principalId", "").lower() == principal.lower()
                    and role in allowed
                    and (vault_id == scope or vault_id.startswith(scope + "/"))
                ):
                    return None
        else:
            wanted = {"set", "delete", "purge", "recover"} if write else {"get", "list"}
            for policy in props.get("accessPolicies") or []:
                if policy.get("objectId", "").lower() == principal.lower():
                    granted = {p.lower() for p in policy.get("permissions", {}).get("secrets", [])}
                    if granted & wanted or "all" in granted:
                        return None
        action = "setSecret" if write else "getSecret"
        return _error(
            403,
            "Forbidden",
            f"Caller is not authorized to perform action on resource. Caller: appid={principal}. "
            f"Action: 'Microsoft.KeyVault/vaults/secrets/{action}/action'. Resource: '{vault_record['id']}'.",
            inner="ForbiddenByRbac",
        )

    def _secrets(self, request, vault, store, rest):
        if not rest:
            if request.method != "GET":
                return _error(405, "BadParameter", "Method not allowed.")
            items = [
                self.render(vault, versions[-1], with_value=False) for versions in store["secrets"].values() if versions
            ]
            for item in items:
                item["id"] = item["id"].rsplit("/", 1)[0]
            return Reply(200, {"value": items, "nextLink": None})
        name = rest[0]
        versions = store["secrets"].get(name.lower(), [])
        if request.method == "PUT" and len(rest) == 1:
            if name.lower() in store["deleted"]:
                return _error(
                    409,
                    "Conflict",
                    f"Secret {name} is currently in a deleted but recoverable state.",
                    inner="ObjectIsDeletedButRecoverable",
                )
            body = request.json() or {}
            if "value" not in body:
                return _error(400, "BadParameter", "The parameter 'value' is required.")
            secret = self.set_secret(
                vault,
                name,
                body["value"],
                content_type=body.get("contentType"),
                enabled=(body.get("attributes") or {}).get("enabled", True),
                tags=body.get("tags"),
            )
            self._mirror_to_arm(self.current_vault, vault, secret)
            return Reply(200, self.render(vault, secret))
        if not versions:
            return _error(404, "SecretNotFound", f"A secret with (name/id) {name} was not found in this key vault.")
        if request.method == "GET" and len(rest) == 1:
            return Reply(200, self.render(vault, versions[-1]))
        if request.method == "GET" and len(rest) == 2 and rest[1].lower() == "versions":
            return Reply(200, {"value": [self.render(vault, v, with_value=False) for v in versions], "nextLink": None})
        if request.method == "GET" and len(rest) == 2:
            match = next((v for v in versions if v["version"] == rest[1]), None)
            if match is None:
                return _error(
                    404, "SecretNotFound", f"A secret with (name/id) {name}/{rest[1]} was not found in this key vault."
                )
            return Reply(200, self.render(vault, match))
        if request.method == "PATCH":
            body = request.json() or {}
            secret = versions[-1]
            if "contentType" in body:
                secret["contentType"] = body["contentType"]
            if "tags" in body:
                secret["tags"] = body["tags"]
            if "attributes" in body and "enabled" in body["attributes"]:
                secret["enabled"] = body["attributes"]["enabled"]
            secret["updated"] = int(time.time())
            self._mirror_to_arm(self.current_vault, vault, secret)
            return Reply(200, self.render(vault, secret, with_value=False))
        if request.method == "DELETE" and len(rest) == 1:
            store["deleted"][name.lower()] = store["secrets"].pop(name.lower())
            self._unmirror(self.current_vault, versions[-1]["name"])
            body = self.render(vault, versions[-1], with_value=False)
            body.update(
                recoveryId=f"{self.vault_uri(vault)}deletedsecrets/{name}",
                deletedDate=int(time.time()),
                scheduledPurgeDate=int(time.time()) + 90 * 86400,
            )
            return Reply(200, body)
        return _error(405, "BadParameter", "Method not allowed.")

    def _deleted(self, request, vault, store, rest):
        if not rest:
            return Reply(
                200, {"value": [self.render(vault, v[-1], with_value=False) for v in store["deleted"].values()]}
            )
        name = rest[0].lower()
        versions = store["deleted"].get(name)
        if not versions:
            return _error(404, "SecretNotFound", f"Deleted Secret not found: {rest[0]}")
        if request.method == "GET":
            body = self.render(vault, versions[-1], with_value=False)
            body["recoveryId"] = f"{self.vault_uri(vault)}deletedsecrets/{rest[0]}"
            return Reply(200, body)
        if request.method == "DELETE":
            store["deleted"].pop(name)
            return Reply(204)
        if request.method == "POST" and len(rest) == 2 and rest[1].lower() == "recover":
            store["secrets"][name] = store["deleted"].pop(name)
            self._mirror_to_arm(self.current_vault, vault, versions[-1])
            return Reply(200, self.render(vault, versions[-1], with_value=False))
        return _error(405, "BadParameter", "Method not allowed.")
