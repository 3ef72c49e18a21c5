"""network_security_group: rule validation, the single/plural wire shapes, purge and comparison."""

import copy

import pytest

from ansible_collections.mcp_platform.azure.plugins.modules import network_security_group as nsg
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import ModuleFailed
from tests.unit.plugins.modules._network_runner import run_module

BASE = dict(name="nsg-aci", resource_group="rg1", location="westeurope")
RULES = [
    dict(
        name="allow-apim",
        priority=100,
        protocol="Tcp",
        source_address_prefixes=["10.20.2.0/24"],
        destination_port_ranges=["3000", "3001"],
    ),
    dict(name="deny-vnet", priority=4000, access="Deny", source_address_prefixes=["VirtualNetwork"]),
]


@pytest.fixture
def fake():
    return FakeArm()


def like_azure(path, stored):
    """Play the service: both value shapes answered, enums re-cased, plural lists reordered."""
    stored = copy.deepcopy(stored)
    for rule in stored["properties"].get("securityRules", []):
        rule.update(id="%s/securityRules/%s" % (path, rule["name"]), etag='W/"1"')
        properties = rule["properties"]
        properties["provisioningState"] = "Succeeded"
        properties["protocol"] = properties["protocol"].upper() if properties["protocol"] != "*" else "*"
        for singular, plural in (
            ("sourcePortRange", "sourcePortRanges"),
            ("destinationPortRange", "destinationPortRanges"),
            ("sourceAddressPrefix", "sourceAddressPrefixes"),
            ("destinationAddressPrefix", "destinationAddressPrefixes"),
        ):
            properties.setdefault(singular, "")
            properties[plural] = list(reversed(properties.get(plural, [])))
    stored["properties"]["securityRules"].reverse()
    stored["properties"]["defaultSecurityRules"] = [{"name": "DenyAllInBound", "properties": {"priority": 65500}}]
    return stored


def _rule_params(**rule):
    full = dict((key, spec.get("default")) for key, spec in nsg.RULE_SPEC.items())
    full.update(rule)
    return full


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([dict(name="a", priority=99)], "rules[a].priority: 99 is outside 100-4096"),
        (
            [dict(name="a", priority=100), dict(name="b", priority=100)],
            "rules[b].priority: 100 is already used by Inbound rule a",
        ),
        ([dict(name="a", priority=100), dict(name="A", priority=101)], "rules[A]: rule names must be unique"),
        ([dict(name="a", priority=100, source_address_prefixes=["*", "10.0.0.0/8"])], "cannot be combined"),
        ([dict(name="a", priority=100, destination_port_ranges=[])], "rules[a].destination_port_ranges: at least one"),
    ],
)
def test_invalid_rules_are_refused(rules, message):
    params = dict(BASE, rules=[_rule_params(**rule) for rule in rules])
    with pytest.raises(nsg.NetworkInputError) as caught:
        nsg.validate(params)
    assert message in str(caught.value)


def test_same_priority_in_both_directions_is_allowed():
    nsg.validate(
        dict(
            BASE,
            rules=[_rule_params(name="a", priority=100), _rule_params(name="b", priority=100, direction="Outbound")],
        )
    )


def test_rule_body_uses_singular_for_one_value_and_plural_for_several(monkeypatch, fake):
    run_module(monkeypatch, nsg, fake, rules=RULES, **BASE)
    allow, deny = fake.writes[0]["body"]["properties"]["securityRules"]
    assert allow == {
        "name": "allow-apim",
        "properties": {
            "priority": 100,
            "direction": "Inbound",
            "access": "Allow",
            "protocol": "Tcp",
            "sourcePortRange": "*",
            "destinationPortRanges": ["3000", "3001"],
            "sourceAddressPrefix": "10.20.2.0/24",
            "destinationAddressPrefix": "*",
        },
    }
    assert deny["properties"]["access"] == "Deny" and deny["properties"]["sourceAddressPrefix"] == "VirtualNetwork"


def test_server_shapes_and_order_are_not_a_change(monkeypatch, fake):
    fake.on_put = like_azure
    run_module(monkeypatch, nsg, fake, rules=RULES, **BASE)
    again = run_module(monkeypatch, nsg, fake, rules=RULES, **BASE)
    assert not again["changed"], again["changes"]
    assert len(fake.writes) == 1


def test_a_changed_port_is_a_change(monkeypatch, fake):
    fake.on_put = like_azure
    run_module(monkeypatch, nsg, fake, rules=RULES, **BASE)
    changed_rules = [dict(RULES[0], destination_port_ranges=["3000"]), RULES[1]]
    checked = run_module(monkeypatch, nsg, fake, check=True, diff=True, rules=changed_rules, **BASE)
    assert checked["changes"] == ["properties.securityRules"] and len(fake.writes) == 1
    run_module(monkeypatch, nsg, fake, rules=changed_rules, **BASE)
    sent = fake.writes[-1]["body"]["properties"]["securityRules"]
    assert [r["properties"].get("destinationPortRange") for r in sent if r["name"] == "allow-apim"] == ["3000"]


def test_unlisted_rules_are_kept_unless_purged(monkeypatch, fake):
    fake.on_put = like_azure
    run_module(monkeypatch, nsg, fake, rules=RULES, **BASE)
    kept = run_module(monkeypatch, nsg, fake, rules=RULES[:1], **BASE)
    assert not kept["changed"] and len(fake.writes) == 1

    added = [
        RULES[0],
        dict(
            name="allow-lb",
            priority=120,
            source_address_prefixes=["AzureLoadBalancer"],
            destination_port_ranges=["6390"],
        ),
    ]
    run_module(monkeypatch, nsg, fake, rules=added, **BASE)
    sent = dict((r["name"], r["properties"]) for r in fake.writes[-1]["body"]["properties"]["securityRules"])
    assert sorted(sent) == ["allow-apim", "allow-lb", "deny-vnet"]
    assert "provisioningState" not in sent["deny-vnet"] and sent["deny-vnet"]["sourceAddressPrefix"] == "VirtualNetwork"

    purged = run_module(monkeypatch, nsg, fake, rules=RULES[:1], purge_rules=True, **BASE)
    assert purged["changed"]
    assert [r["name"] for r in fake.writes[-1]["body"]["properties"]["securityRules"]] == ["allow-apim"]


def test_location_is_required_before_any_call(monkeypatch, fake):
    with pytest.raises(ModuleFailed) as failed:
        run_module(monkeypatch, nsg, fake, name="nsg", resource_group="rg1", rules=RULES)
    assert failed.value.result["msg"] == "location is required when state=present"
    assert fake.requests == []
