# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Microsoft Graph from a module: msgraph-sdk is async, modules are not.

Each call runs in its own ``asyncio.run`` (a fresh loop; ``get_event_loop`` is deprecated outside a
running loop and breaks on Python 3.12+). Graph is eventually consistent: an object just created
can answer 404 for a few seconds, so reads after writes may retry 404s for a bounded time.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import os
import ssl
import time
from urllib.parse import urlparse

GRAPH_API_VERSION = "v1.0"
RETRY_STATUSES = (429, 500, 502, 503, 504)
DEFAULT_ATTEMPTS = 6
DEFAULT_FIRST_DELAY = 0.5
DEFAULT_MAX_DELAY = 8.0


class GraphError(Exception):
    """A Graph call failed; carries the OData error code and message."""

    def __init__(self, message, code=None, status=None):
        super(GraphError, self).__init__(message)
        self.message = message
        self.code = code
        self.status = status

    def as_dict(self):
        return dict(code=self.code, message=self.message, status=self.status)


def graph_error_from(exc):
    status = getattr(exc, "response_status_code", None)
    error = getattr(exc, "error", None)
    code = getattr(error, "code", None)
    message = getattr(error, "message", None) or getattr(exc, "message", None) or str(exc)
    code = code or type(exc).__name__
    return GraphError("%s: %s" % (code, message), code=code, status=status)


def graph_base_url(graph_endpoint):
    """https://graph.microsoft.com/ -> https://graph.microsoft.com/v1.0 (no trailing slash, as kiota wants)."""
    return (graph_endpoint or "https://graph.microsoft.com/").rstrip("/") + "/" + GRAPH_API_VERSION


def _ssl_context(validate_certs):
    if not validate_certs:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    ca_file = os.environ.get("SSL_CERT_FILE") or os.environ.get("REQUESTS_CA_BUNDLE")
    return ssl.create_default_context(cafile=ca_file) if ca_file else True


def build_graph_client(credential, graph_endpoint, validate_certs=True):
    """A GraphServiceClient whose request adapter talks to ``graph_endpoint`` + v1.0."""
    import httpx  # pylint: disable=import-outside-toplevel
    from kiota_authentication_azure.azure_identity_authentication_provider import (  # pylint: disable=import-outside-toplevel
        AzureIdentityAuthenticationProvider,
    )
    from msgraph import GraphRequestAdapter, GraphServiceClient  # pylint: disable=import-outside-toplevel
    from msgraph_core import GraphClientFactory  # pylint: disable=import-outside-toplevel

    base_url = graph_base_url(graph_endpoint)
    scope = (graph_endpoint or "https://graph.microsoft.com/").rstrip("/") + "/.default"
    # The bearer token goes to this cloud's Graph host and nowhere else (e.g. not to @odata.nextLink hosts).
    auth_provider = AzureIdentityAuthenticationProvider(
        credential, scopes=[scope], allowed_hosts=[urlparse(base_url).hostname]
    )
    http_client = httpx.AsyncClient(base_url=base_url, verify=_ssl_context(validate_certs), timeout=60.0)
    http_client = GraphClientFactory.create_with_default_middleware(client=http_client)
    adapter = GraphRequestAdapter(auth_provider, client=http_client)
    adapter.base_url = base_url
    return GraphServiceClient(request_adapter=adapter)


def _status_of(exc):
    return getattr(exc, "response_status_code", None)


def _is_graph_error(exc):
    return any(cls.__module__.startswith(("kiota", "msgraph")) for cls in type(exc).__mro__)


def graph_call(
    client_factory,
    make_coroutine,
    retry_not_found=False,
    attempts=DEFAULT_ATTEMPTS,
    first_delay=DEFAULT_FIRST_DELAY,
    sleep=time.sleep,
):
    """Run ``make_coroutine(client)`` with ``asyncio.run``; bounded retries; GraphError on failure.

    A fresh client per attempt: httpx's async client is bound to the loop that created it.
    """
    delay = first_delay
    for attempt in range(1, attempts + 1):

        async def once():
            client = client_factory()
            return await make_coroutine(client)

        try:
            return asyncio.run(once())
        except Exception as exc:
            if not _is_graph_error(exc):
                raise
            status = _status_of(exc)
            retryable = status in RETRY_STATUSES or (retry_not_found and status == 404)
            if not retryable or attempt == attempts:
                raise graph_error_from(exc) from exc
        sleep(delay)
        delay = min(delay * 2, DEFAULT_MAX_DELAY)
    raise GraphError("unreachable")  # pragma: no cover


class GraphSession:
    """Graph access for a module built on ``ArmModule`` (same auth options and cloud)."""

    def __init__(self, arm, credential=None):
        self.arm = arm
        self._credential = credential

    def client_factory(self):
        auth = self.arm.auth
        try:
            import msgraph  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
        except ImportError as exc:
            from ansible.module_utils.basic import missing_required_lib  # pylint: disable=import-outside-toplevel

            self.arm.module.fail_json(msg=missing_required_lib("msgraph-sdk"), exception=str(exc))
        credential = self._credential or auth.credential()
        return build_graph_client(credential, auth.cloud.graph_endpoint, validate_certs=auth.validate_certs)

    def run(self, make_coroutine, retry_not_found=False, attempts=DEFAULT_ATTEMPTS):
        """``make_coroutine(client)`` -> awaitable; returns its result. Raises GraphError."""
        return graph_call(self.client_factory, make_coroutine, retry_not_found=retry_not_found, attempts=attempts)

    def run_many(self, async_function, retry_not_found=False, attempts=DEFAULT_ATTEMPTS):
        """Several awaits in one loop: ``async_function(client)`` is a coroutine function."""
        return graph_call(self.client_factory, async_function, retry_not_found=retry_not_found, attempts=attempts)

    def fail(self, error, action):
        self.arm.module.fail_json(
            msg="Microsoft Graph refused to %s: %s" % (action, error.message), error=error.as_dict()
        )
