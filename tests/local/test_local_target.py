"""The local target end to end: site.yml twice (idempotent), verify, teardown (no process left).

Runs in a temporary state directory on free ports, so it never meets a `make run` platform.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.mcp_server import NODE_ROOT, ensure_mongodb_mcp_server, free_port

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.timeout(900)


def run_playbook(playbook: str, extra_vars: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_FORCE_COLOR="0", ANSIBLE_NOCOLOR="1")
    result = subprocess.run(
        [str(BIN / "ansible-playbook"), f"playbooks/{playbook}", "-i", "inventories/local", "-e", f"@{extra_vars}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check:
        assert result.returncode == 0, f"{playbook} failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    return result


def recap(result: subprocess.CompletedProcess) -> dict[str, int]:
    line = re.search(r"^localhost\s+:\s+(.*)$", result.stdout, re.MULTILINE)
    assert line, result.stdout[-3000:]
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line.group(1))}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not status.exists() or status.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in cmdline and alive(int(entry.name)):
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    ensure_mongodb_mcp_server("3.0.4")
    state_dir = tmp_path_factory.mktemp("local-state")
    ports = {name: free_port() for name in ("issuer", "gateway", "database", "admin", "readonly")}
    inventory_vars = {
        "local_state_dir": str(state_dir),
        "local_issuer_port": ports["issuer"],
        "local_gateway_port": ports["gateway"],
        "local_database_port": ports["database"],
        # The test session shares one npm install of the server with the other data-plane tests.
        "local_mcp_servers_node_dir": str(NODE_ROOT),
        "mcp_platform_servers": [
            {
                "name": "mongodb",
                "package": "mongodb-mcp-server",
                "version": "3.0.4",
                "tiers": [
                    {
                        "name": "admin",
                        "port": ports["admin"],
                        "principals": {"groups": ["MCP-Admin"], "app_roles": ["MCP.Admin"]},
                        "tools": {"allow": "*"},
                    },
                    {
                        "name": "readonly",
                        "port": ports["readonly"],
                        "principals": {"groups": ["MCP-Read-Only"], "app_roles": ["MCP.ReadOnly"]},
                        "tools": {"allow_operation_types": ["read", "metadata"]},
                    },
                ],
                "disabled_tools": ["connect", "search-knowledge", "list-knowledge-sources"],
                "confirmation_required_tools": ["drop-database", "drop-collection", "delete-many", "drop-index"],
            }
        ],
    }
    extra_vars = state_dir.parent / f"{state_dir.name}-vars.json"
    extra_vars.write_text(json.dumps(inventory_vars))
    first = run_playbook("site.yml", extra_vars, check=False)
    try:
        yield {"state_dir": state_dir, "ports": ports, "vars": extra_vars, "first": first}
    finally:
        run_playbook("teardown.yml", extra_vars, check=False)
        for pid in processes_mentioning(str(state_dir)):
            os.kill(pid, signal.SIGKILL)


def test_site_brings_the_platform_up_and_verify_passes(platform):
    first = platform["first"]
    assert first.returncode == 0, first.stdout[-6000:] + first.stderr[-2000:]
    counts = recap(first)
    assert counts["failed"] == 0 and counts["changed"] > 0
    assert "PASS  read-only forced tools/call insert-many is refused by the gateway" in first.stdout
    assert "FAIL" not in first.stdout
    assert f"http://127.0.0.1:{platform['ports']['gateway']}/mcp/mongodb" in first.stdout


def test_a_second_run_changes_nothing(platform):
    second = run_playbook("site.yml", platform["vars"])
    counts = recap(second)
    assert (counts["changed"], counts["failed"]) == (0, 0), second.stdout[-4000:]


def test_verify_playbook_passes_on_its_own(platform):
    result = run_playbook("verify.yml", platform["vars"])
    assert recap(result)["changed"] == 0
    assert result.stdout.count("PASS  ") >= 16


def test_secrets_stay_private_and_out_of_logs(platform):
    state_dir = platform["state_dir"]
    key_file = state_dir / "secrets" / "gateway.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((state_dir / "secrets" / "issuer-signing-key.pem").stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 32
    outputs = platform["first"].stdout + platform["first"].stderr
    assert key not in outputs
    for path in [*state_dir.rglob("*.log"), *state_dir.rglob("*.jsonl"), *state_dir.rglob("*.json")]:
        text = path.read_text(errors="replace")
        assert key not in text, path
        # A JWT starts with the base64 of '{"alg"' or '{"typ"'; none may reach a log or the audit trail.
        assert "eyJhbGci" not in text and "eyJ0eXAi" not in text, path


def test_the_audit_trail_names_caller_tier_method_tool_and_status(platform):
    audit_file = platform["state_dir"] / "run" / "gateway-audit.jsonl"
    lines = [json.loads(line) for line in audit_file.read_text().splitlines()]
    refused = [e for e in lines if e["status"] == 403 and e.get("tool") == "insert-many"]
    assert refused and refused[0]["tier"] == "readonly" and refused[0]["mcp_method"] == "tools/call"
    assert {"caller", "tier", "mcp_method", "tool", "status", "latency_ms"} <= set(refused[0])
    assert any(e["status"] == 401 for e in lines)
    assert any(e["tier"] == "admin" and e.get("tool") == "insert-many" and e["status"] == 200 for e in lines)


def test_the_token_command_and_discovery_work(platform):
    ports = platform["ports"]
    token_command = platform["state_dir"] / "bin" / "mcp-token"
    token = subprocess.run([str(token_command), "reader"], capture_output=True, text=True, check=True).stdout.strip()
    assert token.count(".") == 2
    issuer = f"http://127.0.0.1:{ports['issuer']}"
    discovery = httpx.get(f"{issuer}/.well-known/oauth-authorization-server", timeout=10).json()
    assert discovery["issuer"] == issuer and discovery["code_challenge_methods_supported"] == ["S256"]
    metadata = httpx.get(
        f"http://127.0.0.1:{ports['gateway']}/.well-known/oauth-protected-resource/mcp/mongodb", timeout=10
    ).json()
    assert metadata["authorization_servers"] == [issuer]
    refused = httpx.post(
        f"http://127.0.0.1:{ports['gateway']}/mcp/mongodb",
        headers={"authorization": f"Bearer {token}", "origin": "http://attacker.example"},
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        timeout=10,
    )
    assert refused.status_code == 403


def test_a_tier_cannot_be_reached_without_the_gateway_key(platform):
    answer = httpx.post(
        f"http://127.0.0.1:{platform['ports']['admin']}/mcp",
        headers={"accept": "application/json, text/event-stream"},
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        timeout=10,
    )
    assert answer.status_code == 403


def test_teardown_stops_everything(platform):
    run_dir = platform["state_dir"] / "run"
    pids = [int(p.read_text()) for p in run_dir.glob("*.pid")]
    assert len(pids) >= 5 and all(alive(pid) for pid in pids)
    result = run_playbook("teardown.yml", platform["vars"])
    assert recap(result)["changed"] >= 1
    assert not [pid for pid in pids if alive(pid)]
    assert processes_mentioning(str(platform["state_dir"])) == []
    assert not list(run_dir.glob("*.pid")) or all(p.name == "database-server.pid" for p in run_dir.glob("*.pid"))
    assert recap(run_playbook("teardown.yml", platform["vars"]))["changed"] == 0
