"""mongo_cluster and mongo_cluster_info through Ansible against the stand-in."""

import json
import uuid

import pytest

PASSWORD = "Vc0re-" + uuid.uuid4().hex  # unique per session, so a leak cannot hide behind a fixed string
NEW_PASSWORD = "Vc0re-" + uuid.uuid4().hex


@pytest.fixture(scope="module")
def resource_group(ansible_module):
    name = "rg-it-mongo-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=name, location="westeurope")
    yield name
    ansible_module("resource_group", name=name, state="absent")


def cluster_args(resource_group, name, **overrides):
    args = dict(
        name=name,
        resource_group=resource_group,
        location="westeurope",
        compute_tier="M30",
        storage_size_gb=64,
        high_availability="ZoneRedundantPreferred",
        shard_count=1,
        server_version="8.0",
        public_network_access="Disabled",
        administrator_user_name="mcpadmin",
        administrator_password=PASSWORD,
        tags={"env": "test"},
    )
    args.update(overrides)
    return args


def cluster_reads(run, name):
    return [
        e for e in run.traffic if e["method"] == "GET" and e["path"].split("?")[0].endswith("/mongoClusters/" + name)
    ]


def assert_no_password(run, *secrets):
    for secret in secrets:
        assert secret not in json.dumps(run.result)
        assert secret not in json.dumps(run.traffic)
        assert secret not in run.stderr


