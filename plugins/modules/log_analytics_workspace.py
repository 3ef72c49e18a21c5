#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: log_analytics_workspace
short_description: Create, update or delete an Azure Log Analytics workspace
version_added: 0.1.0
description:
  - Makes a Log Analytics workspace (C(Microsoft.OperationalInsights/workspaces)) exist with the
    given SKU, retention, daily cap and network access, or removes it.
  - Returns the workspace id (C(customerId)) that agents and container groups send logs to. The
    shared keys are not returned.
options:
  name:
    description: Name of the workspace (4 to 63 letters, digits and hyphens).
    type: str
    required: true
  resource_group:
    description: Resource group of the workspace.
    type: str
    required: true
  location:
    description:
      - Azure region. Required to create the workspace.
      - A workspace cannot move; a different location is refused.
    type: str
  sku:
    description: Pricing tier.
    type: str
    choices: [PerGB2018, Free, Standard, Premium, PerNode, Standalone, CapacityReservation, LACluster]
    default: PerGB2018
  retention_in_days:
    description: Days data is kept (30 to 730; the V(Free) SKU keeps 7 days whatever is set here).
    type: int
  daily_quota_gb:
    description: Daily ingestion cap in GB; V(-1) means no cap.
    type: float
  public_network_access_for_ingestion:
    description: Whether data can be sent from public networks.
    type: str
    choices: [Enabled, Disabled]
  public_network_access_for_query:
    description: Whether the workspace can be queried from public networks.
    type: str
    choices: [Enabled, Disabled]
  disable_local_auth:
    description: V(true) accepts only Entra ID authentication for ingestion (no shared keys).
    type: bool
  force_delete:
    description:
      - With O(state=absent), delete the workspace at once instead of leaving it soft-deleted (recoverable) for 14 days.
    type: bool
    default: false
  state:
    description: V(present) to create or update the workspace, V(absent) to delete it.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Wait for create, update and delete to finish. With V(false), the result has RV(in_progress=true).
    type: bool
    default: true
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.tags
  - mcp_platform.azure.attributes
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Workspace for the platform's logs
  mcp_platform.azure.log_analytics_workspace:
    name: log-mcp-platform
    resource_group: rg-mcp-platform
    location: westeurope
    retention_in_days: 90
  register: workspace
"""

RETURN = r"""
resource:
  description: The workspace as Azure returns it (REST wire names); null when absent.
  returned: always
  type: dict
id:
  description: Resource id of the workspace; null when absent.
  returned: always
  type: str
customer_id:
  description: The workspace id (GUID) that log senders use; null when absent or not created yet.
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
  description: True when O(wait=false) left a long-running operation running in Azure.
  returned: always
  type: bool
"""


from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    ArmResource,
    ModuleError,
    run_resource_module,
)

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    location=dict(type="str"),
    sku=dict(
        type="str",
        default="PerGB2018",
        choices=[
            "PerGB2018",
            "Free",
            "Standard",
            "Premium",
            "PerNode",
            "Standalone",
            "CapacityReservation",
            "LACluster",
        ],
    ),
    retention_in_days=dict(type="int"),
    daily_quota_gb=dict(type="float"),
    public_network_access_for_ingestion=dict(type="str", choices=["Enabled", "Disabled"]),
    public_network_access_for_query=dict(type="str", choices=["Enabled", "Disabled"]),
    disable_local_auth=dict(type="bool"),
    force_delete=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)


def check_params(params):
    """Rules the service would reject, checked before any call (message names the option)."""
    retention = params.get("retention_in_days")
    if retention is not None and not 30 <= retention <= 730:
        raise ModuleError("retention_in_days: must be from 30 to 730; got %d" % retention)
    quota = params.get("daily_quota_gb")
    if quota is not None and quota != -1 and quota <= 0:
        raise ModuleError("daily_quota_gb: must be positive, or -1 for no cap; got %s" % quota)


RESOURCE = ArmResource(
    sdk=("azure.mgmt.loganalytics", "LogAnalyticsManagementClient", "workspaces"),
    path=("resource_group", "name"),
    # force=True skips the 14-day soft-delete; the SDK takes it as a keyword.
    extra_kwargs={"delete": lambda p: {"force": p["force_delete"]} if p["force_delete"] else {}},
    tags=True,
    # The service answers "pergb2018" for some older workspaces.
    normalise={"properties.sku.name": "lower"},
    recreate_on=("location",),
    kind="Log Analytics workspace",
    validate=check_params,
)


def customer_id(arm, result):
    return {"customer_id": ((result["resource"] or {}).get("properties") or {}).get("customerId")}


def desired_body(params):
    check_params(params)
    quota = params["daily_quota_gb"]
    features = None
    if params["disable_local_auth"] is not None:
        features = {"disableLocalAuth": params["disable_local_auth"]}
    return {
        "location": params["location"],
        "properties": {
            "sku": {"name": params["sku"]},
            "retentionInDays": params["retention_in_days"],
            "workspaceCapping": {"dailyQuotaGb": float(quota)} if quota is not None else None,
            "publicNetworkAccessForIngestion": params["public_network_access_for_ingestion"],
            "publicNetworkAccessForQuery": params["public_network_access_for_query"],
            "features": features,
        },
    }


def main():
    run_resource_module(
        ARGUMENT_SPEC,
        desired_body,
        RESOURCE,
        finish=customer_id,
        required_if=[("state", "present", ["location"])],
    )


if __name__ == "__main__":
    main()
