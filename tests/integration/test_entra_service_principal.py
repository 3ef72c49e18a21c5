"""entra_service_principal against the stand-in's Microsoft Graph."""

import uuid

from tests.integration.graph_direct import graph_reads


def test_service_principal_lifecycle(ansible_module):
    app = ansible_module(
        "entra_application", display_name="sp-" + uuid.uuid4().hex[:8], app_roles=[{"value": "Reader"}]
    )
    app_id = app["app_id"]
    try:
        preview = ansible_module(
            "entra_service_principal", check=True, diff=True, app_id=app_id, app_role_assignment_required=True
        )
        assert preview.changed and preview.writes == [] and preview["id"] is None

        created = ansible_module(
            "entra_service_principal", app_id=app_id, app_role_assignment_required=True, tags=["HideApp"]
        )
        sp = created["service_principal"]
        assert created["operation"] == "create" and [w["method"] for w in created.writes] == ["POST"]
        assert sp["appRoleAssignmentRequired"] is True and sp["tags"] == ["HideApp"]
        assert [r["value"] for r in sp["appRoles"]] == ["Reader"]

        again = ansible_module(
            "entra_service_principal", app_id=app_id.upper(), app_role_assignment_required=True, tags=["HideApp"]
        )
        assert not again.changed and again.writes == []
        assert graph_reads(again) == [("/v1.0/servicePrincipals(appId='%s')" % app_id, {})]

        appended = ansible_module(
            "entra_service_principal", check=True, diff=True, app_id=app_id, tags=["Team"], append_tags=True
        )
        assert appended.changed and appended.writes == [] and appended["diff"]["after"]["tags"] == ["HideApp", "Team"]

        updated = ansible_module(
            "entra_service_principal", app_id=app_id, app_role_assignment_required=False, tags=["Team"]
        )
        assert sorted(updated["changes"]) == ["appRoleAssignmentRequired", "tags"]
        assert [(w["method"], w["request_body"]) for w in updated.writes] == [
            ("PATCH", {"appRoleAssignmentRequired": False, "tags": ["Team"]})
        ]
        assert ansible_module("entra_service_principal", app_id=app_id, app_role_assignment_required=False).writes == []

        deleted = ansible_module("entra_service_principal", app_id=app_id, state="absent")
        assert [(w["method"], w["path"]) for w in deleted.writes] == [
            ("DELETE", "/v1.0/servicePrincipals/%s" % sp["id"])
        ]
        assert not ansible_module("entra_service_principal", app_id=app_id, state="absent").changed
    finally:
        ansible_module("entra_application", display_name=app["application"]["displayName"], state="absent")
