"""resource_group and resource_group_info through Ansible against the stand-in."""

import uuid


def test_resource_group_lifecycle(ansible_module):
    name = "rg-it-%s" % uuid.uuid4().hex[:8]

    created = ansible_module("resource_group", name=name, location="westeurope", tags={"env": "test"})
    assert created.changed and created["operation"] == "create"
    assert [(w["method"], w["path"].lower().endswith("/resourcegroups/" + name)) for w in created.writes] == [
        ("PUT", True)
    ]
    assert created["resource"]["tags"] == {"env": "test"}

    again = ansible_module("resource_group", name=name, location="West Europe", tags={"env": "test"})
    assert not again.changed, again["changes"]
    assert again.writes == []

    checked = ansible_module(
        "resource_group", check=True, diff=True, name=name, location="westeurope", tags={"owner": "platform"}
    )
    assert checked.changed and checked["changes"] == ["tags"]
    assert checked["diff"]["before"]["tags"] == {"env": "test"}
    assert checked["diff"]["after"]["tags"] == {"env": "test", "owner": "platform"}
    assert checked.writes == []

    updated = ansible_module(
        "resource_group", name=name, location="westeurope", tags={"owner": "platform"}, append_tags=False
    )
    assert updated.changed and updated["operation"] == "update"
    assert [w["method"] for w in updated.writes] == ["PUT"]
    assert updated.writes[0]["request_body"]["tags"] == {"owner": "platform"}

    info = ansible_module("resource_group_info", name=name)
    assert not info.changed and [r["tags"] for r in info["resources"]] == [{"owner": "platform"}]

    deleted = ansible_module("resource_group", name=name, state="absent")
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]

    gone = ansible_module("resource_group", name=name, state="absent")
    assert not gone.changed and gone.writes == []
    assert ansible_module("resource_group_info", name=name)["resources"] == []


def test_moving_a_resource_group_is_refused_by_name(ansible_module):
    name = "rg-it-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=name, location="westeurope")
    refused = ansible_module("resource_group", expect_failure=True, name=name, location="northeurope")
    assert "location" in refused["msg"] and "recreate" in refused["msg"]
    assert refused.writes == []
    ansible_module("resource_group", name=name, state="absent")
