"""virtual_network: subnet layout rules, the VNet body, and comparison against server-shaped answers."""

import copy

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._network import NetworkInputError
from ansible_collections.mcp_platform.azure.plugins.modules import virtual_network
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import ModuleFailed
from tests.unit.plugins.modules._network_runner import network_id, run_module

DELEGATION = "Microsoft.ContainerInstance/containerGroups"
BASE = dict(name="vnet1", resource_group="rg1", location="westeurope", address_prefixes=["10.20.0.0/16"])
SUBNETS = [
    dict(
        name="snet-aci", address_prefixes=["10.20.1.0/24"], delegations=[DELEGATION], network_security_group="nsg-aci"
    ),
    dict(name="snet-pe", address_prefixes=["10.20.3.0/24"], private_endpoint_network_policies="Disabled"),
]


@pytest.fixture
def fake():
    return FakeArm()


def _params(**overrides):
    params = dict(BASE, subnets=None, dns_servers=None, purge_subnets=False, state="present")
    params.update(overrides)
    for subnet in params["subnets"] or []:
        for key in virtual_network.SUBNET_SPEC:
            subnet.setdefault(key, None)
    return params


def like_azure(path, stored):
    """Play the service: subnets get ids, types, etags, default policies; delegations get actions."""
    stored = copy.deepcopy(stored)  # the fake keeps the request body; the service's answer is its own
    for subnet in stored.get("properties", {}).get("subnets", []):
        subnet.update(
            id="%s/subnets/%s" % (path, subnet["name"]), etag='W/"1"', type="Microsoft.Network/virtualNetworks/subnets"
        )
        properties = subnet["properties"]
        properties.setdefault("privateEndpointNetworkPolicies", "Disabled")
        properties.setdefault("privateLinkServiceNetworkPolicies", "Enabled")
        properties["provisioningState"] = "Succeeded"
        properties["ipConfigurations"] = [{"id": path + "/nic/ip"}]
        if "networkSecurityGroup" in properties:
            properties["networkSecurityGroup"] = {"id": properties["networkSecurityGroup"]["id"].upper()}
        for delegation in properties.get("delegations", []):
            delegation["properties"]["actions"] = ["Microsoft.Network/virtualNetworks/subnets/action"]
            delegation["type"] = "Microsoft.Network/virtualNetworks/subnets/delegations"
    stored.get("properties", {}).get("subnets", []).reverse()
    return stored


@pytest.mark.parametrize(
    ("subnets", "message"),
    [
        (
            [dict(name="a", address_prefixes=["10.21.0.0/24"])],
            "subnets[a]: 10.21.0.0/24 is not inside the address space",
        ),
        (
            [dict(name="a", address_prefixes=["10.20.0.0/24"]), dict(name="b", address_prefixes=["10.20.0.128/25"])],
            "subnets[b]: 10.20.0.128/25 overlaps 10.20.0.0/24 of subnet a",
        ),
        (
            [dict(name="a", address_prefixes=["10.20.0.1/24"])],
            "subnets[a].address_prefixes: '10.20.0.1/24' is not a valid",
        ),
        (
            [dict(name="a", address_prefixes=["10.20.0.0/24"]), dict(name="A", address_prefixes=["10.20.1.0/24"])],
            "subnets: names must be unique, repeated: a",
        ),
        ([dict(name="a", address_prefixes=["10.20.0.0/24"], delegations=["aci"])], "subnets[a].delegations: 'aci'"),
        (
            [dict(name="a", address_prefixes=["10.20.0.0/24"], network_security_group="rg2/nsg1")],
            "subnets[a].network_security_group: 'rg2/nsg1' is neither a resource name nor a full ARM id",
        ),
        (
            [dict(name="a", address_prefixes=["10.20.0.0/24"], nat_gateway="natGateways/ng1")],
            "subnets[a].nat_gateway: 'natGateways/ng1' is neither a resource name nor a full ARM id",
        ),
    ],
)
def test_invalid_layouts_are_refused_naming_the_subnet(subnets, message):
    with pytest.raises(NetworkInputError) as caught:
        virtual_network.validate(_params(subnets=subnets))
    assert message in str(caught.value)


def test_invalid_layout_fails_without_any_request(monkeypatch, fake):
    with pytest.raises(ModuleFailed) as failed:
        run_module(
            monkeypatch, virtual_network, fake, subnets=[dict(name="x", address_prefixes=["10.99.0.0/24"])], **BASE
        )
    assert "not inside the address space" in failed.value.result["msg"]
    assert fake.requests == []


def test_body_names_subnets_with_their_associations(monkeypatch, fake):
    result = run_module(monkeypatch, virtual_network, fake, subnets=SUBNETS, **BASE)
    assert result["operation"] == "create"
    body = fake.writes[0]["body"]
    assert body["properties"]["addressSpace"] == {"addressPrefixes": ["10.20.0.0/16"]}
    aci, pe = body["properties"]["subnets"]
    assert aci == {
        "name": "snet-aci",
        "properties": {
            "addressPrefix": "10.20.1.0/24",
            "networkSecurityGroup": {"id": network_id("rg1", "networkSecurityGroups", "nsg-aci")},
            "delegations": [
                {"name": "Microsoft.ContainerInstance.containerGroups", "properties": {"serviceName": DELEGATION}}
            ],
        },
    }
    assert pe == {
        "name": "snet-pe",
        "properties": {"addressPrefix": "10.20.3.0/24", "privateEndpointNetworkPolicies": "Disabled"},
    }
    assert result["subnet_ids"]["snet-pe"] == network_id("rg1", "virtualNetworks/subnets", "vnet1", "snet-pe")


