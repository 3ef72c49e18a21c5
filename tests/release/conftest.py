"""Fixtures for the release checks: the collection built with ansible-galaxy and installed from the tarball."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def clean_ansible_env(**extra: str) -> dict[str, str]:
    """The environment of a user who installed the collection: no checkout configuration at all."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    env.update(ANSIBLE_FORCE_COLOR="0", ANSIBLE_NOCOLOR="1", PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
    env.update(extra)
    return env


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 300):
    result = subprocess.run(
        [str(arg) for arg in argv],
        cwd=cwd,
        env=env or clean_ansible_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, argv))} exited {result.returncode}\n{result.stdout[-6000:]}\n{result.stderr[-4000:]}"
    )
    return result


@pytest.fixture(scope="session")
def collection_tarball(tmp_path_factory) -> Path:
    """`ansible-galaxy collection build` of this checkout, as a user or a release job runs it."""
    output = tmp_path_factory.mktemp("dist")
    run([BIN / "ansible-galaxy", "collection", "build", "--output-path", output, REPO], cwd=output)
    tarballs = list(output.glob("mcp_platform-azure-*.tar.gz"))
    assert len(tarballs) == 1, tarballs
    return tarballs[0]


@pytest.fixture(scope="session")
def installed_collection(collection_tarball, tmp_path_factory) -> Path:
    """The tarball installed offline into an empty collections path; returns that path."""
    collections = tmp_path_factory.mktemp("collections")
    # Only the empty path counts: a copy installed elsewhere (~/.ansible/collections) must neither
    # satisfy the install ("already installed") nor be what the playbooks later run.
    run(
        [BIN / "ansible-galaxy", "collection", "install", "--offline", "-p", collections, collection_tarball],
        cwd=collections,
        env=clean_ansible_env(ANSIBLE_COLLECTIONS_PATH=str(collections)),
    )
    assert (collections / "ansible_collections" / "mcp_platform" / "azure" / "MANIFEST.json").is_file()
    return collections


@pytest.fixture(scope="session")
def outside_checkout(tmp_path_factory) -> Path:
    """A working directory with no ansible.cfg and no way back to the checkout."""
    return tmp_path_factory.mktemp("elsewhere")
