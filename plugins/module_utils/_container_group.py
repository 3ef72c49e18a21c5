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
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import differences
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ModuleError, ResourceEngine

# Group-level properties Azure cannot change in place (docs: "Properties that require container delete").
GROUP_PATHS = (
    ("location",),
    ("properties", "osType"),
    ("properties", "restartPolicy"),
    ("properties", "subnetIds"),
    ("properties", "ipAddress", "type"),
)


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
    """The engine, with ACI's in-place rules deciding between an update and a recreation."""

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
