"""user_assigned_identity through Ansible against the stand-in."""

import uuid


def test_user_assigned_identity_lifecycle(ansible_module):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    name = "id-it-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    args = dict(name=name, resource_group=group, location="westeurope", tags={"env": "test"})

    created = ansible_module("user_assigned_identity", **args)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    assert uuid.UUID(created["principal_id"]) and uuid.UUID(created["client_id"])
    assert created["id"].lower().endswith("/userassignedidentities/" + name)

    again = ansible_module("user_assigned_identity", **dict(args, location="West Europe"))
    assert not again.changed, again["changes"]
    assert again.writes == []
    assert again["principal_id"] == created["principal_id"]

    checked = ansible_module("user_assigned_identity", check=True, diff=True, **dict(args, isolation_scope="Regional"))
    assert checked.changed and checked["changes"] == ["properties.isolationScope"]
    assert checked["diff"]["after"]["properties"]["isolationScope"] == "Regional"
    assert checked.writes == []

    updated = ansible_module("user_assigned_identity", **dict(args, isolation_scope="Regional", tags={"tier": "x"}))
    assert updated.changed and updated["operation"] == "update"
    assert [w["method"] for w in updated.writes] == ["PUT"]
    assert updated.writes[0]["request_body"]["properties"] == {"isolationScope": "Regional"}
    assert updated["principal_id"] == created["principal_id"]

    moved = ansible_module("user_assigned_identity", expect_failure=True, **dict(args, location="northeurope"))
    assert "location" in moved["msg"] and moved.writes == []

    deleted = ansible_module("user_assigned_identity", name=name, resource_group=group, state="absent")
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("user_assigned_identity", name=name, resource_group=group, state="absent")
    assert not gone.changed and gone.writes == []
    assert gone["principal_id"] is None
