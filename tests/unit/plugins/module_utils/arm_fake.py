"""An in-memory ARM endpoint plugged into azure-core as a transport.

The real SDK clients (both generations) run unchanged on top of it, so unit tests exercise the
engine's actual wire handling without a network. It keeps resources by id, answers GET/PUT/PATCH/
DELETE like ARM (404 envelopes, 201 + Azure-AsyncOperation for long-running PUTs when asked) and
records every request.
"""

import json
import re
from urllib.parse import urlparse

from azure.core.credentials import AccessToken
from azure.core.pipeline.transport import HttpTransport
from azure.core.rest._http_response_impl import RestHttpClientTransportResponse


class StaticCredential:
    def get_token(self, *scopes, **kwargs):
        return AccessToken("unit-test-token", 4102444800)

    def get_token_info(self, *scopes, **kwargs):
        from azure.core.credentials import AccessTokenInfo

        return AccessTokenInfo("unit-test-token", 4102444800)


class _Response(RestHttpClientTransportResponse):
    """A fully read response that typespec SDKs may still iterate (their LRO initial calls stream)."""

    def iter_bytes(self, **kwargs):
        yield self.read()

    def iter_raw(self, **kwargs):
        yield self.read()

    def stream_download(self, pipeline, **kwargs):
        return iter([self.read()])

    _stream_download = stream_download


class _Raw:
    def __init__(self, status, headers, body):
        self.status = status
        self.reason = "OK" if status < 400 else "Error"
        self._headers = headers
        self._body = body

    def getheaders(self):
        return list(self._headers.items())

    def read(self):
        return self._body


def _request_body(request):
    """The bytes sent, for both request types azure-core hands a transport.

    Typespec SDKs build ``azure.core.rest.HttpRequest`` (``.content``); autorest (msrest) SDKs such
    as containerinstance still build the legacy ``azure.core.pipeline.transport.HttpRequest``, which
    keeps the body in ``.body`` and has no ``.content``.
    """
    if hasattr(request, "content"):
        return request.content
    return request.body


class FakeArm(HttpTransport):
    """ARM in a dict. ``on_put(path, body) -> body`` lets a test play server-side normalisation."""

    def __init__(self):
        self.resources = {}
        self.requests = []
        self.write_only = []  # top-level dotted paths never returned (like passwords)
        self.lro_types = set()  # path fragments whose PUT/DELETE answer 201/202 + Azure-AsyncOperation
        self.lro_delete = True  # False: DELETE answers 200 even for lro_types (e.g. APIM child resources)
        self.on_put = None
        self.fail_next = None  # (status, code, message) for the next write

    # HttpTransport
    def open(self):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *args):
        pass

    def sleep(self, duration):
        pass

    @property
    def writes(self):
        return [r for r in self.requests if r["method"] in ("PUT", "PATCH", "DELETE", "POST")]

    def _respond(self, request, status, body=None, headers=None):
        data = b"" if body is None else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json", "x-ms-request-id": "unit"}
        all_headers.update(headers or {})
        response = _Response(request=request, internal_response=_Raw(status, all_headers, data))
        response.read()
        return response

    def _error(self, request, status, code, message):
        return self._respond(request, status, {"error": {"code": code, "message": message}})

    def send(self, request, **kwargs):
        url = urlparse(request.url)
        path = url.path.rstrip("/")
        key = path.lower()
        raw = _request_body(request)
        body = json.loads(raw) if raw else None
        self.requests.append(dict(method=request.method, path=path, body=body))
        if path.startswith("/operations/"):
            return self._respond(request, 200, {"status": "Succeeded"})
        if request.method != "GET" and self.fail_next:
            status, code, message = self.fail_next
            self.fail_next = None
            return self._error(request, status, code, message)
        lro = any(fragment.lower() in key for fragment in self.lro_types)
        if request.method == "GET":
            if key in self.resources:
                return self._respond(request, 200, self._visible(self.resources[key]))
            if re.search(r"/resourcegroups$", key):
                value = [self._visible(v) for k, v in self.resources.items() if k.count("/") == 4]
                return self._respond(request, 200, {"value": value})
            return self._error(request, 404, "ResourceNotFound", "The resource '%s' was not found." % path)
        if request.method in ("PUT", "PATCH"):
            stored = dict(self.resources.get(key, {})) if request.method == "PATCH" else {}
            stored.update(body or {})
            stored.update(id=path, name=path.rsplit("/", 1)[-1])
            stored.setdefault("properties", {})
            stored["properties"] = dict(stored["properties"], provisioningState="Succeeded")
            if self.on_put:
                stored = self.on_put(path, stored)
            created = key not in self.resources
            self.resources[key] = stored
            if lro:
                headers = {"Azure-AsyncOperation": "https://arm.test/operations/1", "retry-after-ms": "0"}
                return self._respond(request, 201, self._visible(stored), headers)
            return self._respond(request, 201 if created else 200, self._visible(stored))
        if request.method == "DELETE":
            existed = self.resources.pop(key, None) is not None
            if lro and existed and self.lro_delete:
                headers = {"Azure-AsyncOperation": "https://arm.test/operations/2", "retry-after-ms": "0"}
                return self._respond(request, 202, None, headers)
            return self._respond(request, 200 if existed else 204)
        return self._error(request, 405, "MethodNotAllowed", request.method)

    def _visible(self, resource):
        shown = json.loads(json.dumps(resource))
        for path in self.write_only:
            node = shown
            parts = path.split(".")
            for part in parts[:-1]:
                node = node.get(part, {}) if isinstance(node, dict) else {}
            if isinstance(node, dict):
                node.pop(parts[-1], None)
        return shown
