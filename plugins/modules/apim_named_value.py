#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: apim_named_value
short_description: Create, update or delete a named value of an Azure API Management service
version_added: 0.1.0
description:
  - Makes a named value exist in an API Management service, or removes it. Policies and backends
    reference it as C({{display_name}}).
  - Three kinds. B(Plain) values (O(kind=plain)) are read back and compared, so a changed
    O(value) is updated. B(Secret) values (O(kind=secret)) are never returned by Azure; this module
    does B(not) compare them at all (API Management named values have no tags to keep a fingerprint
    in); the value is sent when the named value is created, and a changed value is sent only when
    asked with O(update_value=always). B(Key Vault-backed) values (O(key_vault_secret_id)) hold no
    value in API Management; the service reads the secret with a managed identity, and the secret
    identifier and identity are compared like any other field.
options:
  name:
    description: Identifier of the named value inside the service (letters, digits, C(-), C(_), C(.)).
    type: str
    required: true
  service_name:
    description: Name of the API Management service.
    type: str
    required: true
  resource_group:
    description: Resource group of the service.
    type: str
    required: true
  display_name:
    description: The name policies use, C({{display_name}}); defaults to O(name). Letters, digits, C(-), C(_), C(.).
    type: str
  value:
    description:
      - The value (at most 4096 characters, not only whitespace). Required with O(state=present)
        unless O(key_vault_secret_id) is set. Hidden from output.
    type: str
  kind:
    description:
      - V(secret) stores the value encrypted (the service's C(secret) flag) and never returns it;
        V(plain) stores it readable. Key Vault-backed values are always secret, whatever this says.
      - Changing a plain value into a secret (or back) re-sends the value.
    type: str
    choices: [plain, secret]
    default: plain
  update_value:
    description:
      - For secret values, which Azure never returns. V(on_create) sends O(value) only when the named
        value is created (later runs report no change whatever O(value) is). V(always) sends it on
        every run (the task then always reports a change); use it to rotate the value.
      - Plain and Key Vault-backed values are compared and updated whatever this says.
    type: str
    choices: [on_create, always]
    default: on_create
  key_vault_secret_id:
    description:
      - Key Vault secret identifier, for example V(https://kv-mcp.vault.azure.net/secrets/gateway-key)
        (without a version, so API Management follows rotations). Excludes O(value).
    type: str
  key_vault_identity_client_id:
    description:
      - Client id of the user-assigned identity API Management reads the secret with; unset uses the
        service's system-assigned identity.
    type: str
  value_tags:
    description: Labels of the named value (a list of strings, not ARM tags), used to filter lists in the portal.
    type: list
    elements: str
  state:
    description: V(present) to create or update the named value, V(absent) to delete it.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Wait for the service to finish creating or updating the named value (and fetching a Key Vault secret).
    type: bool
    default: true
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: The key the MCP servers require, as a secret named value
  mcp_platform.azure.apim_named_value:
    name: gateway-key
    service_name: apim-mcp-platform
    resource_group: rg-mcp-platform
    value: "{{ gateway_key }}"
    kind: secret

- name: Rotate it (sends the value even though Azure cannot say whether it changed)
  mcp_platform.azure.apim_named_value:
    name: gateway-key
    service_name: apim-mcp-platform
    resource_group: rg-mcp-platform
    value: "{{ new_gateway_key }}"
    kind: secret
    update_value: always

- name: Read it from Key Vault instead
  mcp_platform.azure.apim_named_value:
    name: gateway-key
    service_name: apim-mcp-platform
    resource_group: rg-mcp-platform
    key_vault_secret_id: https://kv-mcp.vault.azure.net/secrets/gateway-key
    key_vault_identity_client_id: "{{ identity.client_id }}"

- name: A plain value
  mcp_platform.azure.apim_named_value:
    name: tenant-id
    service_name: apim-mcp-platform
    resource_group: rg-mcp-platform
    value: "{{ tenant_id }}"
"""

RETURN = r"""
resource:
  description: The named value as Azure returns it (REST wire names, never a secret value); null when absent.
  returned: always
  type: dict
id:
  description: Resource id; null when absent.
  returned: always
  type: str
operation:
  description: What was done, V(create), V(update), V(delete), or null when nothing was.
  returned: always
  type: str
changes:
  description: Paths of the REST body that differed, V(properties.value (write-only)) when a secret value was re-sent.
  returned: always
  type: list
  elements: str
in_progress:
  description: True when O(wait=false) left the operation running in Azure.
  returned: always
  type: bool
"""

import re

from ansible_collections.mcp_platform.azure.plugins.module_utils._apim import apim_operations, run_apim_module
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmResource

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
DISPLAY_NAME = re.compile(r"^[A-Za-z0-9-._]{1,256}$")

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    service_name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    display_name=dict(type="str"),
    value=dict(type="str", no_log=True),
    kind=dict(type="str", choices=["plain", "secret"], default="plain"),
    update_value=dict(type="str", choices=["on_create", "always"], default="on_create"),
    key_vault_secret_id=dict(type="str"),
    key_vault_identity_client_id=dict(type="str"),
    value_tags=dict(type="list", elements="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)


def is_secret(params):
    return params.get("kind") == "secret" or bool(params.get("key_vault_secret_id"))


def named_value_resource(params):
    # Only a secret value is write-only: a plain one comes back and is compared like any field.
    secret_value = is_secret(params) and params.get("value") is not None
    return ArmResource(
        sdk=apim_operations("named_value"),
        path=("resource_group", "service_name", "name"),
        extra_args={"delete": lambda p: ("*",)},
        write_only=("properties.value",) if secret_value else (),
        write_only_update_option="update_value",
        normalise={
            "properties.tags": "unordered",
            "properties.keyVault.secretIdentifier": lambda v: v.rstrip("/").lower() if isinstance(v, str) else v,
        },
        kind="API Management named value",
    )


def validate(params):
    problems = []
    if not NAME.match(params["name"]):
        problems.append("name: 1-80 letters, digits, '.', '-' or '_', starting with a letter or digit")
    display_name = params.get("display_name") or params["name"]
    if not DISPLAY_NAME.match(display_name):
        problems.append("display_name: 1-256 letters, digits, '-', '.' or '_', got %r" % display_name)
    key_vault = params.get("key_vault_secret_id")
    value = params.get("value")
    if key_vault and value is not None:
        problems.append("value: not allowed with key_vault_secret_id (the service reads the value from Key Vault)")
    elif not key_vault and value is None:
        problems.append("value: required with state=present unless key_vault_secret_id is set")
    elif value is not None and (not value.strip() or len(value) > 4096):
        problems.append("value: 1 to 4096 characters, not only whitespace")
    if key_vault and not re.match(r"^https://[^/]+/secrets/[^/]+(/[^/]*)?/?$", key_vault):
        problems.append("key_vault_secret_id: must look like https://<vault host>/secrets/<name>[/<version>]")
    if params.get("key_vault_identity_client_id") and not key_vault:
        problems.append("key_vault_identity_client_id: only with key_vault_secret_id")
    if len(params.get("value_tags") or []) > 32:
        problems.append("value_tags: at most 32 tags")
    return problems


def desired_body(params):
    key_vault = None
    if params.get("key_vault_secret_id"):
        key_vault = {
            "secretIdentifier": params["key_vault_secret_id"],
            "identityClientId": params.get("key_vault_identity_client_id"),
        }
    return {
        "properties": {
            "displayName": params.get("display_name") or params["name"],
            "value": params.get("value"),
            "secret": is_secret(params),
            "keyVault": key_vault,
            "tags": params.get("value_tags"),
        }
    }


def main():
    run_apim_module(ARGUMENT_SPEC, desired_body, named_value_resource, validate=validate)


if __name__ == "__main__":
    main()
