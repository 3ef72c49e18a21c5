"""entra_application and entra_application_info against the stand-in's Microsoft Graph."""

import uuid

from tests.integration.graph_direct import graph_reads

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


def test_application_lifecycle(ansible_module):
    name = "app-" + uuid.uuid4().hex[:8]

    preview = ansible_module("entra_application", check=True, diff=True, **app_args(name))
    assert preview.changed and preview.writes == [] and preview["app_id"] is None
    assert preview["diff"]["after"]["api"] == {"requestedAccessTokenVersion": 2}

    created = ansible_module("entra_application", **app_args(name))
    app = created["application"]
    assert created["operation"] == "create" and created["app_id"] == app["appId"]
    # POST the application, then PATCH api://<appId> once the appId is known
    assert [w["method"] for w in created.writes] == ["POST", "PATCH"]
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
