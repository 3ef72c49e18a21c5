"""apim_api_operation through Ansible against the stand-in."""

import uuid

import pytest


@pytest.fixture(scope="module")
def api(ansible_module):
    suffix = uuid.uuid4().hex[:8]
    parent = dict(service_name="apim-%s" % suffix, resource_group="rg-apim-op-%s" % suffix)
    ansible_module("resource_group", name=parent["resource_group"], location="westeurope")
    ansible_module(
        "apim_service",
        name=parent["service_name"],
        resource_group=parent["resource_group"],
        location="westeurope",
        publisher_email="platform@example.com",
        publisher_name="Platform",
    )
    ansible_module("apim_api", name="mcp-mongodb", path="mcp/mongodb", **parent)
    yield dict(parent, api_id="mcp-mongodb")
    ansible_module("resource_group", name=parent["resource_group"], state="absent")


def test_apim_api_operation_lifecycle(ansible_module, api):
    operation = dict(api, name="mcp-post", method="POST", url_template="/mcp", display_name="MCP POST")
    created = ansible_module("apim_api_operation", **operation)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    assert created.writes[0]["request_body"]["properties"] == {
        "displayName": "MCP POST",
        "method": "POST",
        "urlTemplate": "/mcp",
        "templateParameters": [],
    }

    again = ansible_module("apim_api_operation", **dict(operation, method="post"))
    assert not again.changed, again["changes"]
    assert again.writes == []

    preview = ansible_module("apim_api_operation", check=True, diff=True, **dict(operation, url_template="/mcp/{id}"))
    assert preview.changed
    assert set(preview["changes"]) == {"properties.urlTemplate", "properties.templateParameters"}
    assert preview["diff"]["after"]["properties"]["templateParameters"] == [
        {"name": "id", "type": "string", "required": True}
    ]
    assert preview.writes == []

    updated = ansible_module("apim_api_operation", **dict(operation, display_name="MCP streamable POST"))
    assert updated["changes"] == ["properties.displayName"]
    assert [w["method"] for w in updated.writes] == ["PUT"]

    deleted = ansible_module("apim_api_operation", state="absent", **operation)
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("apim_api_operation", state="absent", **operation)
    assert not gone.changed and gone.writes == []
