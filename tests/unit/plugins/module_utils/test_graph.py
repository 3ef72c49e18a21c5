"""The msgraph-sdk bridge: asyncio.run per call, bounded retries, the cloud's Graph endpoint."""

import asyncio

import pytest
from kiota_abstractions.api_error import APIError

from ansible_collections.mcp_platform.azure.plugins.module_utils._graph import (
    GraphError,
    build_graph_client,
    graph_base_url,
    graph_call,
)
from tests.unit.plugins.module_utils.arm_fake import StaticCredential


def failing(statuses, value="done"):
    calls = []

    async def call(client):
        calls.append(asyncio.get_running_loop())
        if len(calls) <= len(statuses):
            raise APIError(message="Resource does not exist", response_status_code=statuses[len(calls) - 1])
        return value

    return call, calls


def test_not_found_right_after_creation_is_retried_when_asked():
    call, calls = failing([404, 404])
    slept = []
    assert graph_call(lambda: None, call, retry_not_found=True, sleep=slept.append) == "done"
    assert len(calls) == 3 and slept == [0.5, 1.0]
    assert calls[0] is not calls[1], "each attempt runs in its own event loop"


def test_not_found_is_final_by_default_and_reported_with_status():
    call, calls = failing([404])
    with pytest.raises(GraphError) as error:
        graph_call(lambda: None, call, sleep=lambda s: None)
    assert len(calls) == 1 and error.value.status == 404 and "does not exist" in error.value.message


def test_retries_are_bounded():
    call, calls = failing([503] * 10)
    with pytest.raises(GraphError):
        graph_call(lambda: None, call, attempts=3, sleep=lambda s: None)
    assert len(calls) == 3


def test_client_points_at_the_clouds_graph_endpoint():
    assert graph_base_url("https://127.0.0.1:9443/") == "https://127.0.0.1:9443/v1.0"

    async def build():
        return build_graph_client(StaticCredential(), "https://127.0.0.1:9443/")

    client = asyncio.run(build())
    assert client.request_adapter.base_url == "https://127.0.0.1:9443/v1.0"
