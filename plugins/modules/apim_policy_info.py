#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: apim_policy_info
short_description: Read the policy of an API Management API or operation, and compare it with an expected one
version_added: 0.1.0
description:
  - Returns the policy document deployed on an API (or on one of its operations), in the C(rawxml) format
    (policy expressions as written).
  - With O(expected), also says whether the deployed policy is semantically the same document (whitespace,
    indentation, comments, attribute order and XML escaping do not matter; elements, attribute values and
    expression text do), the same comparison M(mcp_platform.azure.apim_policy) uses to decide on a change, and
    returns a line diff of the two canonical renderings when they differ.
options:
  resource_group:
    description: Resource group of the API Management service.
    type: str
    required: true
  service_name:
    description: Name of the API Management service.
    type: str
    required: true
  api_id:
    description: Id of the API.
    type: str
    required: true
  operation_id:
    description: Id of an operation of the API; the API-level policy when not set.
    type: str
  expected:
    description: A policy document to compare the deployed one with.
    type: str
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes.INFO
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: Compare the deployed policy with the one the access model compiles to
  mcp_platform.azure.apim_policy_info:
    resource_group: rg-mcp-platform
    service_name: apim-mcp-platform
    api_id: mcp-mongodb
    expected: "{{ mcp_platform_servers | mcp_platform.azure.mcp_apim_policy(server='mongodb', ...) }}"
  register: mongodb_policy

- name: Fail when the deployed policy drifted
  ansible.builtin.assert:
    that: mongodb_policy.matches
    fail_msg: "{{ mongodb_policy.differences }}"
"""

RETURN = r"""
exists:
  description: Whether a policy is set at that scope.
  returned: always
  type: bool
policy:
  description: The deployed policy document (C(rawxml)); null when none is set.
  returned: always
  type: str
matches:
  description: Whether the deployed policy is semantically the same as O(expected); null without O(expected).
  returned: always
  type: bool
differences:
  description:
    - Unified diff from the expected to the deployed policy (canonical renderings); empty when they match
      or without O(expected).
  returned: always
  type: str
"""

import difflib

from ansible_collections.mcp_platform.azure.plugins.module_utils._apim import (
    apim_operations,
    policies_equal,
    policy_pretty,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmError, ArmModule

ARGUMENT_SPEC = dict(
    resource_group=dict(type="str", required=True),
    service_name=dict(type="str", required=True),
    api_id=dict(type="str", required=True),
    operation_id=dict(type="str"),
    expected=dict(type="str"),
)

POLICY_ID = "policy"  # the only policy name API Management knows


def read_policy(arm):
    params = arm.params
    scope = [params["resource_group"], params["service_name"], params["api_id"]]
    if params["operation_id"]:
        operations = arm.operations(apim_operations("api_operation_policy"))
        scope.append(params["operation_id"])
    else:
        operations = arm.operations(apim_operations("api_policy"))
    # rawxml keeps policy expressions as written; the default (xml) escapes them.
    found = arm.get_or_none(operations.get, *scope, POLICY_ID, format="rawxml")
    return ((found or {}).get("properties") or {}).get("value") if found else None


def compare(deployed, expected):
    if expected is None:
        return None, ""
    if deployed is not None and policies_equal(deployed, expected):
        return True, ""
    diff = difflib.unified_diff(
        policy_pretty(expected).splitlines(),
        policy_pretty(deployed or "").splitlines(),
        fromfile="expected",
        tofile="deployed",
        lineterm="",
    )
    return False, "\n".join(diff)


def main():
    arm = ArmModule(ARGUMENT_SPEC)
    try:
        deployed = read_policy(arm)
    except ArmError as error:
        arm.fail_arm(error, "read the API Management policy")
    matches, differences = compare(deployed, arm.params["expected"])
    arm.exit(changed=False, exists=deployed is not None, policy=deployed, matches=matches, differences=differences)


if __name__ == "__main__":
    main()
