#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: apim_policy
short_description: Set or remove the policy of an API or API operation in Azure API Management
version_added: 0.1.0
description:
  - Makes the policy document of an API (or, with O(operation_id), of one operation) equal to O(policy), or removes it.
  - Documents are compared by meaning, not byte for byte. Indentation and other whitespace between
    elements, line endings, comments, attribute order, C(<a></a>) versus C(<a/>) and XML escaping
    (the service answers with policy expressions escaped and re-indented) are not changes; element
    order, names, attribute values and the text of policy expressions are.
  - The policy is read back with C(format=rawxml) so that it compares with what was sent.
options:
  api_id:
    description: Identifier of the API.
    type: str
    required: true
  operation_id:
    description: Identifier of an operation of the API; the policy then applies to that operation only.
    type: str
  service_name:
    description: Name of the API Management service.
    type: str
    required: true
  resource_group:
    description: Resource group of the service.
    type: str
    required: true
  policy:
    description:
      - The policy document, rooted at C(<policies>). Required with O(state=present).
      - With O(format=rawxml) (the default), policy expressions are written as plain C#, for example
        C(condition="@(context.Request.Headers.GetValueOrDefault("Authorization","") != "")");
        with O(format=xml) they must be XML-escaped.
    type: str
  format:
    description: How O(policy) is encoded, as the service names it.
    type: str
    choices: [rawxml, xml]
    default: rawxml
  state:
    description: V(present) to set the policy, V(absent) to remove it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: The policy compiled from the access model
  mcp_platform.azure.apim_policy:
    api_id: mcp-mongodb
    service_name: apim-mcp-platform
    resource_group: rg-mcp-platform
    policy: "{{ mcp_platform_servers[0] | mcp_platform.azure.mcp_apim_policy(auth=platform_auth) }}"

- name: A policy on one operation
  mcp_platform.azure.apim_policy:
    api_id: mcp-mongodb
    operation_id: mcp-get
    service_name: apim-mcp-platform
    resource_group: rg-mcp-platform
    policy: |
      <policies>
        <inbound><base /></inbound>
        <backend><forward-request buffer-response="false" /></backend>
        <outbound><base /></outbound>
        <on-error><base /></on-error>
      </policies>
"""

RETURN = r"""
resource:
  description: The policy as Azure returns it (REST wire names); null when absent.
  returned: always
  type: dict
id:
  description: Resource id; null when absent.
  returned: always
  type: str
operation:
  description: What was done, V(create), V(update), V(delete), or null when nothing was.
  returned: always
  type: str
changes:
  description: V(properties.value) when the documents differ in meaning; empty otherwise.
  returned: always
  type: list
  elements: str
in_progress:
  description: Always false.
  returned: always
  type: bool
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._apim import (
    PolicyParseError,
    apim_operations,
    policy_canonical,
    policy_pretty,
    run_apim_module,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource

POLICY_ID = "policy"  # the only policy name API Management knows

ARGUMENT_SPEC = dict(
    api_id=dict(type="str", required=True),
    operation_id=dict(type="str"),
    service_name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    policy=dict(type="str"),
    format=dict(type="str", choices=["rawxml", "xml"], default="rawxml"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)


def policy_resource(params):
    """API scope or operation scope: two SDK operation groups with the same shape."""
    if params.get("operation_id"):
        sdk, kind = apim_operations("api_operation_policy"), "API Management operation policy"
        scope = ("resource_group", "service_name", "api_id", "operation_id")
    else:
        sdk, kind = apim_operations("api_policy"), "API Management API policy"
        scope = ("resource_group", "service_name", "api_id")
    return ArmResource(
        sdk=sdk,
        path=lambda p: (*(p[name] for name in scope), POLICY_ID),
        extra_args={"delete": lambda p: ("*",)},
        # rawxml keeps expressions as written; the default (xml) would escape them.
        extra_kwargs={"get": lambda p: {"format": "rawxml"}},
        # Both sides become the same canonical rendering when they mean the same policy.
        normalise={"properties.value": policy_pretty},
        # The service reports the stored format, not the one the document was sent in.
        ignore=("properties.format",),
        kind=kind,
    )


def validate(params):
    try:
        root = policy_canonical(params["policy"])
    except PolicyParseError as exc:
        return ["policy: not a well-formed policy document: %s" % exc]
    if root[0] != "policies":
        return ["policy: the document must be rooted at <policies>, not <%s>" % root[0]]
    return []


def desired_body(params):
    return {"properties": {"format": params["format"], "value": params["policy"]}}


def main():
    run_apim_module(
        ARGUMENT_SPEC,
        desired_body,
        policy_resource,
        validate=validate,
        required_if=[("state", "present", ["policy"])],
    )


if __name__ == "__main__":
    main()
