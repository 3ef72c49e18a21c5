"""key_vault_secret through Ansible against the stand-in (ARM for writes, the data plane for reads)."""

import json
import subprocess
import sys
import uuid
from pathlib import Path

import jwt

from tests.integration.harness import REPO_ROOT
from tests.sandbox.clients import credential as sandbox_credential

SECRETS_OFFICER = "Key Vault Secrets Officer"
VAULT_URIS = {}  # vault name -> data-plane URI, as the key_vault module returned it


def _deployer_object_id(standin):
    env = standin.env
    credential = sandbox_credential(env, connection_verify=env["REQUESTS_CA_BUNDLE"])
    token = credential.get_token("https://management.azure.com/.default").token
    return jwt.decode(token, options={"verify_signature": False})["oid"]


def _vault(ansible_module, standin):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    vault = "kv-it-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    made = ansible_module("key_vault", name=vault, resource_group=group, location="westeurope")
    vault_id, VAULT_URIS[vault] = made["id"], made["vault_uri"]
    # RBAC mode: data-plane reads and deletes need a role on the vault.
    ansible_module(
        "role_assignment",
        scope=vault_id,
        role=SECRETS_OFFICER,
        principal_id=_deployer_object_id(standin),
        principal_type="ServicePrincipal",
    )
    return group, vault


def _reads(standin, mark):
    """(kind, method, status) of the ARM and data-plane reads since ``mark``."""
    return [
        (e["kind"], e["method"], e["status"])
        for e in standin.traffic(since=mark)
        if e["kind"] in ("arm", "keyvault") and e["method"] == "GET"
    ]


def _playbook(ansible_module, tmp_path, task_args, expected):
    """Run the module with return_value under no_log at -vvvv; True when the value equals ``expected``."""
    playbook = tmp_path / "secret.yml"
    compared = tmp_path / "compared.json"
    expected_file = tmp_path / "expected.json"
    expected_file.write_text(json.dumps({"expected": expected}))
    tasks = [
        {
            "mcp_platform.azure.key_vault_secret": dict(task_args, return_value=True),
            "register": "secret",
            "no_log": True,
        },
        {
            "ansible.builtin.copy": {
                "dest": str(compared),
                "content": "{{ {'equal': secret.value == expected, 'changed': secret.changed} | to_json }}",
            },
            "no_log": True,
        },
    ]
    playbook.write_text(json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]))
    env = ansible_module.environment()
    env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.builtin.default"
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
            "-e",
            "@%s" % expected_file,
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
    assert expected not in completed.stdout and expected not in completed.stderr
    return json.loads(compared.read_text())


def test_generated_secret_is_written_once_and_rotated_only_on_request(ansible_module, standin):
    group, vault = _vault(ansible_module, standin)
    args = dict(vault_name=vault, resource_group=group, name="mongo-admin-password", length=40)

    created = ansible_module("key_vault_secret", **args)
    assert created.changed and created["operation"] == "create" and created["generated"]
    assert [w["method"] for w in created.writes] == ["PUT"]
    put = created.writes[0]["request_body"]
    assert put["tags"] == {"mcp-platform-fingerprint": "generated"}
    assert created["resource"]["properties"].get("value") in (None, "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER")
    assert "value" not in created.result

    again = ansible_module("key_vault_secret", **args)
    assert not again.changed and again.writes == [] and not again["generated"]

    checked = ansible_module("key_vault_secret", check=True, diff=True, **dict(args, content_type="text/plain"))
    assert checked.changed and checked["changes"] == ["properties.contentType"]
    assert checked.writes == []

    # A metadata change is a PATCH without a value: no new version, no rotation.
    updated = ansible_module("key_vault_secret", **dict(args, content_type="text/plain"))
    assert [w["method"] for w in updated.writes] == ["PATCH"]
    assert "value" not in updated.writes[0]["request_body"].get("properties", {})
    assert updated.writes[0]["request_body"]["tags"] == {"mcp-platform-fingerprint": "generated"}
    assert not ansible_module("key_vault_secret", **dict(args, content_type="text/plain")).changed

    rotated = ansible_module("key_vault_secret", **dict(args, rotate=True))
    assert rotated.changed and rotated["generated"] and [w["method"] for w in rotated.writes] == ["PUT"]
    assert rotated["changes"] == ["properties.value (write-only)"]
    # The content type set earlier is carried over by the full PUT.
    assert rotated.writes[0]["request_body"]["properties"]["contentType"] == "text/plain"

    refused = ansible_module("key_vault_secret", expect_failure=True, **dict(args, return_value=True))
    assert "no_log" in refused["msg"] and refused.traffic == []

    deleted = ansible_module(
        "key_vault_secret", vault_name=vault, resource_group=group, name=args["name"], state="absent"
    )
    # The data plane answers the first, token-less request with a 401 challenge: count what succeeded.
    done = [(w["method"], w["kind"]) for w in deleted.writes if w["status"] < 400]
    assert deleted.changed and done == [("DELETE", "keyvault")]
    gone = ansible_module("key_vault_secret", vault_name=vault, resource_group=group, name=args["name"], state="absent")
    assert not gone.changed and gone.writes == []


