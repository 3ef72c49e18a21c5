"""entra_app_role_assignment against the stand-in's Microsoft Graph: users, service principals, errors."""

import uuid

from tests.integration.graph_direct import GraphDirect, graph_reads

ADA = "0a0e1f30-4b5c-4d6e-8f70-8192a3b4c5d6"


def test_assignment_to_a_user_and_a_service_principal(ansible_module):
    name = "ara-" + uuid.uuid4().hex[:8]
    app = ansible_module(
        "entra_application",
        display_name=name,
        app_roles=[{"value": "Tool.Call", "allowed_member_types": ["User", "Application"]}],
    )
    client = ansible_module("entra_application", display_name=name + "-client")
    try:
        resource = ansible_module("entra_service_principal", app_id=app["app_id"], app_role_assignment_required=True)
        caller = ansible_module("entra_service_principal", app_id=client["app_id"])
        role_id = app["application"]["appRoles"][0]["id"]

        for principal in (ADA, caller["id"]):
            preview = ansible_module(
                "entra_app_role_assignment",
                check=True,
                diff=True,
                resource_id=resource["id"],
                app_role="Tool.Call",
                principal_id=principal,
            )
            assert preview.changed and preview.writes == [] and preview["diff"]["after"]["appRoleId"] == role_id
            created = ansible_module(
                "entra_app_role_assignment", resource_app_id=app["app_id"], app_role="Tool.Call", principal_id=principal
            )
            assert [(w["method"], w["request_body"]) for w in created.writes] == [
                ("POST", {"principalId": principal, "resourceId": resource["id"], "appRoleId": role_id})
            ]
            again = ansible_module(
                "entra_app_role_assignment",
                resource_app_id=app["app_id"],
                app_role_id=role_id,
                principal_id=principal.upper(),
            )
            assert not again.changed and again.writes == [] and again["id"] == created["id"]
            # One read: the service principal with its assignments inline.
            assert graph_reads(again) == [
                ("/v1.0/servicePrincipals(appId='%s')" % app["app_id"], {"$expand": "appRoleAssignedTo"})
            ]

        assert created["assignment"]["principalType"] == "ServicePrincipal"

        unknown = ansible_module(
            "entra_app_role_assignment",
            expect_failure=True,
            resource_app_id=app["app_id"],
            app_role="Tool.Nope",
            principal_id=ADA,
        )
        assert "app_role" in unknown["msg"] and "Tool.Call" in unknown["msg"] and unknown.writes == []

        removed = ansible_module(
            "entra_app_role_assignment",
            resource_app_id=app["app_id"],
            app_role="Tool.Call",
            principal_id=ADA,
            state="absent",
        )
        assert removed.changed and [w["method"] for w in removed.writes] == ["DELETE"]
        gone = ansible_module(
            "entra_app_role_assignment",
            resource_app_id=app["app_id"],
            app_role="Tool.Call",
            principal_id=ADA,
            state="absent",
        )
        assert not gone.changed and gone.writes == []
    finally:
        for display_name in (name, name + "-client"):
            ansible_module("entra_application", display_name=display_name, state="absent")


def test_more_assignments_than_graph_expands(ansible_module, standin):
    """Graph puts at most 20 assignments inline: past that the module pages them, and still finds the one it manages."""
    graph = GraphDirect(standin)
    name = "arb-" + uuid.uuid4().hex[:8]
    app = ansible_module("entra_application", display_name=name, app_roles=[{"value": "Tool.Call"}])
    try:
        resource = ansible_module("entra_service_principal", app_id=app["app_id"])
        role_id = app["application"]["appRoles"][0]["id"]
        principals = [graph.create_group("%s-g%02d" % (name, n)) for n in range(22)]
        for principal in principals:
            graph.post(
                "/servicePrincipals/%s/appRoleAssignedTo" % resource["id"],
                {"principalId": principal, "resourceId": resource["id"], "appRoleId": role_id},
            )

        # The last assignment made is not among the 20 Graph puts inline.
        again = ansible_module(
            "entra_app_role_assignment", resource_id=resource["id"], app_role="Tool.Call", principal_id=principals[-1]
        )
        assert not again.changed and again.writes == [] and again["assignment"]["principalId"] == principals[-1]
        assert [read[0] for read in graph_reads(again)] == [
            "/v1.0/servicePrincipals/%s" % resource["id"],
            "/v1.0/servicePrincipals/%s/appRoleAssignedTo" % resource["id"],
        ]
        inline = [e for e in again.traffic if e["path"] == "/v1.0/servicePrincipals/%s" % resource["id"]]
        assert principals[-1] not in [a["principalId"] for a in inline[0]["response_body"]["appRoleAssignedTo"]]

        # A new assignment still checks the role against the service principal first.
        wrong = ansible_module(
            "entra_app_role_assignment",
            expect_failure=True,
            resource_id=resource["id"],
            app_role_id="6d2b9a40-0000-4000-8000-00000000dead",
            principal_id=ADA,
        )
        assert "app_role_id" in wrong["msg"] and wrong.writes == []
    finally:
        ansible_module("entra_application", display_name=name, state="absent")
