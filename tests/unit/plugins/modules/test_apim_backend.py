"""apim_backend: credentials shape and exact comparison, validation."""

from ansible_collections.mcp_platform.azure.plugins.modules import apim_backend
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import run_engine

BASE = dict(name="mcp-admin", service_name="apim1", resource_group="rg1", url="http://10.0.1.4:3000/mcp")
KEY_HEADER = {"x-mcp-gateway-key": "{{gateway-key}}"}


def run(fake, check=False, **overrides):
    args = dict(BASE, **overrides)
    return run_engine(apim_backend.ARGUMENT_SPEC, apim_backend.desired_body, apim_backend.RESOURCE, args, fake, check)


def params(**overrides):
    full = dict(BASE, protocol="http", title=None, description=None, credentials_header=None, credentials_query=None)
    full.update(overrides)
    return full


def test_body_lists_header_values():
    body = apim_backend.desired_body(params(credentials_header=dict(KEY_HEADER, accept=["a", "b"])))
    assert body["properties"]["credentials"] == {
        "header": {"x-mcp-gateway-key": ["{{gateway-key}}"], "accept": ["a", "b"]},
        "query": None,
    }
    assert apim_backend.desired_body(params())["properties"]["credentials"] is None


def test_validation():
    assert apim_backend.validate(params(credentials_header=KEY_HEADER)) == []
    problems = apim_backend.validate(params(url="10.0.1.4:3000", credentials_header={"x": {"a": 1}}))
    assert [p.split(":")[0] for p in problems] == ["url", "credentials_header"]


def test_header_case_is_not_a_change_but_a_removed_header_is():
    fake = FakeArm()

    def like_azure(path, body):
        header = body["properties"].get("credentials", {}).get("header", {})
        body["properties"]["credentials"]["header"] = dict((k.upper(), v) for k, v in header.items())
        return body

    fake.on_put = like_azure
    run(fake, credentials_header=dict(KEY_HEADER, other="x"))
    assert not run(fake, credentials_header=dict(KEY_HEADER, other="x"))["changed"]
    fewer = run(fake, check=True, credentials_header=KEY_HEADER)
    assert fewer["changes"] == ["properties.credentials.header"]
    moved = run(fake, check=True, url="http://10.0.1.5:3000/mcp")
    assert moved["changes"] == ["properties.url"]
    assert len(fake.writes) == 1
