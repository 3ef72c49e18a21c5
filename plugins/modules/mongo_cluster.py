#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: mongo_cluster
short_description: Create, update or delete an Azure Cosmos DB for MongoDB vCore cluster
version_added: 0.1.0
description:
  - Makes a vCore cluster (C(Microsoft.DocumentDB/mongoClusters), API version 2026-06-01) exist with the
    given compute tier, storage, high availability, shard count, server version, public network access and
    administrator, or deletes it.
  - The administrator password is write-only. Azure never returns it, so it is compared through a salted
    fingerprint kept in the tag C(mcp-platform-fingerprint); passing the same password again changes
    nothing and sends nothing; a different password is sent once.
  - Returns the connection string template (with C(<user>) and C(<password>) placeholders), never the password.
  - Deleting the cluster destroys its data, so O(state=absent) and recreation require O(allow_data_loss=true).
requirements:
  - azure-mgmt-mongocluster >= 1.0.0
options:
  name:
    description: Name of the cluster (globally unique, it becomes part of the host name).
    type: str
    required: true
  resource_group:
    description: Resource group of the cluster.
    type: str
    required: true
  location:
    description:
      - Azure region. Required with O(state=present).
      - A cluster cannot move; a different location needs O(recreate=true) and O(allow_data_loss=true).
    type: str
  compute_tier:
    description: Compute tier of each shard, for example V(M30). Can change in place.
    type: str
  storage_size_gb:
    description: Data disk size of each shard in GiB (at least 32). Azure can only grow it.
    type: int
  storage_type:
    description: Disk type.
    type: str
    choices: [PremiumSSD, PremiumSSDv2]
  high_availability:
    description:
      - High availability target mode.
      - Where a region has no availability zones Azure settles V(ZoneRedundantPreferred) as V(SameZone);
        the two are therefore treated as equal and never reported as a change.
    type: str
    choices: [Disabled, SameZone, ZoneRedundantPreferred]
  shard_count:
    description: Number of shards (at least 1).
    type: int
  server_version:
    description: MongoDB server version, for example V(8.0). Azure picks the latest when not set on creation.
    type: str
  public_network_access:
    description: Whether the cluster is reachable through its public endpoint. Use V(Disabled) with a private endpoint.
    type: str
    choices: [Enabled, Disabled]
  administrator_user_name:
    description: User name of the native administrator. Required with O(administrator_password).
    type: str
  administrator_password:
    description:
      - Password of the native administrator (at least 8 characters). Required to create the cluster.
      - Write-only; compared by fingerprint, never returned, never shown in a diff.
    type: str
  allow_data_loss:
    description: Must be V(true) to delete the cluster or to recreate it; both destroy its data.
    type: bool
    default: false
  recreate:
    description:
      - Allow deleting and creating the cluster again when a property that cannot change in place differs
        (the location).
    type: bool
    default: false
  state:
    description: V(present) to create or update the cluster, V(absent) to delete it.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description:
      - Wait for creation, update or deletion to finish (creating a cluster takes several minutes).
      - With V(false) the task returns once Azure accepted the request, with RV(in_progress=true).
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
- name: A private vCore cluster for the MCP servers
  mcp_platform.azure.mongo_cluster:
    name: mcp-platform-docs
    resource_group: rg-mcp-platform
    location: westeurope
    compute_tier: M30
    storage_size_gb: 128
    high_availability: ZoneRedundantPreferred
    shard_count: 1
    server_version: "8.0"
    public_network_access: Disabled
    administrator_user_name: mcpadmin
    administrator_password: "{{ mongo_admin_password }}"
  register: cluster

- name: The connection string template, for building the real one
  ansible.builtin.debug:
    msg: "{{ cluster.connection_string }}"

- name: Start creating without waiting; another task can poll it later
  mcp_platform.azure.mongo_cluster:
    name: mcp-platform-docs
    resource_group: rg-mcp-platform
    location: westeurope
    compute_tier: M30
    storage_size_gb: 128
    administrator_user_name: mcpadmin
    administrator_password: "{{ mongo_admin_password }}"
    wait: false

- name: Delete it, data included
  mcp_platform.azure.mongo_cluster:
    name: mcp-platform-docs
    resource_group: rg-mcp-platform
    state: absent
    allow_data_loss: true
"""

RETURN = r"""
resource:
  description:
    - The cluster as Azure returns it (REST wire names); null when absent.
    - C(properties.administrator.password) is never included; C(properties.connectionString) is the template.
  returned: always
  type: dict
  sample:
    id: /subscriptions/0000/resourceGroups/rg-mcp/providers/Microsoft.DocumentDB/mongoClusters/mcp-platform-docs
    location: westeurope
    properties:
      compute: {tier: M30}
      storage: {sizeGb: 128}
      highAvailability: {targetMode: SameZone}
      publicNetworkAccess: Disabled
      administrator: {userName: mcpadmin}
connection_string:
  description: The cluster's connection string template with C(<user>) and C(<password>) placeholders; null when absent.
  returned: always
  type: str
  sample: mongodb+srv://<user>:<password>@mcp-platform-docs.global.mongocluster.cosmos.azure.com/?tls=true&authMechanism=SCRAM-SHA-256
id:
  description: Resource id; null when absent.
  returned: always
  type: str
