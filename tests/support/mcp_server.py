"""Install and run the real mongodb-mcp-server from npm for tests.

`ensure_mongodb_mcp_server(version)` installs the pinned package once into
``.build/node/mongodb-mcp-server-<version>/`` and returns the path of its entry point.
Several test sessions may call it at the same time, so the install runs under a file lock
and lands in a temporary directory that is renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

PACKAGE = "mongodb-mcp-server"
DEFAULT_VERSION = "3.0.4"
REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_ROOT = REPO_ROOT / ".build" / "node"
INSTALL_TIMEOUT = 600


def install_dir(version: str = DEFAULT_VERSION, package: str = PACKAGE) -> Path:
    return NODE_ROOT / f"{package}-{version}"


def _entry_point(directory: Path, package: str) -> Path:
    manifest = json.loads((directory / "node_modules" / package / "package.json").read_text())
    bin_field = manifest["bin"]
    relative = bin_field if isinstance(bin_field, str) else bin_field.get(package) or next(iter(bin_field.values()))
    return directory / "node_modules" / package / relative


def _installed_entry_point(directory: Path, package: str, version: str) -> Path | None:
    manifest = directory / "node_modules" / package / "package.json"
    if not (directory / ".complete").exists() or not manifest.exists():
        return None
    if json.loads(manifest.read_text()).get("version") != version:
        return None
    entry = _entry_point(directory, package)
    return entry if entry.exists() else None


def ensure_mongodb_mcp_server(version: str = DEFAULT_VERSION, package: str = PACKAGE) -> Path:
    """Return the entry point (a JavaScript file to run with node) of the pinned server."""
    target = install_dir(version, package)
    entry = _installed_entry_point(target, package, version)
    if entry:
        return entry
    NODE_ROOT.mkdir(parents=True, exist_ok=True)
    with open(NODE_ROOT / f".{package}-{version}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        entry = _installed_entry_point(target, package, version)
        if entry:
            return entry
        staging = Path(tempfile.mkdtemp(prefix=f".{package}-{version}-", dir=NODE_ROOT))
        try:
            (staging / "package.json").write_text(
                json.dumps({"name": "mcp-server-install", "private": True, "dependencies": {package: version}})
            )
            subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--omit=dev", "--loglevel=error"],
                cwd=staging,
                check=True,
                timeout=INSTALL_TIMEOUT,
                stdout=subprocess.DEVNULL,
            )
            (staging / ".complete").write_text(version)
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    entry = _installed_entry_point(target, package, version)
    if entry is None:
        raise RuntimeError(f"npm install of {package}@{version} did not produce an entry point in {target}")
    return entry


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Wait until the server answers HTTP at all (any status counts: it is up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.2)
    raise TimeoutError(f"server at {url} did not start within {timeout} s")


@contextlib.contextmanager
def running_mongodb_mcp_server(
    env: Mapping[str, str], version: str = DEFAULT_VERSION, log_path: Path | None = None
) -> Iterator[str]:
    """Start the real server with `env` (MDB_MCP_* variables) and yield its MCP endpoint URL.

    The process inherits only PATH and HOME from the test environment, so the caller's
    variables decide its configuration.
    """
    entry = ensure_mongodb_mcp_server(version)
    process_env = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    process_env.update({"MDB_MCP_TELEMETRY": "disabled", "DO_NOT_TRACK": "1"})
    process_env.update(env)
    host = process_env.get("MDB_MCP_HTTP_HOST", "127.0.0.1")
    port = process_env.get("MDB_MCP_HTTP_PORT", "3000")
    url = f"http://{host}:{port}/mcp"
    with contextlib.ExitStack() as stack:
        log = stack.enter_context(open(log_path, "wb")) if log_path else subprocess.DEVNULL
        process = subprocess.Popen(["node", str(entry)], env=process_env, stdout=log, stderr=log)
        try:
            wait_until_listening(url, process)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
