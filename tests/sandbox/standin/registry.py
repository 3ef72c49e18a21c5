"""Container registry data plane: the token exchange and the tag API of an ACR login server.

A registry's login server is ``127.0.0.1:<port>`` (one listener per registry, like Key Vault): clients
build ``https://<loginServer>/...`` URLs, so the registry cannot be told apart by a path prefix. Flow:
``POST /oauth2/exchange`` (an Entra access token for a registry refresh token), ``POST /oauth2/token``
(refresh token + scope for an access token), then ``/acr/v1/...`` and ``/v2/...`` with that bearer token.
Repositories and tags live in the ARM registry record (``extra.repositories``), where importImage puts them.
"""

import re
import secrets
import time
import uuid
from urllib.parse import parse_qsl

import jwt

from .http import Reply

REFRESH_LIFETIME = 3 * 3600
ACCESS_LIFETIME = 75 * 60
_SCOPE = re.compile(r"^(repository|registry):([^:]+):([a-z_*,]+)$")
# what each endpoint needs in the access token's grant
READ_ACTIONS = {"metadata_read", "pull", "*"}
DELETE_ACTIONS = {"delete", "*"}


def _errors(status, code, message, detail=None, headers=None):
    error = {"code": code, "message": message}
    if detail is not None:
        error["detail"] = detail
    return Reply(status, {"errors": [error]}, headers)


