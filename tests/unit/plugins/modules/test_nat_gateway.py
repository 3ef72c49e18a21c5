"""nat_gateway: the gateway and the public IP it owns, in the right order, idempotent."""

import copy

import pytest

from ansible_collections.mcp_platform.azure.plugins.modules import nat_gateway
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import ModuleFailed
from tests.unit.plugins.modules._network_runner import network_id, run_module

BASE = dict(name="ng1", resource_group="rg1", location="westeurope")


@pytest.fixture
def fake():
    return FakeArm()


def like_azure(path, stored):
    stored = copy.deepcopy(stored)
    if "/publicipaddresses/" in path.lower():
        stored["properties"]["ipAddress"] = "20.1.2.3"
        stored["properties"]["publicIPAllocationMethod"] = "static"
        stored["properties"]["idleTimeoutInMinutes"] = 4
    stored["location"] = "West Europe"
    return stored


def test_public_ip_first_then_the_gateway_that_uses_it(monkeypatch, fake):
    fake.on_put = like_azure
    result = run_module(monkeypatch, nat_gateway, fake, tags={"env": "t"}, **BASE)
    assert [(w["method"], w["path"].rsplit("/", 2)[-2]) for w in fake.writes] == [
        ("PUT", "publicIPAddresses"),
        ("PUT", "natGateways"),
    ]
    ip_body, gateway_body = fake.writes[0]["body"], fake.writes[1]["body"]
    assert ip_body["sku"] == {"name": "Standard", "tier": "Regional"}
    assert ip_body["properties"] == {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"}
    assert ip_body["tags"] == {"env": "t"} and gateway_body["tags"] == {"env": "t"}
    assert gateway_body["sku"] == {"name": "Standard"}
    assert gateway_body["properties"] == {
        "idleTimeoutInMinutes": 4,
        "publicIpAddresses": [{"id": network_id("rg1", "publicIPAddresses", "ng1-pip")}],
    }
    assert result["public_ip_address"] == "20.1.2.3"
    assert result["changes"] == ["(new)", "publicIPAddresses/ng1-pip: (new)"]

    again = run_module(monkeypatch, nat_gateway, fake, tags={"env": "t"}, **BASE)
    assert not again["changed"], again["changes"]
    assert len(fake.writes) == 2 and again["public_ip_address"] == "20.1.2.3"


def test_idle_timeout_update_in_check_mode_then_for_real(monkeypatch, fake):
    run_module(monkeypatch, nat_gateway, fake, **BASE)
    checked = run_module(monkeypatch, nat_gateway, fake, check=True, diff=True, idle_timeout_in_minutes=10, **BASE)
    assert checked["changes"] == ["properties.idleTimeoutInMinutes"] and len(fake.writes) == 2
    assert checked["diff"]["after"][""]["properties"]["idleTimeoutInMinutes"] == 10
    run_module(monkeypatch, nat_gateway, fake, idle_timeout_in_minutes=10, **BASE)
    assert [w["path"].rsplit("/", 2)[-2] for w in fake.writes[2:]] == ["natGateways"]


def test_zone_change_needs_recreate(monkeypatch, fake):
    run_module(monkeypatch, nat_gateway, fake, zones=["1"], **BASE)
    with pytest.raises(ModuleFailed) as failed:
        run_module(monkeypatch, nat_gateway, fake, zones=["2"], **BASE)
    assert "zones" in failed.value.result["msg"] and "recreate=true" in failed.value.result["msg"]
    assert len(fake.writes) == 2


def test_absent_deletes_the_gateway_then_its_ip(monkeypatch, fake):
    run_module(monkeypatch, nat_gateway, fake, **BASE)
    deleted = run_module(monkeypatch, nat_gateway, fake, name="ng1", resource_group="rg1", state="absent")
    assert deleted["changed"] and deleted["public_ip"] is None
    assert [(w["method"], w["path"].rsplit("/", 2)[-2]) for w in fake.writes[2:]] == [
        ("DELETE", "natGateways"),
        ("DELETE", "publicIPAddresses"),
    ]


def test_keep_public_ip(monkeypatch, fake):
    run_module(monkeypatch, nat_gateway, fake, **BASE)
    run_module(monkeypatch, nat_gateway, fake, name="ng1", resource_group="rg1", state="absent", keep_public_ip=True)
    assert [w["path"].rsplit("/", 2)[-2] for w in fake.writes[2:]] == ["natGateways"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (dict(idle_timeout_in_minutes=121), "idle_timeout_in_minutes: 121 is outside 4-120"),
        (dict(zones=["1", "2"]), "zones: a NAT gateway lives in at most one zone"),
        (dict(public_ip_name="rg2/pip1"), "public_ip_name: 'rg2/pip1' must be a name, not a path or ARM id"),
    ],
)
def test_invalid_input_fails_before_any_call(monkeypatch, fake, args, message):
    with pytest.raises(ModuleFailed) as failed:
        run_module(monkeypatch, nat_gateway, fake, **dict(BASE, **args))
    assert message in failed.value.result["msg"] and fake.requests == []
