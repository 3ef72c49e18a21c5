#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: key_vault_secret
short_description: Write a Key Vault secret through ARM, or generate it once
version_added: 0.1.0
description:
  - Makes a secret exist in a Key Vault, written through Azure Resource Manager
    (C(Microsoft.KeyVault/vaults/secrets)), so it works for a vault that is closed to public networks
    and needs only management-plane rights.
  - "With O(value): that value is stored. ARM never returns a secret's value, so whether the stored
    value equals O(value) is decided by a fingerprint kept in the tag C(mcp-platform-fingerprint): a
    salted PBKDF2-HMAC-SHA256 digest (100 000 iterations, salted with the secret's path) that
    cannot be turned back into the value. Anyone who can read the vault's tags could still test
    guesses against it one slow guess at a time, so supply only high-entropy values, or let the
    module generate them."
  - "Without O(value): a random value is generated (O(length), O(alphabet)) when the secret does not
    exist yet, and never again unless O(rotate=true). A re-run leaves the secret alone. The tag then
    holds only the marker C(generated), which says nothing about the value."
  - The value is never in RV(resource), the diff or the output. It is returned as RV(value) only
    with O(return_value=true), which the module accepts only on a task with C(no_log) enabled.
  - "Returning the value of a secret that is not written in this run needs the Key Vault data plane
    (ARM cannot return it): the module reads it with the C(azure-keyvault-secrets) client at the
    vault's URI, using the same credential. That needs a data-plane role (C(Key Vault Secrets User)
    or C(Key Vault Secrets Officer)) and network reach to the vault. O(state=absent) also uses the
    data plane, because ARM has no delete for a secret."
