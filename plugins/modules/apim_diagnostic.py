#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: apim_diagnostic
short_description: Configure Application Insights request logging of Azure API Management, without bodies
version_added: 0.1.0
description:
  - Makes the Application Insights diagnostic of an API Management service (or, with O(api_id), of
    one API) send request telemetry to a logger, or removes it.
  - Request and response B(bodies are never logged), at the gateway (frontend) or towards the backend;
    the body byte counts are always 0. Logging bodies makes the gateway buffer them, which breaks
    streamed (Server-Sent Events) MCP responses, and bodies may carry data the platform must not copy.
options:
  api_id:
    description: Identifier of an API; the diagnostic then applies to that API only. Unset for the whole service.
    type: str
  service_name:
    description: Name of the API Management service.
    type: str
    required: true
  resource_group:
    description: Resource group of the service.
    type: str
    required: true
  name:
    description: Identifier of the diagnostic; an Application Insights diagnostic is always V(applicationinsights).
    type: str
    choices: [applicationinsights]
    default: applicationinsights
  logger:
    description:
      - The logger to send to (M(mcp_platform.azure.apim_logger)), by name or by resource id.
        Required with O(state=present).
    type: str
  sampling_percentage:
    description: Percentage of requests sampled (fixed-rate sampling), 0 to 100.
    type: float
    default: 100
  always_log_errors:
    description: Log every failed request, whatever the sampling.
    type: bool
    default: true
  verbosity:
    description: Which traces emitted by C(trace) policies are sent.
    type: str
    choices: [verbose, information, error]
    default: information
  log_client_ip:
    description: Log the caller's IP address.
    type: bool
    default: true
  request_headers:
    description: Request headers logged, at the gateway and towards the backend. Do not list C(Authorization).
    type: list
    elements: str
    default: []
  response_headers:
    description: Response headers logged, at the gateway and from the backend.
    type: list
    elements: str
    default: []
  http_correlation_protocol:
    description: Correlation headers the gateway reads and injects; V(W3C) is Trace Context.
    type: str
    choices: ["None", Legacy, W3C]
    default: W3C
  operation_name_format:
    description: How operations are named in Application Insights; unset leaves the service's default (V(Name)).
    type: str
    choices: [Name, Url]
  metrics:
    description: Emit custom metrics through C(emit-metric) policies; unset leaves the service's default.
    type: bool
  state:
    description: V(present) to create or update the diagnostic, V(absent) to delete it.
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
- name: Log every request of the service, no bodies
  mcp_platform.azure.apim_diagnostic:
    service_name: apim-mcp-platform
    resource_group: rg-mcp-platform
    logger: appinsights
    sampling_percentage: 100
    request_headers: [mcp-session-id, mcp-protocol-version]
    response_headers: [mcp-session-id]

- name: The same for one API only
  mcp_platform.azure.apim_diagnostic:
    api_id: mcp-mongodb
    service_name: apim-mcp-platform
    resource_group: rg-mcp-platform
    logger: appinsights
"""

RETURN = r"""
resource:
  description: The diagnostic as Azure returns it (REST wire names); null when absent.
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

from ansible_collections.mcp_platform.azure.plugins.module_utils._apim import (
    apim_operations,
    run_engine,
    service_id,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmModule, ArmResource

ARGUMENT_SPEC = dict(
    api_id=dict(type="str"),
    service_name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    name=dict(type="str", choices=["applicationinsights"], default="applicationinsights"),
    logger=dict(type="str"),
    sampling_percentage=dict(type="float", default=100),
    always_log_errors=dict(type="bool", default=True),
    verbosity=dict(type="str", choices=["verbose", "information", "error"], default="information"),
    log_client_ip=dict(type="bool", default=True),
    request_headers=dict(type="list", elements="str", default=[]),
    response_headers=dict(type="list", elements="str", default=[]),
    http_correlation_protocol=dict(type="str", choices=["None", "Legacy", "W3C"], default="W3C"),
    operation_name_format=dict(type="str", choices=["Name", "Url"]),
    metrics=dict(type="bool"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)

HEADER_PATHS = [
    "properties.%s.%s.headers" % (side, direction)
    for side in ("frontend", "backend")
    for direction in ("request", "response")
]


def diagnostic_resource(params):
    """Service scope or API scope: two SDK operation groups with the same shape."""
    if params.get("api_id"):
        sdk, kind = apim_operations("api_diagnostic"), "API Management API diagnostic"
        path = ("resource_group", "service_name", "api_id", "name")
    else:
        sdk, kind = apim_operations("diagnostic"), "API Management diagnostic"
        path = ("resource_group", "service_name", "name")
    normalise = dict((header_path, "unordered") for header_path in HEADER_PATHS)
    normalise.update(
        {
            "properties.verbosity": "lower",
            "properties.httpCorrelationProtocol": "lower",
            # alwaysLog is switched off by leaving it out of the PUT; make that absence comparable.
            "properties": _always_log_explicit,
        }
    )
    return ArmResource(
        sdk=sdk,
        path=path,
        extra_args={"delete": lambda p: ("*",)},
        normalise=normalise,
        kind=kind,
    )


def _always_log_explicit(properties):
    if not isinstance(properties, dict):
        return properties
    return dict(properties, alwaysLog=properties.get("alwaysLog") or "off")


def logger_id(params, subscription_id):
    """A logger name becomes the logger's resource id, the form the service stores and returns."""
    logger = params["logger"]
    if logger.startswith("/"):
        return logger
    return "%s/loggers/%s" % (service_id(subscription_id, params["resource_group"], params["service_name"]), logger)


def validate(params):
    problems = []
    if not params.get("logger"):
        problems.append("logger: required with state=present")
    elif params["logger"].startswith("/") and "/loggers/" not in params["logger"].lower():
        problems.append("logger: a logger name, or a resource id ending in /loggers/<name>")
    if not 0 <= params["sampling_percentage"] <= 100:
        problems.append("sampling_percentage: between 0 and 100, got %s" % params["sampling_percentage"])
    for option in ("request_headers", "response_headers"):
        if any(not header.strip() or ":" in header for header in params[option]):
            problems.append("%s: header names only, without ':' or empty names" % option)
    if any(header.lower() == "authorization" for header in params["request_headers"]):
        problems.append("request_headers: Authorization carries the caller's token and must not be logged")
    return problems


def _no_body(headers):
    return {"headers": list(headers), "body": {"bytes": 0}}


def desired_body(params, subscription_id):
    pipeline = {"request": _no_body(params["request_headers"]), "response": _no_body(params["response_headers"])}
    return {
        "properties": {
            "loggerId": logger_id(params, subscription_id),
            "alwaysLog": "allErrors" if params["always_log_errors"] else None,
            "sampling": {"samplingType": "fixed", "percentage": float(params["sampling_percentage"])},
            "frontend": pipeline,
            "backend": pipeline,
            "logClientIp": params["log_client_ip"],
            "httpCorrelationProtocol": params["http_correlation_protocol"],
            "verbosity": params["verbosity"],
            "operationNameFormat": params.get("operation_name_format"),
            "metrics": params.get("metrics"),
        }
    }


def main():
    arm = ArmModule(ARGUMENT_SPEC)
    params = arm.params
    if params["state"] == "present":
        problems = validate(params)
        if problems:
            arm.fail("; ".join(problems))
    subscription_id = arm.auth.subscription_id
    result = run_engine(arm, diagnostic_resource(params), lambda p: desired_body(p, subscription_id))
    arm.exit(**result)


if __name__ == "__main__":
    main()
