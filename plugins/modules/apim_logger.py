#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: apim_logger
short_description: Create, update or delete an Application Insights logger of Azure API Management
version_added: 0.1.0
description:
  - Makes an Application Insights logger exist in an API Management service, or removes it. A
    diagnostic (M(mcp_platform.azure.apim_diagnostic)) then sends request telemetry to it.
  - The logger authenticates with the Application Insights B(connection string) (not the deprecated
    instrumentation key). The service stores it in a named value of its own and answers only a
    reference to it, so the connection string is write-only; it is sent when the logger is created,
    B(never compared), and sent again only with O(update_credentials=always) (or when another field
    changes).
options:
  name:
    description: Identifier of the logger inside the service (letters, digits, C(-), C(_), C(.)).
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
  logger_type:
    description: Destination kind. Only Application Insights is managed by this module.
    type: str
    choices: [applicationInsights]
    default: applicationInsights
  connection_string:
    description:
      - Connection string of the Application Insights component
        (M(mcp_platform.azure.application_insights) returns it). Required with O(state=present). Hidden from output.
    type: str
  resource_id:
    description: Resource id of the Application Insights component, so the portal can link to it.
    type: str
  description:
    description: Free-text description (at most 256 characters).
    type: str
  is_buffered:
    description: Whether the gateway buffers records before sending them.
    type: bool
  update_credentials:
    description:
      - V(on_create) sends O(connection_string) only when the logger is created (and with any other
        update); V(always) sends it on every run, which always reports a change. Use V(always) once
        to switch the logger to a new component's connection string.
    type: str
    choices: [on_create, always]
    default: on_create
  state:
    description: V(present) to create or update the logger, V(absent) to delete it.
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
- name: Send gateway telemetry to Application Insights
  mcp_platform.azure.apim_logger:
    name: appinsights
    service_name: apim-mcp-platform
    resource_group: rg-mcp-platform
    connection_string: "{{ app_insights.connection_string }}"
    resource_id: "{{ app_insights.id }}"
"""

RETURN = r"""
resource:
  description: The logger as Azure returns it (REST wire names; credentials masked); null when absent.
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

LOGGER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    service_name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    logger_type=dict(type="str", choices=["applicationInsights"], default="applicationInsights"),
    connection_string=dict(type="str", no_log=True),
    resource_id=dict(type="str"),
    description=dict(type="str"),
    is_buffered=dict(type="bool"),
    update_credentials=dict(type="str", choices=["on_create", "always"], default="on_create"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)

RESOURCE = ArmResource(
    sdk=apim_operations("logger"),
    path=("resource_group", "service_name", "name"),
    extra_args={"delete": lambda p: ("*",)},
    write_only=("properties.credentials.connectionString",),
    write_only_update_option="update_credentials",
    normalise={"properties.loggerType": "lower"},
    kind="API Management logger",
)


def validate(params):
    problems = []
    if not LOGGER_ID.match(params["name"]):
        problems.append("name: 1-80 letters, digits, '.', '-' or '_', starting with a letter or digit")
    if "instrumentationkey=" not in params["connection_string"].lower():
        problems.append(
            "connection_string: an Application Insights connection string "
            "(InstrumentationKey=...;IngestionEndpoint=...)"
        )
    if params.get("description") and len(params["description"]) > 256:
        problems.append("description: at most 256 characters")
    resource_id = params.get("resource_id")
    if resource_id and "/providers/microsoft.insights/components/" not in resource_id.lower():
        problems.append(
            "resource_id: must be the id of an Application Insights component (Microsoft.Insights/components)"
        )
    return problems


def desired_body(params):
    return {
        "properties": {
            "loggerType": params["logger_type"],
            "description": params.get("description"),
            "credentials": {"connectionString": params["connection_string"]},
            "isBuffered": params.get("is_buffered"),
            "resourceId": params.get("resource_id"),
        }
    }


def main():
    run_apim_module(
        ARGUMENT_SPEC,
        desired_body,
        RESOURCE,
        validate=validate,
        required_if=[("state", "present", ["connection_string"])],
    )


if __name__ == "__main__":
    main()