class RegistryPlane:
    def __init__(self, standin):
        self.standin = standin
        self._key = secrets.token_bytes(32)  # signs the registry's own refresh and access tokens

    def handle(self, request, name, login_server):
        parts = [p for p in request.path.split("/") if p]
        record = self._registry(name)
        if record is None:
            return _errors(404, "NAME_UNKNOWN", f"registry {name} does not exist")
        if parts[:2] == ["oauth2", "exchange"] and request.method == "POST":
            return self.exchange(request, login_server)
        if parts[:2] == ["oauth2", "token"] and request.method == "POST":
            return self.token(request, login_server)
        if parts and parts[0] in ("acr", "v2"):
            return self.api(request, parts, record, login_server)
        return _errors(404, "NOT_FOUND", f"no route for {request.path}")

    def _registry(self, name):
        self.standin.arm.settle()  # an import that just finished shows its tags
        return next(
            (
                r
                for r in self.standin.arm.of_type("Microsoft.ContainerRegistry/registries")
                if r["id"].rsplit("/", 1)[-1].lower() == name.lower()
            ),
            None,
        )

    # ---- tokens ------------------------------------------------------------------------------------

    def exchange(self, request, login_server):
        form = dict(parse_qsl(request.body.decode("utf-8", "replace")))
        if form.get("grant_type") != "access_token":
            return _errors(400, "UNSUPPORTED", "grant_type must be access_token")
        if form.get("service") != login_server:
            return _errors(400, "UNAUTHORIZED", f"service must be {login_server}")
        denied = self.standin.entra.check_bearer("Bearer " + form.get("access_token", ""))
        if denied:
            return _errors(401, "UNAUTHORIZED", f"the access token was refused: {denied}")
        claims = jwt.decode(form["access_token"], options={"verify_signature": False})
        now = int(time.time())
        refresh = jwt.encode(
            {
                "iss": "Azure Container Registry",
                "aud": login_server,
                "sub": claims.get("oid", ""),
                "tenant": claims.get("tid", ""),
                "grant_type": "refresh_token",
                "jti": str(uuid.uuid4()),
                "iat": now,
                "nbf": now,
                "exp": now + REFRESH_LIFETIME,
            },
            self._key,
            algorithm="HS256",
        )
        return Reply(200, {"refresh_token": refresh})

    def token(self, request, login_server):
        form = dict(parse_qsl(request.body.decode("utf-8", "replace")))
        if form.get("grant_type") != "refresh_token":
            return _errors(400, "UNSUPPORTED", "grant_type must be refresh_token")
        if form.get("service") != login_server:
            return _errors(400, "UNAUTHORIZED", f"service must be {login_server}")
        try:
            refresh = jwt.decode(form.get("refresh_token", ""), self._key, algorithms=["HS256"], audience=login_server)
        except jwt.InvalidTokenError as err:
            return _errors(401, "UNAUTHORIZED", f"the refresh token is invalid: {err}")
        if refresh.get("grant_type") != "refresh_token":
            return _errors(401, "UNAUTHORIZED", "not a refresh token")
        access = []
        for scope in form.get("scope", "").split():
            match = _SCOPE.match(scope)
            if not match:
                return _errors(400, "UNSUPPORTED", f"invalid scope {scope!r}")
            access.append({"type": match.group(1), "name": match.group(2), "actions": match.group(3).split(",")})
        now = int(time.time())
        token = jwt.encode(
            {
                "iss": "Azure Container Registry",
                "aud": login_server,
                "sub": refresh["sub"],
                "access": access,
                "grant_type": "access_token",
                "jti": str(uuid.uuid4()),
                "iat": now,
                "nbf": now,
                "exp": now + ACCESS_LIFETIME,
            },
            self._key,
            algorithm="HS256",
        )
        return Reply(200, {"access_token": token})

    def _challenge(self, login_server, scope):
        header = f'Bearer realm="https://{login_server}/oauth2/token",service="{login_server}"'
        if scope:
            header += f',scope="{scope}"'
        return _errors(
            401,
            "UNAUTHORIZED",
            "authentication required, visit https://aka.ms/acr/authorization for more information.",
            headers={"WWW-Authenticate": header},
        )

    def _granted(self, request, login_server, kind, name, wanted):
        """None when the bearer token grants one of ``wanted`` on kind:name, else the 401 to answer."""
        scope = f"{kind}:{name}:{min(wanted - {'*'}, default='*')}" if name else ""
        scheme, _sep, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return self._challenge(login_server, scope)
        try:
            claims = jwt.decode(token, self._key, algorithms=["HS256"], audience=login_server)
        except jwt.InvalidTokenError:
            return self._challenge(login_server, scope)
        if not name:  # the API root only needs a valid token
            return None
        for grant in claims.get("access") or []:
            if (
                grant.get("type") == kind
                and grant.get("name") in (name, "*")
                and set(grant.get("actions") or []) & wanted
            ):
                return None
        return self._challenge(login_server, scope)

    # ---- the repository API --------------------------------------------------------------------------

    def api(self, request, parts, record, login_server):
        repositories = record["extra"].setdefault("repositories", {})
        if parts == ["v2"] or parts == ["v2", ""]:
            denied = self._granted(request, login_server, "registry", "", {"*"})
            return Reply(200, {}) if denied is None else denied
        if parts in (["acr", "v1", "_catalog"], ["v2", "_catalog"]):
            denied = self._granted(request, login_server, "registry", "catalog", {"*"})
            return denied or Reply(200, {"repositories": sorted(repositories)})
        if parts[:2] == ["acr", "v1"] and "_tags" in parts:
            at = parts.index("_tags")
            repository, rest = "/".join(parts[2:at]), parts[at + 1 :]
            return self._tags(request, login_server, record, repositories, repository, rest)
        if parts[0] == "v2" and parts[-2:] == ["tags", "list"]:
            repository = "/".join(parts[1:-2])
            denied = self._granted(request, login_server, "repository", repository, READ_ACTIONS)
            if denied:
                return denied
            if repository not in repositories:
                return _errors(404, "NAME_UNKNOWN", "repository name not known to registry")
            return Reply(200, {"name": repository, "tags": sorted(repositories[repository])})
        return _errors(404, "NOT_FOUND", f"no route for {request.path}")

    def _tags(self, request, login_server, record, repositories, repository, rest):
        wanted = DELETE_ACTIONS if request.method == "DELETE" else READ_ACTIONS
        denied = self._granted(request, login_server, "repository", repository, wanted)
        if denied:
            return denied
        tags = repositories.get(repository)
        if tags is None:
            return _errors(404, "NAME_UNKNOWN", "repository name not known to registry", {"name": repository})
        if not rest:
            if request.method != "GET":
                return _errors(405, "UNSUPPORTED", "The operation is unsupported.")
            return Reply(
                200,
                {
                    "registry": login_server,
                    "imageName": repository,
                    "tags": [self._tag(name, tags[name]) for name in sorted(tags)],
                },
            )
        tag = rest[0]
        if tag not in tags:
            return _errors(404, "TAG_UNKNOWN", "the specified tag does not exist", {"tag": tag})
        if request.method == "GET":
            return Reply(200, {"registry": login_server, "imageName": repository, "tag": self._tag(tag, tags[tag])})
        if request.method == "DELETE":
            del tags[tag]
            if not tags:
                del repositories[repository]
            return Reply(202)
        return _errors(405, "UNSUPPORTED", "The operation is unsupported.")

    @staticmethod
    def _tag(name, tag):
        return {
            "name": name,
            "digest": tag["digest"],
            "createdTime": tag["createdTime"],
            "lastUpdateTime": tag["createdTime"],
            "signed": False,
            "changeableAttributes": {
                "deleteEnabled": True,
                "writeEnabled": True,
                "readEnabled": True,
                "listEnabled": True,
            },
        }
