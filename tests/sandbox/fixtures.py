"""The ``standin`` pytest fixture: one Azure stand-in process per test session.

Usage in a test::

    def test_something(standin):
        standin.configure(durations={"Microsoft.ApiManagement/service": 2})
        mark = standin.traffic_mark()
        ...  # run an SDK client or a module with standin.env
        assert not standin.write_calls(since=mark)
"""

import json
import os
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 30
WRITE_METHODS = {"PUT", "PATCH", "DELETE", "POST"}


class StandInProcess:
    """A running stand-in: its URL, the environment that points clients at it, control and traffic."""

    def __init__(self, state_dir, port=0):
        self.state_dir = Path(state_dir)
        self.port = port
        self.process = None
        self.base_url = None
        self.env = {}
        self._log = None

    # ---- lifecycle -------------------------------------------------------------------------------

    def start(self):
        self.state_dir.mkdir(parents=True, exist_ok=True)
        ready = self.state_dir / "ready"
        ready.unlink(missing_ok=True)
        self._log = open(self.state_dir / "standin.log", "ab")  # noqa: SIM115 - lives as long as the process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.sandbox.standin",
                "--port",
                str(self.port),
                "--state-dir",
                str(self.state_dir),
            ],
            cwd=REPO_ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not ready.exists() or not ready.read_text().strip():
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the Azure stand-in exited with {self.process.returncode}; see {self.state_dir}/standin.log"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the Azure stand-in did not start within {STARTUP_TIMEOUT}s")
            time.sleep(0.02)
        self.base_url = ready.read_text().strip()
        self.env = read_env_file(self.state_dir / "env")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log:
            self._log.close()

    # ---- control ---------------------------------------------------------------------------------

    def _post(self, action, payload):
        context = ssl.create_default_context(cafile=self.env["REQUESTS_CA_BUNDLE"])
        request = urllib.request.Request(
            f"{self.base_url}/_sandbox/{action}",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return json.loads(response.read())

    def configure(self, durations=None, faults=None, seed=None, graph_replication_lag=None):
        """Set LRO durations (seconds per ARM type), fault injection ({type or "*": {rate, kinds}}) and the
        seconds new Graph objects stay invisible to reads (0: none)."""
        payload = {}
        if durations is not None:
            payload["durations"] = durations
        if faults is not None:
            payload["faults"] = faults
        if seed is not None:
            payload["seed"] = seed
        if graph_replication_lag is not None:
            payload["graph_replication_lag"] = graph_replication_lag
        return self._post("config", payload)

    def reset(self):
        """Forget every resource, Graph object and secret; clear fault injection."""
        return self._post("reset", {})

    # ---- traffic ---------------------------------------------------------------------------------

    @property
    def traffic_path(self):
        return self.state_dir / "traffic.jsonl"

    def traffic_mark(self):
        """An opaque position in the traffic log; pass it as ``since=`` to see only later exchanges."""
        return self.traffic_path.stat().st_size if self.traffic_path.exists() else 0

    def traffic(self, since=0):
        if not self.traffic_path.exists():
            return []
        with open(self.traffic_path, "rb") as handle:
            handle.seek(since or 0)
            data = handle.read()
        return [json.loads(line) for line in data.splitlines() if line.strip()]

    def write_calls(self, since=0):
        """ARM / Graph / Key Vault / registry exchanges that change something (read-only POST actions excluded)."""
        return [
            entry
            for entry in self.traffic(since)
            if entry["kind"] in ("arm", "graph", "keyvault", "registry")
            and entry["method"] in WRITE_METHODS
            and not entry.get("read_only_action")
        ]


def read_env_file(path):
    """Parse the ``export NAME=value`` lines the stand-in writes."""
    import shlex

    env = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("export "):
            name, _sep, value = line[len("export ") :].partition("=")
            env[name] = shlex.split(value)[0] if value else ""
    return env


@pytest.fixture(scope="session")
def standin(tmp_path_factory):
    """A running Azure stand-in for the whole session (state is shared: use unique names or ``reset()``)."""
    process = StandInProcess(tmp_path_factory.mktemp("standin"), port=int(os.environ.get("STANDIN_PORT", "0"))).start()
    try:
        yield process
    finally:
        process.stop()
