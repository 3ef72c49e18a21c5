"""The access model filters, called directly and through a real ansible-playbook run."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.mcp_platform.azure.plugins.filter.access_model import FilterModule
from ansible_collections.mcp_platform.azure.plugins.module_utils import _access_model as model

REPO_ROOT = Path(__file__).resolve().parents[3]
FILTERS = FilterModule().filters()


def test_every_documented_filter_is_registered():
    documented = {path.stem for path in (REPO_ROOT / "plugins" / "filter").glob("mcp_*.yml")}
    assert documented == set(FILTERS)


def test_invalid_model_becomes_a_filter_error_naming_the_path():
    servers = copy.deepcopy(model.DEFAULT_MCP_PLATFORM_SERVERS)
    servers[0]["tiers"][1]["port"] = 3000
    with pytest.raises(AnsibleFilterError, match=r"mcp_platform_servers\[0\]\.tiers\[1\]\.port: port 3000"):
        FILTERS["mcp_compile"](servers)


def test_report_formats():
    report = FILTERS["mcp_permissions_report"](model.DEFAULT_MCP_PLATFORM_SERVERS)
    assert report["servers"][0]["name"] == "mongodb"
    assert FILTERS["mcp_permissions_report"](model.DEFAULT_MCP_PLATFORM_SERVERS, "markdown").startswith("# ")
    with pytest.raises(AnsibleFilterError):
        FILTERS["mcp_permissions_report"](model.DEFAULT_MCP_PLATFORM_SERVERS, "html")


PLAYBOOK = """
- name: Access model filters from Jinja
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    mcp_platform_servers: {servers}
  tasks:
    - name: Render
      ansible.builtin.copy:
        dest: "{{{{ out }}}}"
        mode: "0600"
        content: >-
          {{{{ {{'env': mcp_platform_servers[0] | mcp_platform.azure.mcp_server_env(tier='readonly'),
                'gateway': mcp_platform_servers | mcp_platform.azure.mcp_gateway_config(
                    auth={{'issuers': ['https://127.0.0.1:9443/dev'], 'audiences': ['api://mcp-platform'],
                          'jwks_uri': 'https://127.0.0.1:9443/dev/jwks'}},
                    public_base_url='https://127.0.0.1:8443'),
                'roles': mcp_platform_servers | mcp_platform.azure.mcp_entra_app_roles}} | to_json }}}}
"""


def test_filters_work_in_a_playbook(tmp_path):
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAYBOOK.format(servers=json.dumps(model.DEFAULT_MCP_PLATFORM_SERVERS)))
    out = tmp_path / "out.json"
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO_ROOT / "ansible.cfg"))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), str(playbook), "-e", f"out={out}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rendered = json.loads(out.read_text())
    assert rendered["env"] == model.server_env(model.DEFAULT_MCP_PLATFORM_SERVERS[0], "readonly")
    assert rendered["gateway"]["servers"][0]["tiers"][1]["name"] == "readonly"
    assert {role["value"] for role in rendered["roles"]["app_roles"]} == {"MCP.Admin", "MCP.ReadOnly"}
