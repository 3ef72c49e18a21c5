#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: apim_backend
short_description: Create, update or delete a backend of an Azure API Management service
version_added: 0.1.0
description:
  - Makes a single-URL backend exist in an API Management service, with the headers or query
    parameters the gateway adds on every call to it, or removes it.
  - The platform points one backend at each MCP server tier (the container group's private IP,
    refreshed every run) and adds the gateway key header the server requires, taken from a secret
    named value, for example C({{gateway-key}}).
options:
  name:
    description: Identifier of the backend inside the service (letters, digits, C(-), C(_), C(.)).
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
  url:
    description: Runtime URL of the backend, for example V(http://10.20.1.4:3000/mcp). Required with O(state=present).
    type: str
  protocol:
    description: Backend protocol.
    type: str
    choices: [http, soap]
    default: http
  title:
    description: Title of the backend.
    type: str
  description:
    description: Free-text description of the backend.
    type: str
  credentials_header:
    description:
      - Headers the gateway adds to each request to the backend, name to value (or list of values).
      - Put secrets in a secret named value (M(mcp_platform.azure.apim_named_value)) and reference it
        as V({{name}}); the service substitutes it at run time, so the key itself never appears here.
      - The mapping is exact; headers not listed are removed. Unset leaves the credentials as they are.
      - Values are hidden from output.
    type: dict
  credentials_query:
    description: Query parameters the gateway adds to each request to the backend, like O(credentials_header).
    type: dict
  state:
    description: V(present) to create or update the backend, V(absent) to delete it.
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
- name: The read-only tier of the MongoDB MCP server, with the gateway key
  mcp_platform.azure.apim_backend:
    name: mcp-mongodb-readonly
    service_name: apim-mcp-platform
    resource_group: rg-mcp-platform
    url: "http://{{ container_group.private_ip }}:3001/mcp"
    protocol: http
    credentials_header:
      x-mcp-gateway-key: !unsafe "{{gateway-key}}"
"""

RETURN = r"""
resource:
  description: The backend as Azure returns it (REST wire names); null when absent.
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

BACKEND_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    service_name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    url=dict(type="str"),
    protocol=dict(type="str", choices=["http", "soap"], default="http"),
    title=dict(type="str"),
    description=dict(type="str"),
    credentials_header=dict(type="dict", no_log=True),
    credentials_query=dict(type="dict", no_log=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)


def _as_pairs(value):
    # Exact comparison of a name -> values mapping: the subset comparison alone would not notice a
    # header that should be removed. Header names are case-insensitive.
    if not isinstance(value, dict):
        return value
    return sorted((str(name).lower(), list(values or [])) for name, values in value.items())


RESOURCE = ArmResource(
    sdk=apim_operations("backend"),
    path=("resource_group", "service_name", "name"),
    extra_args={"delete": lambda p: ("*",)},
    normalise={
        "properties.protocol": "lower",
        "properties.credentials.header": _as_pairs,
        "properties.credentials.query": _as_pairs,
    },
    kind="API Management backend",
)


def _values(mapping):
    """name -> str or list of str  ->  name -> list of str, as the REST API wants it."""
    if mapping is None:
        return None
    return dict((name, [value] if isinstance(value, str) else list(value)) for name, value in mapping.items())


def validate(params):
    problems = []
    if not BACKEND_ID.match(params["name"]):
        problems.append("name: 1-80 letters, digits, '.', '-' or '_', starting with a letter or digit")
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]", params["url"]) or len(params["url"]) > 2000:
        problems.append("url: must be an absolute URL of at most 2000 characters")
    for option in ("credentials_header", "credentials_query"):
        for name, value in (params.get(option) or {}).items():
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                problems.append("%s: the value of %s must be a string or a list of strings" % (option, name))
    return problems


def desired_body(params):
    credentials = None
    if params.get("credentials_header") is not None or params.get("credentials_query") is not None:
        credentials = {
            "header": _values(params.get("credentials_header")),
            "query": _values(params.get("credentials_query")),
        }
    return {
        "properties": {
            "url": params["url"],
            "protocol": params["protocol"],
            "title": params.get("title"),
            "description": params.get("description"),
            "credentials": credentials,
        }
    }


def main():
    run_apim_module(
        ARGUMENT_SPEC, desired_body, RESOURCE, validate=validate, required_if=[("state", "present", ["url"])]
    )


if __name__ == "__main__":
    main()
