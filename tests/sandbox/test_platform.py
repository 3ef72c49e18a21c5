"""The stand-in's protocol behaviour, driven through the real SDK clients."""

import json
import ssl
import time
import urllib.error
import urllib.request
import uuid

import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError
from azure.mgmt.mongocluster import MongoClusterMgmtClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.sandbox.clients import ARM_SCOPE, credential


def _get(standin, path):
    context = ssl.create_default_context(cafile=standin.env["REQUESTS_CA_BUNDLE"])
    with urllib.request.urlopen(standin.base_url + path, context=context, timeout=10) as response:
        return json.loads(response.read())


def test_env_file_points_at_the_stand_in(standin):
    env = standin.env
    assert env["AZURE_AUTHORITY_HOST"] == standin.base_url
    assert env["AZURE_CLOUD_ENVIRONMENT"] == f"{standin.base_url}/metadata/endpoints?api-version=2022-09-01"
    assert env["REQUESTS_CA_BUNDLE"] == env["SSL_CERT_FILE"]
    assert set(env) >= {"AZURE_CLIENT_ID", "AZURE_SECRET", "AZURE_TENANT", "AZURE_SUBSCRIPTION_ID"}


def test_metadata_endpoint_answers_both_shapes(standin):
    clouds = _get(standin, "/metadata/endpoints?api-version=2022-09-01")
    assert isinstance(clouds, list) and len(clouds) == 1
    cloud = clouds[0]
    assert cloud["resourceManager"] == standin.base_url + "/"
    assert cloud["authentication"]["loginEndpoint"] == standin.base_url + "/"
    assert "https://management.azure.com/" in cloud["authentication"]["audiences"]
    assert cloud["microsoftGraphResourceId"] == standin.base_url + "/"
    assert cloud["suffixes"]["keyVaultDns"]
    legacy = _get(standin, "/metadata/endpoints?api-version=2015-01-01")
    assert legacy["graphEndpoint"] == standin.base_url + "/"
    assert legacy["authentication"]["loginEndpoint"] == standin.base_url + "/"


def test_token_for_good_credentials_and_aadsts_for_bad(sdk_env):
    good = credential(sdk_env)
    assert good.get_token(ARM_SCOPE).token.count(".") == 2
    bad = credential(sdk_env, secret="not-the-secret")
    with pytest.raises(ClientAuthenticationError, match="AADSTS7000215"):
        bad.get_token(ARM_SCOPE)


