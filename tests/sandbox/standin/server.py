"""The stand-in as one ASGI application: routing, authentication, fault injection and the traffic log."""

import asyncio
import contextlib
import contextvars
import random
import socket
import time
from urllib.parse import parse_qsl

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .arm import Arm
from .entra import TENANT_ID, Entra
from .graph import Graph
from .http import Reply, Request, arm_error
from .keyvault import KeyVault
from .registry import RegistryPlane
from .traffic import redact_body, redact_headers

# ARM POST actions that only read; they are not write calls for tests that count writes.
READ_ONLY_ACTIONS = {"listconnectionstrings", "listkeys", "listsecrets", "listvalue", "sharedkeys", "listcredentials"}
# azure-core retries a dropped connection only for these methods; others get a 500 instead.
DROP_SAFE_METHODS = {"GET", "PUT", "DELETE", "HEAD"}
# The connection a request arrived on, so a "drop" fault can cut it (ASGI itself cannot).
CURRENT_TRANSPORT = contextvars.ContextVar("standin_transport", default=None)


class Server(uvicorn.Server):
    """A uvicorn server that leaves signals alone: the stand-in stops all its listeners itself.

    (uvicorn's own handling re-raises SIGTERM after shutdown, which kills the process before it can
    remove DIR/ready, and several servers in one process would fight over the handler.)
    """

    @contextlib.contextmanager
    def capture_signals(self):
        yield


class DroppableH11Protocol(H11Protocol):
    """uvicorn's h11 protocol that lets the application reach the socket of the request it serves."""

    def connection_made(self, transport):
        # asyncio only sets TCP_NODELAY for sockets created with proto=IPPROTO_TCP; without it, the
        # response head and body (two writes) wait for the client's delayed ACK: ~40 ms per request.
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)

    def data_received(self, data):
        CURRENT_TRANSPORT.set(self.transport)
        super().data_received(data)


class Faults:
    """Seeded fault injection, configured per ARM resource type (or ``*``)."""

    def __init__(self):
        self.rules = {}
        self.rng = random.Random(0)

    def configure(self, rules, seed):
        if rules is not None:
            self.rules = {k.lower(): dict(v) for k, v in rules.items()}
        if seed is not None:
            self.rng = random.Random(seed)

    def pick(self, resource_type, method):
        rule = self.rules.get((resource_type or "").lower()) or self.rules.get("*")
        if not rule or not rule.get("rate") or self.rng.random() >= float(rule["rate"]):
            return None, rule
        kind = self.rng.choice(list(rule.get("kinds") or ["500"]))
        if kind == "drop" and method not in DROP_SAFE_METHODS:
            kind = "500"
        return kind, rule


