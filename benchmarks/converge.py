"""Converge time of the Azure deployment against the stand-in, next to its critical path.

Runs the deployment play of playbooks/site.yml (the `hosts: azure` play that deploys; verify is left
out) with the sandbox inventory against a stand-in of its own, three times:

1. every long-running operation finishing at once: Ansible's own fixed cost (process start-up, one
   module run per task, SDK imports, HTTP) for this play, measured separately, and the part of it
   that lies on the critical path (the tasks before API Management is started and the gateway
   configuration after it is ready, from the traffic log's timestamps);
2. on a fresh resource group, with real-world durations scaled (1 minute -> 1 second by default):
   the converge time, compared with the dependency graph's critical path and the serial sum;
3. a no-op re-run: read and write calls from the traffic log, per managed resource.

Polling is scaled like the durations: the modules read a waited-for service every 30 s of real
time, so the benchmark sets MCP_PLATFORM_AZURE_POLLING_INTERVAL to 30 s x scale / 60. The stand-in
tells the SDK's poller the time an operation has left (retry-after-ms), as ARM's Retry-After does.

    .venv/bin/python -m benchmarks.converge [--scale 1.0] [--json]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / ".build" / "collections")]

from tests.sandbox.fixtures import StandInProcess  # noqa: E402

# Real-world durations, in minutes, of the operations the deployment waits for (Azure documentation
# and observed deployments); scaled by --scale seconds per minute.
REAL_MINUTES = {
    "Microsoft.ApiManagement/service": 40,
    "Microsoft.DocumentDB/mongoClusters": 12,
    "Microsoft.ContainerInstance/containerGroups": 2,
    "Microsoft.Network/privateEndpoints": 1,
    "Microsoft.Network/privateDnsZones": 0.5,
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks": 0.5,
    "Microsoft.Network/natGateways": 0.3,
    "Microsoft.Network/publicIPAddresses": 0.1,
    "Microsoft.Network/virtualNetworks": 0.2,
    "Microsoft.Network/networkSecurityGroups": 0.1,
    "Microsoft.KeyVault/vaults": 0.3,
    "Microsoft.ContainerRegistry/registries": 0.3,
    "Microsoft.OperationalInsights/workspaces": 0.3,
}

# The deployment as a dependency graph: operation -> (ARM type whose duration it costs, prerequisites).
GRAPH = {
    "resource group": (None, []),
    "NSGs": ("Microsoft.Network/networkSecurityGroups", ["resource group"]),
    "NAT public IP": ("Microsoft.Network/publicIPAddresses", ["resource group"]),
    "NAT gateway": ("Microsoft.Network/natGateways", ["NAT public IP"]),
    "VNet": ("Microsoft.Network/virtualNetworks", ["NSGs", "NAT gateway"]),
    "API Management": ("Microsoft.ApiManagement/service", ["VNet"]),
    "Key Vault": ("Microsoft.KeyVault/vaults", ["resource group"]),
    "secrets": (None, ["Key Vault"]),
    "vCore cluster": ("Microsoft.DocumentDB/mongoClusters", ["secrets"]),
    "workspace": ("Microsoft.OperationalInsights/workspaces", ["resource group"]),
    "App Insights": (None, ["workspace", "Key Vault"]),
    "identity": (None, ["resource group"]),
    "registry": ("Microsoft.ContainerRegistry/registries", ["identity"]),
    "container group": ("Microsoft.ContainerInstance/containerGroups", ["VNet", "registry", "secrets"]),
    "Entra ID": (None, []),
    "private endpoint": ("Microsoft.Network/privateEndpoints", ["vCore cluster", "VNet"]),
    "private DNS zone": ("Microsoft.Network/privateDnsZones", ["private endpoint"]),
    "VNet link": ("Microsoft.Network/privateDnsZones/virtualNetworkLinks", ["private DNS zone"]),
    "gateway configuration": (None, ["API Management", "container group", "Entra ID", "App Insights"]),
}


def critical_path(seconds):
    """(length, path) of the longest chain of the graph, and the serial sum of every operation."""
    finish, via = {}, {}

    def visit(name):
        if name not in finish:
            kind, needs = GRAPH[name]
            start = 0.0
            for need in needs:
                if visit(need) >= start:
                    start, via[name] = finish[need], need
            finish[name] = start + seconds.get(kind, 0.0)
        return finish[name]

    end = max(GRAPH, key=visit)
    path = [end]
    while path[-1] in via:
        path.append(via[path[-1]])
    serial = sum(seconds.get(kind, 0.0) for kind, _needs in GRAPH.values())
    return finish[end], list(reversed(path)), serial


def deployment_playbook(directory):
    """The deploying `hosts: azure` play of site.yml, alone in a playbook."""
    plays = yaml.safe_load((REPO_ROOT / "playbooks" / "site.yml").read_text())
    deploy = [play for play in plays if play.get("hosts") == "azure" and "tasks" in play]
    path = Path(directory) / "converge.yml"
    path.write_text(yaml.safe_dump(deploy, sort_keys=False))
    return path


# The modules' interval between two reads of a service they wait for, in real seconds.
REAL_POLL_SECONDS = 30


def converge(standin, playbook, variables, poll_seconds):
    environment = dict(os.environ)
    environment.update(standin.env)
    environment["MCP_PLATFORM_AZURE_POLLING_INTERVAL"] = str(poll_seconds)
    environment["ANSIBLE_CONFIG"] = str(REPO_ROOT / "ansible.cfg")
    command = [
        str(Path(sys.executable).with_name("ansible-playbook")),
        "-i",
        str(REPO_ROOT / "inventories" / "sandbox"),
        str(playbook),
        "-e",
        json.dumps(variables),
    ]
    mark = standin.traffic_mark()
    started = time.time()
    completed = subprocess.run(command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=False)
    ended = time.time()
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-5000:] + completed.stderr[-2000:])
        raise SystemExit(f"the converge failed (rc {completed.returncode})")
    return Run(started, ended, standin.traffic(since=mark), standin.write_calls(since=mark))


class Run:
    """One converge: wall-clock start and end, its traffic and its write calls."""

    def __init__(self, started, ended, traffic, writes):
        self.started, self.ended, self.traffic, self.writes = started, ended, traffic, writes

    @property
    def seconds(self):
        return self.ended - self.started

    def overhead_on_critical_path(self):
        """Seconds before the API Management service is started, plus after it is ready until the end.

        With zero durations these are Ansible's own cost for the tasks of the critical path: what
        leads up to the service (resource group, network) and the gateway configuration that needs it.
        """
        service = [e for e in self.traffic if e["kind"] == "arm" and _is_apim_service(e["path"])]
        started = min(e["at"] for e in service if e["method"] == "PUT")
        ready = max(e["at"] for e in service)
        return (started - self.started) + (self.ended - ready)


def _is_apim_service(path):
    parts = path.split("?")[0].rstrip("/").split("/")
    return len(parts) >= 2 and parts[-2].lower() == "service" and parts[-3].lower() == "microsoft.apimanagement"


def fresh_variables():
    suffix = uuid.uuid4().hex[:6]
    return {"mcp_platform_resource_group": f"rg-bench-{suffix}", "mcp_platform_name_prefix": f"bench{suffix}"}


def calls(traffic):
    """Calls to Azure's services (ARM, Graph, Key Vault and registry data planes) and the reads among them.

    Token requests (Entra ID, the registry's token exchange) and cloud metadata are not counted.
    """
    counted = [
        e
        for e in traffic
        if e["kind"] in ("arm", "graph", "keyvault", "registry") and "/oauth2/" not in e["path"].lower()
    ]
    reads = [e for e in counted if e["method"] in ("GET", "HEAD") or e.get("read_only_action")]
    return counted, reads


def managed_resources(writes):
    """What the first converge created: ARM resources, imported images and Graph objects.

    Graph objects are created by POST or by an upsert on their uniqueName; a group's members and an
    application's later PATCH are part of the object they belong to.
    """
    ids = set()
    for entry in writes:
        path = entry["path"].split("?")[0].lower().rstrip("/")
        body = entry.get("request_body") if isinstance(entry.get("request_body"), dict) else {}
        if entry["kind"] == "graph":
            if "(uniquename=" in path:
                ids.add(path)  # created by upsert on its alternate key
            elif entry["method"] == "POST" and "/$ref" not in path:
                ids.add(f"{path}#{len(ids)}")
        elif entry["kind"] == "arm" and entry["method"] == "PUT":
            ids.add(path)
        elif entry["kind"] == "arm" and path.endswith("/importimage"):
            ids.update(f"{path}#{tag}" for tag in body.get("targetTags") or [body.get("source", {}).get("sourceImage")])
    return len(ids)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="seconds per real-world minute (default 1)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    seconds = {kind: minutes * args.scale for kind, minutes in REAL_MINUTES.items()}
    path_seconds, path, serial = critical_path(seconds)

    poll_seconds = REAL_POLL_SECONDS * args.scale / 60
    with tempfile.TemporaryDirectory(prefix="mcp-converge-") as directory:
        standin = StandInProcess(Path(directory) / "standin").start()
        try:
            playbook = deployment_playbook(directory)
            standin.configure(durations={kind: 0 for kind in REAL_MINUTES})
            fixed = converge(standin, playbook, fresh_variables(), 0)

            # A fresh subscription and tenant: the first converge creates everything it manages
            # (the Entra groups have fixed names, so they would otherwise exist already).
            standin.reset()
            standin.configure(durations=seconds)
            variables = fresh_variables()
            first = converge(standin, playbook, variables, poll_seconds)
            noop = converge(standin, playbook, variables, poll_seconds)
        finally:
            standin.stop()

    counted, reads = calls(noop.traffic)
    managed = managed_resources(first.writes)
    on_path = fixed.overhead_on_critical_path()
    figures = {
        "scale_seconds_per_minute": args.scale,
        "converge_seconds": round(first.seconds, 1),
        "critical_path_seconds": round(path_seconds, 1),
        "critical_path": path,
        "serial_sum_seconds": round(serial, 1),
        "ansible_overhead_seconds": round(fixed.seconds, 1),
        "ansible_overhead_on_critical_path_seconds": round(on_path, 1),
        "converge_vs_critical_path_plus_its_overhead": round(first.seconds / (path_seconds + on_path), 3),
        "converge_minus_overhead_seconds": round(first.seconds - fixed.seconds, 1),
        "converge_minus_overhead_vs_critical_path": round((first.seconds - fixed.seconds) / path_seconds, 3),
        "noop_seconds": round(noop.seconds, 1),
        "noop_calls": len(counted),
        "noop_reads": len(reads),
        "noop_writes": len(noop.writes),
        "managed_resources": managed,
        "noop_reads_per_managed_resource": round(len(reads) / max(managed, 1), 2),
        "first_converge_calls": len(calls(first.traffic)[0]),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"durations: real-world minutes x {args.scale} s")
    print(f"{'converge time':<42}{figures['converge_seconds']:>8.1f} s")
    print(f"{'critical path':<42}{figures['critical_path_seconds']:>8.1f} s   {' -> '.join(path)}")
    print(f"{'serial sum of the operations':<42}{figures['serial_sum_seconds']:>8.1f} s")
    print(f"{'Ansible fixed overhead (zero durations)':<42}{figures['ansible_overhead_seconds']:>8.1f} s")
    print(
        f"{'  of which on the critical path':<42}{figures['ansible_overhead_on_critical_path_seconds']:>8.1f} s"
        "   (tasks before API Management starts and after it is ready)"
    )
    print(
        f"{'converge / (critical path + its overhead)':<42}"
        f"{figures['converge_vs_critical_path_plus_its_overhead']:>8.2f}"
    )
    print(
        f"{'converge - whole overhead':<42}{figures['converge_minus_overhead_seconds']:>8.1f} s"
        f"   = {figures['converge_minus_overhead_vs_critical_path']:.2f} x critical path"
    )
    print(
        f"{'no-op re-run':<42}{figures['noop_seconds']:>8.1f} s   {figures['noop_reads']} reads, "
        f"{figures['noop_writes']} writes, {managed} managed resources "
        f"({figures['noop_reads_per_managed_resource']} reads each)"
    )


if __name__ == "__main__":
    main()
