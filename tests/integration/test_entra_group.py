"""entra_group and entra_group_info against the stand-in's Microsoft Graph."""

import uuid

# Users the stand-in's directory holds from the start.
ADA = "0a0e1f30-4b5c-4d6e-8f70-8192a3b4c5d6"
REY = "1b1f2041-5c6d-4e7f-9081-92a3b4c5d6e7"


def graph_writes(run):
    return [(w["method"], w["path"]) for w in run.writes]


def test_group_lifecycle(ansible_module):
    name = "grp-" + uuid.uuid4().hex[:8]

    preview = ansible_module("entra_group", check=True, diff=True, display_name=name, members=[ADA])
    assert preview.changed and preview["operation"] == "create" and preview.writes == []
    assert preview["diff"]["after"]["members"] == [ADA]

    created = ansible_module("entra_group", display_name=name, description="first", members=[ADA, REY])
    assert created.changed and created["operation"] == "create"
    group_id = created["id"]
    assert [w["method"] for w in created.writes] == ["POST", "POST", "POST"]
    assert created["group"]["securityEnabled"] is True and created["group"]["mailEnabled"] is False
    assert created["members_added"] == sorted([ADA, REY])

    again = ansible_module("entra_group", display_name=name, description="first", members=[REY, ADA.upper()])
    assert not again.changed and again.writes == [] and again["id"] == group_id

    # Without purge_members, a member missing from the list stays.
    kept = ansible_module("entra_group", display_name=name, members=[ADA])
    assert not kept.changed and kept.writes == []

    check_update = ansible_module(
        "entra_group", check=True, diff=True, display_name=name, description="second", members=[ADA], purge_members=True
    )
    assert check_update.changed and check_update.writes == []
    assert sorted(check_update["changes"]) == ["description", "members"]
    assert check_update["diff"]["before"]["members"] == sorted([ADA, REY])
    assert check_update["diff"]["after"]["members"] == [ADA]

    updated = ansible_module("entra_group", display_name=name, description="second", members=[ADA], purge_members=True)
    assert updated.changed and updated["members_removed"] == [REY]
    assert sorted(graph_writes(updated)) == [
        ("DELETE", "/v1.0/groups/%s/members/%s/$ref" % (group_id, REY)),
        ("PATCH", "/v1.0/groups/%s" % group_id),
    ]
    assert [w["request_body"] for w in updated.writes if w["method"] == "PATCH"] == [{"description": "second"}]

    info = ansible_module("entra_group_info", display_name=name, include_members=True)
    assert [g["id"] for g in info["groups"]] == [group_id]
    assert info["groups"][0]["description"] == "second" and info["groups"][0]["members"] == [ADA]

    deleted = ansible_module("entra_group", display_name=name, state="absent")
    assert deleted.changed and graph_writes(deleted) == [("DELETE", "/v1.0/groups/%s" % group_id)]
    gone = ansible_module("entra_group", display_name=name, state="absent")
    assert not gone.changed and gone.writes == []
    assert ansible_module("entra_group_info", display_name=name)["groups"] == []


def test_duplicate_display_names_are_refused(ansible_module, standin):
    name = "dup-" + uuid.uuid4().hex[:8]
    first = ansible_module("entra_group", display_name=name)
    second_id = _create_group_directly(standin, name)
    failed = ansible_module("entra_group", display_name=name, description="x", expect_failure=True)
    assert "display_name" in failed["msg"] and first["id"] in failed["msg"] and second_id in failed["msg"]
    assert failed.writes == []
    # The _info module lists both, it does not choose.
    assert sorted(g["id"] for g in ansible_module("entra_group_info", display_name=name)["groups"]) == sorted(
        [first["id"], second_id]
    )


def test_invalid_member_id_fails_before_any_call(ansible_module):
    failed = ansible_module(
        "entra_group", display_name="never-created", members=["ada@example.com"], expect_failure=True
    )
    assert "members" in failed["msg"] and "GUID" in failed["msg"]
    assert [t for t in failed.traffic if t["kind"] == "graph"] == []


def test_group_owners(ansible_module):
    name = "own-" + uuid.uuid4().hex[:8]
    try:
        created = ansible_module("entra_group", display_name=name, owners=[ADA])
        assert created["group"]["owners"] == [ADA]
        again = ansible_module("entra_group", display_name=name, owners=[ADA])
        assert not again.changed and again.writes == []
    finally:
        ansible_module("entra_group", display_name=name, state="absent")


def _create_group_directly(standin, name):
    """A second group with the same name, made outside the module (Entra ID allows it)."""
    import json
    import ssl
    import urllib.request

    request = urllib.request.Request(
        standin.base_url + "/v1.0/groups",
        data=json.dumps(
            {"displayName": name, "mailEnabled": False, "mailNickname": "dup", "securityEnabled": True}
        ).encode(),
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + _token(standin)},
        method="POST",
    )
    context = ssl.create_default_context(cafile=standin.env["REQUESTS_CA_BUNDLE"])
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        return json.loads(response.read())["id"]


def _token(standin):
    import json
    import ssl
    import urllib.parse
    import urllib.request

    env = standin.env
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": env["AZURE_CLIENT_ID"],
            "client_secret": env["AZURE_SECRET"],
            "scope": standin.base_url + "/.default",
        }
    ).encode()
    request = urllib.request.Request(
        "%s/%s/oauth2/v2.0/token" % (standin.base_url, env["AZURE_TENANT"]), data=form, method="POST"
    )
    context = ssl.create_default_context(cafile=env["REQUESTS_CA_BUNDLE"])
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        return json.loads(response.read())["access_token"]
