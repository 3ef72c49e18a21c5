"""apim_policy through Ansible against the stand-in: semantic comparison at API and operation scope."""

import uuid

import pytest

POLICY = """<policies>
  <inbound>
    <base />
    <!-- callers without a token are refused before anything else -->
    <check-header name="Authorization" failed-check-httpcode="401" failed-check-error-message="Unauthorized" />
    <choose>
      <when condition="@(context.Request.Headers.GetValueOrDefault("x-tier","") == "admin")">
        <set-backend-service base-url="http://10.20.1.4:3000" />
      </when>
    </choose>
  </inbound>
  <backend><forward-request buffer-response="false" /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>"""

# The same policy as the service would echo it: escaped expressions, tabs, CRLF, no comment,
# attributes in another order, empty elements spelled out.
SAME_POLICY = (
    POLICY.replace("<!-- callers without a token are refused before anything else -->", "")
    .replace(
        'name="Authorization" failed-check-httpcode="401"',
        'failed-check-httpcode="401" name="Authorization"',
    )
    .replace(
        '"@(context.Request.Headers.GetValueOrDefault("x-tier","") == "admin")"',
        '"@(context.Request.Headers.GetValueOrDefault(&quot;x-tier&quot;,&quot;&quot;) == &quot;admin&quot;)"',
    )
    .replace("<base />", "<base></base>")
    .replace("  ", "\t")
    .replace("\n", "\r\n")
)


@pytest.fixture(scope="module")
def api(ansible_module):
    suffix = uuid.uuid4().hex[:8]
    parent = dict(service_name="apim-%s" % suffix, resource_group="rg-apim-pol-%s" % suffix)
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
    ansible_module(
        "apim_api_operation", name="mcp-get", method="GET", url_template="/mcp", api_id="mcp-mongodb", **parent
    )
    yield dict(parent, api_id="mcp-mongodb")
    ansible_module("resource_group", name=parent["resource_group"], state="absent")


def test_apim_policy_lifecycle_at_api_scope(ansible_module, api):
    created = ansible_module("apim_policy", policy=POLICY, **api)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    assert created.writes[0]["path"].endswith("/apis/mcp-mongodb/policies/policy")
    assert created.writes[0]["request_body"] == {"properties": {"format": "rawxml", "value": POLICY}}

    again = ansible_module("apim_policy", policy=SAME_POLICY, **api)
    assert not again.changed, again["changes"]
    assert again.writes == []
    reads = [t for t in again.traffic if t["method"] == "GET" and t["path"].endswith("/policies/policy")]
    assert reads and all("format=rawxml" in t["url"] for t in reads)

    changed_policy = POLICY.replace('buffer-response="false"', 'buffer-response="true"')
    preview = ansible_module("apim_policy", check=True, diff=True, policy=changed_policy, **api)
    assert preview.changed and preview["changes"] == ["properties.value"]
    assert 'buffer-response="true"' in preview["diff"]["after"]["properties"]["value"]
    assert preview.writes == []

    updated = ansible_module("apim_policy", policy=changed_policy, **api)
    assert updated["operation"] == "update" and [w["method"] for w in updated.writes] == ["PUT"]

    deleted = ansible_module("apim_policy", state="absent", **api)
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("apim_policy", state="absent", **api)
    assert not gone.changed and gone.writes == []


def test_apim_policy_at_operation_scope(ansible_module, api):
    scope = dict(api, operation_id="mcp-get")
    created = ansible_module("apim_policy", policy=POLICY, **scope)
    assert created.writes[0]["path"].endswith("/apis/mcp-mongodb/operations/mcp-get/policies/policy")
    again = ansible_module("apim_policy", policy=SAME_POLICY, **scope)
    assert not again.changed and again.writes == []
    deleted = ansible_module("apim_policy", state="absent", **scope)
    assert [w["method"] for w in deleted.writes] == ["DELETE"]


def test_apim_policy_refuses_a_broken_document_before_any_call(ansible_module, api):
    refused = ansible_module("apim_policy", expect_failure=True, policy="<policies><inbound></policies>", **api)
    assert refused["msg"].startswith("policy: not a well-formed policy document")
    assert not [t for t in refused.traffic if t["kind"] == "arm"]
