"""Microsoft Graph calls made straight to the stand-in, outside any module: directory objects a test needs
in numbers (more than Graph puts inline under $expand) or in shapes a module refuses to make."""

import json
import urllib.error
import urllib.parse
import urllib.request

from tests.sandbox.direct import DirectClient


class GraphDirect(DirectClient):
    def __init__(self, standin):
        super().__init__(standin, standin.base_url + "/.default")

    def request(self, method, path_or_url, body=None):
        """(status, JSON answer or None); ``path_or_url``: a path under /v1.0 or a whole URL (a nextLink)."""
        url = path_or_url if path_or_url.startswith("https://") else self.standin.base_url + "/v1.0" + path_or_url
        return self.send(method, url, body, timeout=10)

    def post(self, path, body):
        status, answer = self.request("POST", path, body)
        assert status in (200, 201, 204), answer
        return answer

    def upsert(self, path, body, create_if_missing=True):
        """(status, JSON answer or None, response headers) of a PATCH by alternate key, with or without
        ``Prefer: create-if-missing``; header names in lower case."""
        headers = {"Content-Type": "application/json", "Authorization": "Bearer " + self.token()}
        if create_if_missing:
            headers["Prefer"] = "create-if-missing"
        request = urllib.request.Request(
            self.standin.base_url + "/v1.0" + path, data=json.dumps(body).encode(), headers=headers, method="PATCH"
        )
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=10) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None, lower_keys(response.headers)
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, json.loads(raw) if raw else None, lower_keys(error.headers)

    def create_group(self, name, nickname="group"):
        """A security group, as Entra ID allows it (several may share a display name)."""
        body = {"displayName": name, "mailEnabled": False, "mailNickname": nickname, "securityEnabled": True}
        return self.post("/groups", body)["id"]


def graph_reads(run_or_traffic):
    """(path, query) of every Graph read in a module run (or a traffic list); token and discovery calls aside."""
    traffic = getattr(run_or_traffic, "traffic", run_or_traffic)
    reads = []
    for entry in traffic:
        if entry["kind"] == "graph" and entry["method"] == "GET":
            query = urllib.parse.urlsplit(entry["url"]).query
            reads.append((entry["path"], dict(urllib.parse.parse_qsl(query))))
    return reads


def lower_keys(headers):
    return dict((name.lower(), value) for name, value in headers.items())
