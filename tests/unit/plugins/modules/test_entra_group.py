"""entra_group / entra_group_info: desired bodies and membership planning (no Graph needed)."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import (
    EntraInputError,
    require_guids,
    unique_name,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._graph import GraphError
from ansible_collections.mcp_platform.azure.plugins.modules import entra_group, entra_group_info
from tests.unit.plugins.modules._graph_fake import FakeEntra

ADA = "0a0e1f30-4b5c-4d6e-8f70-8192a3b4c5d6"
REY = "1b1f2041-5c6d-4e7f-9081-92a3b4c5d6e7"


def params(**overrides):
    base = dict((name, spec.get("default")) for name, spec in entra_group.ARGUMENT_SPEC.items())
    base.update(overrides)
    return base


def test_creation_body_is_a_security_group_without_mail():
    body = entra_group.creation_body(params(display_name="MCP-Read-Only", description="readers"))
    assert body == {
        "displayName": "MCP-Read-Only",
        "description": "readers",
        "mailEnabled": False,
        "securityEnabled": True,
        "groupTypes": [],
        "mailNickname": "MCP-Read-Only",
    }


def test_mail_nickname_drops_characters_entra_refuses():
    assert entra_group.mail_nickname(params(display_name="MCP Admins (prod) é@x")) == "MCPAdminsprodx"
    assert entra_group.mail_nickname(params(display_name="!!!")) == "group"
    assert entra_group.mail_nickname(params(display_name="x" * 100)) == "x" * 64
    assert entra_group.mail_nickname(params(display_name="a b", mail_nickname="chosen")) == "chosen"


def test_description_is_not_managed_when_not_set():
    assert entra_group.desired_properties(params(display_name="g")) == {"displayName": "g"}


@pytest.mark.parametrize(
    ("current", "desired", "purge", "expected"),
    [
        ([ADA], [ADA, REY], False, ([REY], [])),
        ([ADA, REY], [ADA], False, ([], [])),
        ([ADA, REY], [ADA], True, ([], [REY])),
        ([ADA, REY], [], True, ([], [ADA, REY])),
        ([ADA], None, True, ([], [])),
        ([], [REY, ADA], False, ([ADA, REY], [])),
    ],
)
def test_reference_plan(current, desired, purge, expected):
    assert entra_group.reference_plan(current, desired, purge) == expected


def test_planned_references():
    assert entra_group.planned_references([ADA], [REY], [ADA]) == [REY]


def test_member_ids_must_be_guids_and_are_lowercased():
    assert require_guids([ADA.upper()], "members") == [ADA]
    with pytest.raises(EntraInputError, match=r"members: 'ada@example.com' is not an object id"):
        require_guids([ADA, "ada@example.com"], "members")


def test_info_lookup_options_are_exclusive():
    assert set(entra_group_info.ARGUMENT_SPEC) == {"display_name", "object_id", "include_members", "include_owners"}


GROUP_ID = "5b8e7c4e-3f0a-4d59-9a33-1b2c3d4e5f60"


def group_with(navigation, ids, **extra):
    group = {"id": GROUP_ID, "displayName": "MCP-Admin", navigation: [{"id": i} for i in ids]}
    group.update(extra)
    return {"value": [group]}


def test_read_group_takes_inline_members_in_one_read():
    entra = FakeEntra(params(display_name="MCP-Admin", members=[ADA]), [group_with("members", [REY.upper(), ADA])])
    current, references = entra_group.read_group(entra, [entra_group.MEMBERS])
    assert current == {"id": GROUP_ID, "displayName": "MCP-Admin"}
    assert references == {"members": [ADA, REY]}
    assert entra.adapter.reads() == [
        ("/v1.0/groups", {"$filter": "displayName eq 'MCP-Admin'", "$expand": "members($select=id)"})
    ]


def test_read_group_pages_members_graph_may_have_cut_short():
    many = ["00000000-0000-4000-8000-%012d" % n for n in range(25)]
    entra = FakeEntra(
        params(display_name="MCP-Admin", members=many),
        [
            group_with("members", many[:20]),
            {"value": [{"id": i} for i in many[:10]], "@odata.nextLink": "https://graph.example/v1.0/next"},
            {"value": [{"id": i} for i in many[10:]]},
        ],
    )
    current, references = entra_group.read_group(entra, [entra_group.MEMBERS])
    assert "members" not in current and references == {"members": many}
    assert [read[0] for read in entra.adapter.reads()] == [
        "/v1.0/groups",
        "/v1.0/groups/%s/members" % GROUP_ID,
        "/v1.0/next",
    ]


def test_read_group_expands_members_and_pages_owners():
    entra = FakeEntra(
        params(display_name="MCP-Admin", members=[ADA], owners=[REY]),
        [group_with("members", [ADA]), {"value": [{"id": REY}]}],
    )
    references = entra_group.read_group(entra, [entra_group.MEMBERS, entra_group.OWNERS])[1]
    assert references == {"members": [ADA], "owners": [REY]}
    assert [(path, query.get("$expand")) for path, query in entra.adapter.reads()] == [
        ("/v1.0/groups", "members($select=id)"),
        ("/v1.0/groups/%s/owners" % GROUP_ID, None),
    ]


def test_read_group_without_managed_references_expands_nothing():
    entra = FakeEntra(params(display_name="MCP-Admin", state="absent"), [{"value": []}])
    assert entra_group.read_group(entra, []) == (None, {})
    assert entra.adapter.reads() == [("/v1.0/groups", {"$filter": "displayName eq 'MCP-Admin'"})]


def test_a_member_added_meanwhile_counts_as_added():
    exists = GraphError(
        "Request_BadRequest: One or more added object references already exist for the following modified "
        "properties: 'members'.",
        status=400,
    )
    assert entra_group.already_referenced(exists)
    assert not entra_group.already_referenced(GraphError("Request_BadRequest: Invalid object", status=400))
    assert not entra_group.already_referenced(GraphError("already exists", status=404))


NOT_FOUND = GraphError("Request_ResourceNotFound: not there", status=404)


def test_a_new_group_is_created_by_upsert_on_its_unique_name():
    key = unique_name("group", "MCP-Admin")
    created = {"id": GROUP_ID, "displayName": "MCP-Admin", "uniqueName": key}
    entra = FakeEntra(params(display_name="MCP-Admin", members=[ADA]), [{"value": []}, NOT_FOUND, created, None])
    result = entra_group.run(entra)
    assert result["operation"] == "create" and result["id"] == GROUP_ID and result["members_added"] == [ADA]
    assert [read[0] for read in entra.adapter.reads()] == ["/v1.0/groups", "/v1.0/groups(uniqueName='%s')" % key]
    upsert, member = entra.writes()
    assert upsert == (
        "PATCH",
        "/v1.0/groups(uniqueName='%s')" % key,
        entra_group.creation_body(entra.params),
        "create-if-missing",
    )
    assert member[:2] == ("POST", "/v1.0/groups/%s/members/$ref" % GROUP_ID)


def test_a_group_graph_already_had_under_the_key_is_read_back_and_converged():
    key = unique_name("group", "MCP-Admin")
    by_key = {"id": GROUP_ID, "displayName": "MCP-Admin", "uniqueName": key, "members": [{"id": REY}]}
    entra = FakeEntra(
        params(display_name="MCP-Admin", members=[ADA], purge_members=True),
        [{"value": []}, NOT_FOUND, None, by_key, None, None],
    )
    result = entra_group.run(entra)
    assert result["changed"] and result["operation"] == "update" and result["id"] == GROUP_ID
    assert result["changes"] == ["(found by uniqueName)", "members"]
    assert (result["members_added"], result["members_removed"]) == ([ADA], [REY])
    assert [write[:2] for write in entra.writes()] == [
        ("PATCH", "/v1.0/groups(uniqueName='%s')" % key),
        ("POST", "/v1.0/groups/%s/members/$ref" % GROUP_ID),
        ("DELETE", "/v1.0/groups/%s/members/%s/$ref" % (GROUP_ID, REY)),
    ]
    # Graph said the group exists: reading it back, and writing to it, wait out replication lag.
    assert entra.graph.retry_not_found == [False, False, False, True, True, False]


def test_a_group_found_by_key_when_lists_lag_is_managed_without_a_write_of_its_own():
    key = unique_name("group", "MCP-Admin")
    by_key = {"id": GROUP_ID, "displayName": "MCP-Admin", "uniqueName": key, "members": [{"id": ADA}]}
    entra = FakeEntra(params(display_name="MCP-Admin", members=[ADA]), [{"value": []}, by_key])
    result = entra_group.run(entra)
    assert not result["changed"] and result["id"] == GROUP_ID and entra.writes() == []
    assert entra.adapter.reads()[1] == (
        "/v1.0/groups(uniqueName='%s')" % key,
        {"$expand": "members($select=id)"},
    )
