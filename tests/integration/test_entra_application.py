"""entra_application and entra_application_info against the stand-in's Microsoft Graph."""

import urllib.parse
import uuid

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import unique_name
from tests.integration.graph_direct import GraphDirect, graph_reads

GRAPH = "00000003-0000-0000-c000-000000000000"
GROUP_MEMBER_READ_ALL = "bc024368-1153-4739-b217-4326f2e966d0"
READ_ID = "6d2b9a40-0000-4000-8000-00000000000a"


def app_args(name, **overrides):
    args = dict(
        display_name=name,
        group_membership_claims="SecurityGroup",
        app_roles=[
            {"value": "MCP.Admin", "description": "every tool"},
            # Graph's own names, as the access model's filter returns them
            {
                "id": READ_ID,
                "value": "MCP.ReadOnly",
                "displayName": "Readers",
                "allowedMemberTypes": ["User"],
                "isEnabled": True,
            },
        ],
        optional_claims={"access_token": [{"name": "groups", "additional_properties": ["emit_as_roles"]}]},
        required_resource_access=[
            {"resource_app_id": GRAPH, "resource_access": [{"id": GROUP_MEMBER_READ_ALL, "type": "Scope"}]}
        ],
        public_client_redirect_uris=["http://127.0.0.1:33418", "http://localhost:6274/oauth/callback"],
    )
    args.update(overrides)
    return args


def by_key(name):
    return "/v1.0/applications(uniqueName='%s')" % unique_name("application", name)


def test_application_lifecycle(ansible_module):
    name = "app-" + uuid.uuid4().hex[:8]

    preview = ansible_module("entra_application", check=True, diff=True, **app_args(name))
    assert preview.changed and preview.writes == [] and preview["app_id"] is None
    assert preview["diff"]["after"]["api"] == {"requestedAccessTokenVersion": 2}

    created = ansible_module("entra_application", **app_args(name))
    app = created["application"]
    assert created["operation"] == "create" and created["app_id"] == app["appId"]
    # Upsert the application on its uniqueName, then PATCH api://<appId> once the appId is known
    assert [(w["method"], w["path"], w["status"]) for w in created.writes] == [
        ("PATCH", by_key(name), 201),
        ("PATCH", "/v1.0/applications/%s" % app["id"], 204),
    ]
    assert app["uniqueName"] == unique_name("application", name)
    assert created.writes[1]["request_body"] == {"identifierUris": ["api://%s" % app["appId"]]}
    assert app["identifierUris"] == ["api://%s" % app["appId"]]
    roles = dict((r["value"], r) for r in app["appRoles"])
    assert roles["MCP.ReadOnly"]["id"] == READ_ID and roles["MCP.ReadOnly"]["displayName"] == "Readers"
    admin_id = roles["MCP.Admin"]["id"]

    again = ansible_module("entra_application", **app_args(name))
    assert not again.changed and again.writes == []
    assert graph_reads(again) == [("/v1.0/applications", {"$filter": "displayName eq '%s'" % name})]

    # Same roles in another order, URIs reordered: still nothing to do.
    reordered = app_args(
        name, public_client_redirect_uris=["http://localhost:6274/oauth/callback", "http://127.0.0.1:33418"]
    )
    reordered["app_roles"] = list(reversed(reordered["app_roles"]))
    assert ansible_module("entra_application", **reordered).writes == []

    # Drop MCP.Admin and rename MCP.ReadOnly's value: Graph wants both disabled first.
    changed_roles = app_args(name, app_roles=[{"id": READ_ID, "value": "MCP.Read"}], group_membership_claims="All")
    check = ansible_module("entra_application", check=True, diff=True, **changed_roles)
    assert check.changed and check.writes == [] and sorted(check["changes"]) == ["appRoles", "groupMembershipClaims"]
    assert [r["value"] for r in check["diff"]["after"]["appRoles"]] == ["MCP.Read"]

    updated = ansible_module("entra_application", **changed_roles)
    assert [w["method"] for w in updated.writes] == ["PATCH", "PATCH"]
    interim, final = (w["request_body"] for w in updated.writes)
    assert sorted((r["id"], r["isEnabled"]) for r in interim["appRoles"]) == sorted(
        [(admin_id, False), (READ_ID, False)]
    )
    assert final["groupMembershipClaims"] == "All"
    assert [(r["id"], r["value"], r["isEnabled"]) for r in final["appRoles"]] == [(READ_ID, "MCP.Read", True)]
    assert ansible_module("entra_application", **changed_roles).writes == []

    info = ansible_module("entra_application_info", app_id=app["appId"], include_service_principal=True)
    assert [a["id"] for a in info["applications"]] == [app["id"]]
    assert info["applications"][0]["servicePrincipal"] is None
    assert info["applications"][0]["groupMembershipClaims"] == "All"

    deleted = ansible_module("entra_application", display_name=name, state="absent")
    assert deleted.changed and [(w["method"], w["path"]) for w in deleted.writes] == [
        ("DELETE", "/v1.0/applications/%s" % app["id"])
    ]
    assert not ansible_module("entra_application", display_name=name, state="absent").changed
    assert ansible_module("entra_application_info", display_name=name)["applications"] == []


