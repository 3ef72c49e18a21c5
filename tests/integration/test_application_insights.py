"""application_insights through Ansible against the stand-in."""

import json
import subprocess
import sys
import uuid
from pathlib import Path

from tests.integration.harness import REPO_ROOT


def _workspace(ansible_module, group):
    name = "log-it-%s" % uuid.uuid4().hex[:8]
    return ansible_module("log_analytics_workspace", name=name, resource_group=group, location="westeurope")["id"]


def test_application_insights_lifecycle(ansible_module):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    name = "appi-it-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    workspace_id = _workspace(ansible_module, group)
    args = dict(name=name, resource_group=group, location="westeurope", workspace_resource_id=workspace_id)

    created = ansible_module("application_insights", **args)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    body = created.writes[0]["request_body"]
    assert body["kind"] == "web"
    assert body["properties"] == {
        "Application_Type": "web",
        "WorkspaceResourceId": workspace_id,
        "IngestionMode": "LogAnalytics",
    }
    # The connection string and instrumentation key are secrets: masked, and not returned unasked.
    properties = created["resource"]["properties"]
    assert properties["ConnectionString"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert properties["InstrumentationKey"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert "connection_string" not in created.result
    assert uuid.UUID(created["app_id"])

    again = ansible_module("application_insights", **args)
    assert not again.changed, again["changes"]
    assert again.writes == []

    checked = ansible_module("application_insights", check=True, diff=True, **dict(args, retention_in_days=90))
    assert checked.changed and checked["changes"] == ["properties.RetentionInDays"]
    assert checked["diff"]["after"]["properties"]["ConnectionString"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert checked.writes == []

    updated = ansible_module("application_insights", **dict(args, retention_in_days=90, tags={"env": "test"}))
    assert updated.changed and [w["method"] for w in updated.writes] == ["PUT"]
    assert sorted(updated["changes"]) == ["properties.RetentionInDays", "tags"]

    refused = ansible_module("application_insights", expect_failure=True, **dict(args, return_connection_string=True))
    assert "no_log" in refused["msg"] and refused.traffic == []

    deleted = ansible_module("application_insights", name=name, resource_group=group, state="absent")
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("application_insights", name=name, resource_group=group, state="absent")
    assert not gone.changed and gone.writes == []


def test_connection_string_is_returned_only_under_no_log(ansible_module, standin, tmp_path):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    name = "appi-it-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    workspace_id = _workspace(ansible_module, group)
    created = ansible_module(
        "application_insights",
        name=name,
        resource_group=group,
        location="westeurope",
        workspace_resource_id=workspace_id,
    )
    component = next(e for e in created.traffic if e["method"] == "PUT" and e["kind"] == "arm")
    connection_string = component["response_body"]["properties"]["ConnectionString"]
    assert connection_string.startswith("InstrumentationKey=")

    playbook = tmp_path / "insights.yml"
    out = tmp_path / "compared.json"
    expected = tmp_path / "expected.json"
    expected.write_text(json.dumps({"expected": connection_string}))
    playbook.write_text(
        json.dumps(
            [
                {
                    "hosts": "localhost",
                    "gather_facts": False,
                    "tasks": [
                        {
                            "mcp_platform.azure.application_insights": {
                                "name": name,
                                "resource_group": group,
                                "location": "westeurope",
                                "workspace_resource_id": workspace_id,
                                "return_connection_string": True,
                            },
                            "register": "insights",
                            "no_log": True,
                        },
                        {
                            "ansible.builtin.copy": {
                                "dest": str(out),
                                "content": "{{ {'ok': insights.connection_string == expected} | to_json }}",
                            },
                            "no_log": True,
                        },
                    ],
                }
            ]
        )
    )
    env = ansible_module.environment()
    env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.builtin.default"
    mark = standin.traffic_mark()
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("ansible-playbook")),
            "-vvvv",
            "-i",
            "localhost,",
            "-c",
            "local",
            "-e",
            "ansible_python_interpreter=%s" % sys.executable,
            # From a file: -vvvv prints extra vars given on the command line.
            "-e",
            "@%s" % expected,
            str(playbook),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert json.loads(out.read_text()) == {"ok": True}
    # Nothing to change: the connection string comes from the one read of the component.
    calls = [
        (e["method"], e["kind"]) for e in standin.traffic(since=mark) if e["kind"] in ("arm", "keyvault", "registry")
    ]
    assert calls == [("GET", "arm")], calls
    key = connection_string.split(";")[0].split("=", 1)[1]
    assert key not in completed.stdout and key not in completed.stderr
