"""entra_group and entra_group_info against the stand-in's Microsoft Graph."""

import urllib.parse
import uuid

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import unique_name
from tests.integration.graph_direct import GraphDirect, graph_reads

# Users the stand-in's directory holds from the start.
ADA = "0a0e1f30-4b5c-4d6e-8f70-8192a3b4c5d6"
REY = "1b1f2041-5c6d-4e7f-9081-92a3b4c5d6e7"


def graph_writes(run):
    return [(w["method"], w["path"]) for w in run.writes]


def by_key(name):
    return "/v1.0/groups(uniqueName='%s')" % unique_name("group", name)


def test_group_lifecycle(ansible_module):
    name = "grp-" + uuid.uuid4().hex[:8]

    preview = ansible_module("entra_group", check=True, diff=True, display_name=name, members=[ADA])
    assert preview.changed and preview["operation"] == "create" and preview.writes == []
    assert preview["diff"]["after"]["members"] == [ADA]

    created = ansible_module("entra_group", display_name=name, description="first", members=[ADA, REY])
    assert created.changed and created["operation"] == "create"
    group_id = created["id"]
    # Created by upsert on its uniqueName, then its two members added.
    assert [(w["method"], w["path"], w["status"]) for w in created.writes] == [
        ("PATCH", by_key(name), 201),
        ("POST", "/v1.0/groups/%s/members/$ref" % group_id, 204),
        ("POST", "/v1.0/groups/%s/members/$ref" % group_id, 204),
    ]
    assert created["group"]["uniqueName"] == unique_name("group", name)
    # Not found by name, then by key (none yet), before the create.
    assert reads_with_status(created) == [
        ("/v1.0/groups", 200),
        (by_key(name), 404),
    ]
    assert created["group"]["securityEnabled"] is True and created["group"]["mailEnabled"] is False
    assert created["members_added"] == sorted([ADA, REY])

    again = ansible_module("entra_group", display_name=name, description="first", members=[REY, ADA.upper()])
    assert not again.changed and again.writes == [] and again["id"] == group_id
    # One read: the group with its members inline.
    assert graph_reads(again) == [
        ("/v1.0/groups", {"$filter": "displayName eq '%s'" % name, "$expand": "members($select=id)"})
    ]

    # Without purge_members, a member missing from the list stays.
    kept = ansible_module("entra_group", display_name=name, members=[ADA])
    assert not kept.changed and kept.writes == []

    check_update = ansible_module(
        "entra_group", check=True, diff=True, display_name=name, description="second", members=[ADA], purge_members=True
    )
    assert check_update.changed and check_update.writes == []
    assert sorted(check_update["changes"]) == ["description", "members"]
    assert check_update["diff"]["before"]["members"] == sorted([ADA, REY])
    assert check_update["diff"]["after"]["members"] == [ADA]

    updated = ansible_module("entra_group", display_name=name, description="second", members=[ADA], purge_members=True)
    assert updated.changed and updated["members_removed"] == [REY]
    assert sorted(graph_writes(updated)) == [
        ("DELETE", "/v1.0/groups/%s/members/%s/$ref" % (group_id, REY)),
        ("PATCH", "/v1.0/groups/%s" % group_id),
    ]
    assert [w["request_body"] for w in updated.writes if w["method"] == "PATCH"] == [{"description": "second"}]

    info = ansible_module("entra_group_info", display_name=name, include_members=True)
    assert [g["id"] for g in info["groups"]] == [group_id]
    assert info["groups"][0]["description"] == "second" and info["groups"][0]["members"] == [ADA]

    deleted = ansible_module("entra_group", display_name=name, state="absent")
    assert deleted.changed and graph_writes(deleted) == [("DELETE", "/v1.0/groups/%s" % group_id)]
    gone = ansible_module("entra_group", display_name=name, state="absent")
    assert not gone.changed and gone.writes == []
    assert ansible_module("entra_group_info", display_name=name)["groups"] == []