def test_server_normalisation_is_not_a_change(monkeypatch, fake):
    fake.on_put = like_azure
    run_module(monkeypatch, virtual_network, fake, subnets=SUBNETS, **BASE)
    again = run_module(monkeypatch, virtual_network, fake, subnets=SUBNETS, **BASE)
    assert not again["changed"], again["changes"]
    assert len(fake.writes) == 1


def test_unlisted_subnets_and_properties_are_sent_back_unless_purged(monkeypatch, fake):
    fake.on_put = like_azure
    run_module(monkeypatch, virtual_network, fake, subnets=SUBNETS, **BASE)
    fewer = run_module(
        monkeypatch, virtual_network, fake, subnets=[dict(name="snet-pe", address_prefixes=["10.20.3.0/24"])], **BASE
    )
    assert not fewer["changed"] and len(fake.writes) == 1

    grown = run_module(
        monkeypatch, virtual_network, fake, subnets=[dict(name="snet-apim", address_prefixes=["10.20.2.0/24"])], **BASE
    )
    assert grown["changes"] == ["properties.subnets"]
    sent = dict((s["name"], s["properties"]) for s in fake.writes[-1]["body"]["properties"]["subnets"])
    assert sorted(sent) == ["snet-aci", "snet-apim", "snet-pe"]
    # kept as Azure has it, without the read-only parts the service would refuse
    assert sent["snet-aci"]["delegations"] == [
        {"name": "Microsoft.ContainerInstance.containerGroups", "properties": {"serviceName": DELEGATION}}
    ]
    assert "ipConfigurations" not in sent["snet-aci"] and "provisioningState" not in sent["snet-aci"]

    purged = run_module(monkeypatch, virtual_network, fake, subnets=SUBNETS[1:], purge_subnets=True, **BASE)
    assert purged["changed"]
    assert [s["name"] for s in fake.writes[-1]["body"]["properties"]["subnets"]] == ["snet-pe"]


def test_removing_an_association_is_a_change(monkeypatch, fake):
    fake.on_put = like_azure
    run_module(monkeypatch, virtual_network, fake, subnets=SUBNETS, **BASE)
    detached = run_module(
        monkeypatch, virtual_network, fake, subnets=[dict(SUBNETS[0], network_security_group="")], **BASE
    )
    assert detached["changed"]
    sent = dict((s["name"], s["properties"]) for s in fake.writes[-1]["body"]["properties"]["subnets"])
    assert "networkSecurityGroup" not in sent["snet-aci"]
    assert sent["snet-aci"]["delegations"][0]["properties"]["serviceName"] == DELEGATION


def test_existing_delegation_name_is_kept(monkeypatch, fake):
    path = network_id("rg1", "virtualNetworks", "vnet1")
    fake.resources[path.lower()] = {
        "id": path,
        "location": "westeurope",
        "properties": {
            "addressSpace": {"addressPrefixes": ["10.20.0.0/16"]},
            "subnets": [
                {
                    "name": "snet-aci",
                    "properties": {
                        "addressPrefix": "10.20.1.0/24",
                        "delegations": [{"name": "aci", "properties": {"serviceName": DELEGATION, "actions": ["x"]}}],
                    },
                }
            ],
        },
    }
    result = run_module(
        monkeypatch,
        virtual_network,
        fake,
        subnets=[dict(name="snet-aci", address_prefixes=["10.20.1.0/24"], delegations=[DELEGATION])],
        **BASE,
    )
    assert not result["changed"], result["changes"]


def test_check_mode_and_diff_make_no_write(monkeypatch, fake):
    fake.on_put = like_azure
    run_module(monkeypatch, virtual_network, fake, subnets=SUBNETS, **BASE)
    checked = run_module(
        monkeypatch, virtual_network, fake, check=True, diff=True, subnets=SUBNETS, dns_servers=["10.20.0.4"], **BASE
    )
    assert checked["changed"] and checked["changes"] == ["properties.dhcpOptions"]
    assert checked["diff"]["after"]["properties"]["dhcpOptions"] == {"dnsServers": ["10.20.0.4"]}
    assert len(fake.writes) == 1


def test_absent_deletes_once(monkeypatch, fake):
    run_module(monkeypatch, virtual_network, fake, subnets=SUBNETS, **BASE)
    deleted = run_module(monkeypatch, virtual_network, fake, name="vnet1", resource_group="rg1", state="absent")
    assert deleted["operation"] == "delete" and fake.writes[-1]["method"] == "DELETE"
    again = run_module(monkeypatch, virtual_network, fake, name="vnet1", resource_group="rg1", state="absent")
    assert not again["changed"] and len(fake.writes) == 2
