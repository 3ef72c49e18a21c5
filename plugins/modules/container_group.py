#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: container_group
short_description: Create, update or delete an Azure Container Instances container group
version_added: 0.1.0
description:
  - Makes a container group (C(Microsoft.ContainerInstance/containerGroups), API version 2023-05-01) exist with
    its containers (image, command, ports, environment, secure environment, CPU and memory, liveness and
    readiness probes), restart policy, OS type, IP address (private in a subnet, or public), user-assigned
    identity, image registry credentials and Log Analytics diagnostics; or deletes it.
  - What Azure can change in place (images, commands, environment, ports, probes, identity, registry
    credentials, diagnostics, tags) is updated with one PUT, which restarts the containers.
    What it cannot (OS type, restart policy, subnets, IP address type, a container's CPU or memory, adding or
    removing a container, location) fails naming the property, unless O(recreate=true), in which case the group is
    deleted and created again, and its IP address may change.
  - Secure environment values, registry passwords and the Log Analytics workspace resource id are write-only;
    Azure never returns them, so they are compared through a salted fingerprint kept in the tag
    C(mcp-platform-fingerprint), never re-sent when unchanged, never returned, never shown in a diff.
  - With O(log_analytics), the containers' logs go to a Log Analytics workspace. The module reads the workspace's
    shared key itself, only when the group is created or written (a run that changes nothing does not read it);
    the key is sent to Azure in that PUT and never returned or printed.
requirements:
  - azure-mgmt-containerinstance >= 10.0.0
  - azure-mgmt-loganalytics >= 12.0.0 (with O(log_analytics))
