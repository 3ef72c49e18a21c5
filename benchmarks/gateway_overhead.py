"""Gateway overhead on the local target: the same MCP calls through the gateway and straight to the server.

Run against a running local target (`make run` first):

    .venv/bin/python benchmarks/gateway_overhead.py [--state-dir .local-state] [--requests 300] [--concurrency 8]

For `tools/list` and a `find` call it measures, side by side in one run, sequential latency
(p50, p99) and throughput at a fixed concurrency, going (a) through the gateway with a bearer token
and (b) straight to the tier's MCP server with the gateway key, then prints a table with the ratios
and the latency the gateway adds. Neither the token nor the key is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Endpoint:
    """One MCP session over Streamable HTTP, spoken as raw JSON-RPC so that only HTTP is measured."""

    def __init__(self, name: str, url: str, headers: dict[str, str]):
        self.name = name
        self.url = url
        self.client = httpx.AsyncClient(headers={**HEADERS, **headers}, timeout=60.0)
        self.next_id = 0

    async def open(self) -> None:
        response = await self.post(
            "initialize",
            {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
        )
        self.client.headers["mcp-session-id"] = response.headers["mcp-session-id"]
        self.client.headers["mcp-protocol-version"] = "2025-06-18"
        notified = await self.client.post(self.url, json={"jsonrpc": "2.0", "method": "notifications/initialized"})
        notified.raise_for_status()

    async def post(self, method: str, params: dict) -> httpx.Response:
        self.next_id += 1
        response = await self.client.post(
            self.url, json={"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}
        )
        response.raise_for_status()
        if '"error"' in response.text[:200] and '"result"' not in response.text:
            raise RuntimeError(f"{self.name} {method}: {response.text[:300]}")
        return response

    async def close(self) -> None:
        await self.client.delete(self.url)
        await self.client.aclose()


async def timed(endpoint: Endpoint, method: str, params: dict) -> float:
    started = time.perf_counter()
    await endpoint.post(method, params)
    return (time.perf_counter() - started) * 1000


async def throughput(endpoint: Endpoint, method: str, params: dict, requests: int, concurrency: int) -> float:
    remaining = iter(range(requests))

    async def worker() -> None:
        for _round in remaining:
            await endpoint.post(method, params)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _round in range(concurrency)))
    return requests / (time.perf_counter() - started)


async def measure(endpoints: list[Endpoint], operations: dict, requests: int, concurrency: int) -> list[dict]:
    rows = []
    for endpoint in endpoints:
        await endpoint.open()
    try:
        for operation, (method, params) in operations.items():
            samples: dict[str, list[float]] = {e.name: [] for e in endpoints}
            for endpoint in endpoints:
                for _round in range(10):
                    await endpoint.post(method, params)
            # Alternate between the paths so that drift on the host affects both alike.
            for _round in range(requests):
                for endpoint in endpoints:
                    samples[endpoint.name].append(await timed(endpoint, method, params))
            for endpoint in endpoints:
                rate = await throughput(endpoint, method, params, requests, concurrency)
                latencies = samples[endpoint.name]
                rows.append(
                    {
                        "operation": operation,
                        "path": endpoint.name,
                        "p50_ms": percentile(latencies, 0.50),
                        "p99_ms": percentile(latencies, 0.99),
                        "mean_ms": statistics.fmean(latencies),
                        "req_per_s": rate,
                    }
                )
    finally:
        for endpoint in endpoints:
            await endpoint.close()
    return rows


def print_table(rows: list[dict], requests: int, concurrency: int) -> None:
    print(
        f"\n{requests} sequential requests per path for latency; {requests} at concurrency {concurrency} for throughput"
    )
    header = f"{'operation':<12} {'path':<10} {'p50 ms':>9} {'p99 ms':>9} {'req/s':>9}"
    print(header)
    print("-" * len(header))
    for operation in dict.fromkeys(row["operation"] for row in rows):
        direct = next(r for r in rows if r["operation"] == operation and r["path"] == "direct")
        gateway = next(r for r in rows if r["operation"] == operation and r["path"] == "gateway")
        for row in (direct, gateway):
            line = f"{operation:<12} {row['path']:<10} {row['p50_ms']:>9.2f} {row['p99_ms']:>9.2f}"
            print(f"{line} {row['req_per_s']:>9.1f}")
        print(
            f"{operation:<12} {'ratio g/d':<10} {gateway['p50_ms'] / direct['p50_ms']:>9.2f}"
            f" {gateway['p99_ms'] / direct['p99_ms']:>9.2f} {gateway['req_per_s'] / direct['req_per_s']:>9.2f}"
        )
        print(
            f"{operation:<12} {'added':<10} {gateway['p50_ms'] - direct['p50_ms']:>+9.2f}"
            f" {gateway['p99_ms'] - direct['p99_ms']:>+9.2f}"
        )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Gateway overhead of the local target.")
    parser.add_argument("--state-dir", default=str(Path(__file__).resolve().parents[1] / ".local-state"))
    parser.add_argument("--server", default="mongodb")
    parser.add_argument("--tier", default="admin")
    parser.add_argument("--principal", default="admin")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database", default="sample_store")
    parser.add_argument("--collection", default="products")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON too")
    args = parser.parse_args(argv)

    state = Path(args.state_dir)
    config = json.loads((state / "etc" / "gateway.json").read_text())
    server = next(s for s in config["servers"] if s["name"] == args.server)
    tier = next(t for t in server["tiers"] if t["name"] == args.tier)
    gateway_url = server["resource"]
    token = subprocess.run(
        [str(state / "bin" / "mcp-token"), args.principal], capture_output=True, text=True, check=True
    ).stdout.strip()
    key = (state / "secrets" / "gateway.key").read_text().strip()

    endpoints = [
        Endpoint("direct", tier["backend_url"], {config["gateway_key_header"]: key}),
        Endpoint("gateway", gateway_url, {"authorization": f"Bearer {token}"}),
    ]
    operations = {
        "tools/list": ("tools/list", {}),
        "find": (
            "tools/call",
            {
                "name": "find",
                "arguments": {
                    "connectionId": "preconfigured",
                    "database": args.database,
                    "collection": args.collection,
                    "filter": {},
                    "limit": 5,
                },
            },
        ),
    }
    rows = asyncio.run(measure(endpoints, operations, args.requests, args.concurrency))
    print_table(rows, args.requests, args.concurrency)
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
