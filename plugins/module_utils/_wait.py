# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for a long-running resource that was started without waiting (API Management, vCore).

A play starts the 30-45 minute API Management service and the 10-15 minute vCore cluster with
``wait: false`` and goes on; the first task that needs one waits here, reading the resource until
its provisioning state says no operation is running any more.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    ArmError,
    ModuleError,
    list_resources,
)

# Provisioning states after which a resource accepts changes again. Every other state (Creating,
# Activating, Updating, Provisioning, Terminating, Upgrading...) means an operation is still running.
SETTLED_STATES = ("succeeded", "failed", "canceled", "cancelled", "stopped", "deleted", "terminationfailed")
# The waited-for operations take 10-45 minutes: polling more often than this only costs requests.
DEFAULT_POLL_SECONDS = 30
POLL_SECONDS_VARIABLE = "MCP_PLATFORM_AZURE_POLLING_INTERVAL"

# Options of an info module that can wait for the one resource it names.
WAIT_ARGUMENT_SPEC = dict(
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=3600),
    fail_on_failed=dict(type="bool", default=True),
)


def provisioning_state(resource):
    return ((resource or {}).get("properties") or {}).get("provisioningState")


def is_settled(resource):
    """True when no operation is running on the resource (or it does not exist)."""
    if resource is None:
        return True
    return str(provisioning_state(resource) or "succeeded").lower() in SETTLED_STATES


def poll_seconds():
    """Seconds between two reads while waiting; the environment variable overrides the default."""
    value = os.environ.get(POLL_SECONDS_VARIABLE)
    try:
        return max(0.0, float(value)) if value not in (None, "") else DEFAULT_POLL_SECONDS
    except ValueError:
        return DEFAULT_POLL_SECONDS


def wait_until_settled(read, timeout, kind="resource", interval=None, sleep=time.sleep, clock=time.monotonic):
    """Call ``read()`` until the resource it returns is settled; returns it.

    Raises ModuleError naming ``wait_timeout`` when the resource is still busy after ``timeout`` seconds.
    """
    interval = poll_seconds() if interval is None else interval
    deadline = clock() + timeout
    while True:
        resource = read()
        if is_settled(resource):
            return resource
        if clock() >= deadline:
            raise ModuleError(
                "wait_timeout: the %s is still %s after %s seconds; run the task again later, or raise "
                "wait_timeout" % (kind, provisioning_state(resource), timeout)
            )
        sleep(max(0.0, min(interval, deadline - clock())))


def find_or_wait(arm, resource):
    """The resources an info module with WAIT_ARGUMENT_SPEC returns, waiting first when asked to.

    With ``wait`` and ``name``: the named resource once settled (one read when it already is), or
    none when it does not exist; the task fails when it settled as Failed and ``fail_on_failed``.
    Otherwise every resource ``list_resources`` finds. Fails the task on bad options or ARM errors.
    """
    params = arm.params
    if params["wait"] and not params.get("name"):
        arm.fail("wait: needs name (only one %s can be waited for)" % resource.kind)
    if params["wait_timeout"] < 0:
        arm.fail("wait_timeout: must not be negative")
    try:
        if not params["wait"]:
            return list_resources(arm, resource)
        operations = arm.operations(resource.sdk)
        found = wait_until_settled(
            lambda: arm.get_or_none(operations.get, params["resource_group"], params["name"]),
            params["wait_timeout"],
            kind=resource.kind,
        )
    except ModuleError as exc:
        arm.fail(str(exc))
    except ArmError as error:
        arm.fail_arm(error, "read the %s" % resource.kind)
    if found is not None and params["fail_on_failed"] and str(provisioning_state(found)).lower() == "failed":
        arm.fail("the %s %s settled in the Failed state" % (resource.kind, params["name"]), resources=[found])
    return [found] if found is not None else []
