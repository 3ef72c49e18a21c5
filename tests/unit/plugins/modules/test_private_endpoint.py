"""private_endpoint and private_endpoint_info: connection body, DNS zone group, private IP from the NIC."""

import copy

import pytest

from ansible_collections.mcp_platform.azure.plugins.modules import private_endpoint, private_endpoint_info
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import ModuleFailed
from tests.unit.plugins.modules._network_runner import SUBSCRIPTION, network_id, run_module

TARGET = "/subscriptions/%s/resourceGroups/rg1/providers/Microsoft.DocumentDB/mongoClusters/mc1" % SUBSCRIPTION
BASE = dict(
    name="pe1",
    resource_group="rg1",
    location="westeurope",
    virtual_network="vnet1",
    subnet="snet-pe",
    target=TARGET,
    group_ids=["MongoCluster"],
)
NIC = network_id("rg1", "networkInterfaces", "pe1.nic.0")


@pytest.fixture
def fake():
    return FakeArm()


def like_azure(arm):
    def on_put(path, stored):
        stored = copy.deepcopy(stored)
        if path.lower().endswith("/privateendpoints/pe1"):
            properties = stored["properties"]
            properties["networkInterfaces"] = [{"id": NIC}]
            properties["customDnsConfigs"] = [
                {"fqdn": "mc1.global.mongocluster.cosmos.azure.com", "ipAddresses": ["10.20.3.4"]}
            ]
            for connection in properties["privateLinkServiceConnections"]:
                connection["properties"]["groupIds"] = ["mongocluster"]
                connection["properties"]["privateLinkServiceConnectionState"] = {"status": "Approved"}
            arm.resources[NIC.lower()] = {
                "id": NIC,
                "properties": {"ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.20.3.4"}}]},
            }
        return stored

    return on_put


def test_endpoint_body_and_zone_group(monkeypatch, fake):
    fake.on_put = like_azure(fake)
    result = run_module(
        monkeypatch, private_endpoint, fake, private_dns_zones=["privatelink.mongocluster.cosmos.azure.com"], **BASE
    )
    endpoint_body, group_body = fake.writes[0]["body"], fake.writes[1]["body"]
    assert endpoint_body["properties"] == {
        "subnet": {"id": network_id("rg1", "virtualNetworks/subnets", "vnet1", "snet-pe")},
        "privateLinkServiceConnections": [
            {"name": "pe1", "properties": {"privateLinkServiceId": TARGET, "groupIds": ["MongoCluster"]}}
        ],
    }
    assert fake.writes[1]["path"].endswith("/privateEndpoints/pe1/privateDnsZoneGroups/default")
    zone = network_id("rg1", "privateDnsZones", "privatelink.mongocluster.cosmos.azure.com")
    assert group_body == {
        "properties": {
            "privateDnsZoneConfigs": [
                {"name": "privatelink-mongocluster-cosmos-azure-com", "properties": {"privateDnsZoneId": zone}}
            ]
        }
    }
    assert result["private_ip_address"] == "10.20.3.4"
    assert result["addresses"][0]["fqdns"] == ["mc1.global.mongocluster.cosmos.azure.com"]

    again = run_module(
        monkeypatch, private_endpoint, fake, private_dns_zones=["privatelink.mongocluster.cosmos.azure.com"], **BASE
    )
    assert not again["changed"], again["changes"]
    assert len(fake.writes) == 2


def test_changing_the_target_needs_recreate(monkeypatch, fake):
    run_module(monkeypatch, private_endpoint, fake, **BASE)
    other_target = dict(BASE)
    other_target["group_ids"] = ["vault"]
    with pytest.raises(ModuleFailed) as failed:
        run_module(monkeypatch, private_endpoint, fake, **other_target)
    assert "properties.privateLinkServiceConnections" in failed.value.result["msg"]
    assert len(fake.writes) == 1


def test_tags_update_in_place_and_check_mode_writes_nothing(monkeypatch, fake):
    run_module(monkeypatch, private_endpoint, fake, **BASE)
    checked = run_module(monkeypatch, private_endpoint, fake, check=True, tags={"a": "b"}, **BASE)
    assert checked["changes"] == ["tags"] and len(fake.writes) == 1
    run_module(monkeypatch, private_endpoint, fake, tags={"a": "b"}, **BASE)
    assert fake.writes[-1]["method"] == "PUT" and fake.writes[-1]["body"]["tags"] == {"a": "b"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (dict(virtual_network=None), "subnet: 'snet-pe' is a name, so virtual_network is required too"),
        (dict(target="mc1"), "target: must be the full resource id"),
        (dict(group_ids=None), "group_ids is required when state=present"),
        (dict(virtual_network="rg2/vnet1"), "virtual_network: 'rg2/vnet1' is neither a resource name nor a full"),
        (dict(private_dns_zones=["zones/x"]), "private_dns_zones[0]: 'zones/x' is neither a resource name nor"),
    ],
)
def test_invalid_input_fails_before_any_call(monkeypatch, fake, args, message):
    with pytest.raises(ModuleFailed) as failed:
        run_module(monkeypatch, private_endpoint, fake, **dict(BASE, **args))
    assert message in failed.value.result["msg"] and fake.requests == []


def test_info_returns_the_private_ip(monkeypatch, fake):
    fake.on_put = like_azure(fake)
    run_module(monkeypatch, private_endpoint, fake, **BASE)
    info = run_module(monkeypatch, private_endpoint_info, fake, name="pe1", resource_group="rg1")
    assert not info["changed"]
    assert [(e["name"], e["private_ip_address"]) for e in info["private_endpoints"]] == [("pe1", "10.20.3.4")]
    assert fake.writes[1:] == []
    missing = run_module(monkeypatch, private_endpoint_info, fake, name="nope", resource_group="rg1")
    assert missing["private_endpoints"] == []


def _endpoint(
    dns_configs, interfaces=("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/n",)
):
    return {
        "properties": {
            "networkInterfaces": [{"id": i} for i in interfaces],
            "customDnsConfigs": dns_configs,
        }
    }


def test_addresses_come_from_custom_dns_configs_without_a_nic_read(monkeypatch):
    monkeypatch.setattr(private_endpoint, "endpoint_addresses", lambda arm, endpoint: pytest.fail("NIC read"))
    endpoint = _endpoint(
        [
            {"fqdn": "kv1.vault.azure.net", "ipAddresses": ["10.0.0.4"]},
            {"fqdn": "kv1.region.vault.azure.net", "ipAddresses": ["10.0.0.4"]},
        ]
    )
    assert private_endpoint.addresses_of(None, endpoint) == [
        {
            "network_interface_id": endpoint["properties"]["networkInterfaces"][0]["id"],
            "private_ip_address": "10.0.0.4",
            "fqdns": ["kv1.vault.azure.net", "kv1.region.vault.azure.net"],
        }
    ]


@pytest.mark.parametrize("dns_configs", [[], [{"fqdn": "kv1.vault.azure.net", "ipAddresses": []}]])
def test_addresses_fall_back_to_the_nic_when_azure_lists_none(monkeypatch, dns_configs):
    read = []
    monkeypatch.setattr(
        private_endpoint, "endpoint_addresses", lambda arm, endpoint: read.append(endpoint) or ["from-nic"]
    )
    endpoint = _endpoint(dns_configs)
    assert private_endpoint.addresses_of(None, endpoint) == ["from-nic"] and read == [endpoint]
