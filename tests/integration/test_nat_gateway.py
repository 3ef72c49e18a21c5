"""nat_gateway through Ansible against the stand-in: the gateway with the public IP it owns."""

import uuid


def _types(writes):
    return [(w["method"], w["path"].split("/providers/Microsoft.Network/")[1].split("/")[0]) for w in writes]


def test_nat_gateway_lifecycle(ansible_module):
    group = "rg-it-ng-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    base = dict(name="ng-mcp", resource_group=group, location="westeurope", tags={"env": "test"})

    created = ansible_module("nat_gateway", **base)
    assert created.changed and created["operation"] == "create"
    assert _types(created.writes) == [("PUT", "publicIPAddresses"), ("PUT", "natGateways")]
    assert created["public_ip"]["sku"]["name"] == "Standard"
    assert created["public_ip_address"]
    assert created["resource"]["properties"]["publicIpAddresses"][0]["id"].lower() == created["public_ip"]["id"].lower()

    again = ansible_module("nat_gateway", **base)
    assert not again.changed, again["changes"]
    assert again.writes == [] and again["public_ip_address"] == created["public_ip_address"]

    checked = ansible_module("nat_gateway", check=True, diff=True, idle_timeout_in_minutes=10, **base)
    assert checked.changed and checked["changes"] == ["properties.idleTimeoutInMinutes"]
    assert checked.writes == []

    updated = ansible_module("nat_gateway", idle_timeout_in_minutes=10, **base)
    assert updated.changed and _types(updated.writes) == [("PUT", "natGateways")]
    assert updated["resource"]["properties"]["idleTimeoutInMinutes"] == 10

    deleted = ansible_module("nat_gateway", name="ng-mcp", resource_group=group, state="absent")
    assert deleted.changed and _types(deleted.writes) == [("DELETE", "natGateways"), ("DELETE", "publicIPAddresses")]
    gone = ansible_module("nat_gateway", name="ng-mcp", resource_group=group, state="absent")
    assert not gone.changed and gone.writes == []
    ansible_module("resource_group", name=group, state="absent")