def test_duplicate_display_names_are_refused(ansible_module, standin):
    name = "dup-" + uuid.uuid4().hex[:8]
    first = ansible_module("entra_group", display_name=name)
    second_id = GraphDirect(standin).create_group(name, nickname="dup")
    failed = ansible_module("entra_group", display_name=name, description="x", expect_failure=True)
    assert "display_name" in failed["msg"] and first["id"] in failed["msg"] and second_id in failed["msg"]
    assert failed.writes == []
    # The _info module lists both, it does not choose.
    assert sorted(g["id"] for g in ansible_module("entra_group_info", display_name=name)["groups"]) == sorted(
        [first["id"], second_id]
    )


def test_invalid_member_id_fails_before_any_call(ansible_module):
    failed = ansible_module(
        "entra_group", display_name="never-created", members=["ada@example.com"], expect_failure=True
    )
    assert "members" in failed["msg"] and "GUID" in failed["msg"]
    assert [t for t in failed.traffic if t["kind"] == "graph"] == []


def test_group_owners(ansible_module):
    name = "own-" + uuid.uuid4().hex[:8]
    try:
        created = ansible_module("entra_group", display_name=name, owners=[ADA])
        assert created["group"]["owners"] == [ADA]
        again = ansible_module("entra_group", display_name=name, owners=[ADA])
        assert not again.changed and again.writes == []
        assert [read[1].get("$expand") for read in graph_reads(again)] == ["owners($select=id)"]
        # Members and owners: one relationship inline, the other paged.
        both = ansible_module("entra_group", display_name=name, members=[], owners=[ADA])
        assert not both.changed and both.writes == [] and both["group"]["members"] == []
        assert [(path, query.get("$expand")) for path, query in graph_reads(both)] == [
            ("/v1.0/groups", "members($select=id)"),
            ("/v1.0/groups/%s/owners" % created["id"], None),
        ]
    finally:
        ansible_module("entra_group", display_name=name, state="absent")


def test_group_with_more_members_than_graph_expands(ansible_module, standin):
    """Graph puts at most 20 members inline: past that the module pages the members, and still sees them all."""
    graph = GraphDirect(standin)
    name = "big-" + uuid.uuid4().hex[:8]
    members = sorted(graph.create_group("%s-m%02d" % (name, n)) for n in range(23))
    try:
        created = ansible_module("entra_group", display_name=name, members=members, purge_members=True)
        assert created["members_added"] == members and len(created.writes) == 1 + 23

        again = ansible_module("entra_group", display_name=name, members=members, purge_members=True)
        assert not again.changed and again.writes == [] and again["group"]["members"] == members
        assert [read[0] for read in graph_reads(again)] == ["/v1.0/groups", "/v1.0/groups/%s/members" % created["id"]]
        inline = [e for e in again.traffic if e["kind"] == "graph" and e["path"] == "/v1.0/groups"]
        assert len(inline[0]["response_body"]["value"][0]["members"]) == 20
        assert members[-1] not in [m["id"] for m in inline[0]["response_body"]["value"][0]["members"]]

        # Planned from the full list: exactly the member left out goes, though it was not among the 20 inline.
        trimmed = ansible_module("entra_group", display_name=name, members=members[:-1], purge_members=True)
        assert trimmed["members_removed"] == [members[-1]] and trimmed["members_added"] == []
        assert [(w["method"], w["path"]) for w in trimmed.writes] == [
            ("DELETE", "/v1.0/groups/%s/members/%s/$ref" % (created["id"], members[-1]))
        ]
    finally:
        ansible_module("entra_group", display_name=name, state="absent")


def reads_with_status(run):
    return [(e["path"], e["status"]) for e in run.traffic if e["kind"] == "graph" and e["method"] == "GET"]


