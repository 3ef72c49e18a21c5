"""role_assignment: input rules, role resolution helpers, deterministic names and matching."""

import uuid

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils import _identity as identity
from ansible_collections.mcp_platform.azure.plugins.modules import role_assignment as module

SUB = "00000000-0000-0000-0000-000000000001"
SCOPE = "/subscriptions/%s/resourceGroups/rg1/providers/Microsoft.ContainerRegistry/registries/acr1" % SUB
PRINCIPAL = "aaaaaaaa-0000-0000-0000-000000000001"
ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"


def params(**overrides):
    full = dict(scope=SCOPE, principal_id=PRINCIPAL, principal_type=None, role="AcrPull", description=None, name=None)
    full.update(overrides)
    return full


def assignment(scope=SCOPE, principal=PRINCIPAL, guid=ACR_PULL, name="x"):
    return {
        "name": name,
        "properties": {
            "scope": scope,
            "principalId": principal,
            "roleDefinitionId": identity.role_definition_id(SUB, guid),
        },
    }


def test_names_are_deterministic_and_case_blind():
    first = identity.assignment_name(SCOPE, PRINCIPAL, ACR_PULL)
    assert uuid.UUID(first).version == 5
    assert identity.assignment_name(SCOPE.upper() + "/", PRINCIPAL.upper(), ACR_PULL.upper()) == first
    assert identity.assignment_name(SCOPE, PRINCIPAL, "4633458b-17de-408a-b874-0445c86b69e6") != first


@pytest.mark.parametrize(
    "role, guid",
    [
        ("AcrPull", None),
        ("Key Vault Secrets Officer", None),
        (ACR_PULL.upper(), ACR_PULL),
        ("/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s" % (SUB, ACR_PULL), ACR_PULL),
    ],
)
def test_role_is_a_name_a_guid_or_an_id(role, guid):
    assert identity.role_guid(role) == guid


@pytest.mark.parametrize(
    "role, guid",
    [
        ("AcrPull", ACR_PULL),
        ("acrpull", ACR_PULL),
        ("Key  Vault Secrets Officer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"),
        ("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6"),
        ("AcrPush", "8311e382-0749-4cb8-b61a-304f252e45ec"),
        ("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"),
        ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
        ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
        ("My Custom Role", None),
        (ACR_PULL, None),
    ],
)
def test_well_known_built_in_names_resolve_without_a_lookup(role, guid):
    assert identity.built_in_role_guid(role) == guid


def test_built_in_table_holds_guids_only():
    assert all(identity.is_guid(guid) and guid == guid.lower() for guid in identity.BUILT_IN_ROLE_GUIDS.values())
    assert len(set(identity.BUILT_IN_ROLE_GUIDS.values())) == len(identity.BUILT_IN_ROLE_GUIDS)


def test_role_name_filter_escapes_quotes():
    assert identity.role_name_filter("O'Brien Reader") == "roleName eq 'O''Brien Reader'"


@pytest.mark.parametrize(
    "overrides, message",
    [
        (dict(scope="resourceGroups/rg1"), "^scope:"),
        (dict(scope="/subscriptions/"), "^scope:"),
        (dict(principal_id="not-a-guid"), "^principal_id:"),
        (dict(role=" "), "^role:"),
        (dict(role="/providers/Microsoft.Authorization/roleDefinitions/abc"), "^role:"),
        (dict(name="assignment-1"), "^name:"),
    ],
)
def test_input_rules_name_the_option(overrides, message):
    with pytest.raises(identity.RoleInputError, match=message):
        module.check_params(params(**overrides))


def test_valid_scopes_pass():
    for scope in (
        "/subscriptions/%s" % SUB,
        "/subscriptions/%s/resourceGroups/rg1/" % SUB,
        SCOPE,
        "/providers/Microsoft.Management/managementGroups/mg1",
    ):
        checked = params(scope=scope)
        module.check_params(checked)
        assert not checked["scope"].endswith("/")


def test_only_an_assignment_at_exactly_the_scope_matches():
    assert identity.assignment_matches(assignment(scope=SCOPE.lower()), SCOPE, PRINCIPAL, ACR_PULL)
    inherited = assignment(scope="/subscriptions/%s/resourceGroups/rg1" % SUB)
    assert not identity.assignment_matches(inherited, SCOPE, PRINCIPAL, ACR_PULL)
    assert not identity.assignment_matches(
        assignment(guid="4633458b-17de-408a-b874-0445c86b69e6"), SCOPE, PRINCIPAL, ACR_PULL
    )
    assert not identity.assignment_matches(assignment(principal=str(uuid.uuid4())), SCOPE, PRINCIPAL, ACR_PULL)


def test_body_carries_role_principal_and_type():
    body = module.desired_body(
        dict(params(principal_type="ServicePrincipal"), _role_definition_id=identity.role_definition_id(SUB, ACR_PULL))
    )
    assert body == {
        "properties": {
            "roleDefinitionId": "/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s"
            % (SUB, ACR_PULL),
            "principalId": PRINCIPAL,
            "principalType": "ServicePrincipal",
            "description": None,
        }
    }
    # principalType is sent on create only: Azure records the real type.
    assert "properties.principalType" in module.RESOURCE.ignore


class _Credential:
    def __init__(self, token):
        self.token = token

    def get_token(self, *scopes):
        return type("Token", (), {"token": self.token})()


class _Auth:
    def __init__(self, tenant, token):
        self.settings = {"tenant": tenant}
        self._credential = _Credential(token)
        self.cloud = type("Cloud", (), {"credential_scope": "https://management.azure.com/.default"})()

    def credential(self):
        return self._credential


def test_tenant_comes_from_the_setting_or_the_token():
    import base64
    import json

    tid = "77777777-7777-7777-7777-777777777777"
    payload = base64.urlsafe_b64encode(json.dumps({"tid": tid}).encode()).decode().rstrip("=")
    assert identity.credential_tenant_id(_Auth(tid.upper(), "unused")) == tid
    assert identity.credential_tenant_id(_Auth("contoso.onmicrosoft.com", "h.%s.s" % payload)) == tid
    with pytest.raises(identity.RoleInputError, match=r"^tenant_id"):
        identity.credential_tenant_id(_Auth(None, "not-a-jwt"))
