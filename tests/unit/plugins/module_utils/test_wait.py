"""Waiting for a resource started with wait=false: poll interval, settled states, the timeout's message."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils import _wait
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ModuleError


class Clock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def states(*names):
    answers = iter(names)
    return lambda: {"properties": {"provisioningState": next(answers)}}


def test_polls_until_the_resource_is_ready():
    clock = Clock()
    found = _wait.wait_until_settled(
        states("Activating", "Activating", "Succeeded"), 100, interval=30, sleep=clock.sleep, clock=clock.time
    )
    assert _wait.provisioning_state(found) == "Succeeded"
    assert clock.sleeps == [30, 30]


def test_a_settled_resource_is_read_once():
    reads = []

    def read():
        reads.append(1)
        return {"properties": {"provisioningState": "Succeeded"}}

    clock = Clock()
    _wait.wait_until_settled(read, 100, sleep=clock.sleep, clock=clock.time)
    assert len(reads) == 1
    assert clock.sleeps == []


def test_the_timeout_names_wait_timeout_and_the_kind():
    clock = Clock()
    with pytest.raises(ModuleError, match="wait_timeout: the vCore cluster is still Provisioning after 50"):
        _wait.wait_until_settled(
            states(*["Provisioning"] * 5), 50, kind="vCore cluster", interval=30, sleep=clock.sleep, clock=clock.time
        )
    # the last sleep is cut to the deadline, not a whole interval past it
    assert clock.now == 50


@pytest.mark.parametrize(
    "state, settled",
    [("Succeeded", True), ("Failed", True), ("Canceled", True), ("Activating", False), ("Updating", False)],
)
def test_settled_states(state, settled):
    assert _wait.is_settled({"properties": {"provisioningState": state}}) is settled


def test_a_missing_resource_is_settled_and_the_interval_can_be_overridden(monkeypatch):
    assert _wait.wait_until_settled(lambda: None, 0) is None
    monkeypatch.setenv("MCP_PLATFORM_AZURE_POLLING_INTERVAL", "0.5")
    assert _wait.poll_seconds() == 0.5
    monkeypatch.setenv("MCP_PLATFORM_AZURE_POLLING_INTERVAL", "soon")
    assert _wait.poll_seconds() == _wait.DEFAULT_POLL_SECONDS
    monkeypatch.delenv("MCP_PLATFORM_AZURE_POLLING_INTERVAL")
    assert _wait.poll_seconds() == _wait.DEFAULT_POLL_SECONDS
