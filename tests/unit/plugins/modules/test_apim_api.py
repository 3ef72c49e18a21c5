"""apim_api: body building and comparison with the service's answer."""

from ansible_collections.mcp_platform.azure.plugins.modules import apim_api
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import run_engine

BASE = dict(
    name="mcp-mongodb",
    service_name="apim1",
    resource_group="rg1",
    path="/mcp/mongodb/",
    service_url="http://10.0.1.4:3000",
)


def params(**overrides):
    full = dict(
        display_name=None,
        description=None,
        protocols=["https"],
        subscription_required=False,
        api_type="http",
        state="present",
    )
    full.update(BASE)
    full.update(overrides)
    return full


def run(fake, check=False, **overrides):
    args = dict((k, v) for k, v in dict(BASE, **overrides).items() if v is not None)
    return run_engine(apim_api.ARGUMENT_SPEC, apim_api.desired_body, apim_api.RESOURCE, args, fake, check)


def like_azure(path, body):
    props = body["properties"]
    props["protocols"] = list(reversed(props["protocols"]))
    props.update(apiRevision="1", isCurrent=True)
    return body


def test_body():
    assert apim_api.desired_body(params(protocols=["https", "http", "https"])) == {
        "properties": {
            "displayName": "mcp-mongodb",
            "description": None,
            "path": "mcp/mongodb",
            "protocols": ["http", "https"],
            "serviceUrl": "http://10.0.1.4:3000",
            "subscriptionRequired": False,
            "type": "http",
        }
    }


def test_validation_names_the_option():
    assert apim_api.validate(params()) == []
    problems = apim_api.validate(params(name="-bad", service_url="10.0.1.4:3000", protocols=[]))
    assert [p.split(":")[0] for p in problems] == ["name", "service_url", "protocols"]


def test_create_rerun_update_delete():
    fake = FakeArm()
    # The API's create and delete are long-running (delete answers 202/204, never 200).
    fake.lro_types = {"/apis/"}
    fake.on_put = like_azure
    assert run(fake, protocols=["http", "https"])["operation"] == "create"
    again = run(fake, protocols=["https", "http"], path="mcp/mongodb")
    assert not again["changed"], again["changes"]
    changed = run(fake, check=True, protocols=["https", "http"], subscription_required=True)
    assert changed["changes"] == ["properties.subscriptionRequired"]
    assert [w["method"] for w in fake.writes] == ["PUT"]
    deleted = run(fake, state="absent")
    assert deleted["operation"] == "delete" and [w["method"] for w in fake.writes] == ["PUT", "DELETE"]
