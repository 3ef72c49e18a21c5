"""entra_group / entra_group_info: desired bodies and membership planning (no Graph needed)."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import EntraInputError, require_guids
from ansible_collections.mcp_platform.azure.plugins.modules import entra_group, entra_group_info

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
