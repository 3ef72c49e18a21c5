"""apim_diagnostic through Ansible against the stand-in: Application Insights, no body logging."""

import uuid

import pytest

CONNECTION = "InstrumentationKey=%s;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/" % (
    uuid.uuid4()
)


@pytest.fixture(scope="module")
def service(ansible_module):
    suffix = uuid.uuid4().hex[:8]
    parent = dict(service_name="apim-%s" % suffix, resource_group="rg-apim-diag-%s" % suffix)
    ansible_module("resource_group", name=parent["resource_group"], location="westeurope")
    ansible_module(
        "apim_service",
        name=parent["service_name"],
        resource_group=parent["resource_group"],
        location="westeurope",
        publisher_email="platform@example.com",
        publisher_name="Platform",
    )
    ansible_module("apim_logger", name="appinsights", connection_string=CONNECTION, **parent)
    ansible_module("apim_api", name="mcp-mongodb", path="mcp/mongodb", **parent)
    yield parent
    ansible_module("resource_group", name=parent["resource_group"], state="absent")


def test_apim_diagnostic_lifecycle_at_service_scope(ansible_module, service):
    diagnostic = dict(
        service,
        logger="appinsights",
        sampling_percentage=100,
        verbosity="information",
        request_headers=["mcp-session-id", "mcp-protocol-version"],
        response_headers=["mcp-session-id"],
    )
    created = ansible_module("apim_diagnostic", **diagnostic)
    assert created.changed and created["operation"] == "create"
    assert [w["method"] for w in created.writes] == ["PUT"]
    body = created.writes[0]["request_body"]["properties"]
    assert created.writes[0]["path"].endswith("/diagnostics/applicationinsights")
    for side in ("frontend", "backend"):
        for direction in ("request", "response"):
            assert body[side][direction]["body"] == {"bytes": 0}
    assert body["loggerId"].endswith("/service/%s/loggers/appinsights" % service["service_name"])
    assert body["httpCorrelationProtocol"] == "W3C" and body["logClientIp"] is True
    assert body["sampling"] == {"samplingType": "fixed", "percentage": 100.0}

    again = ansible_module(
        "apim_diagnostic", **dict(diagnostic, request_headers=["mcp-protocol-version", "mcp-session-id"])
    )
    assert not again.changed, again["changes"]
    assert again.writes == []

    preview = ansible_module("apim_diagnostic", check=True, diff=True, **dict(diagnostic, sampling_percentage=50))
    assert preview.changed and preview["changes"] == ["properties.sampling.percentage"]
    assert preview.writes == []

    updated = ansible_module("apim_diagnostic", **dict(diagnostic, verbosity="error"))
    assert updated["changes"] == ["properties.verbosity"] and [w["method"] for w in updated.writes] == ["PUT"]

    deleted = ansible_module("apim_diagnostic", state="absent", **service)
    assert deleted.changed and [w["method"] for w in deleted.writes] == ["DELETE"]
    gone = ansible_module("apim_diagnostic", state="absent", **service)
    assert not gone.changed and gone.writes == []


def test_apim_diagnostic_at_api_scope(ansible_module, service):
    scope = dict(service, api_id="mcp-mongodb", logger="appinsights")
    created = ansible_module("apim_diagnostic", **scope)
    assert created.writes[0]["path"].endswith("/apis/mcp-mongodb/diagnostics/applicationinsights")
    again = ansible_module("apim_diagnostic", **scope)
    assert not again.changed and again.writes == []
    deleted = ansible_module("apim_diagnostic", state="absent", **dict(service, api_id="mcp-mongodb"))
    assert [w["method"] for w in deleted.writes] == ["DELETE"]


def test_apim_diagnostic_refuses_logging_the_token(ansible_module, service):
    refused = ansible_module(
        "apim_diagnostic", expect_failure=True, **dict(service, logger="appinsights", request_headers=["Authorization"])
    )
    assert "request_headers: Authorization" in refused["msg"]
    assert refused.writes == []
