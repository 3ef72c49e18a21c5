"""A whole playbook at -vvvv --diff: a generated vCore password, a container secure value and the Log
Analytics key the container group module reads itself never show.

The playbook generates the administrator password itself (ansible.builtin.password), builds the
connection string that carries it, hands that to a container as a secure environment value, runs
everything twice (the second run must change nothing) and removes what it made. The test then looks
for both values, verbatim and URL-encoded, in everything Ansible printed and in the stand-in's whole
traffic log, after proving from that log that both values really were sent. The workspace's shared
keys are read by the test straight from the stand-in; the playbook never names them.
"""

import json
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

from azure.mgmt.loganalytics import LogAnalyticsManagementClient

from tests.integration.harness import REPO_ROOT, ModuleRunner
from tests.sandbox.clients import mgmt

PLAYBOOK = r"""
- name: Secrets stay secret at any verbosity
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    group: "{{ resource_group_name }}"
  tasks:
    - name: Generate the vCore administrator password
      ansible.builtin.set_fact:
        mongo_password: "{{ lookup('ansible.builtin.password', '/dev/null length=32 chars=ascii_letters,digits') }}"
      no_log: true

    - name: A resource group
      mcp_platform.azure.resource_group:
        name: "{{ group }}"
        location: westeurope

    - name: The vCore cluster, twice
      mcp_platform.azure.mongo_cluster:
        name: "{{ cluster_name }}"
        resource_group: "{{ group }}"
        location: westeurope
        compute_tier: M30
        storage_size_gb: 64
        high_availability: ZoneRedundantPreferred
        public_network_access: Disabled
        administrator_user_name: mcpadmin
        administrator_password: "{{ mongo_password }}"
      register: cluster
      loop: [first, second]

    - name: The connection string the containers use, with the password in it
      ansible.builtin.set_fact:
        connection_string: >-
          {{ cluster.results[0].connection_string
             | replace('<user>', 'mcpadmin') | replace('<password>', mongo_password | urlencode) }}
      no_log: true

    - name: Keep the generated values where only the test reads them
      ansible.builtin.copy:
        dest: "{{ secrets_file }}"
        content: "{{ {'mongo_password': mongo_password, 'connection_string': connection_string} | to_json }}"
        mode: "0600"
      no_log: true

    - name: The container group, twice
      mcp_platform.azure.container_group:
        name: "{{ cluster_name }}-aci"
        resource_group: "{{ group }}"
        location: westeurope
        ip_address:
          type: Public
        log_analytics:
          workspace_resource_id: "{{ workspace_resource_id }}"
        containers:
          - name: admin
            image: acr.example.io/mongodb-mcp-server:3.0.4
            ports: [{port: 3000}]
            environment_variables:
              - {name: MDB_MCP_HTTP_HOST, value: 0.0.0.0}
              - {name: MDB_MCP_CONNECTION_STRING, secure_value: "{{ connection_string }}"}
      register: group_runs
      loop: [first, second]

    - name: Show everything the modules returned
      ansible.builtin.debug:
        var: item
      loop: "{{ cluster.results + group_runs.results }}"

    - name: The second runs changed nothing
      ansible.builtin.assert:
        that:
          - cluster.results[0] is changed
          - cluster.results[1] is not changed
          - group_runs.results[0] is changed
          - group_runs.results[1] is not changed

    - name: Remove the container group
      mcp_platform.azure.container_group:
        name: "{{ cluster_name }}-aci"
        resource_group: "{{ group }}"
        state: absent

    - name: Remove the cluster
      mcp_platform.azure.mongo_cluster:
        name: "{{ cluster_name }}"
        resource_group: "{{ group }}"
        state: absent
        allow_data_loss: true

    - name: Remove the resource group
      mcp_platform.azure.resource_group:
        name: "{{ group }}"
        state: absent
"""


def test_generated_password_and_secure_value_never_printed(standin, tmp_path, monkeypatch):
    playbook = tmp_path / "secrets.yml"
    playbook.write_text(PLAYBOOK)
    secrets_file = tmp_path / "generated.json"
    runner = ModuleRunner(standin)
    env = runner.environment()
    env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.builtin.default"
    suffix = uuid.uuid4().hex[:8]
    group = "rg-leak-%s" % suffix
    runner("resource_group", name=group, location="westeurope")
    workspace = runner("log_analytics_workspace", name="log-leak", resource_group=group, location="westeurope")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", standin.env["REQUESTS_CA_BUNDLE"])
    keys = mgmt(LogAnalyticsManagementClient, standin.env).shared_keys.get_shared_keys(group, "log-leak")
    workspace_keys = [keys.primary_shared_key, keys.secondary_shared_key]
    mark = standin.traffic_mark()
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("ansible-playbook")),
            "-vvvv",
            "--diff",
            "-i",
            "localhost,",
            "-e",
            "ansible_python_interpreter=%s" % sys.executable,
            "-e",
            "resource_group_name=%s cluster_name=vc-leak-%s secrets_file=%s workspace_resource_id=%s"
            % (group, suffix, secrets_file, workspace["id"]),
            str(playbook),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    printed = completed.stdout + completed.stderr
    assert completed.returncode == 0, printed[-4000:]
    assert "PLAY RECAP" in printed and "failed=0" in printed

    generated = json.loads(secrets_file.read_text())
    password, connection_string = generated["mongo_password"], generated["connection_string"]
    assert len(password) == 32 and password.isalnum()
    assert password in connection_string

    # Both values really went to Azure: the stand-in received them (and logged them redacted).
    traffic = standin.traffic(since=mark)
    cluster_puts = [t for t in traffic if t["method"] == "PUT" and "/mongoClusters/" in t["path"]]
    group_puts = [t for t in traffic if t["method"] == "PUT" and "/containerGroups/" in t["path"]]
    assert len(cluster_puts) == 1 and len(group_puts) == 1, "the second runs must not write"
    assert cluster_puts[0]["request_body"]["properties"]["administrator"]["password"] == "**redacted**"
    env_sent = group_puts[0]["request_body"]["properties"]["containers"][0]["properties"]["environmentVariables"]
    assert env_sent[1] == {"name": "MDB_MCP_CONNECTION_STRING", "secureValue": "**redacted**"}
    assert group_puts[0]["request_body"]["properties"]["diagnostics"]["logAnalytics"]["workspaceKey"] == "**redacted**"
    key_reads = [t for t in traffic if t["method"] == "POST" and t["path"].lower().endswith("/sharedkeys")]
    assert len(key_reads) == 1, "the key is read for the one write only"

    whole_log = Path(standin.state_dir, "traffic.jsonl").read_text()
    for secret in (
        password,
        *workspace_keys,
        connection_string,
        quote(password, safe=""),
        quote(connection_string, safe=""),
    ):
        assert secret not in printed, "a secret was printed by ansible-playbook -vvvv"
        assert secret not in whole_log, "a secret reached the stand-in's traffic log"