options:
  name:
    description: Name of the container group.
    type: str
    required: true
  resource_group:
    description: Resource group of the container group.
    type: str
    required: true
  location:
    description: Azure region. Required with O(state=present).
    type: str
  os_type:
    description: Operating system of the containers. Changing it needs O(recreate=true).
    type: str
    choices: [Linux, Windows]
    default: Linux
  restart_policy:
    description: When Azure restarts the containers. Changing it needs O(recreate=true).
    type: str
    choices: [Always, OnFailure, Never]
    default: Always
  containers:
    description: The containers of the group. Required with O(state=present).
    type: list
    elements: dict
    suboptions:
      name:
        description: Container name, unique in the group.
        type: str
        required: true
      image:
        description: Image reference, for example V(myregistry.azurecr.io/mongodb-mcp-server:3.0.4).
        type: str
        required: true
      command:
        description: Command to run instead of the image's entry point, in exec form.
        type: list
        elements: str
      cpu:
        description: CPU cores requested. Changing it needs O(recreate=true).
        type: float
        default: 1.0
      memory_in_gb:
        description: Memory requested, in GB. Changing it needs O(recreate=true).
        type: float
        default: 1.5
      ports:
        description: Ports the container exposes.
        type: list
        elements: dict
        suboptions:
          port:
            description: Port number.
            type: int
            required: true
          protocol:
            description: Protocol.
            type: str
            choices: [TCP, UDP]
            default: TCP
      environment_variables:
        description:
          - Environment variables. Each has exactly one of O(containers[].environment_variables[].value) or
            O(containers[].environment_variables[].secure_value).
        type: list
        elements: dict
        suboptions:
          name:
            description: Variable name.
            type: str
            required: true
          value:
            description: Plain value, returned by Azure and visible in the portal.
            type: str
          secure_value:
            description: Secret value. Write-only; compared by fingerprint, never returned.
            type: str
      liveness_probe:
        description: Probe whose failure restarts the container.
        type: dict
        suboptions: &probe
          http_get:
            description: Probe by HTTP GET. Exactly one of this and O(containers[].liveness_probe.exec_command).
            type: dict
            suboptions:
              path:
                description: Request path.
                type: str
              port:
                description: Port to probe.
                type: int
                required: true
              scheme:
                description: Scheme.
                type: str
                choices: [http, https]
          exec_command:
            description: Probe by running this command in the container (exit code 0 is healthy).
            type: list
            elements: str
          initial_delay_seconds:
            description: Seconds before the first probe.
            type: int
          period_seconds:
            description: Seconds between probes.
            type: int
          failure_threshold:
            description: Consecutive failures that count as unhealthy.
            type: int
          success_threshold:
            description: Consecutive successes that count as healthy.
            type: int
          timeout_seconds:
            description: Seconds before a probe times out.
            type: int
      readiness_probe:
        description: Probe that decides whether the container receives traffic.
        type: dict
        suboptions: *probe
  ip_address:
    description: How the group is reached. Not set means no IP address.
    type: dict
    suboptions:
      type:
        description: V(Private) (in O(subnet_ids)) or V(Public). Changing it needs O(recreate=true).
        type: str
        choices: [Private, Public]
        required: true
      ports:
        description:
          - Ports open on the group's IP address; each must be exposed by a container.
          - Not set means every port the containers expose.
        type: list
        elements: dict
        suboptions:
          port:
            description: Port number.
            type: int
            required: true
          protocol:
            description: Protocol.
            type: str
            choices: [TCP, UDP]
            default: TCP
      dns_name_label:
        description: DNS label of a public IP address.
        type: str
  subnet_ids:
    description:
      - Resource ids of the subnets (delegated to C(Microsoft.ContainerInstance/containerGroups)) for a private IP.
      - Changing them needs O(recreate=true).
    type: list
    elements: str
  user_assigned_identities:
    description:
      - Resource ids of user-assigned managed identities given to the group (for example to pull images from ACR).
    type: list
    elements: str
  image_registry_credentials:
    description: How to authenticate to private registries.
    type: list
    elements: dict
    suboptions:
      server:
        description: Registry login server without scheme, for example V(myregistry.azurecr.io).
        type: str
        required: true
      identity:
        description: Resource id of a user-assigned identity of O(user_assigned_identities) to pull with.
        type: str
      username:
        description: User name, with O(image_registry_credentials[].password), instead of an identity.
        type: str
      password:
        description: Registry password. Write-only; compared by fingerprint, never returned.
        type: str
  log_analytics:
    description:
      - Send the containers' logs to a Log Analytics workspace.
      - The identity running the module needs to read the workspace's shared keys
        (C(Microsoft.OperationalInsights/workspaces/sharedKeys/action), in Log Analytics Contributor) when the
        group is written.
      - Azure keeps the shared key the group was written with. After regenerating the workspace's primary key,
        change the group (or delete it and run again) so that it is written with the new key.
      - Not set leaves the group's diagnostics as they are.
    type: dict
    suboptions:
      workspace_resource_id:
        description:
          - Resource id of the workspace, in the subscription of the container group.
          - Azure never returns it, so it is compared by fingerprint.
        type: str
        required: true
      workspace_id:
        description:
          - The workspace's customer id (a GUID, the C(customer_id) that M(mcp_platform.azure.log_analytics_workspace)
            returns).
          - When given, it is compared with the group's, so a group still sending to a workspace deleted and
            created again under the same name is updated; when not given, it is read from the workspace when the
            group is written.
        type: str
      log_type:
        description: Log schema.
        type: str
        choices: [ContainerInsights, ContainerInstanceLogs]
  recreate:
    description: Allow deleting and creating the group again when a property that cannot change in place differs.
    type: bool
    default: false
  state:
    description: V(present) to create or update the group, V(absent) to delete it.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Wait for creation, update or deletion to finish. With V(false), the result has RV(in_progress=true).
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
- name: Admin and read-only tiers of the MCP server, private, pulling from ACR with an identity
  mcp_platform.azure.container_group:
    name: aci-mcp-mongodb
    resource_group: rg-mcp-platform
    location: westeurope
    subnet_ids: ["{{ aci_subnet_id }}"]
    ip_address:
      type: Private
    user_assigned_identities: ["{{ pull_identity_id }}"]
    image_registry_credentials:
      - server: mcpplatformacr.azurecr.io
        identity: "{{ pull_identity_id }}"
    log_analytics:
      workspace_resource_id: "{{ workspace.id }}"
      workspace_id: "{{ workspace.customer_id }}"
      log_type: ContainerInstanceLogs
    containers:
      - name: admin
        image: mcpplatformacr.azurecr.io/mongodb-mcp-server:3.0.4
        cpu: 1
        memory_in_gb: 1.5
        ports: [{port: 3000}]
        environment_variables:
          - {name: MDB_MCP_HTTP_HOST, value: 0.0.0.0}
          - {name: MDB_MCP_HTTP_PORT, value: "3000"}
          - {name: MDB_MCP_CONNECTION_STRING, secure_value: "{{ mongo_connection_string }}"}
        liveness_probe:
          exec_command: [node, -e, "require('net').connect(3000).on('connect', () => process.exit(0))"]
          period_seconds: 30
  register: group

