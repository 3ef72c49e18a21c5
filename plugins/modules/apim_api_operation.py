#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: apim_api_operation
short_description: Create, update or delete an operation of an API in Azure API Management
version_added: 0.1.0
description:
  - Makes an operation (HTTP method + URL template) exist in an API of an API Management service, or removes it.
  - Parameters in the URL template (C({id})) are declared as required string template parameters,
    which the service insists on.
options:
  name:
    description: Identifier of the operation inside the API (letters, digits, C(-), C(_), C(.)).
    type: str
    required: true
  api_id:
    description: Identifier of the API (M(mcp_platform.azure.apim_api) O(mcp_platform.azure.apim_api#module:name)).
    type: str
    required: true
  service_name:
    description: Name of the API Management service.
    type: str
    required: true
  resource_group:
    description: Resource group of the service.
    type: str
    required: true
  method:
    description:
      - HTTP method, for example V(POST); compared case-insensitively and sent in upper case.
      - Required with O(state=present).
    type: str
  url_template:
    description:
      - Path of the operation relative to the API, for example V(/) or V(/items/{id}).
      - Required with O(state=present).
    type: str
  display_name:
    description: Name shown in the portal; defaults to O(name).
    type: str
  description:
    description: Free-text description of the operation.
    type: str
  state:
    description: V(present) to create or update the operation, V(absent) to delete it.
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
- name: MCP Streamable HTTP uses POST, GET and DELETE on one endpoint
  mcp_platform.azure.apim_api_operation:
    name: "mcp-{{ item | lower }}"
    api_id: mcp-mongodb
    service_name: apim-mcp-platform
    resource_group: rg-mcp-platform
    method: "{{ item }}"
    url_template: /mcp
    display_name: "MCP {{ item }}"
  loop: [POST, GET, DELETE]
"""

RETURN = r"""
resource:
  description: The operation as Azure returns it (REST wire names); null when absent.
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
  description: Paths of the REST body that differed from the desired state.
  returned: always
  type: list
  elements: str
in_progress:
  description: Always false.
  returned: always
  type: bool
"""

import re

from ansible_collections.mcp_platform.azure.plugins.module_utils._apim import apim_operations, run_apim_module
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource

OPERATION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
HTTP_METHOD = re.compile(r"^[A-Z]+$")
TEMPLATE_PARAMETER = re.compile(r"\{([^{}]+)\}")

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    api_id=dict(type="str", required=True),
    service_name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    method=dict(type="str"),
    url_template=dict(type="str"),
    display_name=dict(type="str"),
    description=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)

RESOURCE = ArmResource(
    sdk=apim_operations("api_operation"),
    path=("resource_group", "service_name", "api_id", "name"),
    extra_args={"delete": lambda p: ("*",)},
    normalise={"properties.method": "lower"},
    kind="API Management API operation",
)


def template_parameters(url_template):
    """The parameters a URL template names, declared as the service requires them."""
    names = []
    for name in TEMPLATE_PARAMETER.findall(url_template):
        name = name.strip().lstrip("*")
        if name and name not in names:
            names.append(name)
    return [{"name": name, "type": "string", "required": True} for name in names]


def validate(params):
    problems = []
    if not OPERATION_ID.match(params["name"]):
        problems.append("name: 1-80 letters, digits, '.', '-' or '_', starting with a letter or digit")
    if not HTTP_METHOD.match(params["method"].strip().upper()):
        problems.append("method: an HTTP method name such as POST, got %r" % params["method"])
    if not 1 <= len(params["url_template"]) <= 1000:
        problems.append("url_template: 1 to 1000 characters")
    elif not params["url_template"].startswith("/"):
        problems.append("url_template: must start with '/', got %r" % params["url_template"])
    return problems


def desired_body(params):
    return {
        "properties": {
            "displayName": params.get("display_name") or params["name"],
            "description": params.get("description"),
            "method": params["method"].strip().upper(),
            "urlTemplate": params["url_template"],
            # Sent even when empty so that removing a parameter from the template is an update.
            "templateParameters": template_parameters(params["url_template"]),
        }
    }


def main():
    run_apim_module(
        ARGUMENT_SPEC,
        desired_body,
        RESOURCE,
        validate=validate,
        required_if=[("state", "present", ["method", "url_template"])],
    )


if __name__ == "__main__":
    main()