def test_mongo_cluster_lifecycle(ansible_module, resource_group):
    name = "vc-it-%s" % uuid.uuid4().hex[:8]
    args = cluster_args(resource_group, name)

    created = ansible_module("mongo_cluster", **args)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    sent = created.writes[0]["request_body"]
    assert sent["properties"]["compute"] == {"tier": "M30"}
    assert sent["properties"]["highAvailability"] == {"targetMode": "ZoneRedundantPreferred"}
    assert sent["properties"]["administrator"]["userName"] == "mcpadmin"
    assert sent["tags"]["env"] == "test" and sent["tags"]["mcp-platform-fingerprint"].startswith("pbkdf2-sha256:")
    # The service settled ZoneRedundantPreferred as SameZone (a region without zones).
    assert created["resource"]["properties"]["highAvailability"]["targetMode"] == "SameZone"
    assert "password" not in created["resource"]["properties"]["administrator"]
    assert created["connection_string"].startswith("mongodb+srv://<user>:<password>@")
    assert_no_password(created, PASSWORD)

    again = ansible_module("mongo_cluster", **args)
    assert not again.changed, again["changes"]
    assert again.writes == []
    assert not [t for t in again.traffic if t["method"] in ("PUT", "PATCH", "DELETE", "POST") and t["kind"] == "arm"]
    assert again["connection_string"] == created["connection_string"]

    preview = ansible_module("mongo_cluster", check=True, diff=True, **dict(args, compute_tier="M40"))
    assert preview.changed and preview["changes"] == ["properties.compute.tier"]
    assert preview["diff"]["before"]["properties"]["compute"]["tier"] == "M30"
    assert preview["diff"]["after"]["properties"]["compute"]["tier"] == "M40"
    assert preview.writes == []
    assert_no_password(preview, PASSWORD)

    scaled = ansible_module("mongo_cluster", **dict(args, compute_tier="M40", storage_size_gb=128))
    assert scaled.changed and scaled["operation"] == "update"
    assert sorted(scaled["changes"]) == ["properties.compute.tier", "properties.storage.sizeGb"]
    assert [w["method"] for w in scaled.writes] == ["PUT"]
    assert scaled["resource"]["properties"]["storage"]["sizeGb"] == 128

    rotated = ansible_module(
        "mongo_cluster",
        diff=True,
        **dict(args, compute_tier="M40", storage_size_gb=128, administrator_password=NEW_PASSWORD),
    )
    assert rotated.changed and rotated["changes"] == ["properties.administrator.password (write-only)"]
    assert [w["method"] for w in rotated.writes] == ["PUT"]
    assert rotated["diff"]["after"]["properties"]["administrator"]["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert_no_password(rotated, PASSWORD, NEW_PASSWORD)

    settled = ansible_module(
        "mongo_cluster", **dict(args, compute_tier="M40", storage_size_gb=128, administrator_password=NEW_PASSWORD)
    )
    assert not settled.changed and settled.writes == []

    info = ansible_module("mongo_cluster_info", name=name, resource_group=resource_group)
    assert not info.changed and len(info["resources"]) == 1
    found = info["resources"][0]
    assert found["properties"]["publicNetworkAccess"] == "Disabled"
    assert found["properties"]["connectionString"].startswith("mongodb+srv://<user>:<password>@")
    assert [c["name"] for c in found["connection_strings"]] == ["GlobalReadWrite"]
    assert info.writes == []

    listed = ansible_module("mongo_cluster_info", resource_group=resource_group, connection_strings=False)
    assert [r["name"] for r in listed["resources"]] == [name]
    assert "connection_strings" not in listed["resources"][0]

    refused = ansible_module(
        "mongo_cluster", expect_failure=True, name=name, resource_group=resource_group, state="absent"
    )
    assert "allow_data_loss" in refused["msg"] and refused.writes == []

    deleted = ansible_module(
        "mongo_cluster", name=name, resource_group=resource_group, state="absent", allow_data_loss=True
    )
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("mongo_cluster", name=name, resource_group=resource_group, state="absent")
    assert not gone.changed and gone.writes == []
    assert ansible_module("mongo_cluster_info", name=name, resource_group=resource_group)["resources"] == []


def test_mongo_cluster_wait_false_returns_in_progress(ansible_module, resource_group, standin):
    name = "vc-it-%s" % uuid.uuid4().hex[:8]
    standin.configure(durations={"Microsoft.DocumentDB/mongoClusters": 3})
    try:
        started = ansible_module("mongo_cluster", **cluster_args(resource_group, name, wait=False))
    finally:
        standin.configure(durations={"Microsoft.DocumentDB/mongoClusters": 0})
    assert started.changed and started["in_progress"] is True
    assert [w["method"] for w in started.writes] == ["PUT"]

    waited = ansible_module(
        "mongo_cluster_info",
        env={"MCP_PLATFORM_AZURE_POLLING_INTERVAL": "0.5"},
        name=name,
        resource_group=resource_group,
        connection_strings=False,
        wait=True,
        wait_timeout=60,
    )
    assert waited["resources"][0]["properties"]["provisioningState"] == "Succeeded"
    assert waited.writes == []
    # The task really waited: several reads of the cluster, half a second apart.
    assert len(cluster_reads(waited, name)) > 1

    settled = ansible_module(
        "mongo_cluster_info", name=name, resource_group=resource_group, connection_strings=False, wait=True
    )
    assert len(cluster_reads(settled, name)) == 1
    refused = ansible_module("mongo_cluster_info", resource_group=resource_group, wait=True, expect_failure=True)
    assert "wait: needs name" in refused["msg"]
    assert [e for e in refused.traffic if e["kind"] == "arm"] == []

    deleted = ansible_module(
        "mongo_cluster", name=name, resource_group=resource_group, state="absent", allow_data_loss=True
    )
    assert deleted.changed


def test_mongo_cluster_input_is_checked_before_any_call(ansible_module, resource_group):
    refused = ansible_module(
        "mongo_cluster",
        expect_failure=True,
        **cluster_args(resource_group, "vc-never", storage_size_gb=8, administrator_password="short"),
    )
    assert "storage_size_gb: must be at least 32" in refused["msg"]
    assert "administrator_password: must be at least 8 characters" in refused["msg"]
    assert "short" not in refused["msg"]
    assert [t for t in refused.traffic if t["kind"] == "arm"] == []
