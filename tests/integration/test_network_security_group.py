"""network_security_group through Ansible against the stand-in: rules, purge, service tags."""

import uuid

RULES = [
    dict(
        name="allow-apim-to-mcp",
        priority=100,
        protocol="Tcp",
        source_address_prefixes=["10.20.2.0/24"],
        destination_port_ranges=["3000", "3001"],
    ),
    dict(name="deny-vnet", priority=4000, access="Deny", source_address_prefixes=["VirtualNetwork"]),
]
LOAD_BALANCER = dict(
    name="allow-load-balancer",
    priority=120,
    protocol="Tcp",
    source_address_prefixes=["AzureLoadBalancer"],
    destination_port_ranges=["6390"],
)


def _rules(run):
    return dict((r["name"], r["properties"]) for r in run["resource"]["properties"]["securityRules"])


def test_network_security_group_lifecycle(ansible_module):
    group = "rg-it-nsg-%s" % uuid.uuid4().hex[:8]
    ansible_module("resource_group", name=group, location="westeurope")
    base = dict(name="nsg-aci", resource_group=group, location="westeurope")

    created = ansible_module("network_security_group", rules=RULES, **base)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    assert _rules(created)["allow-apim-to-mcp"]["destinationPortRanges"] == ["3000", "3001"]
    assert _rules(created)["deny-vnet"]["sourceAddressPrefix"] == "VirtualNetwork"

    again = ansible_module("network_security_group", rules=RULES, **base)
    assert not again.changed, again["changes"]
    assert again.writes == []

    checked = ansible_module("network_security_group", check=True, diff=True, rules=[*RULES, LOAD_BALANCER], **base)
    assert checked.changed and checked["changes"] == ["properties.securityRules"]
    assert checked.writes == []

    updated = ansible_module("network_security_group", rules=[LOAD_BALANCER], **base)
    assert updated.changed and [w["method"] for w in updated.writes] == ["PUT"]
    assert sorted(_rules(updated)) == ["allow-apim-to-mcp", "allow-load-balancer", "deny-vnet"]

    purged = ansible_module("network_security_group", rules=[LOAD_BALANCER], purge_rules=True, **base)
    assert purged.changed and sorted(_rules(purged)) == ["allow-load-balancer"]

    clash = ansible_module(
        "network_security_group", expect_failure=True, rules=[LOAD_BALANCER, dict(LOAD_BALANCER, name="x")], **base
    )
    assert "rules[x].priority: 120 is already used" in clash["msg"] and clash.writes == []

    deleted = ansible_module("network_security_group", name="nsg-aci", resource_group=group, state="absent")
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("network_security_group", name="nsg-aci", resource_group=group, state="absent")
    assert not gone.changed and gone.writes == []
    ansible_module("resource_group", name=group, state="absent")