operation:
  description: What was done, V(create), V(update), V(recreate), V(delete), or null when nothing was.
  returned: always
  type: str
changes:
  description: Paths of the REST body that differed from the desired state (a changed password shows as write-only).
  returned: always
  type: list
  elements: str
in_progress:
  description: True when O(wait=false) left a long-running operation running in Azure.
  returned: always
  type: bool
"""

import re

from ansible_collections.mcp_platform.azure.plugins.module_utils._mongo_cluster import (
    SDK,
    connection_string_template,
    connection_strings,
    default_connection_string,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    ArmModule,
    ArmResource,
    ResourceEngine,
    report_failures,
)

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    location=dict(type="str"),
    compute_tier=dict(type="str"),
    storage_size_gb=dict(type="int"),
    storage_type=dict(type="str", choices=["PremiumSSD", "PremiumSSDv2"]),
    high_availability=dict(type="str", choices=["Disabled", "SameZone", "ZoneRedundantPreferred"]),
    shard_count=dict(type="int"),
    server_version=dict(type="str"),
    public_network_access=dict(type="str", choices=["Enabled", "Disabled"]),
    administrator_user_name=dict(type="str"),
    administrator_password=dict(type="str", no_log=True),
    allow_data_loss=dict(type="bool", default=False),
    recreate=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)

MIN_STORAGE_GB = 32
MIN_PASSWORD_LENGTH = 8


def _high_availability(value):
    # Regions without availability zones settle ZoneRedundantPreferred as SameZone: both mean "HA on".
    if isinstance(value, str) and value.lower() in ("zoneredundantpreferred", "samezone"):
        return "samezone"
    return value.lower() if isinstance(value, str) else value


RESOURCE = ArmResource(
    sdk=SDK,
    path=("resource_group", "name"),
    tags=True,
    write_only=("properties.administrator.password",),
    normalise={
        "properties.highAvailability.targetMode": _high_availability,
        "properties.publicNetworkAccess": "lower",
        "properties.storage.type": "lower",
        "properties.compute.tier": "lower",
    },
    recreate_on=("location",),
    delete_guard="allow_data_loss",
    kind="vCore cluster",
)


def validate(params):
    """Rules Azure would otherwise enforce only after a long wait; each names the option."""
    problems = []
    if params["state"] == "present":
        if params["storage_size_gb"] is not None and params["storage_size_gb"] < MIN_STORAGE_GB:
            problems.append("storage_size_gb: must be at least %d (GiB)" % MIN_STORAGE_GB)
        if params["shard_count"] is not None and params["shard_count"] < 1:
            problems.append("shard_count: must be at least 1")
        password = params["administrator_password"]
        if password is not None and len(password) < MIN_PASSWORD_LENGTH:
            problems.append("administrator_password: must be at least %d characters long" % MIN_PASSWORD_LENGTH)
        version = params["server_version"]
        if version is not None and not re.match(r"^\d+(\.\d+)?$", version):
            problems.append("server_version: must look like 8.0 (major.minor)")
    return problems


def desired_body(params):
    administrator = None
    if params["administrator_user_name"] is not None:
        administrator = {"userName": params["administrator_user_name"], "password": params["administrator_password"]}
    storage = None
    if params["storage_size_gb"] is not None or params["storage_type"] is not None:
        storage = {"sizeGb": params["storage_size_gb"], "type": params["storage_type"]}
    return {
        "location": params["location"],
        "properties": {
            "administrator": administrator,
            "serverVersion": params["server_version"],
            "publicNetworkAccess": params["public_network_access"],
            "highAvailability": {"targetMode": params["high_availability"]} if params["high_availability"] else None,
            "storage": storage,
            "sharding": {"shardCount": params["shard_count"]} if params["shard_count"] is not None else None,
            "compute": {"tier": params["compute_tier"]} if params["compute_tier"] else None,
        },
    }


def _templated(body):
    """A copy of a cluster body whose connection string is only ever the placeholder template."""
    if not isinstance(body, dict) or not isinstance(body.get("properties"), dict):
        return body
    if "connectionString" not in body["properties"]:
        return body
    properties = dict(
        body["properties"], connectionString=connection_string_template(body["properties"]["connectionString"])
    )
    return dict(body, properties=properties)


def main():
    arm = ArmModule(
        ARGUMENT_SPEC,
        tags=True,
        required_if=[("state", "present", ["location"])],
        required_together=[("administrator_user_name", "administrator_password")],
    )
    problems = validate(arm.params)
    if problems:
        arm.fail("; ".join(problems))

    def work():
        result = ResourceEngine(arm, RESOURCE, desired_body).run()
        result["resource"] = _templated(result["resource"])
        if "diff" in result:
            result["diff"] = dict((k, _templated(v)) for k, v in result["diff"].items())
        resource = result["resource"]
        listed = None
        finished = resource and not result["in_progress"] and not arm.check_mode and result["operation"] != "delete"
        if finished and not (resource.get("properties") or {}).get("connectionString"):
            # Older answers may omit it: listConnectionStrings is a read-only POST that always has it.
            p = arm.params
            listed = connection_strings(arm, arm.operations(SDK), p["resource_group"], p["name"])
        result["connection_string"] = default_connection_string(resource, listed)
        return result

    arm.exit(**report_failures(arm, RESOURCE.kind, work))


if __name__ == "__main__":
    main()
