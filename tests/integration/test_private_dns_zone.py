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
    # One read per managed resource: the zone counts its links, so the list of links is not read.
    reads = [(e["method"], e["path"].split("?")[0].split(ZONE)[1]) for e in again.traffic if e["kind"] == "arm"]
    assert reads == [("GET", ""), ("GET", "/virtualNetworkLinks/vnet1-link"), ("GET", "/A/c-mongo")], reads
    assert [link["name"] for link in again["virtual_network_links"]] == ["vnet1-link"]

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


def test_links_not_listed_are_kept_and_purged_on_request(ansible_module):
    group = "rg-it-dns-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    for vnet, prefix in (("vnet1", "10.30.0.0/16"), ("vnet2", "10.31.0.0/16")):
        ansible_module(
            "virtual_network", name=vnet, resource_group=group, location="westeurope", address_prefixes=[prefix]
        )
    both = [dict(name="vnet1-link", virtual_network="vnet1"), dict(name="vnet2-link", virtual_network="vnet2")]
    ansible_module("private_dns_zone", name=ZONE, resource_group=group, virtual_network_links=both)
    only_first = dict(name=ZONE, resource_group=group, virtual_network_links=both[:1])

    # The zone has a link this task does not name: the links are listed, and the other one is kept.
    kept = ansible_module("private_dns_zone", **only_first)
    assert not kept.changed and kept.writes == []
    assert [link["name"] for link in kept["virtual_network_links"]] == ["vnet1-link", "vnet2-link"]
    assert any(e["path"].split("?")[0].endswith("/virtualNetworkLinks") for e in kept.traffic if e["kind"] == "arm")

    purged = ansible_module("private_dns_zone", purge_virtual_network_links=True, **only_first)
    assert purged.changed and [(w["method"], w["path"].split(ZONE)[1]) for w in purged.writes] == [
        ("DELETE", "/virtualNetworkLinks/vnet2-link")
    ]
    assert [link["name"] for link in purged["virtual_network_links"]] == ["vnet1-link"]
    ansible_module("private_dns_zone", name=ZONE, resource_group=group, state="absent")
    ansible_module("resource_group", name=group, state="absent")
