"""With faults injected at a set rate, a converge completes or stops cleanly; a re-run completes without duplicates."""

import collections
import json
import re

CLEAR_ERROR = re.compile(r"(TooManyRequests|InternalServerError|Failed|failed|Canceled)")


def password_versions(standin, deployment):
    """Versions of the vCore password secret written through ARM or the data plane during the runs."""
    prefix = f"{deployment['mcp_platform_name_prefix']}-kv"
    writes = [
        entry
        for entry in standin.traffic()
        if entry["method"] in ("PUT", "PATCH")
        and entry["status"] < 300
        and prefix in entry["path"].lower()
        and "password" in entry["path"].lower()
        and "/secrets/" in entry["path"].lower()
    ]
    return writes


def test_converge_under_faults_then_rerun(standin, arm, deployment):
    first, second = deployment.faulted, deployment.converged
    injected = [entry for entry in first.traffic if entry.get("fault")]
    assert injected, "no fault was injected: the test proves nothing"
    if first.rc != 0:
        # A clean stop: Ansible's failure report with Azure's error, never a Python traceback.
        assert "Traceback (most recent call last)" not in first.output, first.output[-5000:]
        assert CLEAR_ERROR.search(first.output), first.output[-5000:]
    assert second.rc == 0, second.output[-5000:]
    deployment = deployment.variables

    # No resource twice: ARM ids are unique by construction, so look where names are not ids.
    group = arm.group_path(deployment["mcp_platform_resource_group"])
    assignments = arm.request("GET", f"{group}/providers/Microsoft.Authorization/roleAssignments", "2022-04-01")[
        "value"
    ]
    meanings = collections.Counter(
        tuple(a["properties"][key].lower() for key in ("principalId", "roleDefinitionId", "scope")) for a in assignments
    )
    assert [m for m, n in meanings.items() if n > 1] == [], "role assignments made twice"
    applications = arm.request("GET", "/v1.0/applications")["value"]
    names = collections.Counter(a["displayName"] for a in applications)
    assert names[f"{deployment['mcp_platform_name_prefix']}-mcp-platform"] == 1, names
    groups = collections.Counter(g["displayName"] for g in arm.request("GET", "/v1.0/groups")["value"])
    assert all(groups[name] == 1 for name in ("MCP-Admin", "MCP-Read-Only")), groups

    # The password was generated once: one successful write of its secret across both runs.
    versions = password_versions(standin, deployment)
    assert len(versions) == 1, json.dumps([(v["method"], v["path"]) for v in versions])
