"""The platform's Entra ID access control, end to end against the stand-in, as real playbooks.

Groups MCP-Admin and MCP-Read-Only with members, the app registration with the app roles the access
model compiles (MCP.Admin, MCP.ReadOnly) and group claims, its service principal with assignment
required, and both role assignments; a second run writes nothing; dropping a member with
purge_members removes exactly that member; teardown removes everything.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import unique_name
from tests.integration.graph_direct import graph_reads
from tests.integration.harness import REPO_ROOT

ADA = "0a0e1f30-4b5c-4d6e-8f70-8192a3b4c5d6"
REY = "1b1f2041-5c6d-4e7f-9081-92a3b4c5d6e7"
APP_NAME = "mcp-platform-entra-test"

ACCESS_MODEL = [
    {
        "name": "mongodb",
        "package": "mongodb-mcp-server",
        "version": "3.0.4",
        "tiers": [
            {
                "name": "admin",
                "port": 3000,
                "principals": {"groups": ["MCP-Admin"], "app_roles": ["MCP.Admin"]},
                "tools": {"allow": "*"},
            },
            {
                "name": "readonly",
                "port": 3001,
                "principals": {"groups": ["MCP-Read-Only"], "app_roles": ["MCP.ReadOnly"]},
                "tools": {"allow_operation_types": ["read", "metadata"]},
            },
        ],
        "disabled_tools": ["connect", "search-knowledge", "list-knowledge-sources"],
        "confirmation_required_tools": ["drop-database", "drop-collection", "delete-many", "drop-index"],
    }
]

SITE = """
- name: Entra ID access control of the MCP platform
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Groups
      mcp_platform.azure.entra_group:
        display_name: "{{ item.name }}"
        description: "{{ item.description }}"
        members: "{{ item.members }}"
        purge_members: "{{ purge_members }}"
      loop: "{{ entra_groups }}"
      register: group_runs

    - name: App registration with the access model's roles
      mcp_platform.azure.entra_application:
        display_name: "{{ app_name }}"
        sign_in_audience: AzureADMyOrg
        requested_access_token_version: 2
        group_membership_claims: SecurityGroup
        app_roles: "{{ (mcp_platform_servers | mcp_platform.azure.mcp_entra_app_roles(app_name=app_name)).app_roles }}"
        required_resource_access:
          - resource_app_id: 00000003-0000-0000-c000-000000000000
            resource_access:
              - id: bc024368-1153-4739-b217-4326f2e966d0
                type: Scope
        public_client_redirect_uris:
          - http://127.0.0.1:33418
          - http://localhost:6274/oauth/callback
      register: app

    - name: Its service principal, assignment required
      mcp_platform.azure.entra_service_principal:
        app_id: "{{ app.app_id }}"
        app_role_assignment_required: true
        tags: [WindowsAzureActiveDirectoryIntegratedApp]
      register: sp

    - name: Roles to groups, as the access model says
      mcp_platform.azure.entra_app_role_assignment:
        resource_app_id: "{{ app.app_id }}"
        app_role_id: "{{ item.app_role_id }}"
        principal_id: "{{ item.group_id }}"
      loop: "{{ (mcp_platform_servers | mcp_platform.azure.mcp_entra_app_roles(app_name=app_name,
                 group_ids=group_ids)).assignments }}"
      vars:
        group_ids: "{{ dict(group_runs.results | map(attribute='item.name')
                       | zip(group_runs.results | map(attribute='id'))) }}"
      register: assignment_runs

    - name: What this run did
      ansible.builtin.copy:
        content: "{{ {'groups': group_runs.results, 'app': app, 'sp': sp,
                      'assignments': assignment_runs.results} | to_json }}"
        dest: "{{ out_file }}"
        mode: "0600"
"""

TEARDOWN = """
- name: Remove the platform's Entra ID objects
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Look up the application
      mcp_platform.azure.entra_application_info:
        display_name: "{{ app_name }}"
      register: app

    - name: Role assignments
      mcp_platform.azure.entra_app_role_assignment:
        resource_app_id: "{{ app.applications[0].appId }}"
        app_role: "{{ item.0 }}"
        principal_id: "{{ item.1 }}"
        state: absent
      loop: "{{ assignment_pairs }}"
      register: assignment_runs

    - name: Service principal
      mcp_platform.azure.entra_service_principal:
        app_id: "{{ app.applications[0].appId }}"
        state: absent
      register: sp

    - name: Application
      mcp_platform.azure.entra_application:
        display_name: "{{ app_name }}"
        state: absent
      register: deleted_app

    - name: Groups
      mcp_platform.azure.entra_group:
        display_name: "{{ item.name }}"
        state: absent
      loop: "{{ entra_groups }}"
      register: group_runs

    - name: What this run did
      ansible.builtin.copy:
        content: "{{ {'groups': group_runs.results, 'app': deleted_app, 'sp': sp,
                      'assignments': assignment_runs.results} | to_json }}"
        dest: "{{ out_file }}"
        mode: "0600"
