"""Semantic comparison of API Management policy documents (plugins/module_utils/_apim.py)."""

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._apim import (
    PolicyParseError,
    policies_equal,
    policy_canonical,
    policy_pretty,
    policy_to_xml,
)

RAW_POLICY = """<policies>
  <inbound>
    <base />
    <!-- choose the tier from the token -->
    <set-variable name="tier"
        value="@(context.Request.Headers.GetValueOrDefault("Authorization","").Length > 0 && true ? "a<b" : ")")" />
    <choose>
      <when condition="@(context.Variables.GetValueOrDefault<string>("tier") == "admin")">
        <set-backend-service base-url="http://10.0.0.4:3000" />
      </when>
    </choose>
    <set-body>@{
        var closing = "}"; // it's only a brace
        return closing + '{';
    }</set-body>
  </inbound>
  <backend><forward-request buffer-response="false" timeout="120" /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>"""


def service_rendering(raw):
    """What the service answers for format=xml: escaped expressions, tabs, CRLF, no comments."""
    text = policy_to_xml(raw)
    text = text.replace("<!-- choose the tier from the token -->", "")
    text = text.replace("  ", "\t").replace("\n", "\r\n")
    return text.replace("<base />", "<base></base>")


def test_raw_expressions_become_well_formed_xml():
    element = ET.fromstring(policy_to_xml(RAW_POLICY))  # noqa: S314
    variable = element.find(".//set-variable")
    assert variable.get("value") == (
        '@(context.Request.Headers.GetValueOrDefault("Authorization","").Length > 0 && true ? "a<b" : ")")'
    )
    assert element.find(".//when").get("condition").startswith("@(context.Variables.GetValueOrDefault<string>(")
    assert "// it's only a brace" in element.find(".//set-body").text


def test_escaped_form_is_left_as_it_is():
    escaped = policy_to_xml(RAW_POLICY)
    assert policy_to_xml(escaped) == escaped


def test_service_reformatting_is_not_a_change():
    assert policies_equal(RAW_POLICY, service_rendering(RAW_POLICY))


def test_attribute_order_is_not_a_change():
    assert policies_equal(
        '<policies><backend><forward-request timeout="120" buffer-response="false"/></backend></policies>',
        '<policies><backend><forward-request buffer-response="false" timeout="120"></forward-request>'
        "</backend></policies>",
    )


def test_numeric_character_references_equal_their_characters():
    assert policies_equal(
        '<policies><inbound><set-header name="x"><value>a&#60;b</value></set-header></inbound></policies>',
        '<policies><inbound><set-header name="x"><value>a&lt;b</value></set-header></inbound></policies>',
    )


@pytest.mark.parametrize(
    "changed",
    [
        RAW_POLICY.replace('== "admin"', '== "admim"'),
        RAW_POLICY.replace("10.0.0.4", "10.0.0.5"),
        RAW_POLICY.replace('buffer-response="false"', 'buffer-response="true"'),
        RAW_POLICY.replace("<outbound><base /></outbound>", "<outbound />"),
        RAW_POLICY.replace('var closing = "}";', 'var closing = "} ";'),
        RAW_POLICY.replace("<backend>", "<backend><retry count='2' />"),
    ],
)
def test_real_changes_are_detected(changed):
    assert not policies_equal(RAW_POLICY, changed)
    assert not policies_equal(service_rendering(RAW_POLICY), changed)


def test_element_order_matters():
    assert not policies_equal(
        "<policies><inbound><a /><b /></inbound></policies>",
        "<policies><inbound><b /><a /></inbound></policies>",
    )


def test_unparseable_text_raises_and_compares_by_identity():
    broken = "<policies><inbound></policies>"
    with pytest.raises(PolicyParseError):
        policy_canonical(broken)
    assert policies_equal(broken, broken)
    assert not policies_equal(broken, "<policies />")


def test_not_a_string_is_rejected():
    with pytest.raises(PolicyParseError):
        policy_to_xml(None)


def test_pretty_is_stable_across_renderings_and_shows_expressions_raw():
    pretty = policy_pretty(RAW_POLICY)
    assert pretty == policy_pretty(service_rendering(RAW_POLICY))
    assert "<!--" not in pretty
    assert 'condition="@(context.Variables.GetValueOrDefault<string>("tier") == "admin")"' in pretty
    assert policies_equal(pretty, RAW_POLICY)
