#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: application_insights
short_description: Create, update or delete a workspace-based Application Insights component
version_added: 0.1.0
description:
  - Makes an Application Insights component (C(Microsoft.Insights/components), API version 2020-02-02)
    exist, storing its data in a Log Analytics workspace, or removes it.
  - The component's connection string (and the instrumentation key inside it) lets anyone send
    telemetry to it, so it is treated as a secret, as the platform design requires. It is never in
    RV(resource) or the diff. It is returned as RV(connection_string) only with
    O(return_connection_string=true), which the module accepts only on a task with C(no_log) enabled.
options:
  name:
    description: Name of the component.
    type: str
    required: true
  resource_group:
    description: Resource group of the component.
    type: str
    required: true
  location:
    description:
      - Azure region. Required to create the component.
      - A component cannot move; a different location is refused.
    type: str
  workspace_resource_id:
    description:
      - Resource id of the Log Analytics workspace that stores the telemetry. Required to create the component.
      - Classic (non-workspace) components are retired, so this module only makes workspace-based ones.
    type: str
  application_type:
    description: Type of application being monitored.
    type: str
    choices: [web, other]
    default: web
  kind:
    description: Kind of the component, as the portal shows it.
    type: str
    default: web
  retention_in_days:
    description: Days the data is kept.
    type: int
    choices: [30, 60, 90, 120, 180, 270, 365, 550, 730]
  sampling_percentage:
    description: Percentage of telemetry kept (above 0, at most 100).
    type: float
  disable_ip_masking:
    description: V(true) stores client IP addresses in full.
    type: bool
  disable_local_auth:
    description: V(true) accepts only Entra ID authenticated telemetry.
    type: bool
  public_network_access_for_ingestion:
    description: Whether telemetry can be sent from public networks.
    type: str
    choices: [Enabled, Disabled]
  public_network_access_for_query:
    description: Whether the component can be queried from public networks.
    type: str
    choices: [Enabled, Disabled]
  return_connection_string:
    description:
      - Return the connection string as RV(connection_string).
      - The task must enable C(no_log); otherwise the module fails before any call, so the secret
        cannot reach the output, logs or callbacks.
    type: bool
    default: false
  state:
    description: V(present) to create or update the component, V(absent) to delete it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.tags
  - mcp_platform.azure.attributes
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Application Insights for the gateway, stored in the platform workspace
  mcp_platform.azure.application_insights:
    name: appi-mcp-platform
    resource_group: rg-mcp-platform
    location: westeurope
    workspace_resource_id: "{{ workspace.id }}"
    return_connection_string: true
  register: insights
  no_log: true

- name: Keep the connection string in Key Vault
  mcp_platform.azure.key_vault_secret:
    vault_name: kv-mcp-platform
    resource_group: rg-mcp-platform
    name: appinsights-connection-string
    value: "{{ insights.connection_string }}"
"""

RETURN = r"""
resource:
  description:
    - The component as Azure returns it (REST wire names); null when absent.
    - C(properties.ConnectionString) and C(properties.InstrumentationKey) are replaced by
      C(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER).
  returned: always
  type: dict
id:
  description: Resource id of the component; null when absent.
  returned: always
  type: str
app_id:
  description: Application id of the component (used by the query API); null when absent.
  returned: always
  type: str
connection_string:
  description: The connection string (a secret).
  returned: when O(return_connection_string=true) and the component exists (not in check mode before creation)
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
  description: Always false; component operations complete synchronously.
  returned: always
  type: bool