options:
  vault_name:
    description: Name of the Key Vault.
    type: str
    required: true
  resource_group:
    description: Resource group of the Key Vault.
    type: str
    required: true
  vault_uri:
    description:
      - Data-plane URI of the vault, as the M(mcp_platform.azure.key_vault) module returns it (for
        example V(https://kv-mcp-platform.vault.azure.net/)).
      - Used where the data plane is needed (O(return_value), O(state=absent)); when not set, it is
        read from the vault through Azure Resource Manager. It must be the URI of O(vault_name).
    type: str
  name:
    description: Name of the secret (1 to 127 letters, digits and hyphens).
    type: str
    required: true
  value:
    description:
      - The value to store. Not set means generate one (see O(length), O(alphabet), O(rotate)).
      - Compared through a fingerprint, never in clear; a different value is written as a new version.
    type: str
  length:
    description: Length of a generated value (8 to 1024). Default V(32). Only without O(value).
    type: int
  alphabet:
    description:
      - Characters a generated value is drawn from. Only without O(value).
      - A preset, V(url_safe) (letters, digits and C(-_.~), the default, safe in a connection string
        without escaping), V(alphanumeric), V(hex) or V(printable), or the literal characters to use
        (at least 10 distinct).
      - Every class present in the alphabet (upper case, lower case, digits, other) appears at least
        once in the value, so password complexity rules are met.
    type: str
  rotate:
    description: Generate and store a new value even though the secret exists. Only without O(value).
    type: bool
    default: false
  content_type:
    description:
      - Content type stored with the secret (a hint for readers, for example V(text/plain)).
      - Not set leaves it alone.
    type: str
  enabled:
    description: Whether the secret can be read. Not set leaves it alone (new secrets are enabled).
    type: bool
  return_value:
    description:
      - Return the secret's value as RV(value).
      - The task must enable C(no_log); otherwise the module fails before any call.
      - The secret is then read through the Key Vault data plane, which returns its value, tags, content
        type and attributes in one request; ARM is read instead only when the data plane cannot be
        used (no data-plane role yet, no network reach), and the value is then returned only if
        this run writes it.
    type: bool
    default: false
  state:
    description:
      - V(present) to make the secret exist, V(absent) to delete it.
      - Deleting goes through the data plane; with soft delete the secret stays recoverable for the
        vault's retention period and its name cannot be reused until it is purged or recovered.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.tags
  - mcp_platform.azure.attributes
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: The vCore administrator password, generated once and never rotated by a re-run
  mcp_platform.azure.key_vault_secret:
    vault_name: kv-mcp-platform
    resource_group: rg-mcp-platform
    name: mongo-admin-password
    length: 32
    return_value: true
  register: admin_password
  no_log: true

- name: Rotate it on purpose
  mcp_platform.azure.key_vault_secret:
    vault_name: kv-mcp-platform
    resource_group: rg-mcp-platform
    name: mongo-admin-password
    rotate: true

- name: Store a value computed elsewhere
  mcp_platform.azure.key_vault_secret:
    vault_name: kv-mcp-platform
    resource_group: rg-mcp-platform
    name: appinsights-connection-string
    value: "{{ insights.connection_string }}"
    content_type: text/plain
  no_log: true
"""

RETURN = r"""
resource:
  description:
    - The secret as ARM returns it (REST wire names, without its value); null when absent.
  returned: always
  type: dict
id:
  description: ARM resource id of the secret; null when absent.
  returned: always
  type: str
secret_uri:
  description: Data-plane URI of the secret (without version); null when absent or not created yet.
  returned: always
  type: str
value:
  description: The secret's value.
  returned: when O(return_value=true), except in check mode when the value would first be generated
  type: str
generated:
  description: True when this run generated a new value (or would, in check mode).
  returned: always
  type: bool
operation:
  description: What was done, V(create), V(update), V(delete), or null when nothing was.
  returned: always
  type: str
changes:
  description: What differed, e.g. C(properties.value (write-only)), C(properties.contentType), C(tags).
  returned: always
  type: list
  elements: str
in_progress:
  description: Always false.
  returned: always
  type: bool
"""

import copy
import re
import traceback

from ansible_collections.mcp_platform.azure.plugins.module_utils._clients import USER_AGENT
from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import differences, mask
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    FINGERPRINT_TAG,
    ArmError,
    ArmModule,
    ModuleError,
    fingerprint,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._secrets import (
    SecretInputError,
    check_length,
    delete_secret,
    generate_secret,
    read_secret,
    read_secret_value,
    resolve_alphabet,
)

ARGUMENT_SPEC = dict(
    vault_name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    vault_uri=dict(type="str"),
    name=dict(type="str", required=True),
    value=dict(type="str", no_log=True),
    length=dict(type="int"),
    alphabet=dict(type="str"),
    rotate=dict(type="bool", default=False),
    content_type=dict(type="str"),
    enabled=dict(type="bool"),
    return_value=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)

SDK_MODULE = "azure.mgmt.keyvault"
SECRETS = (SDK_MODULE, "KeyVaultManagementClient", "secrets")
VAULTS = (SDK_MODULE, "KeyVaultManagementClient", "vaults")
VALUE_PATH = "properties.value"
# Tag marker of a generated value: says the value is the module's own, and nothing about it.
GENERATED_MARKER = "generated"
DEFAULT_LENGTH = 32

_NAME = re.compile(r"^[0-9a-zA-Z-]{1,127}$")


def check_params(params, task_no_log):
    """Input rules, checked before any call; messages name the option and the rule."""
    if not _NAME.match(params["name"]):
        raise ModuleError("name: %r must be 1 to 127 letters, digits or hyphens" % params["name"])
    if params["vault_uri"] is not None and not re.match(r"^https://[^/?#]+/?$", params["vault_uri"]):
        raise ModuleError("vault_uri: %r is not a vault URI (https://<name>.<key vault domain>/)" % params["vault_uri"])
    if params["return_value"] and not task_no_log:
        raise ModuleError("return_value: the value is a secret; set no_log: true on this task to return it")
    if params["state"] != "present":
        return
    if params["value"] is not None:
        for option in ("length", "alphabet"):
            if params[option] is not None:
                raise ModuleError("%s: only applies to a generated value; it cannot be used with value" % option)
        if params["rotate"]:
            raise ModuleError(
                "rotate: only applies to a generated value; with value, a different value is written anyway"
            )
        if params["value"] == "":
            raise ModuleError("value: must not be empty")
        return
    try:
        check_length(params["length"] if params["length"] is not None else DEFAULT_LENGTH)
        resolve_alphabet(params["alphabet"])
    except SecretInputError as exc:
        raise ModuleError(str(exc)) from exc


def salt_of(params):
    """The engine's fingerprint salt for this secret, so both agree on the same tag."""
    return "/".join([SDK_MODULE, "secrets", params["resource_group"], params["vault_name"], params["name"]])


def value_fingerprint(params, value):
    return fingerprint({VALUE_PATH: [value]}, salt_of(params))


def desired_metadata(params):
    """The non-secret part of the secret that this run manages (None = leave alone)."""
    properties = {}
    if params["content_type"] is not None:
        properties["contentType"] = params["content_type"]
    if params["enabled"] is not None:
        properties["attributes"] = {"enabled": params["enabled"]}
    return {"properties": properties}


def desired_tags(params, current):
    """(user tags to keep, whether they differ) — the fingerprint tag aside, as the engine does it."""
    current_tags = dict((current or {}).get("tags") or {})
    current_tags.pop(FINGERPRINT_TAG, None)
    wanted = params.get("tags")
    if wanted is None:
        return current_tags, False
    wanted = dict((k, "" if v is None else str(v)) for k, v in wanted.items())
    if params.get("append_tags", True):
        merged = dict(current_tags)
        merged.update(wanted)
        wanted = merged
    return wanted, wanted != current_tags


def plan(params, current):
    """What this run must do: (write value?, new value source, changes) — pure, for unit tests.

    Returns ``(value_action, changes)`` where ``value_action`` is None (keep the stored value),
    ``"given"`` (store ``params["value"]``) or ``"generate"`` (draw a new value).
    """
    if current is None:
        return ("given" if params["value"] is not None else "generate"), ["(new)"]
    changes = []
    stored_marker = (current.get("tags") or {}).get(FINGERPRINT_TAG)
    value_action = None
    if params["value"] is not None:
        if stored_marker != value_fingerprint(params, params["value"]):
            value_action = "given"
    elif params["rotate"]:
        value_action = "generate"
    if value_action:
        changes.append("%s (write-only)" % VALUE_PATH)
    changes.extend(differences(desired_metadata(params), current))
    if desired_tags(params, current)[1]:
        changes.append("tags")
    return value_action, changes


def put_body(params, current, value, marker):
    """A full PUT: the new value plus metadata carried over where this run does not set it."""
    current_properties = (current or {}).get("properties") or {}
    properties = {"value": value}
    content_type = (
        params["content_type"] if params["content_type"] is not None else current_properties.get("contentType")
    )
    if content_type is not None:
        properties["contentType"] = content_type
    enabled = params["enabled"]
    if enabled is None:
        enabled = (current_properties.get("attributes") or {}).get("enabled")
    if enabled is not None:
        properties["attributes"] = {"enabled": enabled}
    tags = desired_tags(params, current)[0]
    tags[FINGERPRINT_TAG] = marker
    return {"tags": tags, "properties": properties}


def patch_body(params, current):
    """Metadata-only change: no value is sent, so no new version and no rotation."""
    tags = desired_tags(params, current)[0]
    stored_marker = (current.get("tags") or {}).get(FINGERPRINT_TAG)
    if stored_marker:
        tags[FINGERPRINT_TAG] = stored_marker
    body = desired_metadata(params)
    body["tags"] = tags
    return body


class SecretRun:
    """One run of the module: ARM for the secret, the data plane only where ARM cannot serve."""

    def __init__(self, arm):
        self.arm = arm
        self.params = arm.params
        self.secrets = arm.operations(SECRETS)
        self._vault_uri = None
        self.data_plane_value = None

    def _args(self):
        return self.params["resource_group"], self.params["vault_name"], self.params["name"]

    def vault_uri(self):
        if self.params["vault_uri"]:
            return self.params["vault_uri"].rstrip("/") + "/"
        if self._vault_uri is None:
            self._vault_uri = self._read_vault_uri()
        return self._vault_uri

    def _read_vault_uri(self):
        vault = self.arm.get_or_none(
            self.arm.operations(VAULTS).get, self.params["resource_group"], self.params["vault_name"]
        )
        uri = ((vault or {}).get("properties") or {}).get("vaultUri")
        if not uri:
            raise ModuleError(
                "vault_name: key vault %s not found in %s" % (self.params["vault_name"], self.params["resource_group"])
            )
        return uri

    def data_plane_kwargs(self):
        kwargs = dict(user_agent=USER_AGENT, retry_total=3)
        if not self.arm.auth.validate_certs:
            kwargs["connection_verify"] = False
        return kwargs

    def result(self, changed, operation, before, after, resource, changes, generated=False):
        result = dict(
            changed=changed,
            operation=operation,
            changes=list(changes),
            resource=mask(resource, [VALUE_PATH]) if resource is not None else None,
            id=(resource or {}).get("id"),
            secret_uri=((resource or {}).get("properties") or {}).get("secretUri"),
            generated=generated,
            in_progress=False,
        )
        if self.arm.diff_mode:
            result["diff"] = dict(
                before=mask(before, [VALUE_PATH]) if before is not None else {},
                after=mask(after, [VALUE_PATH]) if after is not None else {},
            )
        return result

    def absent(self, current):
        if current is None:
            return self.result(False, None, None, None, None, [])
        if not self.arm.check_mode:
            deleted = delete_secret(
                self.arm.auth.credential(), self.vault_uri(), self.params["name"], **self.data_plane_kwargs()
            )
            if not deleted:
                # ARM can still list a secret the data plane has just deleted (it lags behind).
                return self.result(False, None, current, None, None, [])
        return self.result(True, "delete", current, None, None, ["(deleted)"])

    def present(self, current):
        params = self.params
        value_action, changes = plan(params, current)
        if not changes:
            result = self.result(False, None, current, current, current, [])
            if params["return_value"]:
                result["value"] = self.read_value()
            return result
        operation = "create" if current is None else "update"
        generated = value_action == "generate"
        value = params["value"] if value_action == "given" else None
        if generated and not self.arm.check_mode:
            value = generate_secret(params["length"] or DEFAULT_LENGTH, params["alphabet"])
        if value is not None and not params["return_value"]:
            # Belt and braces: nothing of this run's output may show it.
            self.arm.module.no_log_values.add(value)
        if value_action:
            marker = GENERATED_MARKER if generated else value_fingerprint(params, value)
            body = put_body(params, current, value, marker)
        else:
            body = patch_body(params, current)
        predicted = copy.deepcopy(current or {})
        predicted.update({k: v for k, v in body.items() if k != "properties"})
        predicted["properties"] = dict(predicted.get("properties") or {}, **body["properties"])
        if self.arm.check_mode:
            result = self.result(True, operation, current, predicted, predicted, changes, generated)
            if params["return_value"] and not generated:
                result["value"] = value if value is not None else self.read_value()
            return result
        action = "write the secret" if value_action else "update the secret's attributes"
        try:
            if value_action:
                answer = self.arm.call(self.secrets.create_or_update, *self._args(), body=body)
            else:
                answer = self.arm.call(self.secrets.update, *self._args(), body=body)
        except ArmError as error:
            self.arm.fail_arm(error, action)
        result = self.result(True, operation, current, predicted, answer or predicted, changes, generated)
        if params["return_value"]:
            result["value"] = value if value is not None else self.read_value()
        return result

    def read_value(self):
        if self.data_plane_value is not None:
            return self.data_plane_value
        return read_secret_value(
            self.arm.auth.credential(), self.vault_uri(), self.params["name"], **self.data_plane_kwargs()
        )

    def arm_view(self, bundle):
        """The data plane's secret bundle in the shape ARM gives ``vaults/secrets`` (without the value)."""
        params = self.params
        uri = "%ssecrets/%s" % (self.vault_uri(), params["name"])
        wanted = ("enabled", "nbf", "exp", "created", "updated")
        attributes = dict((k, v) for k, v in (bundle.get("attributes") or {}).items() if k in wanted)
        properties = {"secretUri": uri, "secretUriWithVersion": bundle.get("id"), "attributes": attributes}
        if bundle.get("contentType") is not None:
            properties["contentType"] = bundle["contentType"]
        view = {
            "id": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/vaults/%s/secrets/%s"
            % (self.arm.auth.subscription_id, params["resource_group"], params["vault_name"], params["name"]),
            "name": params["name"],
            "type": "Microsoft.KeyVault/vaults/secrets",
            "properties": properties,
        }
        if bundle.get("tags"):
            view["tags"] = dict(bundle["tags"])
        return view

    def read_from_data_plane(self):
        """(found, current): the secret read through the data plane, which also holds its value.

        ``found`` is False when the data plane could not be used (no data-plane role yet, as
        right after the vault is made, or no network reach): the caller then reads ARM, as a
        run that needs no value always does.
        """
        from azure.core.exceptions import HttpResponseError, ServiceRequestError

        try:
            bundle = read_secret(
                self.arm.auth.credential(),
                self.vault_uri(),
                self.params["name"],
                scope=self.arm.auth.cloud.key_vault_scope,
                **self.data_plane_kwargs(),
            )
        except HttpResponseError as exc:
            if getattr(exc, "status_code", None) in (401, 403):
                return False, None
            raise
        except ServiceRequestError:
            return False, None
        if bundle is None:
            return True, None
        self.data_plane_value = bundle.get("value")
        if self.data_plane_value is not None:
            self.arm.module.no_log_values.add(self.data_plane_value)
        return True, self.arm_view(bundle)

    def run(self):
        if self.params["state"] == "present" and self.params["return_value"]:
            found, current = self.read_from_data_plane()
            if found:
                return self.present(current)
        current = self.arm.get_or_none(self.secrets.get, *self._args())
        if self.params["state"] == "absent":
            return self.absent(current)
        return self.present(current)


def main():
    arm = ArmModule(ARGUMENT_SPEC, tags=True)
    try:
        check_params(arm.params, arm.module.no_log)
        result = SecretRun(arm).run()
    except ModuleError as exc:
        arm.fail(str(exc))
    except ArmError as error:
        arm.fail_arm(error, "read the secret")
    except Exception as exc:  # data-plane errors included: a failed task, never a traceback in msg only
        if any(cls.__module__.startswith("azure.core") for cls in type(exc).__mro__):
            arm.fail("Key Vault refused the request: %s" % getattr(exc, "message", exc))
        arm.fail("unexpected error handling the secret: %s" % exc, exception=traceback.format_exc())
    if result.get("value") is not None:
        release_value(arm.module, result)
    arm.exit(**result)


def release_value(module, result):
    """Let the requested value through Ansible's no_log scrubbing of this result only.

    Ansible replaces every no_log option value wherever it appears in a result, which would turn a
    returned O(value) into a mask. The task runs with no_log (checked before any call), so the
    result is hidden from output and callbacks anyway; the echo of the options keeps it masked.
    """
    module.no_log_values.discard(result["value"])
    module_args = dict(module.params)
    if module_args.get("value") is not None:
        module_args["value"] = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    result["invocation"] = dict(module_args=module_args)


if __name__ == "__main__":
    main()
