"""key_vault through Ansible against the stand-in."""

import uuid


def test_key_vault_lifecycle(ansible_module, standin):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    name = "kv-it-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    args = dict(name=name, resource_group=group, location="westeurope", enable_purge_protection=True)

    created = ansible_module("key_vault", **args)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    properties = created.writes[0]["request_body"]["properties"]
    # The tenant comes from the credential when not given.
    assert properties["tenantId"] == standin.env["AZURE_TENANT"]
    assert properties["enableRbacAuthorization"] is True and properties["enablePurgeProtection"] is True
    assert properties["softDeleteRetentionInDays"] == 90 and properties["sku"] == {"family": "A", "name": "standard"}
    assert created["vault_uri"].startswith("https://")

    again = ansible_module("key_vault", **args)
    assert not again.changed, again["changes"]
    assert again.writes == []

    acls = dict(default_action="Deny", bypass="AzureServices", ip_rules=["203.0.113.10"])
    checked = ansible_module("key_vault", check=True, diff=True, **dict(args, network_acls=acls))
    assert checked.changed and checked["changes"] == ["properties.networkAcls"]
    assert checked["diff"]["after"]["properties"]["networkAcls"]["defaultAction"] == "Deny"
    assert checked.writes == []

    updated = ansible_module("key_vault", **dict(args, network_acls=acls))
    assert updated.changed and [w["method"] for w in updated.writes] == ["PUT"]
    assert updated.writes[0]["request_body"]["properties"]["networkAcls"]["ipRules"] == [{"value": "203.0.113.10"}]
    # 203.0.113.10 and 203.0.113.10/32 are the same rule.
    same = dict(acls, ip_rules=["203.0.113.10/32"])
    assert not ansible_module("key_vault", **dict(args, network_acls=same)).changed

    no_purge = ansible_module("key_vault", expect_failure=True, **dict(args, enable_purge_protection=False))
    assert "enable_purge_protection" in no_purge["msg"] and no_purge.writes == []
    retention = ansible_module("key_vault", expect_failure=True, **dict(args, soft_delete_retention_in_days=30))
    assert "soft_delete_retention_in_days" in retention["msg"] and retention.writes == []
    bad_name = ansible_module("key_vault", expect_failure=True, **dict(args, name="kv_" + name))
    assert "name" in bad_name["msg"] and bad_name.traffic == []
    guarded = ansible_module("key_vault", expect_failure=True, name=name, resource_group=group, state="absent")
    assert "allow_data_loss" in guarded["msg"] and guarded.writes == []


def test_key_vault_delete(ansible_module):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    name = "kv-it-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    ansible_module("key_vault", name=name, resource_group=group, location="westeurope")
    deleted = ansible_module("key_vault", name=name, resource_group=group, state="absent", allow_data_loss=True)
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("key_vault", name=name, resource_group=group, state="absent")
    assert not gone.changed and gone.writes == []
