"""mongo_cluster: body building, validation, HA normalisation, the connection string template, engine runs."""

import copy

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import MASK
from ansible_collections.mcp_platform.azure.plugins.module_utils._mongo_cluster import (
    connection_string_template,
    default_connection_string,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import FINGERPRINT_TAG
from ansible_collections.mcp_platform.azure.plugins.modules import mongo_cluster
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import ModuleFailed, run_engine

PASSWORD = "Generated-Passw0rd-Value"
TEMPLATE = "mongodb+srv://<user>:<password>@db1.global.mongocluster.cosmos.azure.com/?tls=true"


def params(**overrides):
    base = dict(
        name="db1",
        resource_group="rg1",
        location="westeurope",
        compute_tier="M30",
        storage_size_gb=128,
        storage_type=None,
        high_availability="ZoneRedundantPreferred",
        shard_count=1,
        server_version="8.0",
        public_network_access="Disabled",
        administrator_user_name="mcpadmin",
        administrator_password=PASSWORD,
        allow_data_loss=False,
        recreate=False,
        state="present",
        wait=True,
    )
    base.update(overrides)
    return base


def test_desired_body_uses_rest_wire_names():
    body = mongo_cluster.desired_body(params())
    assert body == {
        "location": "westeurope",
        "properties": {
            "administrator": {"userName": "mcpadmin", "password": PASSWORD},
            "serverVersion": "8.0",
            "publicNetworkAccess": "Disabled",
            "highAvailability": {"targetMode": "ZoneRedundantPreferred"},
            "storage": {"sizeGb": 128, "type": None},
            "sharding": {"shardCount": 1},
            "compute": {"tier": "M30"},
        },
    }


def test_options_not_set_are_not_managed():
    body = mongo_cluster.desired_body(
        params(
            compute_tier=None,
            storage_size_gb=None,
            high_availability=None,
            shard_count=None,
            administrator_user_name=None,
            administrator_password=None,
        )
    )
    props = body["properties"]
    assert props["compute"] is None and props["storage"] is None and props["sharding"] is None
    assert props["highAvailability"] is None and props["administrator"] is None


@pytest.mark.parametrize(
    "overrides, expected",
    [
        (dict(storage_size_gb=16), "storage_size_gb: must be at least 32"),
        (dict(shard_count=0), "shard_count: must be at least 1"),
        (dict(administrator_password="short"), "administrator_password: must be at least 8 characters"),
        (dict(server_version="latest"), "server_version: must look like 8.0"),
    ],
)
def test_invalid_input_names_the_option(overrides, expected):
    problems = mongo_cluster.validate(params(**overrides))
    assert any(expected in p for p in problems), problems
    assert all("short" not in p for p in problems)


def test_valid_input_and_absent_pass():
    assert mongo_cluster.validate(params()) == []
    assert mongo_cluster.validate(params(state="absent", storage_size_gb=1)) == []


@pytest.mark.parametrize(
    "value, expected",
    [
        (TEMPLATE, TEMPLATE),
        (
            "mongodb+srv://admin:hunter2hunter2@db1.example/?tls=true",
            "mongodb+srv://admin:<password>@db1.example/?tls=true",
        ),
        ("mongodb://db1.example:10260/", "mongodb://db1.example:10260/"),
        ("mongodb://u:p%40ss@h/", "mongodb://u:<password>@h/"),
        (None, None),
    ],
)
def test_connection_string_template_never_carries_a_password(value, expected):
    assert connection_string_template(value) == expected


def test_default_connection_string_falls_back_to_the_listed_one():
    assert default_connection_string({"properties": {"connectionString": TEMPLATE}}) == TEMPLATE
    listed = [{"name": "GlobalReadWrite", "connectionString": "mongodb+srv://a:b@h/"}]
    assert default_connection_string({"properties": {}}, listed) == "mongodb+srv://a:<password>@h/"
    assert default_connection_string(None) is None


@pytest.mark.parametrize(
    "desired, served, equal",
    [
        ("ZoneRedundantPreferred", "SameZone", True),
        ("SameZone", "SameZone", True),
        ("ZoneRedundantPreferred", "ZoneRedundantPreferred", True),
        ("Disabled", "SameZone", False),
        ("SameZone", "Disabled", False),
    ],
)
def test_high_availability_normalisation(desired, served, equal):
    normalise = mongo_cluster.RESOURCE.normalise["properties.highAvailability.targetMode"]
    assert (normalise(desired) == normalise(served)) is equal


# ---- the engine over FakeArm (the real typespec SDK client) ----------------------------------------


def vcore_arm():
    fake = FakeArm()
    fake.write_only = ["properties.administrator.password"]
    fake.lro_types = {"Microsoft.DocumentDB/mongoClusters"}

    def like_vcore(path, body):
        body = copy.deepcopy(body)
        props = body["properties"]
        if (props.get("highAvailability") or {}).get("targetMode") == "ZoneRedundantPreferred":
            props["highAvailability"]["targetMode"] = "SameZone"
        props["connectionString"] = TEMPLATE
        return body

    fake.on_put = like_vcore
    return fake


def module_args(**overrides):
    args = dict(
        name="db1",
        resource_group="rg1",
        location="westeurope",
        compute_tier="M30",
        storage_size_gb=128,
        high_availability="ZoneRedundantPreferred",
        public_network_access="Disabled",
        administrator_user_name="mcpadmin",
        administrator_password=PASSWORD,
    )
    args.update(overrides)
    return args


def run(fake, args, **kwargs):
    return run_engine(
        mongo_cluster.ARGUMENT_SPEC, mongo_cluster.desired_body, mongo_cluster.RESOURCE, args, fake, **kwargs
    )


def test_create_stores_a_fingerprint_and_rerun_writes_nothing():
    fake = vcore_arm()
    created = run(fake, module_args(tags={"env": "test"}))
    assert created["operation"] == "create"
    put = fake.writes[0]["body"]
    assert put["properties"]["administrator"]["password"] == PASSWORD
    assert put["tags"][FINGERPRINT_TAG].startswith("pbkdf2-sha256:") and PASSWORD not in put["tags"][FINGERPRINT_TAG]
    assert created["resource"]["properties"]["administrator"].get("password") in (None, MASK)
    again = run(fake, module_args(tags={"env": "test"}))
    assert not again["changed"], again["changes"]
    assert len(fake.writes) == 1


def test_same_zone_answer_is_no_change():
    fake = vcore_arm()
    run(fake, module_args())
    stored = next(iter(fake.resources.values()))
    assert stored["properties"]["highAvailability"]["targetMode"] == "SameZone"
    assert not run(fake, module_args())["changed"]


def test_new_password_is_sent_once_and_masked_in_the_diff():
    fake = vcore_arm()
    run(fake, module_args())
    rotated = run(fake, module_args(administrator_password="Another-Passw0rd-Value"), diff=True)
    assert rotated["changes"] == ["properties.administrator.password (write-only)"]
    assert rotated["diff"]["after"]["properties"]["administrator"]["password"] == MASK
    assert "Another-Passw0rd-Value" not in repr(rotated)
    assert fake.writes[-1]["body"]["properties"]["administrator"]["password"] == "Another-Passw0rd-Value"
    assert not run(fake, module_args(administrator_password="Another-Passw0rd-Value"))["changed"]


def test_delete_needs_allow_data_loss():
    fake = vcore_arm()
    run(fake, module_args())
    with pytest.raises(ModuleFailed) as failure:
        run(fake, dict(name="db1", resource_group="rg1", state="absent"))
    assert "allow_data_loss=true" in failure.value.result["msg"]
    assert len(fake.writes) == 1
    deleted = run(fake, dict(name="db1", resource_group="rg1", state="absent", allow_data_loss=True))
    assert deleted["operation"] == "delete"


def test_moving_needs_recreate_and_allow_data_loss():
    fake = vcore_arm()
    run(fake, module_args())
    with pytest.raises(ModuleFailed) as failure:
        run(fake, module_args(location="northeurope"))
    assert "location" in failure.value.result["msg"] and "recreate=true" in failure.value.result["msg"]
    with pytest.raises(ModuleFailed) as failure:
        run(fake, module_args(location="northeurope", recreate=True))
    assert "allow_data_loss=true" in failure.value.result["msg"]
    assert len(fake.writes) == 1
