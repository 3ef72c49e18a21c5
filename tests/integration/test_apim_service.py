"""apim_service and apim_service_info through Ansible against the stand-in.

Creation in Azure takes 30-45 minutes; the stand-in is told to take a few seconds, enough to see
wait=false return at once and a later task wait for the service.
"""

import uuid

import pytest

APIM_TYPE = "Microsoft.ApiManagement/service"
# Long enough that the next task (a few seconds of Ansible start-up) still finds the service busy.
CREATION_SECONDS = 30
# Seconds between two reads while a task waits for the service (30 in real use).
FAST_POLLING = {"MCP_PLATFORM_AZURE_POLLING_INTERVAL": "1"}


def operation_polls(run):
    return [
        t
        for t in run.traffic
        if "/operationstatuses/" in t["path"].lower() or "/operationresults/" in t["path"].lower()
    ]


def service_reads(run, name):
    return [t for t in run.traffic if t["method"] == "GET" and t["path"].lower().endswith("/service/" + name)]


@pytest.fixture(scope="module")
def network(ansible_module):
    suffix = uuid.uuid4().hex[:8]
    group = "rg-apim-%s" % suffix
    ansible_module("resource_group", name=group, location="westeurope")
    vnet = ansible_module(
        "virtual_network",
        name="vnet-%s" % suffix,
        resource_group=group,
        location="westeurope",
        address_prefixes=["10.20.0.0/16"],
        subnets=[{"name": "snet-apim", "address_prefixes": ["10.20.2.0/24"]}],
    )
    yield dict(resource_group=group, subnet_id=vnet["subnet_ids"]["snet-apim"], suffix=suffix)
    ansible_module("resource_group", name=group, state="absent")


def service_options(network, **overrides):
    options = dict(
        name="apim-%s" % network["suffix"],
        resource_group=network["resource_group"],
        location="westeurope",
        sku="Developer",
        publisher_email="platform@example.com",
        publisher_name="Platform team",
        virtual_network_type="External",
        subnet_id=network["subnet_id"],
        identity_type="SystemAssigned",
        tags={"env": "test"},
    )
    options.update(overrides)
    return options


def test_apim_service_lifecycle_without_blocking(ansible_module, standin, network):
    options = service_options(network)
    standin.configure(durations={APIM_TYPE: CREATION_SECONDS})
    try:
        started = ansible_module("apim_service", wait=False, **options)
        assert started.changed and started["operation"] == "create"
        assert started["in_progress"] is True
        assert started["provisioning_state"] not in ("Succeeded", None)
        assert [w["method"] for w in started.writes] == ["PUT"]
        body = started.writes[0]["request_body"]
        assert body["sku"] == {"name": "Developer", "capacity": 1}
        assert body["properties"]["virtualNetworkType"] == "External"
        assert body["properties"]["virtualNetworkConfiguration"] == {"subnetResourceId": network["subnet_id"]}
        assert body["identity"] == {"type": "SystemAssigned"}
        assert operation_polls(started) == [], "wait=false must not poll the creation"

        # A later task waits for it; nothing differs, so nothing is sent.
        waited = ansible_module("apim_service", env=FAST_POLLING, wait=True, **options)
        assert not waited.changed, waited["changes"]
        assert waited.writes == []
        assert waited["provisioning_state"] == "Succeeded" and waited["in_progress"] is False
        assert waited["gateway_url"].startswith("https://")
        assert waited["private_ip_addresses"] and waited["resource"]["identity"]["type"] == "SystemAssigned"
        assert len(service_reads(waited, options["name"])) > 1, "the task did not wait for the service"
    finally:
        standin.configure(durations={APIM_TYPE: 0})

    # A re-run on the settled service: one read, nothing sent.
    again = ansible_module("apim_service", wait=False, **options)
    assert not again.changed and again.writes == [] and again["in_progress"] is False
    assert len(service_reads(again, options["name"])) == 1

    info = ansible_module("apim_service_info", name=options["name"], resource_group=options["resource_group"])
    assert info["exists"] and info["service"]["provisioning_state"] == "Succeeded"
    assert info["service"]["virtual_network_type"] == "External"
    assert info["service"]["private_ip_addresses"] == waited["private_ip_addresses"]
    assert info["service"]["public_ip_addresses"]

    preview = ansible_module("apim_service", check=True, diff=True, **dict(options, publisher_name="Platform"))
    assert preview.changed and preview["changes"] == ["properties.publisherName"]
    assert preview["diff"]["after"]["properties"]["publisherName"] == "Platform"
    assert preview.writes == []

    updated = ansible_module("apim_service", **dict(options, publisher_name="Platform"))
    assert updated["operation"] == "update" and [w["method"] for w in updated.writes] == ["PUT"]
    assert updated.writes[0]["request_body"]["properties"]["publisherName"] == "Platform"

    deleted = ansible_module(
        "apim_service", name=options["name"], resource_group=options["resource_group"], state="absent"
    )
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("apim_service_info", name=options["name"], resource_group=options["resource_group"])
    assert not gone["exists"] and gone["resources"] == []


def test_apim_service_info_waits_for_a_service_started_without_waiting(ansible_module, standin, network):
    options = service_options(network, name="apim-wait-%s" % network["suffix"])
    standin.configure(durations={APIM_TYPE: CREATION_SECONDS})
    try:
        started = ansible_module("apim_service", wait=False, **options)
        assert started["in_progress"] is True
        waited = ansible_module(
            "apim_service_info",
            env=FAST_POLLING,
            name=options["name"],
            resource_group=options["resource_group"],
            wait=True,
            wait_timeout=60,
        )
        assert waited["service"]["provisioning_state"] == "Succeeded" and waited["service"]["settled"] is True
        assert waited.writes == []
        # Several reads, not a single one: the task really waited.
        assert len(service_reads(waited, options["name"])) > 1
    finally:
        standin.configure(durations={APIM_TYPE: 0})
    ansible_module("apim_service", name=options["name"], resource_group=options["resource_group"], state="absent")


def test_system_assigned_identity_has_a_principal(ansible_module, network):
    options = service_options(
        network, name="apim-id-%s" % network["suffix"], virtual_network_type="None", subnet_id=None
    )
    created = ansible_module("apim_service", **options)
    try:
        assert created["principal_id"]
    finally:
        ansible_module("apim_service", name=options["name"], resource_group=options["resource_group"], state="absent")


def test_virtual_network_needs_a_classic_tier_that_supports_it(ansible_module, network):
    refused = ansible_module("apim_service", expect_failure=True, **service_options(network, sku="Basic"))
    assert "sku: virtual_network_type=External needs the Developer or Premium tier" in refused["msg"]
    assert refused.traffic == [] or all(t["kind"] in ("metadata", "token") for t in refused.traffic)
    no_subnet = ansible_module("apim_service", expect_failure=True, **service_options(network, subnet_id=None))
    assert "subnet_id: required when virtual_network_type is External" in no_subnet["msg"]
    assert no_subnet.writes == []