def test_invalid_roles_fail_before_any_call(ansible_module):
    failed = ansible_module(
        "entra_application",
        expect_failure=True,
        display_name="never-created",
        app_roles=[{"value": "MCP.Admin"}, {"value": "MCP.Admin"}],
    )
    assert "app_roles" in failed["msg"] and "unique" in failed["msg"]
    assert [t for t in failed.traffic if t["kind"] == "graph"] == []


def test_unknown_app_id_is_refused(ansible_module):
    failed = ansible_module(
        "entra_application", expect_failure=True, display_name="x", app_id="6f1c2e3d-4b5a-4978-8695-a4b3c2d1e0f9"
    )
    assert failed["msg"].startswith("app_id: no application") and failed.writes == []


def test_application_is_created_once_while_graph_lists_lag(ansible_module, standin):
    """A re-run that Graph's lists do not answer yet upserts the same uniqueName: one application, never two."""
    name = "lag-" + uuid.uuid4().hex[:8]
    standin.configure(graph_replication_lag=6.0)
    try:
        first = ansible_module("entra_application", **app_args(name))
        assert first["operation"] == "create"
        second = ansible_module("entra_application", **app_args(name))
    finally:
        standin.configure(graph_replication_lag=0)
    try:
        listing = [e for e in second.traffic if e["kind"] == "graph" and e["path"] == "/v1.0/applications"]
        assert [e["response_body"]["value"] for e in listing] == [[]]
        # Graph wrote the desired properties onto the first application (204); read back, nothing else to do.
        assert [(w["method"], w["path"], w["status"]) for w in second.writes] == [("PATCH", by_key(name), 204)]
        key_reads = [e["status"] for e in second.traffic if e["kind"] == "graph" and e["path"] == by_key(name)]
        assert key_reads[0] == 404 and key_reads[-1] == 200
        assert second.changed and second["operation"] == "update" and second["changes"] == ["(found by uniqueName)"]
        assert (second["id"], second["app_id"]) == (first["id"], first["app_id"])
        assert second["application"]["identifierUris"] == ["api://%s" % first["app_id"]]

        status, answer = GraphDirect(standin).request(
            "GET", "/applications?$filter=" + urllib.parse.quote("displayName eq '%s'" % name)
        )
        assert status == 200 and [a["id"] for a in answer["value"]] == [first["id"]]
        again = ansible_module("entra_application", **app_args(name))
        assert not again.changed and again.writes == []
        assert graph_reads(again) == [("/v1.0/applications", {"$filter": "displayName eq '%s'" % name})]
    finally:
        ansible_module("entra_application", display_name=name, state="absent")


def test_renamed_application_keeps_its_key_and_a_new_one_is_made(ansible_module):
    """The key of a renamed application is taken: a new application with the old name is made without one,
    and the renamed application is left alone."""
    old, new = "old-" + uuid.uuid4().hex[:8], "new-" + uuid.uuid4().hex[:8]
    first = ansible_module("entra_application", display_name=old)
    try:
        renamed = ansible_module("entra_application", display_name=new, app_id=first["app_id"])
        assert renamed["changes"] == ["displayName"] and renamed["id"] == first["id"]
        second = ansible_module("entra_application", display_name=old)
        assert second["operation"] == "create" and second["id"] != first["id"]
        assert [(w["method"], w["path"]) for w in second.writes] == [
            ("POST", "/v1.0/applications"),
            ("PATCH", "/v1.0/applications/%s" % second["id"]),
        ]
        assert "uniqueName" not in second["application"]
        kept = ansible_module("entra_application_info", app_id=first["app_id"])["applications"][0]
        assert kept["displayName"] == new and kept["uniqueName"] == unique_name("application", old)
    finally:
        for name in (old, new):
            ansible_module("entra_application", display_name=name, state="absent")
