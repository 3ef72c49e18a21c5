"""Microsoft Graph calls made straight to the stand-in, outside any module: directory objects a test needs
in numbers (more than Graph puts inline under $expand) or in shapes a module refuses to make."""

import json
import ssl
import urllib.error
import urllib.parse
import urllib.request


class GraphDirect:
    def __init__(self, standin):
        self.standin = standin
        self.context = ssl.create_default_context(cafile=standin.env["REQUESTS_CA_BUNDLE"])
        self._token = None

    def token(self):
        if self._token is None:
            env = self.standin.env
            form = urllib.parse.urlencode(
                {
                    "grant_type": "client_credentials",
                    "client_id": env["AZURE_CLIENT_ID"],
                    "client_secret": env["AZURE_SECRET"],
                    "scope": self.standin.base_url + "/.default",
                }
            ).encode()
            request = urllib.request.Request(
                "%s/%s/oauth2/v2.0/token" % (self.standin.base_url, env["AZURE_TENANT"]), data=form, method="POST"
            )
            with urllib.request.urlopen(request, context=self.context, timeout=10) as response:
                self._token = json.loads(response.read())["access_token"]
        return self._token

    def request(self, method, path_or_url, body=None):
        """(status, JSON answer or None); ``path_or_url``: a path under /v1.0 or a whole URL (a nextLink)."""
        url = path_or_url if path_or_url.startswith("https://") else self.standin.base_url + "/v1.0" + path_or_url
        request = urllib.request.Request(
            url,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": "Bearer " + self.token()},
            method=method,
        )
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=10) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def post(self, path, body):
        status, answer = self.request("POST", path, body)
        assert status in (200, 201, 204), answer
        return answer

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
