"""The small request / reply types every part of the stand-in speaks."""

import json
from urllib.parse import parse_qsl


class Request:
    def __init__(self, method, path, query_string, headers, body, base_url):
        self.method = method.upper()
        self.path = path
        self.query_string = query_string
        self.query = dict(parse_qsl(query_string, keep_blank_values=True))
        self.query_lower = {k.lower(): v for k, v in self.query.items()}
        self.headers = headers  # lower-cased names
        self.body = body
        self.base_url = base_url
        self._json = None

    @property
    def url(self):
        return f"{self.base_url}{self.path}" + (f"?{self.query_string}" if self.query_string else "")

    @property
    def api_version(self):
        return self.query_lower.get("api-version")

    def json(self):
        if self._json is None and self.body:
            self._json = json.loads(self.body)
        return self._json


class Reply:
    """A response; ``body`` is JSON-able (dict / list), raw bytes or None."""

    def __init__(self, status, body=None, headers=None, secret_values=False):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.secret_values = secret_values  # tells the traffic log that "value" fields are secrets
        self.drop = False
        self.fault = None

    def encoded(self):
        if self.body is None:
            return b"", None
        if isinstance(self.body, bytes):
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        return json.dumps(self.body).encode(), "application/json; charset=utf-8"


def arm_error(status, code, message, target=None, headers=None):
    error = {"code": code, "message": message}
    if target:
        error["target"] = target
    return Reply(status, {"error": error}, headers)
