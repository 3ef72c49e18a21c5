"""Plain HTTPS calls to a running stand-in, outside the collection's modules and the Azure SDKs.

Tests use them to look at what a deployment left behind, to tamper with it, or to make directory
objects in numbers or shapes a module would refuse.
"""

import json
import ssl
import urllib.error
import urllib.parse
import urllib.request


class DirectClient:
    """A bearer token of the stand-in's deploying principal for ``scope``, and raw requests with it."""

    def __init__(self, standin, scope):
        self.standin = standin
        self.scope = scope
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
                    "scope": self.scope,
                }
            ).encode()
            request = urllib.request.Request(
                "%s/%s/oauth2/v2.0/token" % (self.standin.base_url, env["AZURE_TENANT"]), data=form, method="POST"
            )
            with urllib.request.urlopen(request, context=self.context, timeout=10) as response:
                self._token = json.loads(response.read())["access_token"]
        return self._token

    def send(self, method, url, body=None, timeout=30):
        """(status, JSON answer or None); an HTTP error status is returned, not raised."""
        request = urllib.request.Request(
            url,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": "Bearer " + self.token()},
            method=method,
        )
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=timeout) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw) if raw else None
            except ValueError:
                return error.code, raw.decode(errors="replace")[:2000]
