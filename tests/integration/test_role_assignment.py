"""role_assignment through Ansible against the stand-in."""

import uuid

ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"


def _reads(run):
    return [(e["method"], e["path"]) for e in run.traffic if e["kind"] == "arm" and e["method"] == "GET"]


def _identity(ansible_module, group):
    name = "id-it-%s" % uuid.uuid4().hex[:8]
    return ansible_module("user_assigned_identity", name=name, resource_group=group, location="westeurope")


def test_role_assignment_lifecycle(ansible_module, standin):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    scope = ansible_module("resource_group", name=group, location="westeurope")["id"]
    principal = _identity(ansible_module, group)["principal_id"]
    args = dict(scope=scope, role="AcrPull", principal_id=principal, principal_type="ServicePrincipal")

    created = ansible_module("role_assignment", **args)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    body = created.writes[0]["request_body"]["properties"]
    assert body["roleDefinitionId"].endswith("/roleDefinitions/" + ACR_PULL)
    assert body["principalId"] == principal and body["principalType"] == "ServicePrincipal"
    name = created["name"]
    assert created.writes[0]["path"].endswith("/roleAssignments/" + name)

    # A no-op re-run reads the assignment once, by its own name: no role lookup, no list.
    again = ansible_module("role_assignment", **args)
    assert not again.changed and again.writes == []
    assert [path.split("?")[0] for _method, path in _reads(again)] == [created.writes[0]["path"].split("?")[0]]

    # Same meaning, role by GUID and by id, scope with other casing: the same assignment, no write.
    for role in (ACR_PULL, created["role_definition_id"]):
        again = ansible_module(
            "role_assignment", **dict(args, role=role, scope=scope.upper().replace("/SUBSCRIPTIONS", "/subscriptions"))
        )
        assert not again.changed, again["changes"]
        assert again.writes == [] and again["name"] == name
        assert len(_reads(again)) == 1

    checked = ansible_module("role_assignment", check=True, diff=True, **dict(args, description="image pulls"))
    assert checked.changed and checked["changes"] == ["properties.description"]
    assert checked.writes == []

    updated = ansible_module("role_assignment", **dict(args, description="image pulls"))
    assert updated.changed and [w["method"] for w in updated.writes] == ["PUT"]
    assert updated.writes[0]["path"].endswith("/roleAssignments/" + name)

    revoked = ansible_module("role_assignment", **dict(args, state="absent"))
    assert revoked.changed and [w["method"] for w in revoked.writes] == ["DELETE"]
    gone = ansible_module("role_assignment", **dict(args, state="absent"))
    assert not gone.changed and gone.writes == []


def test_an_assignment_made_elsewhere_is_recognised_whatever_its_name(ansible_module):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    scope = ansible_module("resource_group", name=group, location="westeurope")["id"]
    principal = _identity(ansible_module, group)["principal_id"]
    foreign_name = str(uuid.uuid4())
    made_by_hand = ansible_module(
        "role_assignment", scope=scope, role="Reader", principal_id=principal, name=foreign_name
    )
    assert made_by_hand["name"] == foreign_name

    again = ansible_module("role_assignment", scope=scope, role="Reader", principal_id=principal)
    assert not again.changed and again.writes == [] and again["name"] == foreign_name
    # Not under the derived name: that GET misses, and the list by principal finds it.
    reads = [path for _method, path in _reads(again)]
    assert len(reads) == 2 and "/roleAssignments/" in reads[0] and reads[1].split("?")[0].endswith("/roleAssignments")


def test_a_custom_role_guid_is_checked_before_it_is_granted(ansible_module, standin):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    scope = ansible_module("resource_group", name=group, location="westeurope")["id"]
    unknown = str(uuid.uuid4())
    refused = ansible_module(
        "role_assignment", expect_failure=True, scope=scope, role=unknown, principal_id=str(uuid.uuid4())
    )
    assert "no role definition %s" % unknown in refused["msg"] and refused.writes == []


def test_role_input_is_checked_before_any_call(ansible_module, standin):
    bad_scope = ansible_module(
        "role_assignment", expect_failure=True, scope="resourceGroups/x", role="AcrPull", principal_id=str(uuid.uuid4())
    )
    assert bad_scope["msg"].startswith("scope:") and bad_scope.traffic == []
    unknown_role = ansible_module(
        "role_assignment",
        expect_failure=True,
        scope="/subscriptions/%s" % standin.env["AZURE_SUBSCRIPTION_ID"],
        role="No Such Role",
        principal_id=str(uuid.uuid4()),
    )
    assert "No Such Role" in unknown_role["msg"] and unknown_role.writes == []
