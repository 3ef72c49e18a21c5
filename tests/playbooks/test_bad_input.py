"""Every bad inventory value the roles' argument specs or the access model reject fails before the first write."""

import copy
import shutil

import pytest
import yaml

from tests.playbooks.conftest import SANDBOX_INVENTORY, run_playbook, unique_deployment

SUBNETS = {"aci": "10.20.1.0/24", "apim": "10.20.2.0/24", "private_endpoints": "10.20.3.0/24"}
MODEL = yaml.safe_load((SANDBOX_INVENTORY / "group_vars" / "azure.yml").read_text())["mcp_platform_servers"]


def model_with(change):
    servers = copy.deepcopy(MODEL)
    change(servers[0])
    return servers


def duplicate_port(server):
    server["tiers"][1]["port"] = server["tiers"][0]["port"]


def unknown_tool(server):
    server["tiers"][1]["tools"] = {"allow": ["find", "no-such-tool"]}


CASES = {
    "overlapping subnets": (
        {"network_subnet_prefixes": dict(SUBNETS, apim="10.20.1.128/25")},
        ["network_subnet_prefixes", "overlaps"],
    ),
    "malformed CIDR": (
        {"network_subnet_prefixes": dict(SUBNETS, aci="10.20.1.300/24")},
        ["network_subnet_prefixes.aci"],
    ),
    "subnet outside the address space": (
        {"network_subnet_prefixes": dict(SUBNETS, private_endpoints="10.99.3.0/24")},
        ["network_subnet_prefixes.private_endpoints", "network_address_space"],
    ),
    "duplicate tier port": ({"mcp_platform_servers": model_with(duplicate_port)}, ["port"]),
    "unknown tool": ({"mcp_platform_servers": model_with(unknown_tool)}, ["no-such-tool"]),
    "bad API Management SKU": ({"gateway_sku": "Consumption"}, ["gateway_sku"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_value_fails_before_any_write(standin, case):
    extra, expected_words = CASES[case]
    run = run_playbook(standin, "site.yml", extra_vars={**unique_deployment(), **extra})
    assert run.rc != 0, f"{case}: the converge did not fail\n{run.output[-3000:]}"
    assert run.writes == [], f"{case}: write calls before the failure: {[(w['method'], w['path']) for w in run.writes]}"
    for word in expected_words:
        assert word in run.output, f"{case}: the failure does not name {word!r}\n{run.output[-3000:]}"
    assert "Traceback" not in run.output


def test_missing_required_variable_fails_before_any_write(standin, tmp_path):
    inventory = tmp_path / "sandbox"
    shutil.copytree(SANDBOX_INVENTORY, inventory)
    group_vars = inventory / "group_vars" / "azure.yml"
    values = yaml.safe_load(group_vars.read_text())
    del values["gateway_publisher_email"]
    group_vars.write_text(yaml.safe_dump(values))
    run = run_playbook(standin, "site.yml", extra_vars=unique_deployment(), inventory=inventory)
    assert run.rc != 0, run.output[-3000:]
    assert run.writes == [], [(w["method"], w["path"]) for w in run.writes]
    assert "gateway_publisher_email" in run.output, run.output[-3000:]
