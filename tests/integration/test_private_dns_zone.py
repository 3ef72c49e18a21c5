"""private_dns_zone through Ansible against the stand-in: zone, VNet link, A record set."""

import uuid

ZONE = "privatelink.mongocluster.cosmos.azure.com"


def test_private_dns_zone_lifecycle(ansible_module):
    group = "rg-it-dns-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    ansible_module(
        "virtual_network", name="vnet1", resource_group=group, location="westeurope", address_prefixes=["10.20.0.0/16"]
    )
    links = [dict(name="vnet1-link", virtual_network="vnet1")]
    records = [dict(name="c-mongo", ipv4_addresses=["10.20.3.4"], ttl=300)]
    base = dict(name=ZONE, resource_group=group, virtual_network_links=links)

    created = ansible_module("private_dns_zone", a_records=records, **base)
    assert created.changed and created["operation"] == "create"
    assert [(w["method"], w["path"].split(ZONE)[1]) for w in created.writes] == [
        ("PUT", ""),
        ("PUT", "/virtualNetworkLinks/vnet1-link"),
        ("PUT", "/A/c-mongo"),
    ]
    assert created["resource"]["location"] == "global"
    assert created["a_records"][0]["properties"]["aRecords"] == [{"ipv4Address": "10.20.3.4"}]

    again = ansible_module("private_dns_zone", a_records=records, **base)
    assert not again.changed, again["changes"]
    assert again.writes == []

    moved = [dict(records[0], ipv4_addresses=["10.20.3.9"])]
    checked = ansible_module("private_dns_zone", check=True, diff=True, a_records=moved, **base)
    assert checked.changed and checked["changes"] == ["A/c-mongo: properties.aRecords"]
    assert checked.writes == []

    updated = ansible_module("private_dns_zone", a_records=moved, **base)
    assert updated.changed and [w["path"].split(ZONE)[1] for w in updated.writes] == ["/A/c-mongo"]

    deleted = ansible_module("private_dns_zone", name=ZONE, resource_group=group, state="absent")
    assert deleted.changed
    assert [(w["method"], w["path"].split(ZONE)[1]) for w in deleted.writes] == [
        ("DELETE", "/virtualNetworkLinks/vnet1-link"),
        ("DELETE", ""),
    ]
    gone = ansible_module("private_dns_zone", name=ZONE, resource_group=group, state="absent")
    assert not gone.changed and gone.writes == []
    ansible_module("resource_group", name=group, state="absent")
