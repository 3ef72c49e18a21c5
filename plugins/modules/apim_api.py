#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: apim_api
short_description: Create, update or delete an API of an Azure API Management service
version_added: 0.1.0
description:
  - Makes a plain HTTP API exist in an API Management service with the given URL suffix, protocols,
    backend URL and subscription requirement, or removes it (with all its revisions).
  - This is the shape the platform uses for each MCP server (C(/mcp/<server>), no subscription key);
    the preview C(mcp) API type is deliberately not offered.
options:
  name:
    description: Identifier of the API inside the service (letters, digits, C(-), C(_), C(.)).
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
  display_name:
    description: Name shown in the portal; defaults to O(name).
    type: str
  description:
    description: Free-text description of the API.
    type: str
  path:
    description:
      - URL suffix of the API after the gateway URL, for example V(mcp/mongodb). Leading and
        trailing slashes are dropped, as the service does. Required with O(state=present).
    type: str
  protocols:
    description: Protocols the gateway accepts for this API.
    type: list
    elements: str
    choices: [http, https, ws, wss]
    default: [https]
  service_url:
    description: Default backend URL; policies may route elsewhere (C(set-backend-service)).
    type: str
  subscription_required:
    description:
      - Whether callers must send an APIM subscription key.
      - The platform authenticates callers with OAuth tokens instead.
    type: bool
    default: false
  api_type:
    description: Kind of API. Only plain V(http) APIs are managed by this module.
    type: str
    choices: [http]
    default: http
  state:
    description: V(present) to create or update the API, V(absent) to delete it and its revisions.
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
- name: The API in front of the MongoDB MCP server
  mcp_platform.azure.apim_api:
    name: mcp-mongodb
    service_name: apim-mcp-platform
    resource_group: rg-mcp-platform
    display_name: MCP mongodb
    path: mcp/mongodb
    protocols: [https]
    service_url: http://10.20.1.4:3001
    subscription_required: false
"""

RETURN = r"""
resource:
  description: The API as Azure returns it (REST wire names); null when absent.
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
  description: Always false; the module waits for the service to finish.
  returned: always
  type: bool
"""

import re

from ansible_collections.mcp_platform.azure.plugins.module_utils._apim import apim_operations, run_apim_module
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource

API_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    service_name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    display_name=dict(type="str"),
    description=dict(type="str"),
    path=dict(type="str"),
    protocols=dict(type="list", elements="str", choices=["http", "https", "ws", "wss"], default=["https"]),
    service_url=dict(type="str"),
    subscription_required=dict(type="bool", default=False),
    api_type=dict(type="str", choices=["http"], default="http"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)

RESOURCE = ArmResource(
    sdk=apim_operations("api"),
    path=("resource_group", "service_name", "name"),
    # The API delete takes If-Match; "*" deletes whatever the current version is, with its revisions.
    extra_args={"delete": lambda p: ("*",)},
    extra_kwargs={"delete": lambda p: {"delete_revisions": True}},
    normalise={
        "properties.protocols": "unordered",
        "properties.path": lambda v: v.strip("/") if isinstance(v, str) else v,
    },
    kind="API Management API",
)


def validate(params):
    problems = []
    if not API_ID.match(params["name"]):
        problems.append("name: 1-80 letters, digits, '.', '-' or '_', starting with a letter or digit")
    url = params.get("service_url")
    if url is not None and not re.match(r"^(https?|wss?)://[^/]", url):
        problems.append("service_url: must be an absolute http(s):// or ws(s):// URL, got %s" % url)
    if not params["protocols"]:
        problems.append("protocols: at least one protocol is needed")
    if len(params["path"]) > 400:
        problems.append("path: at most 400 characters")
    return problems


def desired_body(params):
    return {
        "properties": {
            "displayName": params.get("display_name") or params["name"],
            "description": params.get("description"),
            "path": params["path"].strip("/"),
            "protocols": sorted(set(params["protocols"])),
            "serviceUrl": params.get("service_url"),
            "subscriptionRequired": params["subscription_required"],
            "type": params["api_type"],
        }
    }


def main():
    run_apim_module(
        ARGUMENT_SPEC, desired_body, RESOURCE, validate=validate, required_if=[("state", "present", ["path"])]
    )


if __name__ == "__main__":
    main()
