"""container_registry through Ansible against the stand-in."""

import uuid


def test_container_registry_lifecycle(ansible_module):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    name = "acrit%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    args = dict(name=name, resource_group=group, location="westeurope", sku="Standard", tags={"env": "test"})

    created = ansible_module("container_registry", **args)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    body = created.writes[0]["request_body"]
    assert body["sku"] == {"name": "Standard"} and body["properties"] == {"adminUserEnabled": False}
    # What Azure reports (<name>.azurecr.io; the stand-in serves each registry on 127.0.0.1:<port>).
    assert created["login_server"] == created.writes[0]["response_body"]["properties"]["loginServer"]

    again = ansible_module("container_registry", **args)
    assert not again.changed, again["changes"]
    assert again.writes == []

    checked = ansible_module("container_registry", check=True, diff=True, **dict(args, sku="Premium"))
    assert checked.changed and checked["changes"] == ["sku.name"]
    assert checked["diff"]["after"]["sku"]["name"] == "Premium"
    assert checked.writes == []

    updated = ansible_module("container_registry", **dict(args, sku="Premium", public_network_access="Disabled"))
    assert updated.changed and updated["operation"] == "update"
    assert [w["method"] for w in updated.writes] == ["PUT"]
    assert updated["resource"]["properties"]["adminUserEnabled"] is False

    refused = ansible_module("container_registry", expect_failure=True, **dict(args, public_network_access="Disabled"))
    assert "public_network_access" in refused["msg"] and "Premium" in refused["msg"]
    assert refused.traffic == []

    deleted = ansible_module("container_registry", name=name, resource_group=group, state="absent")
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("container_registry", name=name, resource_group=group, state="absent")
    assert not gone.changed and gone.writes == []
