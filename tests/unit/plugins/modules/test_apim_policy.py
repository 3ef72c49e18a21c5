"""apim_policy: scope, validation, and no false change when the service re-renders the document."""

from ansible_collections.mcp_platform.azure.plugins.module_utils._apim import policy_to_xml
from ansible_collections.mcp_platform.azure.plugins.modules import apim_policy
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import run_engine

POLICY = """<policies>
  <inbound>
    <base />
    <!-- only callers with a token -->
    <check-header name="Authorization" failed-check-httpcode="401" failed-check-error-message="no token" />
    <set-header name="x-tier" exists-action="override">
      <value>@(context.Request.Headers.GetValueOrDefault("x-tier","readonly"))</value>
    </set-header>
  </inbound>
  <backend><forward-request buffer-response="false" /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>"""

BASE = dict(api_id="mcp-mongodb", service_name="apim1", resource_group="rg1", policy=POLICY)


def service_rendering(path, body):
    """The service stores format xml: expressions escaped, tabs, CRLF, comments dropped, attributes reordered."""
    text = policy_to_xml(body["properties"]["value"])
    text = text.replace("<!-- only callers with a token -->", "").replace("  ", "\t").replace("\n", "\r\n")
    text = text.replace('name="x-tier" exists-action="override"', 'exists-action="override" name="x-tier"')
    body["properties"].update(value=text, format="xml")
    return body


def run(fake, check=False, diff=False, **overrides):
    args = dict(BASE, **overrides)
    resource = apim_policy.policy_resource(dict(dict(operation_id=None), **args))
    return run_engine(apim_policy.ARGUMENT_SPEC, apim_policy.desired_body, resource, args, fake, check, diff)


def test_scope_picks_the_operation_group_and_path():
    api = apim_policy.policy_resource(dict(BASE, operation_id=None))
    operation = apim_policy.policy_resource(dict(BASE, operation_id="mcp-post"))
    assert api.sdk.operations == "api_policy"
    assert api.path_args(BASE) == ("rg1", "apim1", "mcp-mongodb", "policy")
    assert operation.sdk.operations == "api_operation_policy"
    assert operation.path_args(dict(BASE, operation_id="mcp-post")) == (
        "rg1",
        "apim1",
        "mcp-mongodb",
        "mcp-post",
        "policy",
    )
    assert api.kwargs_for("get", BASE) == {"format": "rawxml"}
    assert api.args_for("delete", BASE) == ("*",)


def test_validation():
    assert apim_policy.validate(BASE) == []
    assert apim_policy.validate(dict(BASE, policy="<policies><inbound></policies>"))[0].startswith(
        "policy: not a well-formed policy document"
    )
    assert apim_policy.validate(dict(BASE, policy="<inbound />")) == [
        "policy: the document must be rooted at <policies>, not <inbound>"
    ]


def test_rendering_by_the_service_is_not_a_change():
    fake = FakeArm()
    fake.on_put = service_rendering
    created = run(fake)
    assert created["operation"] == "create"
    assert fake.writes[0]["body"] == {"properties": {"format": "rawxml", "value": POLICY}}
    again = run(fake)
    assert not again["changed"], again["changes"]
    assert len(fake.writes) == 1


def test_a_real_change_is_shown_and_sent():
    fake = FakeArm()
    fake.on_put = service_rendering
    run(fake)
    changed_policy = POLICY.replace('buffer-response="false"', 'buffer-response="true"')
    preview = run(fake, check=True, diff=True, policy=changed_policy)
    assert preview["changes"] == ["properties.value"]
    assert 'buffer-response="true"' in preview["diff"]["after"]["properties"]["value"]
    assert len(fake.writes) == 1
    updated = run(fake, policy=changed_policy)
    assert updated["operation"] == "update"
    assert fake.writes[-1]["body"]["properties"]["value"] == changed_policy
    assert not run(fake, policy=changed_policy)["changed"]
