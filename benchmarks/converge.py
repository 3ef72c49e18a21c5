"""Converge time of the Azure deployment against the stand-in, next to its critical path.

Runs the deployment play of playbooks/site.yml (the `hosts: azure` play that deploys; verify is left
out) with the sandbox inventory against a stand-in of its own, three times:

1. every long-running operation finishing at once: Ansible's own fixed cost (process start-up, one
   module run per task, SDK imports, HTTP) for this play, measured separately;
2. on a fresh resource group, with real-world durations scaled (1 minute -> 1 second by default):
   the converge time, compared with the dependency graph's critical path and the serial sum;
3. a no-op re-run: read and write calls from the traffic log, per managed resource.

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


def converge(standin, playbook, variables):
    environment = dict(os.environ)
    environment.update(standin.env)
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
    started = time.monotonic()
    completed = subprocess.run(command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-5000:] + completed.stderr[-2000:])
        raise SystemExit(f"the converge failed (rc {completed.returncode})")
    return elapsed, standin.traffic(since=mark), standin.write_calls(since=mark)


def fresh_variables():
    suffix = uuid.uuid4().hex[:6]
    return {"mcp_platform_resource_group": f"rg-bench-{suffix}", "mcp_platform_name_prefix": f"bench{suffix}"}


def calls(traffic):
    counted = [e for e in traffic if e["kind"] in ("arm", "graph", "keyvault")]
    reads = [e for e in counted if e["method"] == "GET" or e.get("read_only_action")]
    return counted, reads


def managed_resources(writes):
    """Distinct resources the converge wrote (ARM ids, Graph objects, Key Vault secrets)."""
    ids = set()
    for entry in writes:
        path = entry["path"].split("?")[0].lower().rstrip("/")
        if entry["kind"] == "graph" and entry["method"] == "POST" and "/members/$ref" not in path:
            ids.add(f"{path}#{len(ids)}")
        elif entry["method"] in ("PUT", "PATCH") or entry["kind"] == "keyvault":
            ids.add(path)
    return len(ids)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="seconds per real-world minute (default 1)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    seconds = {kind: minutes * args.scale for kind, minutes in REAL_MINUTES.items()}
    path_seconds, path, serial = critical_path(seconds)

    with tempfile.TemporaryDirectory(prefix="mcp-converge-") as directory:
        standin = StandInProcess(Path(directory) / "standin").start()
        try:
            playbook = deployment_playbook(directory)
            standin.configure(durations={kind: 0 for kind in REAL_MINUTES})
            overhead, _traffic, _writes = converge(standin, playbook, fresh_variables())

            standin.configure(durations=seconds)
            variables = fresh_variables()
            elapsed, first_traffic, first_writes = converge(standin, playbook, variables)
            noop_elapsed, noop_traffic, noop_writes = converge(standin, playbook, variables)
        finally:
            standin.stop()

    counted, reads = calls(noop_traffic)
    managed = managed_resources(first_writes)
    figures = {
        "scale_seconds_per_minute": args.scale,
        "converge_seconds": round(elapsed, 1),
        "critical_path_seconds": round(path_seconds, 1),
        "critical_path": path,
        "serial_sum_seconds": round(serial, 1),
        "ansible_overhead_seconds": round(overhead, 1),
        "converge_minus_overhead_seconds": round(elapsed - overhead, 1),
        "converge_minus_overhead_vs_critical_path": round((elapsed - overhead) / path_seconds, 3),
        "converge_vs_critical_path_plus_overhead": round(elapsed / (path_seconds + overhead), 3),
        "noop_seconds": round(noop_elapsed, 1),
        "noop_calls": len(counted),
        "noop_reads": len(reads),
        "noop_writes": len(noop_writes),
        "managed_resources": managed,
        "noop_reads_per_managed_resource": round(len(reads) / max(managed, 1), 2),
        "first_converge_calls": len(calls(first_traffic)[0]),
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
        f"{'converge - overhead':<42}{figures['converge_minus_overhead_seconds']:>8.1f} s"
        f"   = {figures['converge_minus_overhead_vs_critical_path']:.2f} x critical path"
    )
    print(f"{'converge / (critical path + overhead)':<42}{figures['converge_vs_critical_path_plus_overhead']:>8.2f}")
    print(
        f"{'no-op re-run':<42}{figures['noop_seconds']:>8.1f} s   {figures['noop_reads']} reads, "
        f"{figures['noop_writes']} writes, {managed} managed resources "
        f"({figures['noop_reads_per_managed_resource']} reads each)"
    )


if __name__ == "__main__":
    main()
