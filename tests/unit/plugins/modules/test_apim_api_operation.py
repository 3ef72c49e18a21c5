"""apim_api_operation: template parameters, method casing, comparison."""

from ansible_collections.mcp_platform.azure.plugins.modules import apim_api_operation as module
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import run_engine

BASE = dict(
    name="mcp-post",
    api_id="mcp-mongodb",
    service_name="apim1",
    resource_group="rg1",
    method="post",
    url_template="/mcp",
)


def run(fake, check=False, **overrides):
    args = dict(BASE, **overrides)
    return run_engine(module.ARGUMENT_SPEC, module.desired_body, module.RESOURCE, args, fake, check)


def test_template_parameters_are_declared_once():
    assert module.template_parameters("/items/{id}/parts/{part}/{id}") == [
        {"name": "id", "type": "string", "required": True},
        {"name": "part", "type": "string", "required": True},
    ]
    assert module.template_parameters("/mcp") == []


def test_body_and_validation():
    params = dict(BASE, display_name=None, description=None, state="present")
    assert module.desired_body(params)["properties"] == {
        "displayName": "mcp-post",
        "description": None,
        "method": "POST",
        "urlTemplate": "/mcp",
        "templateParameters": [],
    }
    assert module.validate(params) == []
    bad = module.validate(dict(params, method="PO ST", url_template="mcp"))
    assert [p.split(":")[0] for p in bad] == ["method", "url_template"]


def test_service_casing_is_not_a_change_and_a_new_template_is():
    fake = FakeArm()

    def like_azure(path, body):
        body["properties"]["method"] = body["properties"]["method"].lower()
        return body

    fake.on_put = like_azure
    assert run(fake)["operation"] == "create"
    assert not run(fake, method="POST")["changed"]
    moved = run(fake, check=True, url_template="/mcp/{session}")
    assert set(moved["changes"]) == {"properties.urlTemplate", "properties.templateParameters"}
    assert [w["method"] for w in fake.writes] == ["PUT"]