def test_group_is_created_once_while_graph_lists_lag(ansible_module, standin):
    """A re-run that Graph's lists do not answer yet upserts the same uniqueName: one group, never two."""
    name = "lag-" + uuid.uuid4().hex[:8]
    lag = 6.0
    standin.configure(graph_replication_lag=lag)
    try:
        first = ansible_module("entra_group", display_name=name, description="d", members=[ADA])
        assert first["operation"] == "create"
        second = ansible_module("entra_group", display_name=name, description="d", members=[ADA])
    finally:
        standin.configure(graph_replication_lag=0)
    try:
        # Nothing by display name, nothing by key yet: the upsert meets the first group (204), read back once visible.
        listing = [e for e in second.traffic if e["kind"] == "graph" and e["path"] == "/v1.0/groups"]
        assert [e["response_body"]["value"] for e in listing] == [[]]
        assert [(w["method"], w["path"], w["status"]) for w in second.writes] == [("PATCH", by_key(name), 204)]
        key_reads = [status for path, status in reads_with_status(second) if path == by_key(name)]
        assert key_reads[0] == 404 and key_reads[-1] == 200 and set(key_reads) == {200, 404}
        assert second.changed and second["operation"] == "update" and second["id"] == first["id"]
        assert second["changes"] == ["(found by uniqueName)"] and second["members_added"] == []
        assert second["group"]["members"] == [ADA]

        status, answer = GraphDirect(standin).request(
            "GET", "/groups?" + urllib.parse.urlencode({"$filter": "displayName eq '%s'" % name})
        )
        assert status == 200 and [g["id"] for g in answer["value"]] == [first["id"]]
        # Once Graph has caught up, a re-run is one read again.
        again = ansible_module("entra_group", display_name=name, description="d", members=[ADA])
        assert not again.changed and again.writes == []
        assert graph_reads(again) == [
            ("/v1.0/groups", {"$filter": "displayName eq '%s'" % name, "$expand": "members($select=id)"})
        ]
    finally:
        ansible_module("entra_group", display_name=name, state="absent")


def test_groups_made_without_a_unique_name_keep_working(ansible_module, standin):
    name = "old-" + uuid.uuid4().hex[:8]
    group_id = GraphDirect(standin).create_group(name, nickname="old")
    try:
        updated = ansible_module("entra_group", display_name=name, description="now managed", members=[REY])
        assert updated["operation"] == "update" and updated["id"] == group_id
        assert graph_writes(updated) == [
            ("PATCH", "/v1.0/groups/%s" % group_id),
            ("POST", "/v1.0/groups/%s/members/$ref" % group_id),
        ]
        assert "uniqueName" not in updated["group"]
        again = ansible_module("entra_group", display_name=name, description="now managed", members=[REY])
        assert not again.changed and len(graph_reads(again)) == 1
    finally:
        ansible_module("entra_group", display_name=name, state="absent")


def test_standin_upsert_by_unique_name_follows_graph(standin):
    """The stand-in's alternate-key upsert, as Graph documents it: 404 without the Prefer header, 201 then 204
    with it, the key returned and read back, and never rewritten."""
    graph = GraphDirect(standin)
    key = "test-" + uuid.uuid4().hex
    path = "/groups(uniqueName='%s')" % key
    body = {"displayName": key, "mailEnabled": False, "mailNickname": "k", "securityEnabled": True}

    assert graph.upsert(path, body, create_if_missing=False)[0] == 404
    status, created, headers = graph.upsert(path, body)
    assert status == 201 and created["uniqueName"] == key and created["displayName"] == key
    assert headers.get("preference-applied") == "create-if-missing"
    assert graph.upsert(path, dict(body, description="second"))[:2] == (204, None)
    assert graph.upsert(path, {"description": "third"}, create_if_missing=False)[0] == 204
    status, found = graph.request("GET", path)
    assert status == 200 and found["id"] == created["id"] and found["description"] == "third"

    status, answer = graph.request("PATCH", "/groups/%s" % created["id"], {"uniqueName": "other"})
    assert status == 400 and answer["error"]["code"] == "Request_BadRequest"
    status, answer = graph.request("POST", "/groups", dict(body, uniqueName="chosen-" + key))
    assert status == 400 and "uniqueName" in answer["error"]["message"]
    # Unique per object type: an application may hold the same key.
    status, app = graph.upsert("/applications(uniqueName='%s')" % key, {"displayName": key})[:2]
    assert status == 201 and app["uniqueName"] == key and app["id"] != created["id"]
    # A group needs its required properties to be created.
    missing = "/groups(uniqueName='%s')" % ("test-" + uuid.uuid4().hex)
    assert graph.upsert(missing, {"displayName": "x"})[0] == 400
    for item in ("/groups/%s" % created["id"], "/applications/%s" % app["id"]):
        assert graph.request("DELETE", item)[0] == 204