def test_arm_refuses_requests_without_a_token(standin):
    context = ssl.create_default_context(cafile=standin.env["REQUESTS_CA_BUNDLE"])
    url = (
        f"{standin.base_url}/subscriptions/{standin.env['AZURE_SUBSCRIPTION_ID']}/resourcegroups?api-version=2025-04-01"
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(url, context=context, timeout=10)
    assert caught.value.code == 401
    assert json.loads(caught.value.read())["error"]["code"] == "AuthenticationFailed"


def test_unknown_api_version_is_rejected(client, group):
    network = client(NetworkManagementClient)
    with pytest.raises(HttpResponseError) as caught:
        network.virtual_networks.get(group, "anything", api_version="2099-01-01")
    assert caught.value.status_code == 400
    assert caught.value.error.code == "InvalidApiVersionParameter"


def test_missing_group_and_parent(client):
    network = client(NetworkManagementClient)
    with pytest.raises(ResourceNotFoundError) as caught:
        network.virtual_networks.get("no-such-group", "vnet")
    assert caught.value.error.code == "ResourceGroupNotFound"


def test_parent_must_exist(client, group):
    network = client(NetworkManagementClient)
    with pytest.raises(HttpResponseError) as caught:
        network.subnets.begin_create_or_update(group, "no-vnet", "s1", {"properties": {"addressPrefix": "10.0.0.0/24"}})
    assert caught.value.status_code == 404
    assert caught.value.error.code == "ParentResourceNotFound"


MONGO_BODY = {
    "location": "westeurope",
    "properties": {
        "administrator": {"userName": "clusteradmin", "password": "Sup3r-Secret-Passw0rd"},
        "compute": {"tier": "M30"},
        "storage": {"sizeGb": 32},
        "highAvailability": {"targetMode": "Disabled"},
        "publicNetworkAccess": "Disabled",
    },
}


@pytest.mark.parametrize(
    ("change", "code", "fragment"),
    [
        ({"properties": {**MONGO_BODY["properties"], "adminPassword": "x"}}, "InvalidRequestContent", "adminPassword"),
        ({"properties": {**MONGO_BODY["properties"], "connectionString": "x"}}, "InvalidRequestContent", "read-only"),
        ({"properties": {**MONGO_BODY["properties"], "storage": {"sizeGb": "32"}}}, "InvalidRequestContent", "sizeGb"),
        ({"location": None}, "LocationRequired", "location"),
    ],
)
def test_bodies_are_validated_against_the_sdk_model(client, group, change, code, fragment):
    body = {**MONGO_BODY, **change}
    body = {k: v for k, v in body.items() if v is not None}
    mongo = client(MongoClusterMgmtClient)
    with pytest.raises(HttpResponseError) as caught:
        mongo.mongo_clusters.begin_create_or_update(group, "mc-invalid", body).result()
    assert caught.value.status_code == 400
    assert caught.value.error.code == code
    assert fragment in caught.value.error.message


def test_long_running_create_is_polled_with_retry_after_ms(standin, client, group):
    mongo = client(MongoClusterMgmtClient)
    standin.configure(durations={"Microsoft.DocumentDB/mongoClusters": 0.6})
    mark = standin.traffic_mark()
    started = time.monotonic()
    try:
        poller = mongo.mongo_clusters.begin_create_or_update(group, "mc-slow", MONGO_BODY)
        assert mongo.mongo_clusters.get(group, "mc-slow").properties.provisioning_state == "InProgress"
        cluster = poller.result()
    finally:
        standin.configure(durations={"Microsoft.DocumentDB/mongoClusters": 0})
    elapsed = time.monotonic() - started
    assert cluster.properties.provisioning_state == "Succeeded"
    assert 0.5 <= elapsed < 5
    statuses = [e for e in standin.traffic(mark) if "/operationStatuses/" in e["path"]]
    assert statuses[0]["response_body"]["status"] == "InProgress"
    assert int(statuses[0]["response_headers"]["retry-after-ms"]) > 0
    assert statuses[-1]["response_body"]["status"] == "Succeeded"


def test_zero_duration_succeeds_on_first_poll(standin, client, group):
    mongo = client(MongoClusterMgmtClient)
    mark = standin.traffic_mark()
    started = time.monotonic()
    mongo.mongo_clusters.begin_create_or_update(group, "mc-fast", MONGO_BODY).result()
    assert time.monotonic() - started < 2
    statuses = [e for e in standin.traffic(mark) if "/operationStatuses/" in e["path"]]
    assert [s["response_body"]["status"] for s in statuses] == ["Succeeded"]


def test_faults_make_the_sdk_retry_and_still_complete(standin, client, group):
    network = client(NetworkManagementClient, retry_total=8, retry_status=8, retry_read=8, retry_backoff_factor=0.01)
    standin.configure(
        faults={
            "Microsoft.Network/virtualNetworks": {"rate": 0.35, "kinds": ["429", "500", "drop"], "retry_after_ms": 20}
        },
        seed=7,
    )
    mark = standin.traffic_mark()
    try:
        for index in range(3):
            network.virtual_networks.begin_create_or_update(
                group,
                f"vnet-faulty-{index}",
                {"location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}},
            ).result()
            assert network.virtual_networks.get(group, f"vnet-faulty-{index}").provisioning_state == "Succeeded"
    finally:
        standin.configure(faults={})
    faulted = [e for e in standin.traffic(mark) if e.get("fault")]
    assert {e["fault"] for e in faulted} & {"429", "500", "drop"}
    retried = [e for e in faulted if e["status"] == 429]
    assert all(e["response_headers"]["Retry-After"] for e in retried)


def test_lro_failed_fault_surfaces_as_an_error(standin, client, group):
    network = client(NetworkManagementClient)
    standin.configure(faults={"Microsoft.Network/publicIPAddresses": {"rate": 1.0, "kinds": ["lro_failed"]}}, seed=1)
    try:
        with pytest.raises(HttpResponseError):
            network.public_ip_addresses.begin_create_or_update(
                group, "pip-failing", {"location": "westeurope", "sku": {"name": "Standard"}}
            ).result()
    finally:
        standin.configure(faults={})
    assert network.public_ip_addresses.get(group, "pip-failing").provisioning_state == "Failed"


def test_group_delete_cascades(client):
    resources = client(ResourceManagementClient)
    network = client(NetworkManagementClient)
    name = f"rg-{uuid.uuid4().hex[:8]}"
    resources.resource_groups.create_or_update(name, {"location": "westeurope"})
    network.virtual_networks.begin_create_or_update(
        name, "vnet", {"location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}
    ).result()
    resources.resource_groups.begin_delete(name).result()
    assert not resources.resource_groups.check_existence(name)
    resources.resource_groups.create_or_update(name, {"location": "westeurope"})
    assert list(network.virtual_networks.list(name)) == []
    resources.resource_groups.begin_delete(name).result()


def test_traffic_log_redacts_secrets(standin, client, group):
    mark = standin.traffic_mark()
    client(MongoClusterMgmtClient).mongo_clusters.begin_create_or_update(group, "mc-redacted", MONGO_BODY).result()
    raw = standin.traffic_path.read_bytes()[mark:].decode()
    assert "Sup3r-Secret-Passw0rd" not in raw
    assert standin.env["AZURE_SECRET"] not in raw
    puts = [e for e in standin.traffic(mark) if e["method"] == "PUT"]
    assert puts[0]["request_body"]["properties"]["administrator"]["password"] == "**redacted**"
    assert {"ts", "method", "url", "path", "api_version", "status", "response_headers", "kind"} <= set(puts[0])
    tokens = [e for e in standin.traffic(mark) if e["path"].endswith("/token")]
    for entry in tokens:
        assert entry["response_body"]["access_token"] == "**redacted**"
    assert standin.write_calls(mark)


def test_sigterm_removes_the_ready_file(tmp_path):
    from tests.sandbox.fixtures import StandInProcess

    process = StandInProcess(tmp_path / "state").start()
    try:
        assert (process.state_dir / "ready").read_text().strip() == process.base_url
        _get(process, "/metadata/endpoints?api-version=2022-09-01")
        process.process.terminate()  # SIGTERM
        assert process.process.wait(timeout=20) == 0
    finally:
        process.stop()
    assert not (process.state_dir / "ready").exists()
    assert (process.state_dir / "traffic.jsonl").read_text().count("\n") == 1