class StandIn:
    def __init__(self, traffic):
        self.traffic = traffic
        self.base_url = None
        self.entra = Entra()
        self.faults = Faults()
        self.keyvault = KeyVault(self)
        self.arm = Arm(self)
        self.graph = Graph(self)
        self.registry = RegistryPlane(self)
        self.server_cert = None
        self.plane_ports = {}  # ("keyvault" | "registry", name) -> port of its data-plane listener
        self.planes = {}  # port -> ("keyvault" | "registry", name)
        self.plane_servers = []  # uvicorn servers of those listeners
        self.plane_tasks = []

    def set_base_url(self, base_url):
        self.base_url = base_url
        self.entra.base_url = base_url

    # ---- data-plane listeners (Key Vault, container registries) ----------------------------------------

    def _plane_port(self, kind, name):
        key = (kind, name.lower())
        if key not in self.plane_ports:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            server = Server(make_config(self, self.server_cert))
            self.plane_servers.append(server)
            self.plane_tasks.append(asyncio.get_running_loop().create_task(server.serve(sockets=[sock])))
            self.plane_ports[key] = port
            self.planes[port] = key
        return self.plane_ports[key]

    def vault_url(self, name):
        """Each vault gets its own port: the Key Vault SDK only accepts ids of the form /secrets/{name}/{version}."""
        return f"https://127.0.0.1:{self._plane_port('keyvault', name)}/"

    def registry_login_server(self, name):
        """Each registry gets its own port: clients call https://<loginServer>/oauth2/... and /acr/v1/..."""
        return f"127.0.0.1:{self._plane_port('registry', name)}"

    async def stop_planes(self):
        for server in self.plane_servers:
            server.should_exit = True
        if self.plane_tasks:
            await asyncio.gather(*self.plane_tasks, return_exceptions=True)

    # ---- ASGI ------------------------------------------------------------------------------------

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        port = scope["server"][1] if scope.get("server") else None
        plane, name = self.planes.get(port, (None, None))
        base_url = f"https://127.0.0.1:{port}" if plane else self.base_url
        path = f"/keyvault/{name}{scope['path']}" if plane == "keyvault" else scope["path"]
        request = Request(scope["method"], path, scope["query_string"].decode("latin-1"), headers, body, base_url)
        if plane == "registry":
            kind, reply = self.dispatch_registry(request, name, port)
        else:
            kind, reply = self.dispatch(request)
        payload, content_type = reply.encoded()
        if content_type and "Content-Type" not in reply.headers:
            reply.headers["Content-Type"] = content_type
        if request.method == "HEAD":
            payload = b""
        self.log(kind, request, reply)
        transport = CURRENT_TRANSPORT.get()
        if reply.drop and transport is not None:
            # The work is done but the answer is lost: the connection is reset before any byte is sent.
            transport.abort()
            await asyncio.sleep(0.01)
            return
        await send(
            {"type": "http.response.start", "status": reply.status, "headers": _headers(reply.headers, len(payload))}
        )
        await send({"type": "http.response.body", "body": payload})

    # ---- routing ---------------------------------------------------------------------------------

    def dispatch(self, request):
        path = request.path
        lowered = path.lower()
        try:
            if lowered.startswith("/_sandbox/"):
                return "control", self.control(request)
            if lowered.rstrip("/") == "/metadata/endpoints":
                return "metadata", Reply(200, self.metadata(request))
            if lowered.startswith("/v1.0/") or lowered == "/v1.0":
                return "graph", self.graph.handle(request)
            if lowered.startswith("/keyvault/"):
                return "keyvault", self.keyvault.handle(request)
            if lowered.startswith("/subscriptions") or lowered.startswith("/providers/"):
                return "arm", self.arm_with_faults(request)
            parts = [p for p in path.split("/") if p]
            if len(parts) >= 2:
                return "token", self.entra_route(request, parts)
            return "arm", arm_error(404, "NotFound", f"No route for '{path}'.")
        except Exception as err:
            import traceback

            traceback.print_exc()
            return "arm", arm_error(500, "InternalServerError", f"The stand-in failed: {type(err).__name__}: {err}")

    def dispatch_registry(self, request, name, port):
        kind = "token" if request.path.lower().startswith("/oauth2/") else "registry"
        try:
            return kind, self.registry.handle(request, name, f"127.0.0.1:{port}")
        except Exception as err:
            import traceback

            traceback.print_exc()
            return kind, arm_error(500, "InternalServerError", f"The stand-in failed: {type(err).__name__}: {err}")

    def entra_route(self, request, parts):
        tenant, rest = parts[0], "/".join(parts[1:]).lower()
        if rest in ("v2.0/.well-known/openid-configuration", ".well-known/openid-configuration"):
            return Reply(200, self.entra.openid_configuration(tenant))
        if rest in ("discovery/v2.0/keys", "discovery/keys"):
            return Reply(200, self.entra.jwks())
        if rest in ("oauth2/v2.0/token", "oauth2/token") and request.method == "POST":
            form = dict(parse_qsl(request.body.decode("utf-8", "replace")))
            status, body = self.entra.token(tenant, form)
            return Reply(status, body, {"Cache-Control": "no-store"})
        return Reply(
            404, {"error": "invalid_request", "error_description": f"AADSTS900561: no such endpoint '{rest}'."}
        )

    def arm_with_faults(self, request):
        denied = self.entra.check_bearer(request.headers.get("authorization"))
        if denied:
            code = "AuthenticationFailed" if "missing" in denied else "InvalidAuthenticationToken"
            return arm_error(
                401,
                code,
                denied,
                headers={
                    "WWW-Authenticate": f'Bearer authorization_uri="{self.base_url}/{TENANT_ID}", error="invalid_token"'
                },
            )
        resource_type = self.arm.resource_type_of(request.path)
        fault, rule = self.faults.pick(resource_type, request.method) if resource_type else (None, None)
        if fault == "429":
            headers = {"Retry-After": str(rule.get("retry_after", 1))}
            if rule.get("retry_after_ms") is not None:
                headers["retry-after-ms"] = str(rule["retry_after_ms"])
            reply = arm_error(429, "TooManyRequests", "The request is being throttled.", headers=headers)
        elif fault == "500":
            reply = arm_error(500, "InternalServerError", "Encountered internal server error. Please try again.")
        else:
            reply = self.arm.handle(request, fail_lro=fault == "lro_failed")
            if fault == "drop":
                reply.drop = True
        if fault:
            reply.fault = fault
        return reply

    # ---- metadata and control --------------------------------------------------------------------

    def metadata(self, request):
        base = self.base_url + "/"
        if request.api_version == "2015-01-01":
            return {
                "galleryEndpoint": base,
                "graphEndpoint": base,
                "portalEndpoint": base,
                "authentication": {
                    "loginEndpoint": base,
                    "audiences": ["https://management.core.windows.net/", "https://management.azure.com/"],
                },
            }
        return [
            {
                "name": "AzureSandbox",
                "portal": base,
                "resourceManager": base,
                "authentication": {
                    "loginEndpoint": base,
                    "audiences": ["https://management.core.windows.net/", "https://management.azure.com/"],
                    "tenant": "common",
                    "identityProvider": "AAD",
                },
                "media": base,
                "graphAudience": "https://graph.windows.net/",
                "graph": base,
                "batch": "https://batch.core.windows.net/",
                "activeDirectoryDataLake": "https://datalake.azure.net/",
                "sqlManagement": "https://management.core.windows.net:8443/",
                "microsoftGraphResourceId": base,
                "appInsightsResourceId": "https://api.applicationinsights.io",
                "appInsightsTelemetryChannelResourceId": "https://dc.applicationinsights.azure.com/v2/track",
                "logAnalyticsResourceId": "https://api.loganalytics.io",
                "synapseAnalyticsResourceId": "https://dev.azuresynapse.net",
                "attestationResourceId": "https://attest.azure.net",
                "ossrDbmsResourceId": "https://ossrdbms-aad.database.windows.net",
                "suffixes": {
                    "keyVaultDns": "vault.azure.net",
                    "storage": "core.windows.net",
                    "sqlServerHostname": "database.windows.net",
                    "acrLoginServer": "azurecr.io",
                    "mhsmDns": "managedhsm.azure.net",
                    "mysqlServerEndpoint": "mysql.database.azure.com",
                    "postgresqlServerEndpoint": "postgres.database.azure.com",
                    "azureDataLakeStoreFileSystem": "azuredatalakestore.net",
                    "azureDataLakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
                    "azureFrontDoorEndpointSuffix": "azurefd.net",
                    "storageSyncEndpointSuffix": "afs.azure.net",
                    "synapseAnalytics": "dev.azuresynapse.net",
                    "attestationEndpoint": "attest.azure.net",
                },
            }
        ]

    def control(self, request):
        action = request.path.rstrip("/").rsplit("/", 1)[-1].lower()
        if request.method == "POST" and action == "config":
            config = request.json() or {}
            if config.get("durations") is not None:
                self.arm.durations.update({k.lower(): float(v) for k, v in config["durations"].items()})
            self.faults.configure(config.get("faults"), config.get("seed"))
            if config.get("graph_replication_lag") is not None:
                self.graph.replication_lag = float(config["graph_replication_lag"])
            return Reply(200, {"durations": self.arm.durations, "faults": self.faults.rules})
        if request.method == "POST" and action == "reset":
            self.arm.reset()
            self.graph.reset()
            self.keyvault.reset()
            self.faults.configure({}, 0)
            return Reply(200, {"reset": True})
        if request.method == "GET" and action == "state":
            return Reply(200, {"resources": sorted(r["id"] for r in self.arm.store.values())})
        return Reply(404, {"error": {"code": "NotFound", "message": f"Unknown control action '{action}'."}})

    # ---- traffic log -----------------------------------------------------------------------------

    def log(self, kind, request, reply):
        secret_values = (
            reply.secret_values
            or kind == "keyvault"
            or "/secrets/" in request.path.lower()
            or ("/namedvalues/" in request.path.lower())
        )
        entry = {
            "at": round(time.time(), 3),
            "kind": kind,
            "method": request.method,
            "url": request.url,
            "path": request.path,
            "api_version": request.api_version,
            "request_body": redact_body(request.body, request.headers.get("content-type"), secret_values),
            "status": reply.status,
            "response_headers": redact_headers(reply.headers),
            "response_body": redact_body(reply.body, "application/json", secret_values)
            if not isinstance(reply.body, bytes)
            else None,
        }
        if reply.fault:
            entry["fault"] = reply.fault
        if kind == "arm" and request.method == "POST":
            entry["action"] = request.path.rstrip("/").rsplit("/", 1)[-1]
            entry["read_only_action"] = entry["action"].lower() in READ_ONLY_ACTIONS
        self.traffic.write(entry)


def _headers(headers, length):
    pairs = [
        (k.lower().encode("latin-1"), str(v).encode("latin-1"))
        for k, v in headers.items()
        if k.lower() != "content-length"
    ]
    pairs.append((b"content-length", str(length).encode()))
    return pairs


def make_config(app, server_cert):
    return uvicorn.Config(
        app,
        ssl_certfile=str(server_cert),
        log_level="critical",
        access_log=False,
        lifespan="off",
        http=DroppableH11Protocol,
        timeout_keep_alive=30,
        timeout_graceful_shutdown=1,
    )
