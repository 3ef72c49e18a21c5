"""The shared Entra helpers: OData quoting, uniqueness, the request sent through msgraph-sdk, retries."""

import asyncio
import json

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils import _entra
from ansible_collections.mcp_platform.azure.plugins.module_utils._graph import GraphError
from tests.unit.plugins.modules._graph_fake import RecordingAdapter
from tests.unit.plugins.modules._graph_fake import graph_client as builder


def test_odata_string_doubles_quotes():
    assert _entra.odata_string("O'Brien's group") == "'O''Brien''s group'"


def test_only_one_refuses_to_guess():
    assert _entra.only_one([], "group", "x") is None
    assert _entra.only_one([{"id": "a"}], "group", "x") == {"id": "a"}
    with pytest.raises(_entra.EntraInputError, match=r"display_name: 2 groups are named 'x' \(object ids a, b\)"):
        _entra.only_one([{"id": "b"}, {"id": "a"}], "group", "x")


def test_send_uses_the_sdk_request_builders_and_keeps_json():
    adapter = RecordingAdapter([{"@odata.context": "c", "value": [{"id": "g", "@odata.type": "#x"}]}, None])
    client = builder(adapter)
    found = asyncio.run(
        _entra.collect(client.groups, filter="displayName eq 'MCP-Admin'", select=["id", "displayName"])
    )
    assert found == [{"id": "g"}]
    asyncio.run(
        _entra.send(
            client.groups.by_group_id("g").members.ref,
            "POST",
            {"@odata.id": "https://graph.example/v1.0/directoryObjects/u"},
        )
    )
    get_request, post_request = adapter.requests
    method, url = get_request[:2]
    post_method, post_url, content, headers = post_request
    assert method == "GET" and url.startswith("https://graph.example/v1.0/groups?")
    assert "%24filter=displayName%20eq%20%27MCP-Admin%27" in url and "%24select=id%2CdisplayName" in url
    assert post_method == "POST" and post_url == "https://graph.example/v1.0/groups/g/members/$ref"
    assert json.loads(content) == {"@odata.id": "https://graph.example/v1.0/directoryObjects/u"}
    assert "application/json" in str(headers)


def test_collect_follows_next_links():
    pages = [
        {"value": [{"id": "1"}], "@odata.nextLink": "https://graph.example/v1.0/groups?$skiptoken=x"},
        {"value": [{"id": "2"}]},
    ]
    adapter = RecordingAdapter(pages)
    assert asyncio.run(_entra.collect(builder(adapter).groups)) == [{"id": "1"}, {"id": "2"}]
    assert adapter.requests[1][1] == "https://graph.example/v1.0/groups?$skiptoken=x"


class FlakyGraph:
    def __init__(self, errors):
        self.errors = list(errors)
        self.calls = 0

    def run(self, make_coroutine, retry_not_found=False):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


def entra_with(graph):
    entra = _entra.EntraModule.__new__(_entra.EntraModule)
    entra.graph = graph
    return entra


def test_run_until_consistent_retries_only_transient_errors_and_is_bounded():
    transient = GraphError("not yet", status=400)
    graph = FlakyGraph([transient, transient])
    sleeps = []
    assert entra_with(graph).run_until_consistent(None, lambda e: e.message == "not yet", sleep=sleeps.append) == "done"
    assert graph.calls == 3 and sleeps == [0.5, 1.0]

    graph = FlakyGraph([GraphError("denied", status=403)])
    with pytest.raises(GraphError, match="denied"):
        entra_with(graph).run_until_consistent(None, lambda e: e.message == "not yet", sleep=sleeps.append)
    assert graph.calls == 1

    graph = FlakyGraph([transient] * 10)
    with pytest.raises(GraphError):
        entra_with(graph).run_until_consistent(None, lambda e: True, attempts=3, sleep=lambda _: None)
    assert graph.calls == 3


def test_take_expanded_gives_the_inline_list_only_when_graph_cannot_have_cut_it():
    group = {"id": "g", "members": [{"@odata.type": "#microsoft.graph.user", "id": str(n)} for n in range(19)]}
    assert _entra.take_expanded(group, "members") == [{"id": str(n)} for n in range(19)]
    assert group == {"id": "g"}

    # 20 is Graph's cap for an expanded relationship: there may be more, the list has to be paged.
    full = {"id": "g", "members": [{"id": str(n)} for n in range(_entra.EXPAND_LIMIT)]}
    assert _entra.take_expanded(full, "members") is None and full == {"id": "g"}

    linked = {"id": "g", "members": [{"id": "1"}], "members@odata.nextLink": "https://graph.example/next"}
    assert _entra.take_expanded(linked, "members") is None and linked == {"id": "g"}

    assert _entra.take_expanded({"id": "g"}, "members") is None
    assert _entra.take_expanded({"id": "g", "members": []}, "members") == []


def test_groups_named_expands_one_relationship_with_ids_only():
    adapter = RecordingAdapter([{"value": []}, {"value": []}])
    asyncio.run(_entra.groups_named(builder(adapter), "MCP-Admin", expand="members"))
    asyncio.run(_entra.groups_named(builder(adapter), "MCP-Admin"))
    assert adapter.reads() == [
        ("/v1.0/groups", {"$filter": "displayName eq 'MCP-Admin'", "$expand": "members($select=id)"}),
        ("/v1.0/groups", {"$filter": "displayName eq 'MCP-Admin'"}),
    ]
