#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: mongo_cluster_info
short_description: Read Azure Cosmos DB for MongoDB vCore clusters
version_added: 0.1.0
description:
  - Returns one vCore cluster by name, the clusters of a resource group, or every cluster of the subscription.
  - Each cluster comes with its connection string templates (C(<user>) and C(<password>) placeholders).
    Passwords are never returned.
  - With O(wait=true) and O(name), waits until the cluster has settled (for example after
    M(mcp_platform.azure.mongo_cluster) started it with O(mcp_platform.azure.mongo_cluster#module:wait=false)), up to
    O(wait_timeout) seconds.
requirements:
  - azure-mgmt-mongocluster >= 1.0.0
options:
  name:
    description: Name of the cluster. Needs O(resource_group).
    type: str
  resource_group:
    description: Resource group to look in; the whole subscription when not set.
    type: str
  connection_strings:
    description:
      - Also read each cluster's connection string templates (the read-only C(listConnectionStrings) action).
    type: bool
    default: true
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.wait
  - mcp_platform.azure.attributes.INFO
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Is the platform's cluster private?
  mcp_platform.azure.mongo_cluster_info:
    name: mcp-platform-docs
    resource_group: rg-mcp-platform
  register: found

- name: Fail when it is reachable from the internet
  ansible.builtin.assert:
    that: found.resources[0].properties.publicNetworkAccess == 'Disabled'

- name: Wait for the cluster started earlier with wait=false
  mcp_platform.azure.mongo_cluster_info:
    name: mcp-platform-docs
    resource_group: rg-mcp-platform
    connection_strings: false
    wait: true
    wait_timeout: 1800
"""

RETURN = r"""
resources:
  description:
    - The clusters found (REST wire names); empty when the named cluster does not exist.
    - C(properties.connectionString) is the template; C(properties.administrator.password) never appears.
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/0000/resourceGroups/rg-mcp/providers/Microsoft.DocumentDB/mongoClusters/mcp-platform-docs
      name: mcp-platform-docs
      properties:
        publicNetworkAccess: Disabled
        connectionString: mongodb+srv://<user>:<password>@mcp-platform-docs.global.mongocluster.cosmos.azure.com/?tls=true
      connection_strings:
        - name: GlobalReadWrite
          description: default connection string
          connectionString: mongodb+srv://<user>:<password>@mcp-platform-docs.global.mongocluster.cosmos.azure.com/?tls=true
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import mask
from ansible_collections.mcp_platform.azure.plugins.module_utils._mongo_cluster import (
    SDK,
    connection_string_template,
    connection_strings,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    LOOKUP_REQUIRED_BY,
    ArmError,
    ArmModule,
    ArmResource,
    ModuleError,
    lookup_argument_spec,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._wait import WAIT_ARGUMENT_SPEC, find_or_wait

ARGUMENT_SPEC = lookup_argument_spec(
    connection_strings=dict(type="bool", default=True),
    **WAIT_ARGUMENT_SPEC,
)

RESOURCE = ArmResource(
    sdk=SDK,
    path=("resource_group", "name"),
    write_only=("properties.administrator.password",),
    list_calls={("resource_group",): "list_by_resource_group", (): "list"},
    kind="vCore cluster",
)


def _resource_group_of(resource_id):
    parts = (resource_id or "").split("/")
    lowered = [p.lower() for p in parts]
    return parts[lowered.index("resourcegroups") + 1] if "resourcegroups" in lowered else None


def main():
    arm = ArmModule(ARGUMENT_SPEC, required_by=LOOKUP_REQUIRED_BY)
    found = []
    listed = find_or_wait(arm, RESOURCE)
    try:
        for item in listed:
            item = mask(item, RESOURCE.write_only)
            properties = item.get("properties") or {}
            if properties.get("connectionString"):
                properties["connectionString"] = connection_string_template(properties["connectionString"])
            if arm.params["connection_strings"]:
                item["connection_strings"] = connection_strings(
                    arm, arm.operations(SDK), _resource_group_of(item.get("id")), item.get("name")
                )
            found.append(item)
    except ModuleError as exc:
        arm.fail(str(exc))
    except ArmError as error:
        arm.fail_arm(error, "read the %s" % RESOURCE.kind)
    arm.exit(changed=False, resources=found)


if __name__ == "__main__":
    main()
