"""apim_logger through Ansible against the stand-in: the connection string is write-only."""

import json
import uuid

import pytest

INSTRUMENTATION_KEY = str(uuid.uuid4())
CONNECTION = "InstrumentationKey=%s;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/" % (
    INSTRUMENTATION_KEY
)


@pytest.fixture(scope="module")
def service(ansible_module):
    suffix = uuid.uuid4().hex[:8]
    parent = dict(service_name="apim-%s" % suffix, resource_group="rg-apim-log-%s" % suffix)
    ansible_module("resource_group", name=parent["resource_group"], location="westeurope")
    ansible_module(
        "apim_service",
        name=parent["service_name"],
        resource_group=parent["resource_group"],
        location="westeurope",
        publisher_email="platform@example.com",
        publisher_name="Platform",
    )
    yield parent
    ansible_module("resource_group", name=parent["resource_group"], state="absent")


def test_apim_logger_lifecycle(ansible_module, service):
    logger = dict(service, name="appinsights", connection_string=CONNECTION)
    created = ansible_module("apim_logger", diff=True, **logger)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    assert created.writes[0]["request_body"]["properties"]["loggerType"] == "applicationInsights"
    assert INSTRUMENTATION_KEY not in json.dumps(created.result) and INSTRUMENTATION_KEY not in created.stderr

    again = ansible_module("apim_logger", **logger)
    assert not again.changed, again["changes"]
    assert again.writes == []

    preview = ansible_module("apim_logger", check=True, diff=True, **dict(logger, description="gateway telemetry"))
    assert preview.changed and preview["changes"] == ["properties.description"]
    assert preview.writes == []

    forced = ansible_module("apim_logger", **dict(logger, update_credentials="always"))
    assert forced["changes"] == ["properties.credentials.connectionString (write-only)"]
    assert [w["method"] for w in forced.writes] == ["PUT"]

    deleted = ansible_module("apim_logger", state="absent", **logger)
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("apim_logger", state="absent", **logger)
    assert not gone.changed and gone.writes == []
