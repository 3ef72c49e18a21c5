"""log_analytics_workspace through Ansible against the stand-in."""

import uuid


def test_log_analytics_workspace_lifecycle(ansible_module):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    name = "log-it-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    args = dict(name=name, resource_group=group, location="westeurope", retention_in_days=30)

    created = ansible_module("log_analytics_workspace", **args)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    assert created.writes[0]["request_body"]["properties"] == {"sku": {"name": "PerGB2018"}, "retentionInDays": 30}
    assert uuid.UUID(created["customer_id"])

    again = ansible_module("log_analytics_workspace", **args)
    assert not again.changed, again["changes"]
    assert again.writes == []

    changed_args = dict(args, retention_in_days=90, daily_quota_gb=5, public_network_access_for_query="Disabled")
    checked = ansible_module("log_analytics_workspace", check=True, diff=True, **changed_args)
    assert checked.changed and sorted(checked["changes"]) == [
        "properties.publicNetworkAccessForQuery",
        "properties.retentionInDays",
        "properties.workspaceCapping",
    ]
    assert checked["diff"]["before"]["properties"]["retentionInDays"] == 30
    assert checked["diff"]["after"]["properties"]["retentionInDays"] == 90
    assert checked.writes == []

    updated = ansible_module("log_analytics_workspace", **changed_args)
    assert updated.changed and [w["method"] for w in updated.writes] == ["PUT"]
    assert updated.writes[0]["request_body"]["properties"]["workspaceCapping"] == {"dailyQuotaGb": 5.0}
    assert not ansible_module("log_analytics_workspace", **changed_args).changed

    refused = ansible_module("log_analytics_workspace", expect_failure=True, **dict(args, retention_in_days=5))
    assert "retention_in_days" in refused["msg"] and refused.traffic == []

    deleted = ansible_module(
        "log_analytics_workspace", name=name, resource_group=group, state="absent", force_delete=True
    )
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    assert "force=true" in deleted.writes[0]["url"].lower()
    gone = ansible_module("log_analytics_workspace", name=name, resource_group=group, state="absent")
    assert not gone.changed and gone.writes == []
