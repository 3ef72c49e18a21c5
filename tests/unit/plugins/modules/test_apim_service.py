"""apim_service: option rules, body building, comparison with what Azure answers, waiting."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils import _apim
from ansible_collections.mcp_platform.azure.plugins.modules import apim_service
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import run_engine

SUBNET = "/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apim"
IDENTITY = "/subscriptions/s/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-apim"
OTHER_IDENTITY = IDENTITY.replace("id-apim", "id-other")


def options(**overrides):
    params = dict(
        name="apim1",
        resource_group="rg1",
        location="westeurope",
        sku="Developer",
        capacity=1,
        publisher_email="platform@example.com",
        publisher_name="Platform",
        virtual_network_type="External",
        subnet_id=SUBNET,
        identity_type=None,
        user_assigned_identities=None,
        state="present",
        wait=True,
        wait_timeout=3600,
    )
    params.update(overrides)
    return params


def run(fake, check=False, diff=False, **overrides):
    args = dict((k, v) for k, v in options(**overrides).items() if v is not None)
    return run_engine(
        apim_service.ARGUMENT_SPEC, apim_service.desired_body, apim_service.RESOURCE, args, fake, check, diff
    )


def like_azure(path, body):
    """What the service does to a body: defaults, its own casing of ids and names, identity details."""
    body["sku"]["name"] = body["sku"]["name"].lower()
    props = body["properties"]
    props.update(gatewayUrl="https://apim1.azure-api.net", publicIPAddresses=["20.1.2.3"])
    vnet = props.get("virtualNetworkConfiguration")
    if vnet:
        vnet["subnetResourceId"] = vnet["subnetResourceId"].replace("resourceGroups", "resourcegroups")
        vnet.update(vnetid="0000", subnetname="apim")
        props["privateIPAddresses"] = ["10.0.2.4"]
    identity = body.get("identity")
    if identity:
        identity["type"] = identity["type"].replace(", ", ",")
        identity["principalId"] = "p-1"
        identity["userAssignedIdentities"] = dict(
            (rid.upper(), {"principalId": "p-2", "clientId": "c-2"})
            for rid in identity.get("userAssignedIdentities", {})
        )
    return body


@pytest.fixture
def fake():
    arm = FakeArm()
    arm.lro_types = {"Microsoft.ApiManagement/service"}
    arm.on_put = like_azure
    return arm


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (dict(sku="Basic"), "sku: virtual_network_type=External needs the Developer or Premium tier, got Basic"),
        (dict(sku="Standard", virtual_network_type="Internal"), "needs the Developer or Premium tier"),
        (dict(subnet_id=None), "subnet_id: required when virtual_network_type is External"),
        (dict(virtual_network_type="None"), "subnet_id: only allowed when virtual_network_type is External"),
        (dict(subnet_id="/subscriptions/s/resourceGroups/rg1"), "subnet_id: must be a subnet resource id"),
        (dict(capacity=2), "capacity: the Developer tier allows 1 to 1 units, got 2"),
        (dict(publisher_email=None), "publisher_email: required with state=present"),
        (dict(publisher_name="x" * 101), "publisher_name: at most 100 characters"),
        (dict(identity_type="UserAssigned"), "user_assigned_identities: required when identity_type is UserAssigned"),
        (dict(user_assigned_identities=[IDENTITY]), "user_assigned_identities: needs identity_type UserAssigned"),
    ],
)
def test_invalid_options_are_named(overrides, message):
    assert any(message in problem for problem in apim_service.validate(options(**overrides)))


def test_valid_platform_options_pass():
    assert apim_service.validate(options()) == []
    assert apim_service.validate(options(sku="Premium", capacity=3, virtual_network_type="Internal")) == []
    assert apim_service.validate(options(sku="Basic", virtual_network_type="None", subnet_id=None)) == []
    assert apim_service.validate(options(state="absent", publisher_email=None, sku="Basic")) == []


def test_body_in_wire_names():
    body = apim_service.desired_body(
        options(identity_type="SystemAssigned, UserAssigned", user_assigned_identities=[IDENTITY])
    )
    assert body == {
        "location": "westeurope",
        "sku": {"name": "Developer", "capacity": 1},
        "properties": {
            "publisherEmail": "platform@example.com",
            "publisherName": "Platform",
            "virtualNetworkType": "External",
            "virtualNetworkConfiguration": {"subnetResourceId": SUBNET},
        },
        "identity": {"type": "SystemAssigned, UserAssigned", "userAssignedIdentities": {IDENTITY: {}}},
    }
    public = apim_service.desired_body(options(virtual_network_type="None", subnet_id=None))
    assert "virtualNetworkConfiguration" not in public["properties"]
    assert public["properties"]["virtualNetworkType"] == "None"


def test_service_normalisation_is_not_a_change(fake):
    identities = dict(identity_type="SystemAssigned, UserAssigned", user_assigned_identities=[IDENTITY])
    created = run(fake, **identities)
    assert created["changed"] and created["operation"] == "create"
    again = run(fake, **identities)
    assert not again["changed"], again["changes"]
    assert [w["method"] for w in fake.writes] == ["PUT"]


def test_identity_removal_and_tier_change_are_changes(fake):
    run(fake, identity_type="UserAssigned", user_assigned_identities=[IDENTITY, OTHER_IDENTITY])
    fewer = run(fake, check=True, identity_type="UserAssigned", user_assigned_identities=[IDENTITY])
    assert fewer["changed"] and fewer["changes"] == ["identity.userAssignedIdentities"]
    premium = run(
        fake,
        check=True,
        diff=True,
        sku="Premium",
        identity_type="UserAssigned",
        user_assigned_identities=[IDENTITY, OTHER_IDENTITY],
    )
    assert premium["changes"] == ["sku.name"]
    assert premium["diff"]["after"]["sku"]["name"] == "Premium"
    assert [w["method"] for w in fake.writes] == ["PUT"]


def test_summary_of_a_service():
    resource = like_azure("", apim_service.desired_body(options(identity_type="SystemAssigned")))
    resource["properties"]["provisioningState"] = "Activating"
    summary = _apim.service_summary(resource)
    assert summary["gateway_url"] == "https://apim1.azure-api.net"
    assert summary["private_ip_addresses"] == ["10.0.2.4"]
    assert summary["principal_id"] == "p-1"
    assert summary["settled"] is False
