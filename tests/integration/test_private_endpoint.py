"""private_endpoint and private_endpoint_info through Ansible against the stand-in."""

import uuid

import pytest


@pytest.fixture(scope="module")
def network(ansible_module):
    group = "rg-it-pe-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    ansible_module(
        "virtual_network",
        name="vnet1",
        resource_group=group,
        location="westeurope",
        address_prefixes=["10.20.0.0/16"],
        subnets=[dict(name="snet-pe", address_prefixes=["10.20.3.0/24"], private_endpoint_network_policies="Disabled")],
    )
    vault = ansible_module(
        "key_vault", name="kv%s" % uuid.uuid4().hex[:10], resource_group=group, location="westeurope"
    )
    yield dict(group=group, target=vault["id"])
    ansible_module("resource_group", name=group, state="absent")


def test_private_endpoint_lifecycle(ansible_module, network):
    group = network["group"]
    base = dict(
        name="pe-kv",
        resource_group=group,
        location="westeurope",
        virtual_network="vnet1",
        subnet="snet-pe",
        target=network["target"],
        group_ids=["vault"],
    )

    created = ansible_module("private_endpoint", **base)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    assert created["private_ip_address"] and created["private_ip_address"].startswith("10.20.3.")

    again = ansible_module("private_endpoint", **base)
    assert not again.changed, again["changes"]
    assert again.writes == []
    # One read: the private IP comes from the endpoint's customDnsConfigs, not from its NIC.
    reads = [e["path"].split("?")[0] for e in again.traffic if e["kind"] == "arm"]
    assert len(reads) == 1 and reads[0].endswith("/privateEndpoints/pe-kv"), reads
    assert again["private_ip_address"] == created["private_ip_address"]
    assert again["addresses"][0]["fqdns"] and again["addresses"][0]["network_interface_id"]

    info = ansible_module("private_endpoint_info", name="pe-kv", resource_group=group)
    assert [e["private_ip_address"] for e in info["private_endpoints"]] == [created["private_ip_address"]]
    assert info.writes == []

    checked = ansible_module("private_endpoint", check=True, diff=True, tags={"tier": "data"}, **base)
    assert checked.changed and checked["changes"] == ["tags"] and checked.writes == []

    updated = ansible_module("private_endpoint", tags={"tier": "data"}, **base)
    assert updated.changed and [w["method"] for w in updated.writes] == ["PUT"]
    assert updated["resource"]["tags"] == {"tier": "data"}

    moved = ansible_module("private_endpoint", expect_failure=True, **dict(base, group_ids=["other"]))
    assert "properties.privateLinkServiceConnections" in moved["msg"] and "recreate=true" in moved["msg"]
    assert moved.writes == []

    deleted = ansible_module("private_endpoint", name="pe-kv", resource_group=group, state="absent")
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("private_endpoint_info", name="pe-kv", resource_group=group)
    assert gone["private_endpoints"] == []


def test_private_endpoint_dns_zone_group(ansible_module, network):
    group = network["group"]
    zone = "privatelink.vaultcore.azure.net"
    ansible_module("private_dns_zone", name=zone, resource_group=group)
    base = dict(
        name="pe-kv-dns",
        resource_group=group,
        location="westeurope",
        virtual_network="vnet1",
        subnet="snet-pe",
        target=network["target"],
        group_ids=["vault"],
        private_dns_zones=[zone],
    )
    created = ansible_module("private_endpoint", **base)
    assert [w["path"].rsplit("/", 2)[-2] for w in created.writes] == ["privateEndpoints", "privateDnsZoneGroups"]
    again = ansible_module("private_endpoint", **base)
    assert not again.changed and again.writes == []
    reads = [e["path"].split("?")[0].rsplit("/", 2)[-2] for e in again.traffic if e["kind"] == "arm"]
    assert reads == ["privateEndpoints", "privateDnsZoneGroups"], reads
