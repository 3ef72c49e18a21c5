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


def test_unique_name_is_derived_from_kind_and_display_name():
    key = _entra.unique_name("group", "MCP-Admin")
    assert key == _entra.unique_name("group", "mcp-admin"), "display names compare case-insensitively"
    assert key.startswith("mcp-platform-group-") and len(key) <= 64
    assert key != _entra.unique_name("group", "MCP-Read-Only")
    assert key != _entra.unique_name("application", "MCP-Admin")
    # Fixed for good: objects created by earlier versions are found by it.
    assert key == "mcp-platform-group-" + str(_entra.uuid.uuid5(_entra.UNIQUE_NAME_NAMESPACE, "mcp-admin"))


def test_upsert_patches_the_alternate_key_with_create_if_missing():
    adapter = RecordingAdapter([{"id": "g", "uniqueName": "k"}, None])
    client = builder(adapter)
    assert asyncio.run(_entra.upsert(client.groups_with_unique_name("k"), {"displayName": "x"})) == {
        "id": "g",
        "uniqueName": "k",
    }
    assert asyncio.run(_entra.upsert(client.applications_with_unique_name("k"), {"displayName": "x"})) is None
    (method, url, content, headers), second = adapter.requests
    assert (method, url) == ("PATCH", "https://graph.example/v1.0/groups(uniqueName='k')")
    assert json.loads(content) == {"displayName": "x"} and headers["prefer"] == "create-if-missing"
    assert second[1] == "https://graph.example/v1.0/applications(uniqueName='k')"


def test_read_or_none_is_none_only_on_not_found():
    from tests.unit.plugins.modules._graph_fake import FakeEntra

    entra = FakeEntra({}, [GraphError("Request_ResourceNotFound", status=404), {"id": "g"}])

    def read(client):
        return _entra.send(client.groups_with_unique_name("k"))

    assert _entra.read_or_none(entra, read) is None
    assert _entra.read_or_none(entra, read, retry_not_found=True) == {"id": "g"}
    assert entra.graph.retry_not_found == [False, True]
    with pytest.raises(GraphError):
        _entra.read_or_none(FakeEntra({}, [GraphError("Authorization_RequestDenied", status=403)]), read)


@pytest.mark.parametrize(
    ("held_by", "expected"),
    [
        (None, (None, "key")),
        ({"id": "g", "displayName": "mcp-admin"}, ({"id": "g", "displayName": "mcp-admin"}, "key")),
        # Renamed since it was created: the key is taken, a new object is made without one.
        ({"id": "g", "displayName": "MCP-Renamed"}, (None, None)),
    ],
)
def test_claimed_by_key(held_by, expected):
    key = _entra.unique_name("group", "MCP-Admin")
    asked = []

    def read_by_key(unique):
        asked.append(unique)
        return held_by

    found, claimed = _entra.claimed_by_key("group", "MCP-Admin", read_by_key)
    assert asked == [key] and found == expected[0]
    assert claimed == (key if expected[1] == "key" else None)
