"""entra_app_role_assignment: role resolution and matching of existing assignments."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import EntraInputError
from ansible_collections.mcp_platform.azure.plugins.modules import entra_app_role_assignment as module

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