"""


def groups(read_only_members):
    return [
        {"name": "MCP-Admin", "description": "MCP administrators", "members": [ADA]},
        {"name": "MCP-Read-Only", "description": "MCP read-only users", "members": read_only_members},
    ]


@pytest.fixture
def playbook(ansible_module, standin, tmp_path):
    """Runs a playbook against the stand-in; returns (what it recorded, the stand-in write calls it made).

    ``run.traffic`` then holds every stand-in exchange of that playbook run.
    """

    def run(text, **extra_vars):
        path = tmp_path / "playbook.yml"
        path.write_text(text)
        out_file = tmp_path / "out.json"
        out_file.unlink(missing_ok=True)
        variables = dict(mcp_platform_servers=ACCESS_MODEL, app_name=APP_NAME, out_file=str(out_file), **extra_vars)
        (tmp_path / "vars.json").write_text(json.dumps(variables))
        env = ansible_module.environment()
        env["ANSIBLE_STDOUT_CALLBACK"] = "default"
        mark = standin.traffic_mark()
        completed = subprocess.run(
            [
                str(Path(sys.executable).with_name("ansible-playbook")),
                "-i",
                "localhost,",
                "-c",
                "local",
                "-e",
                "ansible_python_interpreter=%s" % sys.executable,
                "-e",
                "@%s" % (tmp_path / "vars.json"),
                str(path),
            ],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
        run.traffic = standin.traffic(since=mark)
        return json.loads(out_file.read_text()), standin.write_calls(since=mark)

    return run


def writes_of(writes):
    return sorted((w["method"], w["path"]) for w in writes)


def test_entra_platform(playbook, ansible_module):
    # ---- create ------------------------------------------------------------------------------------
    created, writes = playbook(SITE, entra_groups=groups([ADA, REY]), purge_members=False)
    admin, read_only = created["groups"]
    assert admin["changed"] and admin["operation"] == "create" and admin["group"]["members"] == [ADA]
    assert read_only["group"]["members"] == sorted([ADA, REY])
    app = created["app"]["application"]
    assert app["groupMembershipClaims"] == "SecurityGroup"
    assert app["api"]["requestedAccessTokenVersion"] == 2
    assert app["identifierUris"] == ["api://%s" % app["appId"]]
    roles = dict((r["value"], r) for r in app["appRoles"])
    assert sorted(roles) == ["MCP.Admin", "MCP.ReadOnly"] and all(r["isEnabled"] for r in roles.values())
    sp = created["sp"]["service_principal"]
    assert sp["appRoleAssignmentRequired"] is True and sp["appId"] == app["appId"]
    assigned = sorted((a["assignment"]["appRoleId"], a["assignment"]["principalId"]) for a in created["assignments"])
    assert assigned == sorted([(roles["MCP.Admin"]["id"], admin["id"]), (roles["MCP.ReadOnly"]["id"], read_only["id"])])
    methods = [w["method"] for w in writes]
    # 3 member refs, service principal, 2 assignments; 2 groups and the application created by upsert on their
    # uniqueName, and the application's identifier URI
    assert methods.count("POST") == 3 + 1 + 2 and methods.count("PATCH") == 2 + 1 + 1 and "DELETE" not in methods
    upserts = sorted(w["path"] for w in writes if "(uniqueName=" in w["path"])
    assert upserts == sorted(
        ["/v1.0/groups(uniqueName='%s')" % unique_name("group", name) for name in ("MCP-Admin", "MCP-Read-Only")]
        + ["/v1.0/applications(uniqueName='%s')" % unique_name("application", APP_NAME)]
    )

    # ---- the same again: nothing to do, not one write call, one read per managed object ----------
    again, writes = playbook(SITE, entra_groups=groups([ADA, REY]), purge_members=False)
    assert writes == []
    reads = sorted(read[0] for read in graph_reads(playbook.traffic))
    principal = "/v1.0/servicePrincipals(appId='%s')" % app["appId"]
    assert reads == ["/v1.0/applications", "/v1.0/groups", "/v1.0/groups", principal, principal, principal]
    assert not any(r["changed"] for r in again["groups"] + again["assignments"] + [again["app"], again["sp"]])
    assert again["app"]["application"]["appRoles"] == app["appRoles"]

    # ---- drop Ada from MCP-Read-Only with purge_members ------------------------------------------
    purged, writes = playbook(SITE, entra_groups=groups([REY]), purge_members=True)
    assert writes_of(writes) == [("DELETE", "/v1.0/groups/%s/members/%s/$ref" % (read_only["id"], ADA))]
    assert purged["groups"][1]["members_removed"] == [ADA] and purged["groups"][1]["group"]["members"] == [REY]
    assert not purged["groups"][0]["changed"]

    # ---- tear it all down --------------------------------------------------------------------------
    pairs = [["MCP.Admin", admin["id"]], ["MCP.ReadOnly", read_only["id"]]]
    removed, writes = playbook(TEARDOWN, entra_groups=groups([REY]), assignment_pairs=pairs)
    assert all(r["changed"] for r in removed["groups"] + removed["assignments"] + [removed["app"], removed["sp"]])
    assert [w["method"] for w in writes] == ["DELETE"] * 6
    for name in ("MCP-Admin", "MCP-Read-Only"):
        assert ansible_module("entra_group_info", display_name=name)["groups"] == []
    assert ansible_module("entra_application_info", display_name=APP_NAME)["applications"] == []
