"""apim_api through Ansible against the stand-in."""

import uuid

import pytest


@pytest.fixture(scope="module")
def service(ansible_module):
    suffix = uuid.uuid4().hex[:8]
    group = "rg-apim-api-%s" % suffix
    ansible_module("resource_group", name=group, location="westeurope")
    ansible_module(
        "apim_service",
        name="apim-%s" % suffix,
        resource_group=group,
        location="westeurope",
        publisher_email="platform@example.com",
        publisher_name="Platform",
    )
    yield dict(service_name="apim-%s" % suffix, resource_group=group)
    ansible_module("resource_group", name=group, state="absent")


def test_apim_api_lifecycle(ansible_module, service):
    api = dict(
        service,
        name="mcp-mongodb",
        display_name="MCP mongodb",
        path="/mcp/mongodb",
        protocols=["https"],
        service_url="http://10.20.1.4:3000",
        subscription_required=False,
    )
    created = ansible_module("apim_api", **api)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    assert created.writes[0]["request_body"] == {
        "properties": {
            "displayName": "MCP mongodb",
            "path": "mcp/mongodb",
            "protocols": ["https"],
            "serviceUrl": "http://10.20.1.4:3000",
            "subscriptionRequired": False,
            "type": "http",
        }
    }
    assert created["resource"]["properties"]["subscriptionRequired"] is False

    again = ansible_module("apim_api", **dict(api, path="mcp/mongodb"))
    assert not again.changed, again["changes"]
    assert again.writes == []

    preview = ansible_module("apim_api", check=True, diff=True, **dict(api, protocols=["https", "http"]))
    assert preview.changed and preview["changes"] == ["properties.protocols"]
    assert preview["diff"]["before"]["properties"]["protocols"] == ["https"]
    assert preview.writes == []

    updated = ansible_module("apim_api", **dict(api, service_url="http://10.20.1.5:3000"))
    assert updated["operation"] == "update" and updated["changes"] == ["properties.serviceUrl"]
    assert [w["method"] for w in updated.writes] == ["PUT"]

    deleted = ansible_module("apim_api", state="absent", **api)
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    assert deleted.writes[0]["path"].endswith("/apis/mcp-mongodb")
    gone = ansible_module("apim_api", state="absent", **api)
    assert not gone.changed and gone.writes == []


def test_apim_api_refuses_bad_input_before_any_call(ansible_module, service):
    refused = ansible_module(
        "apim_api", expect_failure=True, **dict(service, name="bad name", path="x", service_url="10.0.0.1:80")
    )
    assert "name: 1-80 letters" in refused["msg"] and "service_url: must be an absolute" in refused["msg"]
    assert not [t for t in refused.traffic if t["kind"] == "arm"]
