# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Azure Container Instances container groups: which changes Azure can make in place.

ACI updates a container group by a PUT of the whole group, restarting its containers, but refuses
(``InvalidContainerGroupUpdate``) when the OS type, restart policy, network profile (subnets, IP
address type) or any container's CPU, memory or GPU resources differ: those need the group deleted
and created again. Adding or removing a container changes the group's resources too. The engine
compares lists as a whole (``properties.containers`` changed), which is not precise enough to tell
an image update from a CPU change, so ``recreate_reasons`` looks inside, container by container.

Container logs go to a Log Analytics workspace named by its resource id. ACI needs the workspace's
customer id and one of its shared keys in the PUT, and never returns the key (nor the resource id),
so the key is read from the workspace only when the group is about to be written: a run that changes
nothing reads the container group and nothing else.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

from ansible_collections.mcp_platform.azure.plugins.module_utils._clients import Sdk
from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import differences
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmError, ModuleError, ResourceEngine

# Group-level properties Azure cannot change in place (docs: "Properties that require container delete").
GROUP_PATHS = (
    ("location",),
    ("properties", "osType"),
    ("properties", "restartPolicy"),
    ("properties", "subnetIds"),
    ("properties", "ipAddress", "type"),
)


WORKSPACES = Sdk("azure.mgmt.loganalytics", "LogAnalyticsManagementClient", "workspaces")
SHARED_KEYS = Sdk("azure.mgmt.loganalytics", "LogAnalyticsManagementClient", "shared_keys")
WORKSPACE_ID_PATTERN = re.compile(
    r"^/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)"
    r"/providers/Microsoft\.OperationalInsights/workspaces/(?P<name>[^/]+)/?$",
    re.IGNORECASE,
)


def parse_workspace_resource_id(resource_id):
    """(subscription, resource group, name) of a Log Analytics workspace resource id, or None."""
    found = WORKSPACE_ID_PATTERN.match(resource_id or "")
    return (found.group("subscription"), found.group("group"), found.group("name")) if found else None


def with_workspace_connection(body, customer_id, shared_key):
    """The body to PUT: its Log Analytics diagnostics completed with the customer id and the shared key."""
    body = copy.deepcopy(body)
    log_analytics = body["properties"]["diagnostics"]["logAnalytics"]
    log_analytics.setdefault("workspaceId", customer_id)
    log_analytics["workspaceKey"] = shared_key
    return body


def _at(body, keys):
    node = body
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _subnet_ids(value):
    return sorted((s.get("id") or "").rstrip("/").lower() for s in value or [] if isinstance(s, dict))


def _containers(body):
    return dict((c.get("name"), c) for c in _at(body, ("properties", "containers")) or [] if isinstance(c, dict))


def recreate_reasons(desired, current):
    """Paths (naming the container) whose change Azure cannot apply in place; both bodies normalised."""
    reasons = []
    for keys in GROUP_PATHS:
        want = _at(desired, keys)
        if want is None:
            continue
        have = _at(current, keys)
        if keys[-1] == "subnetIds":
            if _subnet_ids(want) != _subnet_ids(have):
                reasons.append("properties.subnetIds")
        elif have is None or differences(want, have):
            reasons.append(".".join(keys))
    wanted, existing = _containers(desired), _containers(current)
    added = sorted(set(wanted) - set(existing))
    removed = sorted(set(existing) - set(wanted))
    if added:
        reasons.append("properties.containers (added: %s)" % ", ".join(added))
    if removed:
        reasons.append("properties.containers (removed: %s)" % ", ".join(removed))
    for name in sorted(set(wanted) & set(existing)):
        want = _at(wanted[name], ("properties", "resources"))
        have = _at(existing[name], ("properties", "resources"))
        if want is not None and (have is None or differences(want, have)):
            reasons.append("properties.containers[name=%s].properties.resources" % name)
    return reasons


class ContainerGroupEngine(ResourceEngine):
    """The engine, with ACI's in-place rules deciding between an update and a recreation, and the
    Log Analytics shared key read only for a write."""

    def __init__(self, arm, resource, desired_body):
        super(ContainerGroupEngine, self).__init__(arm, resource, desired_body)
        self._workspace_connection = None

    def workspace_connection(self):
        """(customer id, primary shared key) of the workspace of ``log_analytics``, read once per run.

        The customer id is read from the workspace only when ``log_analytics.workspace_id`` is not given.
        """
        if self._workspace_connection is not None:
            return self._workspace_connection
        option = self.params["log_analytics"]
        subscription, group, name = parse_workspace_resource_id(option["workspace_resource_id"])
        if subscription.lower() != str(self.arm.auth.subscription_id).lower():
            raise ModuleError(
                "log_analytics.workspace_resource_id: the workspace must be in subscription %s, the one the "
                "container group is deployed with; got %s" % (self.arm.auth.subscription_id, subscription)
            )
        try:
            customer_id = option["workspace_id"]
            if not customer_id:
                workspace = self.arm.call(self.arm.operations(WORKSPACES).get, group, name)
                customer_id = ((workspace or {}).get("properties") or {}).get("customerId")
            keys = self.arm.call(self.arm.operations(SHARED_KEYS).get_shared_keys, group, name) or {}
        except ArmError as error:
            raise ModuleError(
                "log_analytics.workspace_resource_id: cannot read the customer id and shared key of workspace %s "
                "(%s)" % (option["workspace_resource_id"], error.message)
            ) from error
        shared_key = keys.get("primarySharedKey")
        if not customer_id or not shared_key:
            raise ModuleError(
                "log_analytics.workspace_resource_id: workspace %s returned no customer id or shared key"
                % option["workspace_resource_id"]
            )
        # Never printed, whatever a later error or callback does with the value.
        self.arm.module.no_log_values.add(shared_key)
        self._workspace_connection = (customer_id, shared_key)
        return self._workspace_connection

    def _call(self, operation, body=None, wait=True):
        # Every write of a present group (the delete of a recreation too, so a key that cannot be read
        # stops the run before the group is gone) first reads the workspace key.
        if self.params.get("log_analytics") and self.params.get("state", "present") == "present":
            customer_id, shared_key = self.workspace_connection()
            if body is not None:
                body = with_workspace_connection(body, customer_id, shared_key)
        return super(ContainerGroupEngine, self)._call(operation, body=body, wait=wait)

    def _update(self, current, desired, write_only):
        reasons = recreate_reasons(self._comparable(desired), self._comparable(current))
        if reasons:
            if not self.params.get("recreate"):
                raise ModuleError(
                    "changing %s requires recreating the %s (Azure Container Instances cannot change it in place); "
                    "set recreate=true to delete and create it again" % (", ".join(reasons), self.resource.kind)
                )
            # Any reported difference then means delete + create: the whole group is rebuilt anyway.
            self.resource = copy.copy(self.resource)
            self.resource.recreate_on = ("location", "properties", "identity", "zones", "tags")
        return super(ContainerGroupEngine, self)._update(current, desired, write_only)