"""


from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    ArmModule,
    ArmResource,
    ModuleError,
    ResourceEngine,
    report_failures,
)

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    location=dict(type="str"),
    workspace_resource_id=dict(type="str"),
    application_type=dict(type="str", choices=["web", "other"], default="web"),
    kind=dict(type="str", default="web"),
    retention_in_days=dict(type="int", choices=[30, 60, 90, 120, 180, 270, 365, 550, 730]),
    sampling_percentage=dict(type="float"),
    disable_ip_masking=dict(type="bool"),
    disable_local_auth=dict(type="bool"),
    public_network_access_for_ingestion=dict(type="str", choices=["Enabled", "Disabled"]),
    public_network_access_for_query=dict(type="str", choices=["Enabled", "Disabled"]),
    return_connection_string=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)

# Read-only secrets of the component: never compared, masked in `resource` and the diff.
SECRET_PATHS = ("properties.ConnectionString", "properties.InstrumentationKey")

RESOURCE = ArmResource(
    sdk=("azure.mgmt.applicationinsights", "ApplicationInsightsManagementClient", "components"),
    path=("resource_group", "name"),
    create="create_or_update",
    delete="delete",
    tags=True,
    write_only=SECRET_PATHS,
    normalise={"kind": "lower", "properties.Application_Type": "lower", "properties.IngestionMode": "lower"},
    recreate_on=("location",),
    kind="Application Insights component",
)


def check_params(params, task_no_log):
    """Rules checked before any call; messages name the option."""
    if params["return_connection_string"] and not task_no_log:
        raise ModuleError(
            "return_connection_string: the connection string is a secret; set no_log: true on this task to return it"
        )
    if params["state"] != "present":
        return
    if not params["workspace_resource_id"]:
        raise ModuleError("workspace_resource_id: required with state=present (only workspace-based components)")
    if "/providers/microsoft.operationalinsights/workspaces/" not in params["workspace_resource_id"].lower():
        raise ModuleError(
            "workspace_resource_id: %r is not a Log Analytics workspace id "
            "(/subscriptions/.../providers/Microsoft.OperationalInsights/workspaces/<name>)"
            % params["workspace_resource_id"]
        )
    sampling = params["sampling_percentage"]
    if sampling is not None and not 0 < sampling <= 100:
        raise ModuleError("sampling_percentage: must be above 0 and at most 100; got %s" % sampling)


def desired_body(params):
    sampling = params["sampling_percentage"]
    return {
        "location": params["location"],
        "kind": params["kind"],
        "properties": {
            # Wire names of this API version are PascalCase with underscores, as the service defines them.
            "Application_Type": params["application_type"],
            "WorkspaceResourceId": params["workspace_resource_id"],
            "IngestionMode": "LogAnalytics",
            "RetentionInDays": params["retention_in_days"],
            "SamplingPercentage": float(sampling) if sampling is not None else None,
            "DisableIpMasking": params["disable_ip_masking"],
            "DisableLocalAuth": params["disable_local_auth"],
            "publicNetworkAccessForIngestion": params["public_network_access_for_ingestion"],
            "publicNetworkAccessForQuery": params["public_network_access_for_query"],
        },
    }


class ComponentEngine(ResourceEngine):
    """The engine, remembering the component as Azure last returned it, before any masking.

    The connection string is then taken from the read (or the write's answer) already made, not
    from a second GET of the same component.
    """

    unmasked = None

    def current(self):
        self.unmasked = super(ComponentEngine, self).current()
        return self.unmasked

    def _call(self, operation, body=None, wait=True):
        answer, in_progress = super(ComponentEngine, self)._call(operation, body=body, wait=wait)
        if operation != "delete" and isinstance(answer, dict):
            self.unmasked = answer
        return answer, in_progress

    def connection_string(self):
        return ((self.unmasked or {}).get("properties") or {}).get("ConnectionString")


def main():
    arm = ArmModule(ARGUMENT_SPEC, tags=True, required_if=[("state", "present", ["location"])])

    def work():
        check_params(arm.params, arm.module.no_log)
        engine = ComponentEngine(arm, RESOURCE, desired_body)
        result = engine.run()
        wanted = arm.params["return_connection_string"] and arm.params["state"] == "present"
        if wanted and not (arm.check_mode and result["operation"] == "create"):
            result["connection_string"] = engine.connection_string()
        return result

    result = report_failures(arm, RESOURCE.kind, work)
    result["app_id"] = ((result["resource"] or {}).get("properties") or {}).get("AppId")
    arm.exit(**result)


if __name__ == "__main__":
    main()
