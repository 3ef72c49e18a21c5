"""msgraph-sdk's real request builders over a recording transport, for the entra_* unit tests."""

import asyncio
import json
from urllib.parse import parse_qsl, unquote, urlsplit


class RecordingAdapter:
    """Answers requests in order with the given JSON bodies (None: no content; an exception is raised, as
    the real session raises GraphError) and records them."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.requests = []

    async def send_primitive_async(self, info, response_type, error_map):
        assert response_type == "bytes" and "XXX" in error_map
        self.requests.append((info.http_method.value, str(info.url), info.content, dict(info.request_headers)))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return None if answer is None else json.dumps(answer).encode()

    def reads(self):
        """(path, query) of each GET, decoded."""
        found = []
        for request in self.requests:
            if request[0] == "GET":
                parts = urlsplit(request[1])
                found.append((unquote(parts.path), dict(parse_qsl(parts.query))))
        return found


def graph_client(adapter):
    from msgraph import GraphServiceClient  # real request builders, fake transport

    client = GraphServiceClient.__new__(GraphServiceClient)
    client.request_adapter = adapter
    client.path_parameters = {"baseurl": "https://graph.example/v1.0"}
    client.url_template = "{+baseurl}"
    return client


class FakeGraphSession:
    def __init__(self, client):
        self.client = client
        self.retry_not_found = []  # the flag of each call, in order

    def run(self, make_coroutine, retry_not_found=False, attempts=None):
        self.retry_not_found.append(retry_not_found)
        return asyncio.run(make_coroutine(self.client))

    run_many = run


class FakeEntra:
    """What the entra_* modules use of EntraModule, over a recording transport."""

    def __init__(self, params, answers):
        self.params = params
        self.adapter = RecordingAdapter(answers)
        self.graph = FakeGraphSession(graph_client(self.adapter))
        self.check_mode = False
        self.diff_mode = False

    def run(self, make_coroutine, retry_not_found=False):
        return self.graph.run(make_coroutine, retry_not_found=retry_not_found)

    def directory_object_url(self, object_id):
        return "https://graph.example/v1.0/directoryObjects/%s" % object_id

    def writes(self):
        """(method, decoded path, JSON body, Prefer header) of each request that is not a GET."""
        return [
            (method, unquote(urlsplit(url).path), json.loads(content) if content else None, headers.get("prefer"))
            for method, url, content, headers in self.adapter.requests
            if method != "GET"
        ]
