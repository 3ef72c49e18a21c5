"""private_dns_zone: zone, VNet links and A record sets; purge only when asked; links go before the zone."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.modules import private_dns_zone
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import ModuleFailed
from tests.unit.plugins.modules._network_runner import network_id, run_module

ZONE = "privatelink.mongocluster.cosmos.azure.com"
BASE = dict(name=ZONE, resource_group="rg1")
LINKS = [dict(name="vnet1-link", virtual_network="vnet1")]
RECORDS = [dict(name="mc1", ipv4_addresses=["10.20.3.5", "10.20.3.4"], ttl=300)]


@pytest.fixture
def fake():
    return FakeArm()


def _kinds(writes):
    return [(w["method"], w["path"].split(ZONE)[-1] or "zone") for w in writes]


def test_zone_links_and_records(monkeypatch, fake):
    result = run_module(monkeypatch, private_dns_zone, fake, virtual_network_links=LINKS, a_records=RECORDS, **BASE)
    assert _kinds(fake.writes) == [("PUT", "zone"), ("PUT", "/virtualNetworkLinks/vnet1-link"), ("PUT", "/A/mc1")]
    assert fake.writes[0]["body"] == {"location": "global", "tags": {}}
    assert fake.writes[1]["body"] == {
        "location": "global",
        "properties": {
            "virtualNetwork": {"id": network_id("rg1", "virtualNetworks", "vnet1")},
            "registrationEnabled": False,
        },
    }
    assert fake.writes[2]["body"] == {
        "properties": {"ttl": 300, "aRecords": [{"ipv4Address": "10.20.3.5"}, {"ipv4Address": "10.20.3.4"}]}
    }
    assert [link["name"] for link in result["virtual_network_links"]] == ["vnet1-link"]

    reordered = [dict(RECORDS[0], ipv4_addresses=["10.20.3.4", "10.20.3.5"])]
    again = run_module(monkeypatch, private_dns_zone, fake, virtual_network_links=LINKS, a_records=reordered, **BASE)
    assert not again["changed"], again["changes"]
    assert len(fake.writes) == 3


def test_record_change_in_check_mode_then_for_real(monkeypatch, fake):
    run_module(monkeypatch, private_dns_zone, fake, a_records=RECORDS, **BASE)
    moved = [dict(RECORDS[0], ipv4_addresses=["10.20.3.9"])]
    checked = run_module(monkeypatch, private_dns_zone, fake, check=True, diff=True, a_records=moved, **BASE)
    assert checked["changes"] == ["A/mc1: properties.aRecords"] and len(fake.writes) == 2
    assert checked["diff"]["after"]["A/mc1"]["properties"]["aRecords"] == [{"ipv4Address": "10.20.3.9"}]
    run_module(monkeypatch, private_dns_zone, fake, a_records=moved, **BASE)
    assert _kinds(fake.writes[2:]) == [("PUT", "/A/mc1")]


def test_unlisted_links_and_records_are_kept_unless_purged(monkeypatch, fake):
    run_module(monkeypatch, private_dns_zone, fake, virtual_network_links=LINKS, a_records=RECORDS, **BASE)
    kept = run_module(monkeypatch, private_dns_zone, fake, **BASE)
    assert not kept["changed"] and len(fake.writes) == 3


def test_absent_deletes_links_before_the_zone(monkeypatch, fake):
    run_module(monkeypatch, private_dns_zone, fake, virtual_network_links=LINKS, **BASE)
    # FakeArm has no list of links: the module reads them from the list call, answered here by hand.
    links = [{"name": "vnet1-link", "id": "x"}]
    monkeypatch.setattr(
        private_dns_zone,
        "list_or_empty",
        lambda method, *args: links if "virtualnetworklinks" in repr(method).lower() else [],
    )
    deleted = run_module(monkeypatch, private_dns_zone, fake, state="absent", **BASE)
    assert deleted["changed"]
    assert _kinds(fake.writes[2:]) == [("DELETE", "/virtualNetworkLinks/vnet1-link"), ("DELETE", "zone")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (dict(a_records=[dict(name="a", ipv4_addresses=["10.0.0.300"])]), "a_records[a].ipv4_addresses: '10.0.0.300'"),
        (dict(a_records=[dict(name="a", ipv4_addresses=["10.0.0.1"], ttl=0)]), "a_records[a].ttl: 0 is outside"),
        (dict(virtual_network_links=LINKS + LINKS), "virtual_network_links: names must be unique"),
        (
            dict(virtual_network_links=[dict(name="l1", virtual_network="rg2/vnet1")]),
            "virtual_network_links[l1].virtual_network: 'rg2/vnet1' is neither a resource name nor a full ARM id",
        ),
    ],
)
def test_invalid_input_fails_before_any_call(monkeypatch, fake, args, message):
    with pytest.raises(ModuleFailed) as failed:
        run_module(monkeypatch, private_dns_zone, fake, **dict(BASE, **args))
    assert message in failed.value.result["msg"] and fake.requests == []
