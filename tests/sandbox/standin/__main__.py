"""Run the Azure stand-in: ``python -m tests.sandbox.standin --port 8443 --state-dir .sandbox``."""

import argparse
import asyncio
import shlex
import signal
import socket
import sys
from pathlib import Path

from .entra import CLIENT_ID, SUBSCRIPTION_ID, TENANT_ID
from .server import Server, StandIn, make_config
from .tls import make_certificates
from .traffic import TrafficLog


def environment(base_url, ca_path, client_secret):
    """The variables that point azure-identity, the SDKs and the collection's modules at the stand-in."""
    return {
        "AZURE_CLIENT_ID": CLIENT_ID,
        "AZURE_SECRET": client_secret,
        "AZURE_TENANT": TENANT_ID,
        "AZURE_SUBSCRIPTION_ID": SUBSCRIPTION_ID,
        "AZURE_AUTHORITY_HOST": base_url,
        "AZURE_CLOUD_ENVIRONMENT": f"{base_url}/metadata/endpoints?api-version=2022-09-01",
        "REQUESTS_CA_BUNDLE": str(ca_path),
        "SSL_CERT_FILE": str(ca_path),
    }


async def serve(port, state_dir):
    state_dir.mkdir(parents=True, exist_ok=True)
    ready = state_dir / "ready"
    ready.unlink(missing_ok=True)
    ca_path, server_path = make_certificates(state_dir)
    traffic = TrafficLog(state_dir / "traffic.jsonl")
    app = StandIn(traffic)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    base_url = f"https://127.0.0.1:{port}"
    app.set_base_url(base_url)

    app.server_cert = server_path
    config = make_config(app, server_path)
    server = Server(config)

    def stop():
        server.should_exit = True

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
            return 1
        await asyncio.sleep(0.02)

    env = environment(base_url, ca_path.resolve(), app.entra.client_secret)
    env_file = state_dir / "env"
    env_file.write_text("".join(f"export {k}={shlex.quote(v)}\n" for k, v in env.items()), encoding="utf-8")
    env_file.chmod(0o600)
    ready.write_text(base_url + "\n", encoding="utf-8")
    print(f"Azure stand-in listening on {base_url} (port {port}); source {env_file} to use it", flush=True)
    try:
        await task
        await app.stop_planes()
    finally:
        ready.unlink(missing_ok=True)
        traffic.close()
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.sandbox.standin", description=__doc__)
    parser.add_argument("--port", type=int, default=8443, help="TCP port on 127.0.0.1 (0 picks a free one)")
    parser.add_argument("--state-dir", type=Path, default=Path(".sandbox"), help="where ca.pem, env, traffic.jsonl go")
    args = parser.parse_args(argv)
    try:
        return asyncio.run(serve(args.port, args.state_dir))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