- name: The private IP for the APIM backend
  ansible.builtin.debug:
    msg: "{{ group.ip_address }}"

- name: Give the read-only tier more memory (cannot change in place)
  mcp_platform.azure.container_group:
    name: aci-mcp-mongodb
    resource_group: rg-mcp-platform
    location: westeurope
    recreate: true
    containers:
      - name: readonly
        image: mcpplatformacr.azurecr.io/mongodb-mcp-server:3.0.4
        memory_in_gb: 2
"""

RETURN = r"""
resource:
  description: The container group as Azure returns it (REST wire names, write-only values masked); null when absent.
  returned: always
  type: dict
ip_address:
  description:
    - The group's IP address (the private IP in its subnet for O(ip_address.type=Private)).
    - Null when it has none.
  returned: always
  type: str
  sample: 10.20.1.4
id:
  description: Resource id; null when absent.
  returned: always
  type: str
operation:
  description: What was done, V(create), V(update), V(recreate), V(delete), or null when nothing was.
  returned: always
  type: str
changes:
  description: Paths of the REST body that differed from the desired state (changed secrets show as write-only).
  returned: always
  type: list
  elements: str
in_progress:
  description: True when O(wait=false) left a long-running operation running in Azure.
  returned: always
  type: bool
"""


import re

from ansible_collections.mcp_platform.azure.plugins.module_utils._container_group import (
    ContainerGroupEngine,
    parse_workspace_resource_id,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    ArmModule,
    ArmResource,
    report_failures,
)

GUID = re.compile(r"^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$", re.IGNORECASE)
PORT_SPEC = dict(
    port=dict(type="int", required=True),
    protocol=dict(type="str", choices=["TCP", "UDP"], default="TCP"),
)
PROBE_SPEC = dict(
    http_get=dict(
        type="dict",
        options=dict(
            path=dict(type="str"),
            port=dict(type="int", required=True),
            scheme=dict(type="str", choices=["http", "https"]),
        ),
    ),
    exec_command=dict(type="list", elements="str"),
    initial_delay_seconds=dict(type="int"),
    period_seconds=dict(type="int"),
    failure_threshold=dict(type="int"),
    success_threshold=dict(type="int"),
    timeout_seconds=dict(type="int"),
)
CONTAINER_SPEC = dict(
    name=dict(type="str", required=True),
    image=dict(type="str", required=True),
    command=dict(type="list", elements="str"),
    cpu=dict(type="float", default=1.0),
    memory_in_gb=dict(type="float", default=1.5),
    ports=dict(type="list", elements="dict", options=PORT_SPEC),
    environment_variables=dict(
        type="list",
        elements="dict",
        options=dict(
            name=dict(type="str", required=True),
            value=dict(type="str"),
            secure_value=dict(type="str", no_log=True),
        ),
        mutually_exclusive=[("value", "secure_value")],
        required_one_of=[("value", "secure_value")],
    ),
    liveness_probe=dict(
        type="dict",
        options=PROBE_SPEC,
        mutually_exclusive=[("http_get", "exec_command")],
        required_one_of=[("http_get", "exec_command")],
    ),
    readiness_probe=dict(
        type="dict",
        options=PROBE_SPEC,
        mutually_exclusive=[("http_get", "exec_command")],
        required_one_of=[("http_get", "exec_command")],
    ),
)

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    location=dict(type="str"),
    os_type=dict(type="str", choices=["Linux", "Windows"], default="Linux"),
    restart_policy=dict(type="str", choices=["Always", "OnFailure", "Never"], default="Always"),
    containers=dict(type="list", elements="dict", options=CONTAINER_SPEC),
    ip_address=dict(
        type="dict",
        options=dict(
            type=dict(type="str", choices=["Private", "Public"], required=True),
            ports=dict(type="list", elements="dict", options=PORT_SPEC),
            dns_name_label=dict(type="str"),
        ),
    ),
    subnet_ids=dict(type="list", elements="str"),
    user_assigned_identities=dict(type="list", elements="str"),
    image_registry_credentials=dict(
        type="list",
        elements="dict",
        options=dict(
            server=dict(type="str", required=True),
            identity=dict(type="str"),
            username=dict(type="str"),
            password=dict(type="str", no_log=True),
        ),
        mutually_exclusive=[("identity", "username")],
        required_one_of=[("identity", "username")],
        required_together=[("username", "password")],
    ),
    log_analytics=dict(
        type="dict",
        options=dict(
            workspace_resource_id=dict(type="str", required=True),
            workspace_id=dict(type="str"),
            log_type=dict(type="str", choices=["ContainerInsights", "ContainerInstanceLogs"]),
        ),
    ),
    recreate=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)


def _user_assigned_identities(value):
    # ARM ids are case-insensitive and ACI returns the identity keys with its own casing.
    if not isinstance(value, dict):
        return value
    return dict((key.rstrip("/").lower(), item) for key, item in value.items())


RESOURCE = ArmResource(
    sdk=("azure.mgmt.containerinstance", "ContainerInstanceManagementClient", "container_groups"),
    path=("resource_group", "name"),
    tags=True,
    write_only=(
        "properties.containers[].properties.environmentVariables[].secureValue",
        "properties.imageRegistryCredentials[].password",
        "properties.diagnostics.logAnalytics.workspaceKey",
        "properties.diagnostics.logAnalytics.workspaceResourceId",
    ),
    normalise={
        "properties.osType": "lower",
        "properties.restartPolicy": "lower",
        "properties.ipAddress.type": "lower",
        "properties.ipAddress.ports[].protocol": "lower",
        "properties.containers[].properties.ports[].protocol": "lower",
        "properties.containers[].properties.livenessProbe.httpGet.scheme": "lower",
        "properties.containers[].properties.readinessProbe.httpGet.scheme": "lower",
        "properties.diagnostics.logAnalytics.logType": "lower",
        "identity.type": "lower",
        "identity.userAssignedIdentities": _user_assigned_identities,
    },
    kind="container group",
)


def _ports(ports):
    return [{"port": p["port"], "protocol": p["protocol"]} for p in ports or []]


def _probe(probe):
    if not probe:
        return None
    http_get = probe["http_get"]
    return {
        "httpGet": {"path": http_get["path"], "port": http_get["port"], "scheme": http_get["scheme"]}
        if http_get
        else None,
        "exec": {"command": probe["exec_command"]} if probe["exec_command"] else None,
        "initialDelaySeconds": probe["initial_delay_seconds"],
        "periodSeconds": probe["period_seconds"],
        "failureThreshold": probe["failure_threshold"],
        "successThreshold": probe["success_threshold"],
        "timeoutSeconds": probe["timeout_seconds"],
    }


def _container(container):
    return {
        "name": container["name"],
        "properties": {
            "image": container["image"],
            "command": container["command"],
            "ports": _ports(container["ports"]),
            "environmentVariables": [
                {"name": e["name"], "value": e["value"], "secureValue": e["secure_value"]}
                for e in container["environment_variables"] or []
            ],
            "resources": {"requests": {"cpu": container["cpu"], "memoryInGB": container["memory_in_gb"]}},
            "livenessProbe": _probe(container["liveness_probe"]),
            "readinessProbe": _probe(container["readiness_probe"]),
        },
    }


def _group_ports(params):
    address = params["ip_address"]
    if address["ports"]:
        return _ports(address["ports"])
    seen = []
    for container in params["containers"]:
        for port in _ports(container["ports"]):
            if port not in seen:
                seen.append(port)
    return seen


def desired_body(params):
    address = params["ip_address"]
    identities = params["user_assigned_identities"]
    diagnostics = params["log_analytics"]
    return {
        "location": params["location"],
        "identity": (
            {"type": "UserAssigned", "userAssignedIdentities": dict((i, {}) for i in identities)}
            if identities
            else None
        ),
        "properties": {
            "containers": [_container(c) for c in params["containers"]],
            "osType": params["os_type"],
            "restartPolicy": params["restart_policy"],
            "ipAddress": (
                {"type": address["type"], "ports": _group_ports(params), "dnsNameLabel": address["dns_name_label"]}
                if address
                else None
            ),
            "subnetIds": [{"id": s} for s in params["subnet_ids"]] if params["subnet_ids"] else None,
            "imageRegistryCredentials": (
                [
                    {
                        "server": c["server"],
                        "identity": c["identity"],
                        "username": c["username"],
                        "password": c["password"],
                    }
                    for c in params["image_registry_credentials"]
                ]
                if params["image_registry_credentials"]
                else None
            ),
            "diagnostics": (
                {
                    "logAnalytics": {
                        # The shared key is added only for a write (ContainerGroupEngine).
                        "workspaceId": diagnostics["workspace_id"],
                        "workspaceResourceId": diagnostics["workspace_resource_id"],
                        "logType": diagnostics["log_type"],
                    }
                }
                if diagnostics
                else None
            ),
        },
    }


def _duplicates(names):
    seen, repeated = set(), []
    for name in names:
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    return repeated


def validate(params):
    """Every rule Azure would refuse after the first call, checked before it; each names the option."""
    if params["state"] != "present":
        return []
    problems = []
    containers = params["containers"]
    if not containers:
        return ["containers: at least one container is required with state=present"]
    for name in _duplicates([c["name"] for c in containers]):
        problems.append("containers: the name %s is used more than once" % name)
    exposed = set()
    for container in containers:
        label = "containers[name=%s]" % container["name"]
        if container["cpu"] <= 0:
            problems.append("%s.cpu: must be greater than 0" % label)
        if container["memory_in_gb"] <= 0:
            problems.append("%s.memory_in_gb: must be greater than 0" % label)
        for name in _duplicates([e["name"] for e in container["environment_variables"] or []]):
            problems.append("%s.environment_variables: the name %s is used more than once" % (label, name))
        for port in container["ports"] or []:
            if not 1 <= port["port"] <= 65535:
                problems.append("%s.ports: %d is not a port number (1-65535)" % (label, port["port"]))
            exposed.add((port["port"], port["protocol"]))
    address = params["ip_address"]
    if address:
        for port in address["ports"] or []:
            if (port["port"], port["protocol"]) not in exposed:
                problems.append(
                    "ip_address.ports: %d/%s is not exposed by any container's ports" % (port["port"], port["protocol"])
                )
        if not _group_ports(params):
            problems.append("ip_address: needs at least one port (in ip_address.ports or the containers' ports)")
        if address["type"] == "Private" and not params["subnet_ids"]:
            problems.append("ip_address.type: Private needs subnet_ids")
        if address["type"] == "Private" and address["dns_name_label"]:
            problems.append("ip_address.dns_name_label: only a Public IP address has a DNS label")
    diagnostics = params["log_analytics"]
    if diagnostics and not parse_workspace_resource_id(diagnostics["workspace_resource_id"]):
        problems.append(
            "log_analytics.workspace_resource_id: %s is not a workspace resource id "
            "(/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name>)"
            % diagnostics["workspace_resource_id"]
        )
    if diagnostics and diagnostics["workspace_id"] and not GUID.match(diagnostics["workspace_id"]):
        problems.append(
            "log_analytics.workspace_id: %s is not a customer id (a GUID); the resource id goes in "
            "log_analytics.workspace_resource_id" % diagnostics["workspace_id"]
        )
    identities = [i.rstrip("/").lower() for i in params["user_assigned_identities"] or []]
    for credential in params["image_registry_credentials"] or []:
        if credential["identity"] and credential["identity"].rstrip("/").lower() not in identities:
            problems.append(
                "image_registry_credentials[server=%s].identity: must be one of user_assigned_identities"
                % credential["server"]
            )
    return problems


def main():
    arm = ArmModule(ARGUMENT_SPEC, tags=True, required_if=[("state", "present", ["location", "containers"])])
    problems = validate(arm.params)
    if problems:
        arm.fail("; ".join(problems))
    result = report_failures(arm, RESOURCE.kind, lambda: ContainerGroupEngine(arm, RESOURCE, desired_body).run())
    resource = result["resource"] or {}
    result["ip_address"] = ((resource.get("properties") or {}).get("ipAddress") or {}).get("ip")
    arm.exit(**result)


if __name__ == "__main__":
    main()
