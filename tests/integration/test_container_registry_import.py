"""container_registry_import through Ansible against the stand-in."""

import uuid


def _registry(ansible_module):
    group = "rg-it-%s" % uuid.uuid4().hex[:8]
    name = "acrit%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    registry = ansible_module("container_registry", name=name, resource_group=group, location="westeurope")
    return group, name, registry["login_server"]


def test_import_happens_once(ansible_module):
    group, registry, _login_server = _registry(ansible_module)
    args = dict(
        registry_name=registry,
        resource_group=group,
        source_image="mongodb/mongodb-mcp-server:3.0.4",
        target_tags=["mongodb-mcp-server:3.0.4"],
    )
    checked = ansible_module("container_registry_import", check=True, **args)
    assert checked.changed and checked["changes"] == ["mongodb-mcp-server:3.0.4"] and checked.writes == []

    imported = ansible_module("container_registry_import", **args)
    assert imported.changed and [w["method"] for w in imported.writes] == ["POST"]
    assert imported.writes[0]["request_body"] == {
        "source": {"sourceImage": "mongodb/mongodb-mcp-server:3.0.4", "registryUri": "docker.io"},
        "targetTags": ["mongodb-mcp-server:3.0.4"],
        "mode": "NoForce",
    }

    again = ansible_module("container_registry_import", **args)
    assert not again.changed and again.writes == []
    assert again["present_tags"] == ["mongodb-mcp-server:3.0.4"]

    # The registry is read through ARM for its login server, then the tag on the registry itself.
    reads = [(e["kind"], e["method"]) for e in again.traffic if e["kind"] in ("arm", "registry")]
    assert reads == [("arm", "GET"), ("registry", "GET")], reads

    removed = ansible_module("container_registry_import", state="absent", **args)
    assert removed.changed and removed["changes"] == ["mongodb-mcp-server:3.0.4"]


def test_with_the_login_server_given_a_no_op_is_one_tag_read(ansible_module):
    group, registry, login_server = _registry(ansible_module)
    args = dict(
        registry_name=registry,
        resource_group=group,
        login_server=login_server,
        source_image="mongodb/mongodb-mcp-server:3.0.4",
        target_tags=["mongodb-mcp-server:3.0.4", "mongodb-mcp-server:stable"],
    )
    imported = ansible_module("container_registry_import", **args)
    assert imported.changed and [(w["kind"], w["method"]) for w in imported.writes] == [("arm", "POST")]
    assert imported["login_server"] == login_server

    again = ansible_module("container_registry_import", **args)
    assert not again.changed and again.writes == []
    assert again["present_tags"] == args["target_tags"]
    reads = [(e["kind"], e["method"], e["path"]) for e in again.traffic if e["kind"] in ("arm", "registry")]
    assert [r[:2] for r in reads] == [("registry", "GET"), ("registry", "GET")], reads
    assert [r[2].rsplit("/", 1)[-1].split("?")[0] for r in reads] == ["3.0.4", "stable"]

    # A login server that is not the registry's is not silently trusted: the tag read fails.
    wrong = ansible_module("container_registry_import", expect_failure=True, **dict(args, login_server="127.0.0.1:9"))
    assert "login_server 127.0.0.1:9" in wrong["msg"] and wrong.writes == []


def test_import_input_is_checked_before_any_call(ansible_module):
    bad_source = ansible_module(
        "container_registry_import",
        expect_failure=True,
        registry_name="acrnothere",
        resource_group="rg-nothere",
        source_image="MongoDB/Server",
    )
    assert bad_source["msg"].startswith("source_image:") and bad_source.traffic == []
    bad_target = ansible_module(
        "container_registry_import",
        expect_failure=True,
        registry_name="acrnothere",
        resource_group="rg-nothere",
        source_image="mongodb/mongodb-mcp-server:3.0.4",
        target_tags=["mongodb-mcp-server"],
    )
    assert bad_target["msg"].startswith("target_tags[0]:") and bad_target.traffic == []


def test_import_into_a_missing_registry_names_it(ansible_module):
    missing = ansible_module(
        "container_registry_import",
        expect_failure=True,
        registry_name="acr%s" % uuid.uuid4().hex[:8],
        resource_group="rg-it-%s" % uuid.uuid4().hex[:8],
        source_image="mongodb/mongodb-mcp-server:3.0.4",
    )
    assert "registry_name" in missing["msg"] and missing.writes == []
