"""apim_diagnostic: no body logging, logger id, scope, and comparison."""

from ansible_collections.mcp_platform.azure.plugins.modules import apim_diagnostic as module
from tests.unit.plugins.module_utils.arm_fake import FakeArm
from tests.unit.plugins.module_utils.engine_helpers import run_engine

SUBSCRIPTION = "00000000-0000-0000-0000-000000000001"
LOGGER_ID = (
    "/subscriptions/%s/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apim1/loggers/appinsights"
    % SUBSCRIPTION
)
BASE = dict(service_name="apim1", resource_group="rg1", logger="appinsights")


def params(**overrides):
    full = dict(
        BASE,
        api_id=None,
        name="applicationinsights",
        sampling_percentage=100.0,
        always_log_errors=True,
        verbosity="information",
        log_client_ip=True,
        request_headers=[],
        response_headers=[],
        http_correlation_protocol="W3C",
        operation_name_format=None,
        metrics=None,
        state="present",
    )
    full.update(overrides)
    return full


def run(fake, check=False, **overrides):
    args = dict(BASE, **overrides)
    resource = module.diagnostic_resource(params(**overrides))
    return run_engine(module.ARGUMENT_SPEC, lambda p: module.desired_body(p, SUBSCRIPTION), resource, args, fake, check)


def test_body_never_logs_bodies():
    body = module.desired_body(params(request_headers=["mcp-session-id"]), SUBSCRIPTION)["properties"]
    for side in ("frontend", "backend"):
        assert body[side]["request"] == {"headers": ["mcp-session-id"], "body": {"bytes": 0}}
        assert body[side]["response"] == {"headers": [], "body": {"bytes": 0}}
    assert body["loggerId"] == LOGGER_ID
    assert body["httpCorrelationProtocol"] == "W3C"
    assert body["sampling"] == {"samplingType": "fixed", "percentage": 100.0}
    assert body["alwaysLog"] == "allErrors" and body["logClientIp"] is True


def test_scope():
    assert module.diagnostic_resource(params()).path_args(params()) == ("rg1", "apim1", "applicationinsights")
    api = module.diagnostic_resource(params(api_id="mcp-mongodb"))
    assert api.sdk.operations == "api_diagnostic"
    assert api.path_args(params(api_id="mcp-mongodb")) == ("rg1", "apim1", "mcp-mongodb", "applicationinsights")


def test_header_order_and_id_casing_are_not_changes_but_always_log_off_is():
    fake = FakeArm()

    def like_azure(path, body):
        props = body["properties"]
        props["loggerId"] = props["loggerId"].replace("resourceGroups", "resourcegroups")
        props["frontend"]["request"]["headers"].reverse()
        return body

    fake.on_put = like_azure
    headers = ["mcp-session-id", "mcp-protocol-version"]
    assert run(fake, request_headers=headers)["operation"] == "create"
    assert not run(fake, request_headers=headers, logger=LOGGER_ID)["changed"]
    off = run(fake, check=True, request_headers=headers, always_log_errors=False)
    assert off["changes"] == ["properties.alwaysLog"]
    assert len(fake.writes) == 1


def test_validation():
    assert module.validate(params()) == []
    problems = module.validate(
        params(logger="/subscriptions/x", sampling_percentage=101.0, request_headers=["Authorization"])
    )
    assert [p.split(":")[0] for p in problems] == ["logger", "sampling_percentage", "request_headers"]
