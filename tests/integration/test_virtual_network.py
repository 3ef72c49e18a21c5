"""virtual_network through Ansible against the stand-in: subnets inside the VNet body."""

import uuid

import pytest

DELEGATION = "Microsoft.ContainerInstance/containerGroups"


@pytest.fixture(scope="module")
def group(ansible_module):
    name = "rg-it-vnet-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=name, location="westeurope")
    yield name
    ansible_module("resource_group", name=name, state="absent")


def _subnets(run):
    return dict((s["name"], s["properties"]) for s in run["resource"]["properties"]["subnets"])


def test_virtual_network_lifecycle(ansible_module, group):
    nsg = "nsg-%s" % uuid.uuid4().hex[:6]
    ansible_module("network_security_group", name=nsg, resource_group=group, location="westeurope")
    name = "vnet-%s" % uuid.uuid4().hex[:8]
    base = dict(name=name, resource_group=group, location="westeurope", address_prefixes=["10.20.0.0/16"])
    subnets = [
        dict(name="snet-aci", address_prefixes=["10.20.1.0/24"], delegations=[DELEGATION], network_security_group=nsg),
        dict(name="snet-pe", address_prefixes=["10.20.3.0/24"], private_endpoint_network_policies="Disabled"),
    ]

    created = ansible_module("virtual_network", subnets=subnets, tags={"env": "test"}, **base)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    body = created.writes[0]["request_body"]
    assert [s["name"] for s in body["properties"]["subnets"]] == ["snet-aci", "snet-pe"]
    assert created["subnet_ids"]["snet-aci"].lower().endswith("/virtualnetworks/%s/subnets/snet-aci" % name.lower())
    aci = _subnets(created)["snet-aci"]
    assert [d["properties"]["serviceName"] for d in aci["delegations"]] == [DELEGATION]
    assert aci["networkSecurityGroup"]["id"].lower().endswith("/networksecuritygroups/%s" % nsg.lower())

    again = ansible_module("virtual_network", subnets=subnets, tags={"env": "test"}, **base)
    assert not again.changed, again["changes"]
    assert again.writes == []

    # A subnet that is not listed is kept (no purge), and listing fewer subnets changes nothing.
    partial = ansible_module("virtual_network", subnets=subnets[:1], **base)
    assert not partial.changed and partial.writes == []

    grown = [*subnets, dict(name="snet-apim", address_prefixes=["10.20.2.0/24"])]
    checked = ansible_module("virtual_network", check=True, diff=True, subnets=grown, **base)
    assert checked.changed and checked["changes"] == ["properties.subnets"]
    assert checked.writes == []
    assert sorted(s["name"] for s in checked["diff"]["after"]["properties"]["subnets"]) == [
        "snet-aci",
        "snet-apim",
        "snet-pe",
    ]

    updated = ansible_module("virtual_network", subnets=grown, **base)
    assert updated.changed and updated["operation"] == "update"
    assert [w["method"] for w in updated.writes] == ["PUT"]
    assert sorted(_subnets(updated)) == ["snet-aci", "snet-apim", "snet-pe"]

    # Removing the NSG association is a change; the other subnets are sent back untouched.
    detached = ansible_module("virtual_network", subnets=[dict(subnets[0], network_security_group="")], **base)
    assert detached.changed and [w["method"] for w in detached.writes] == ["PUT"]
    assert "networkSecurityGroup" not in _subnets(detached)["snet-aci"]
    assert sorted(_subnets(detached)) == ["snet-aci", "snet-apim", "snet-pe"]

    purged = ansible_module("virtual_network", subnets=subnets[:1], purge_subnets=True, **base)
    assert purged.changed and sorted(_subnets(purged)) == ["snet-aci"]

    deleted = ansible_module("virtual_network", name=name, resource_group=group, state="absent")
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("virtual_network", name=name, resource_group=group, state="absent")
    assert not gone.changed and gone.writes == []


def test_subnet_outside_the_address_space_fails_before_any_call(ansible_module, group):
    refused = ansible_module(
        "virtual_network",
        expect_failure=True,
        name="vnet-bad",
        resource_group=group,
        location="westeurope",
        address_prefixes=["10.30.0.0/16"],
        subnets=[dict(name="snet-x", address_prefixes=["10.31.0.0/24"])],
    )
    assert "subnets[snet-x]" in refused["msg"] and "not inside the address space" in refused["msg"]
    assert refused.traffic == [] or all(t["kind"] in ("token", "metadata") for t in refused.traffic)