def test_given_value_is_compared_by_fingerprint_and_read_back_under_no_log(ansible_module, standin, tmp_path):
    group, vault = _vault(ansible_module, standin)
    value = "given-%s" % uuid.uuid4().hex
    args = dict(vault_name=vault, resource_group=group, name="connection-string", value=value)

    created = ansible_module("key_vault_secret", **args)
    assert created.changed and not created["generated"]
    marker = created.writes[0]["request_body"]["tags"]["mcp-platform-fingerprint"]
    assert marker.startswith("pbkdf2-sha256:") and value not in json.dumps(created.result)

    again = ansible_module("key_vault_secret", **args)
    assert not again.changed and again.writes == []

    checked = ansible_module("key_vault_secret", check=True, diff=True, **dict(args, value=value + "-2"))
    assert checked.changed and checked["changes"] == ["properties.value (write-only)"]
    assert checked.writes == [] and value not in json.dumps(checked.result)

    # Not written in this run: the value comes back through the data plane.
    mark = standin.traffic_mark()
    assert _playbook(ansible_module, tmp_path, args, value) == {"equal": True, "changed": False}
    # The vault is read through ARM for its URI; the secret, value included, in one data-plane GET.
    assert _reads(standin, mark) == [("arm", "GET", 200), ("keyvault", "GET", 200)]

    # With the vault's URI given, a no-op is one read: the secret on the data plane, bearer sent at once.
    mark = standin.traffic_mark()
    with_uri = dict(args, vault_uri=VAULT_URIS[vault])
    assert _playbook(ansible_module, tmp_path, with_uri, value) == {"equal": True, "changed": False}
    assert _reads(standin, mark) == [("keyvault", "GET", 200)]
    secret_get = next(e for e in standin.traffic(since=mark) if e["kind"] == "keyvault")
    assert secret_get["path"].split("?")[0].endswith("/secrets/connection-string")

    # A metadata change still goes through ARM, and the value read on the data plane is returned.
    mark = standin.traffic_mark()
    tagged = dict(with_uri, tags={"owner": "platform"})
    assert _playbook(ansible_module, tmp_path, tagged, value) == {"equal": True, "changed": True}
    assert [(e["kind"], e["method"]) for e in standin.write_calls(since=mark)] == [("arm", "PATCH")]
    assert _reads(standin, mark) == [("keyvault", "GET", 200)]

    changed = ansible_module("key_vault_secret", **dict(args, value=value + "-2"))
    assert changed.changed and [w["method"] for w in changed.writes] == ["PUT"]
    assert changed.writes[0]["request_body"]["tags"]["mcp-platform-fingerprint"] != marker


def test_without_a_data_plane_role_a_generated_secret_is_still_made_and_returned(ansible_module, standin, tmp_path):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    vault = "kv-it-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    made = ansible_module("key_vault", name=vault, resource_group=group, location="westeurope")
    args = dict(vault_name=vault, resource_group=group, vault_uri=made["vault_uri"], name="gateway-key", length=48)

    # The data plane refuses (no role on the vault): the secret is read through ARM and written there.
    mark = standin.traffic_mark()
    outcome = _playbook(ansible_module, tmp_path, args, "never-equal")
    assert outcome == {"equal": False, "changed": True}
    assert _reads(standin, mark) == [("keyvault", "GET", 403), ("arm", "GET", 404)]
    assert [(e["kind"], e["method"]) for e in standin.write_calls(since=mark)] == [("arm", "PUT")]
