"""entra_service_principal: desired body, tags and the replication retry rule."""

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import changed_paths
from ansible_collections.mcp_platform.azure.plugins.module_utils._graph import GraphError
from ansible_collections.mcp_platform.azure.plugins.modules import entra_service_principal as module

APP_ID = "6f1c2e3d-4b5a-4978-8695-a4b3c2d1e0f9"


def params(**overrides):
    base = dict((name, spec.get("default")) for name, spec in module.ARGUMENT_SPEC.items())
    base.update(app_id=APP_ID)
    base.update(overrides)
    return base


def test_unset_options_are_not_managed():
    assert module.desired_service_principal(params(), None) == {"appId": APP_ID}


def test_tags_replace_or_append():
    current = {"tags": ["HideApp", "Team"]}
    assert module.desired_service_principal(params(tags=["Team", "New"]), current)["tags"] == ["Team", "New"]
    appended = module.desired_service_principal(params(tags=["Team", "New"], append_tags=True), current)
    assert appended["tags"] == ["HideApp", "Team", "New"]


def test_comparison_ignores_tag_order_and_extra_properties():
    desired = module.desired_service_principal(params(tags=["b", "a"], app_role_assignment_required=True), None)
    current = {"appId": APP_ID.upper(), "tags": ["a", "b"], "appRoleAssignmentRequired": True, "appRoles": []}
    assert changed_paths(desired, current, module.NORMALISERS) == []
    current["appRoleAssignmentRequired"] = False
    assert changed_paths(desired, current, module.NORMALISERS) == ["appRoleAssignmentRequired"]


def test_only_the_not_yet_replicated_application_error_is_retried():
    replicating = GraphError(
        "Request_BadRequest: The appId '%s' of the service principal does not reference a valid application object."
        % APP_ID,
        code="Request_BadRequest",
        status=400,
    )
    assert module.application_not_replicated(replicating)
    assert not module.application_not_replicated(GraphError("Request_BadRequest: other", status=400))
    assert not module.application_not_replicated(GraphError("Authorization_RequestDenied: no", status=403))
