"""entra_app_role_assignment: role resolution and matching of existing assignments."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import EntraInputError
from ansible_collections.mcp_platform.azure.plugins.modules import entra_app_role_assignment as module
from tests.unit.plugins.modules._graph_fake import FakeEntra

ADMIN = "6d2b9a40-0000-4000-8000-000000000001"
READ = "6d2b9a40-0000-4000-8000-000000000002"
GROUP = "5b8e7c4e-3f0a-4d59-9a33-1b2c3d4e5f60"
RESOURCE = {
    "displayName": "mcp-platform",
    "appRoles": [{"id": ADMIN.upper(), "value": "MCP.Admin"}, {"id": READ, "value": "MCP.ReadOnly"}],
}


def test_role_by_value_or_id():
    assert module.role_id_for(RESOURCE, "MCP.Admin", None) == ADMIN
    assert module.role_id_for(RESOURCE, None, READ) == READ
    assert module.role_id_for(RESOURCE, None, module.DEFAULT_ACCESS) == module.DEFAULT_ACCESS


def test_unknown_role_names_the_option_and_lists_the_roles():
    with pytest.raises(
        EntraInputError, match=r"app_role: mcp-platform has no app role with the value 'MCP\.Nope'.*MCP\.Admin="
    ):
        module.role_id_for(RESOURCE, "MCP.Nope", None)
    with pytest.raises(EntraInputError, match=r"app_role_id: 00000000-0000-4000-8000-000000000009 is not an app role"):
        module.role_id_for(RESOURCE, None, "00000000-0000-4000-8000-000000000009")


def test_matching_is_per_principal_and_role():
    assignments = [
        {"id": "a1", "principalId": GROUP.upper(), "appRoleId": ADMIN},
        {"id": "a2", "principalId": GROUP, "appRoleId": READ},
        {"id": "a3", "principalId": "other", "appRoleId": ADMIN},
    ]
    assert [a["id"] for a in module.matching(assignments, GROUP, ADMIN)] == ["a1"]
    assert module.matching(assignments, GROUP, "x") == []


APP_ID = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"
SP_ID = "1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"


def assignment(principal, role=ADMIN):
    return {"id": "a-" + principal[:8], "principalId": principal, "appRoleId": role, "resourceId": SP_ID}


def assignment_params(**overrides):
    base = dict((name, None) for name in module.ARGUMENT_SPEC)
    base.update(state="present", **overrides)
    return base


def test_resource_and_assignments_in_one_read():
    principal = dict(RESOURCE, id=SP_ID, appRoleAssignedTo=[assignment(GROUP)])
    entra = FakeEntra(assignment_params(resource_app_id=APP_ID, app_role_id=ADMIN, principal_id=GROUP), [principal])
    resource, assignments = module.resource_of(entra, entra.params)
    assert "appRoleAssignedTo" not in resource and resource["id"] == SP_ID
    assert assignments == [assignment(GROUP)]
    assert entra.adapter.reads() == [("/v1.0/servicePrincipals(appId='%s')" % APP_ID, {"$expand": "appRoleAssignedTo"})]


def test_assignments_graph_may_have_cut_short_are_paged():
    many = [assignment("00000000-0000-4000-8000-%012d" % n) for n in range(21)]
    entra = FakeEntra(
        assignment_params(resource_id=SP_ID, app_role="MCP.Admin", principal_id=GROUP),
        [dict(RESOURCE, id=SP_ID, appRoleAssignedTo=many[:20]), {"value": many}],
    )
    assignments = module.resource_of(entra, entra.params)[1]
    assert assignments == many
    assert [read[0] for read in entra.adapter.reads()] == [
        "/v1.0/servicePrincipals/%s" % SP_ID,
        "/v1.0/servicePrincipals/%s/appRoleAssignedTo" % SP_ID,
    ]
