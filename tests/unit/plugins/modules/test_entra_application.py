"""entra_application: desired body, stable role ids, comparison and the disable-before-remove rule."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._access_model import entra_app_roles
from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import (
    EntraInputError,
    changed_paths,
    unique_name,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._graph import GraphError
from ansible_collections.mcp_platform.azure.plugins.modules import entra_application as module
from tests.unit.plugins.modules._graph_fake import FakeEntra

ADMIN_ID = "6d2b9a40-0000-4000-8000-000000000001"
MODEL = [
    {
        "name": "mongodb",
        "package": "mongodb-mcp-server",
        "version": "3.0.4",
        "tiers": [
            {
                "name": "admin",
                "port": 3000,
                "principals": {"groups": ["MCP-Admin"], "app_roles": ["MCP.Admin"]},
                "tools": {"allow": "*"},
            },
            {
                "name": "readonly",
                "port": 3001,
                "principals": {"groups": ["MCP-Read-Only"], "app_roles": ["MCP.ReadOnly"]},
                "tools": {"allow_operation_types": ["read", "metadata"]},
            },
        ],
    }
]


def role(value, **overrides):
    base = dict(
        value=value, display_name=None, description=None, allowed_member_types=["User"], id=None, is_enabled=True
    )
    base.update(overrides)
    return base


def params(**overrides):
    base = dict((name, spec.get("default")) for name, spec in module.ARGUMENT_SPEC.items())
    base.update(display_name="mcp-platform")
    base.update(overrides)
    return base


def test_identifier_uri_defaults_to_api_app_id_once_known():
    assert "identifierUris" not in module.desired_application(params(), None)
    current = {"appId": "6f1c2e3d-4b5a-4978-8695-a4b3c2d1e0f9"}
    assert module.desired_application(params(), current)["identifierUris"] == [
        "api://6f1c2e3d-4b5a-4978-8695-a4b3c2d1e0f9"
    ]
    assert module.desired_application(params(identifier_uris=[]), current)["identifierUris"] == []


def test_full_body():
    body = module.desired_application(
        params(
            sign_in_audience="AzureADMyOrg",
            group_membership_claims="SecurityGroup",
            app_roles=[role("MCP.Admin", id=ADMIN_ID.upper(), description="all tools")],
            optional_claims=dict(
                id_token=None,
                access_token=[
                    dict(name="groups", source=None, essential=False, additional_properties=["emit_as_roles"])
                ],
                saml2_token=None,
            ),
            required_resource_access=[
                dict(
                    resource_app_id="00000003-0000-0000-C000-000000000000",
                    resource_access=[dict(id="BC024368-1153-4739-B217-4326F2E966D0", type="Scope")],
                )
            ],
            public_client_redirect_uris=["http://127.0.0.1:33418"],
        ),
        None,
    )
    assert body == {
        "displayName": "mcp-platform",
        "signInAudience": "AzureADMyOrg",
        "api": {"requestedAccessTokenVersion": 2},
        "groupMembershipClaims": "SecurityGroup",
        "appRoles": [
            {
                "id": ADMIN_ID,
                "value": "MCP.Admin",
                "displayName": "MCP.Admin",
                "description": "all tools",
                "allowedMemberTypes": ["User"],
                "isEnabled": True,
            }
        ],
        "optionalClaims": {
            "idToken": [],
            "accessToken": [{"name": "groups", "essential": False, "additionalProperties": ["emit_as_roles"]}],
            "saml2Token": [],
        },
        "requiredResourceAccess": [
            {
                "resourceAppId": "00000003-0000-0000-c000-000000000000",
                "resourceAccess": [{"id": "bc024368-1153-4739-b217-4326f2e966d0", "type": "Scope"}],
            }
        ],
        "publicClient": {"redirectUris": ["http://127.0.0.1:33418"]},
    }


def test_role_ids_explicit_then_existing_then_the_compilers_derivation():
    existing = [{"id": "AAAAAAAA-0000-4000-8000-000000000001", "value": "MCP.ReadOnly"}]
    roles = module.desired_app_roles(
        [role("MCP.Admin", id=ADMIN_ID), role("MCP.ReadOnly"), role("MCP.Other")], existing, "mcp-platform"
    )
    compiled = entra_app_roles(
        [
            *MODEL,
            dict(
                MODEL[0],
                name="other",
                tiers=[dict(MODEL[0]["tiers"][0], port=3010, principals={"groups": [], "app_roles": ["MCP.Other"]})],
            ),
        ],
        app_name="mcp-platform",
    )
    derived = dict((r["value"], r["id"]) for r in compiled["app_roles"])
    assert [r["id"] for r in roles] == [ADMIN_ID, "aaaaaaaa-0000-4000-8000-000000000001", derived["MCP.Other"]]


def test_compiler_output_is_accepted_as_is_and_stable():
    """The filter's roles (Graph names) go through the argument spec's aliases unchanged."""
    compiled = entra_app_roles(MODEL, app_name="mcp-platform")["app_roles"]
    spec = module.ARGUMENT_SPEC["app_roles"]["options"]
    aliases = dict((alias, name) for name, option in spec.items() for alias in option.get("aliases", []))
    as_params = [dict(role(r["value"]), **dict((aliases.get(k, k), v) for k, v in r.items())) for r in compiled]
    desired = module.desired_app_roles(as_params, None, "mcp-platform")
    assert desired == [dict((k, v) for k, v in r.items()) for r in compiled]


def test_comparison_ignores_order_case_and_added_properties():
    desired = module.desired_application(
        params(
            group_membership_claims="SecurityGroup",
            app_roles=[
                role("B", id=ADMIN_ID),
                role("A", id="6d2b9a40-0000-4000-8000-000000000002", allowed_member_types=["User", "Application"]),
            ],
            public_client_redirect_uris=["http://b", "http://a"],
        ),
        {"appId": "x"},
    )
    current = {
        "appId": "x",
        "displayName": "mcp-platform",
        "identifierUris": ["api://x"],
        "api": {"requestedAccessTokenVersion": 2, "oauth2PermissionScopes": []},
        "groupMembershipClaims": "securitygroup",
        "appRoles": [
            {
                "id": "6D2B9A40-0000-4000-8000-000000000002",
                "value": "A",
                "displayName": "A",
                "description": "A",
                "allowedMemberTypes": ["User", "Application"],
                "isEnabled": True,
                "origin": "Application",
            },
            {
                "id": ADMIN_ID,
                "value": "B",
                "displayName": "B",
                "description": "B",
                "allowedMemberTypes": ["User"],
                "isEnabled": True,
                "origin": "Application",
            },
        ],
        "publicClient": {"redirectUris": ["http://a", "http://b"]},
    }
    assert changed_paths(desired, current, module.NORMALISERS) == []
    current["api"]["requestedAccessTokenVersion"] = None
    current["groupMembershipClaims"] = None
    assert sorted(changed_paths(desired, current, module.NORMALISERS)) == [
        "api.requestedAccessTokenVersion",
        "groupMembershipClaims",
    ]


def test_group_claims_none_matches_null():
    desired = module.desired_application(params(group_membership_claims="None"), None)
    assert (
        changed_paths(
            desired,
            {"displayName": "mcp-platform", "api": {"requestedAccessTokenVersion": 2}, "groupMembershipClaims": None},
            module.NORMALISERS,
        )
        == []
    )


def test_roles_to_disable_before_removal_or_redefinition():
    current = [
        {"id": "1", "value": "Keep", "allowedMemberTypes": ["User"], "isEnabled": True},
        {"id": "2", "value": "Gone", "allowedMemberTypes": ["User"], "isEnabled": True},
        {"id": "3", "value": "Renamed", "allowedMemberTypes": ["User"], "isEnabled": True},
        {"id": "4", "value": "Widened", "allowedMemberTypes": ["User"], "isEnabled": True},
        {"id": "5", "value": "AlreadyOff", "allowedMemberTypes": ["User"], "isEnabled": False},
        {"id": "6", "value": "Described", "allowedMemberTypes": ["Application", "User"], "isEnabled": True},
    ]
    desired = [
        {"id": "1", "value": "Keep", "allowedMemberTypes": ["User"]},
        {"id": "3", "value": "NewName", "allowedMemberTypes": ["User"]},
        {"id": "4", "value": "Widened", "allowedMemberTypes": ["Application", "User"]},
        {"id": "6", "value": "Described", "allowedMemberTypes": ["User", "Application"], "description": "new"},
    ]
    assert module.roles_to_disable(current, desired) == ["2", "3", "4"]
    interim = module.disabled([dict(r, origin="Application") for r in current], ["2"])
    assert [r["isEnabled"] for r in interim] == [True, False, True, True, False, True]
    assert all("origin" not in r for r in interim)


def test_update_body_merges_complex_properties_onto_current():
    current = {
        "api": {"requestedAccessTokenVersion": None, "oauth2PermissionScopes": [{"id": "s"}]},
        "displayName": "a",
    }
    desired = {"api": {"requestedAccessTokenVersion": 2}, "displayName": "a", "appRoles": []}
    body = module.update_body(current, desired, ["api.requestedAccessTokenVersion", "appRoles"])
    assert body == {"api": {"requestedAccessTokenVersion": 2, "oauth2PermissionScopes": [{"id": "s"}]}, "appRoles": []}


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ([role("A"), role("A")], "values must be unique; repeated: A"),
        ([role("has space")], "without spaces"),
        ([role(".dot")], "not start with"),
        ([role("A", id="nope")], "is not a GUID"),
        ([role("A", allowed_member_types=[])], "at least one allowed member type"),
        ([role("A", id=ADMIN_ID), role("B", id=ADMIN_ID.upper())], "ids must be unique"),
    ],
)
def test_invalid_roles_are_refused_before_any_call(roles, message):
    with pytest.raises(EntraInputError, match="app_roles: .*" + message):
        module.validate(params(app_roles=roles))


def test_invalid_permission_ids_are_refused():
    with pytest.raises(EntraInputError, match=r"required_resource_access\.resource_access\.id"):
        module.validate(
            params(
                required_resource_access=[
                    dict(resource_app_id=ADMIN_ID, resource_access=[dict(id="GroupMember.Read.All", type="Scope")])
                ]
            )
        )


APP_OBJECT_ID = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
APP_ID = "6f1c2e3d-4b5a-4978-8695-a4b3c2d1e0f9"
NOT_FOUND = GraphError("Request_ResourceNotFound: not there", status=404)


def test_a_new_application_is_created_by_upsert_on_its_unique_name():
    key = unique_name("application", "mcp-platform")
    created = {"id": APP_OBJECT_ID, "appId": APP_ID, "displayName": "mcp-platform", "uniqueName": key}
    entra = FakeEntra(params(display_name="mcp-platform"), [{"value": []}, NOT_FOUND, created, None])
    result = module.run(entra)
    assert result["operation"] == "create" and result["app_id"] == APP_ID
    upsert, uris = entra.writes()
    assert upsert[0:2] == ("PATCH", "/v1.0/applications(uniqueName='%s')" % key)
    assert upsert[2]["displayName"] == "mcp-platform" and upsert[3] == "create-if-missing"
    assert uris == ("PATCH", "/v1.0/applications/%s" % APP_OBJECT_ID, {"identifierUris": ["api://" + APP_ID]}, None)


def test_an_application_graph_already_had_under_the_key_is_read_back_and_converged():
    key = unique_name("application", "mcp-platform")
    by_key = {
        "id": APP_OBJECT_ID,
        "appId": APP_ID,
        "displayName": "mcp-platform",
        "uniqueName": key,
        "identifierUris": [],
        "api": {"requestedAccessTokenVersion": 2},
    }
    entra = FakeEntra(params(display_name="mcp-platform"), [{"value": []}, NOT_FOUND, None, by_key, None])
    result = module.run(entra)
    assert result["changed"] and result["operation"] == "update" and result["id"] == APP_OBJECT_ID
    assert result["changes"] == ["(found by uniqueName)", "identifierUris"]
    assert [write[:2] for write in entra.writes()] == [
        ("PATCH", "/v1.0/applications(uniqueName='%s')" % key),
        ("PATCH", "/v1.0/applications/%s" % APP_OBJECT_ID),
    ]
    assert entra.graph.retry_not_found == [False, False, False, True, True]


def test_with_app_id_no_unique_name_is_looked_up():
    entra = FakeEntra(params(display_name="x", app_id=APP_ID, state="absent"), [NOT_FOUND])
    assert not module.run(entra)["changed"]
    assert [read[0] for read in entra.adapter.reads()] == ["/v1.0/applications(appId='%s')" % APP_ID]
