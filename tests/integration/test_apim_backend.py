"""apim_backend through Ansible against the stand-in."""

import uuid

import pytest

KEY_REFERENCE = "{{gateway-key}}"
# Module arguments are templated by Ansible: the named value reference must reach the module verbatim.
KEY_ARGUMENT = "{% raw %}{{gateway-key}}{% endraw %}"


@pytest.fixture(scope="module")
def service(ansible_module):
    suffix = uuid.uuid4().hex[:8]
    parent = dict(service_name="apim-%s" % suffix, resource_group="rg-apim-be-%s" % suffix)
    ansible_module("resource_group", name=parent["resource_group"], location="westeurope")
    ansible_module(
        "apim_service",
        name=parent["service_name"],
        resource_group=parent["resource_group"],
        location="westeurope",
        publisher_email="platform@example.com",
        publisher_name="Platform",
    )
    yield parent
    ansible_module("resource_group", name=parent["resource_group"], state="absent")


def test_apim_backend_lifecycle(ansible_module, service):
    backend = dict(
        service,
        name="mcp-mongodb-admin",
        url="http://10.20.1.4:3000/mcp",
        protocol="http",
        credentials_header={"x-mcp-gateway-key": KEY_ARGUMENT},
    )
    created = ansible_module("apim_backend", **backend)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    assert created.writes[0]["request_body"] == {
        "properties": {
            "url": "http://10.20.1.4:3000/mcp",
            "protocol": "http",
            "credentials": {"header": {"x-mcp-gateway-key": [KEY_REFERENCE]}},
        }
    }

    again = ansible_module("apim_backend", **dict(backend, credentials_header={"X-MCP-Gateway-Key": [KEY_ARGUMENT]}))
    assert not again.changed, again["changes"]
    assert again.writes == []

    # The container group got a new private IP: the backend follows it.
    preview = ansible_module("apim_backend", check=True, diff=True, **dict(backend, url="http://10.20.1.5:3000/mcp"))
    assert preview.changed and preview["changes"] == ["properties.url"]
    assert preview["diff"]["after"]["properties"]["url"] == "http://10.20.1.5:3000/mcp"
    assert preview.writes == []

    updated = ansible_module("apim_backend", **dict(backend, url="http://10.20.1.5:3000/mcp", credentials_header={}))
    assert set(updated["changes"]) == {"properties.url", "properties.credentials.header"}
    assert updated.writes[0]["request_body"]["properties"]["credentials"] == {"header": {}}

    deleted = ansible_module("apim_backend", state="absent", **backend)
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("apim_backend", state="absent", **backend)
    assert not gone.changed and gone.writes == []
