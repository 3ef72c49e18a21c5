#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: container_registry_import
short_description: Import an image into an Azure container registry, once
version_added: 0.1.0
description:
  - Copies an image from a public (or credentialed) registry into an Azure container registry with the
    registry's own import operation (C(registries/importImage)); no local Docker is needed.
  - "Idempotent: the ARM API cannot list tags, so the module first asks the registry's data plane
    whether each target tag exists (C(GET https://<login server>/acr/v1/<repository>/_tags/<tag>)),
    authenticating with the module's Entra ID credential exchanged for a registry token
    (C(/oauth2/exchange), then C(/oauth2/token) with a C(repository:<name>:metadata_read) scope).
    When every target tag is there, nothing is imported and no write call is made."
  - The credential therefore needs data-plane read access on the registry (for example C(AcrPull),
    C(Contributor) or C(Owner)) and network reach to the login server, in addition to the right to
    import (C(Microsoft.ContainerRegistry/registries/importImage/action)).
  - O(state=absent) removes the target tags (not the image layers) through the same data plane.
options:
  registry_name:
    description: Name of the target container registry.
    type: str
    required: true
  resource_group:
    description: Resource group of the target registry.
    type: str
    required: true
  login_server:
    description:
      - Login server of the target registry, as the M(mcp_platform.azure.container_registry) module
        returns it (for example V(myregistry.azurecr.io)).
      - When given, the registry is not read through Azure Resource Manager first; the tags are
        checked on this login server directly. It must be the login server of O(registry_name).
    type: str
  source_image:
    description:
      - Repository and tag (or C(@sha256:) digest) in the source registry, for example
        V(mongodb/mongodb-mcp-server:3.0.4). A Docker Hub official image needs its C(library/) prefix.
    type: str
    required: true
  source_registry_uri:
    description: Login server of the source registry. Ignored with O(source_resource_id).
    type: str
    default: docker.io
  source_resource_id:
    description: Resource id of a source Azure container registry, instead of O(source_registry_uri).
    type: str
  source_username:
    description: User name for a source registry that needs credentials.
    type: str
  source_password:
    description: Password or token for a source registry that needs credentials.
    type: str
  target_tags:
    description:
      - C(repository:tag) names to create in the target registry.
      - Default is the source repository and tag (the O(source_image) itself; required when it names a digest).
    type: list
    elements: str
  force:
    description:
      - Import even when every target tag exists, overwriting them (import mode C(Force)).
      - Without it, missing tags are imported with mode C(NoForce), so an existing tag is never overwritten.
    type: bool
    default: false
  state:
    description: V(present) to make the target tags exist, V(absent) to remove them.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Wait for the import to finish. With V(false), the result has RV(in_progress=true).
    type: bool
    default: true
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: The pinned MCP server image, imported once
  mcp_platform.azure.container_registry_import:
    registry_name: acrmcpplatform
    resource_group: rg-mcp-platform
    source_image: mongodb/mongodb-mcp-server:3.0.4
    target_tags: [mongodb-mcp-server:3.0.4]
"""

RETURN = r"""
operation:
  description: V(import), V(delete), or null when nothing was done.
  returned: always
  type: str
changes:
  description: The target tags that were (or, in check mode, would be) imported or removed.
  returned: always
  type: list
  elements: str
present_tags:
  description: The target tags found in the registry before this run.
  returned: always
  type: list
  elements: str
login_server:
  description: Login server of the target registry.
  returned: always
  type: str
in_progress:
  description: True when O(wait=false) left the import running in Azure.
  returned: always
  type: bool
"""

import re
import traceback

from ansible_collections.mcp_platform.azure.plugins.module_utils._clients import USER_AGENT
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmError, ArmModule, ModuleError

ARGUMENT_SPEC = dict(
    registry_name=dict(type="str", required=True),
    resource_group=dict(type="str", required=True),
    login_server=dict(type="str"),
    source_image=dict(type="str", required=True),
    source_registry_uri=dict(type="str", default="docker.io"),
    source_resource_id=dict(type="str"),
    source_username=dict(type="str"),
    source_password=dict(type="str", no_log=True),
    target_tags=dict(type="list", elements="str"),
    force=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    wait=dict(type="bool", default=True),
)

REGISTRIES = ("azure.mgmt.containerregistry", "ContainerRegistryManagementClient", "registries")
DATA_PLANE_TIMEOUT = 30

# repository path components and a tag, as the distribution spec defines them
_REPOSITORY = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_TARGET = re.compile(r"^(%s):(%s)$" % (_REPOSITORY, _TAG))
# host[:port], the shape of a registry login server (no scheme, no path)
_LOGIN_SERVER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?$")
_SOURCE = re.compile(r"^(%s)(?::(%s)|@sha256:[0-9a-f]{64})$" % (_REPOSITORY, _TAG))


def target_tags(params):
    """The ``(repository, tag)`` pairs this run manages; raises ModuleError naming the bad option."""
    source = params["source_image"]
    if not _SOURCE.match(source):
        raise ModuleError(
            "source_image: %r is not repository:tag or repository@sha256:<digest> (lower-case repository)" % source
        )
    wanted = params["target_tags"]
    if not wanted:
        if "@" in source:
            raise ModuleError("target_tags: required when source_image names a digest")
        wanted = [source]
    pairs = []
    for index, name in enumerate(wanted):
        match = _TARGET.match(name)
        if not match:
            raise ModuleError("target_tags[%d]: %r is not repository:tag (lower-case repository)" % (index, name))
        pairs.append((match.group(1), match.group(2)))
    return pairs


def check_params(params):
    if params["source_password"] and not params["source_username"] and params["source_resource_id"] is None:
        # ACR-to-ACR imports authenticate with the caller's identity; other registries need both.
        raise ModuleError("source_username: required with source_password")
    if params["login_server"] is not None and not _LOGIN_SERVER.match(params["login_server"]):
        raise ModuleError(
            "login_server: %r is not a registry login server (host name, no scheme or path)" % params["login_server"]
        )
    target_tags(params)


def import_body(params, tags, force):
    source = {"sourceImage": params["source_image"]}
    if params["source_resource_id"]:
        source["resourceId"] = params["source_resource_id"]
    else:
        source["registryUri"] = params["source_registry_uri"]
    if params["source_password"]:
        source["credentials"] = {"username": params["source_username"], "password": params["source_password"]}
    return {
        "source": source,
        "targetTags": ["%s:%s" % pair for pair in tags],
        "mode": "Force" if force else "NoForce",
    }


class RegistryDataPlane:
    """Tag reads and deletes on an ACR login server, with an ARM token exchanged for a registry token."""

    def __init__(self, auth, login_server):
        import requests  # pylint: disable=import-outside-toplevel

        self.auth = auth
        self.login_server = login_server
        self.base = "https://%s" % login_server
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        if not auth.validate_certs:
            self.session.verify = False
        self._refresh_token = None
        self._access_tokens = {}

    def _post(self, path, form):
        response = self.session.post(self.base + path, data=form, timeout=DATA_PLANE_TIMEOUT)
        if response.status_code != 200:
            raise ArmError(
                "%s answered %d to %s: %s" % (self.login_server, response.status_code, path, response.text[:300]),
                code="RegistryAuthenticationFailed",
                status=response.status_code,
            )
        return response.json()

    def _token(self, scope):
        if scope not in self._access_tokens:
            self._access_tokens[scope] = self._new_token(scope)
        return self._access_tokens[scope]

    def _new_token(self, scope):
        if self._refresh_token is None:
            arm_token = self.auth.credential().get_token(self.auth.cloud.credential_scope).token
            exchanged = self._post(
                "/oauth2/exchange",
                dict(grant_type="access_token", service=self.login_server, access_token=arm_token),
            )
            self._refresh_token = exchanged["refresh_token"]
        granted = self._post(
            "/oauth2/token",
            dict(grant_type="refresh_token", service=self.login_server, scope=scope, refresh_token=self._refresh_token),
        )
        return granted["access_token"]

    def _tag_url(self, repository, tag):
        return "%s/acr/v1/%s/_tags/%s" % (self.base, repository, tag)

    def tag_exists(self, repository, tag):
        token = self._token("repository:%s:metadata_read" % repository)
        response = self.session.get(
            self._tag_url(repository, tag), headers={"Authorization": "Bearer " + token}, timeout=DATA_PLANE_TIMEOUT
        )
        if response.status_code == 404:
            return False
        if response.status_code == 200:
            return True
        raise ArmError(
            "%s answered %d reading tag %s:%s: %s"
            % (self.login_server, response.status_code, repository, tag, response.text[:300]),
            code="RegistryReadFailed",
            status=response.status_code,
        )

    def delete_tag(self, repository, tag):
        token = self._token("repository:%s:delete" % repository)
        response = self.session.delete(
            self._tag_url(repository, tag), headers={"Authorization": "Bearer " + token}, timeout=DATA_PLANE_TIMEOUT
        )
        if response.status_code not in (200, 202, 404):
            raise ArmError(
                "%s answered %d deleting tag %s:%s: %s"
                % (self.login_server, response.status_code, repository, tag, response.text[:300]),
                code="RegistryDeleteFailed",
                status=response.status_code,
            )


def names(pairs):
    return ["%s:%s" % pair for pair in pairs]


def registry_login_server(arm, registries, params):
    registry = arm.get_or_none(registries.get, params["resource_group"], params["registry_name"])
    if registry is None:
        raise ModuleError(
            "registry_name: container registry %s not found in %s" % (params["registry_name"], params["resource_group"])
        )
    return (registry.get("properties") or {}).get("loginServer")


def main():
    arm = ArmModule(ARGUMENT_SPEC)
    params = arm.params
    try:
        check_params(params)
        tags = target_tags(params)
        registries = arm.operations(REGISTRIES)
        login_server = params["login_server"] or registry_login_server(arm, registries, params)
        data_plane = RegistryDataPlane(arm.auth, login_server)
        present = [pair for pair in tags if data_plane.tag_exists(*pair)]
        result = dict(
            changed=False,
            operation=None,
            changes=[],
            present_tags=names(present),
            login_server=login_server,
            in_progress=False,
        )
        if params["state"] == "absent":
            if present:
                result.update(changed=True, operation="delete", changes=names(present))
                if not arm.check_mode:
                    for pair in present:
                        data_plane.delete_tag(*pair)
        else:
            missing = tags if params["force"] else [pair for pair in tags if pair not in present]
            if missing:
                result.update(changed=True, operation="import", changes=names(missing))
                if not arm.check_mode:
                    accepted = arm.call_lro(
                        registries.begin_import_image,
                        params["resource_group"],
                        params["registry_name"],
                        body=import_body(params, missing, params["force"]),
                        wait=params["wait"],
                    )
                    result["in_progress"] = accepted[1]
        if arm.diff_mode:
            after = (
                sorted(set(names(present)) - set(result["changes"]))
                if params["state"] == "absent"
                else sorted(set(names(present)) | set(result["changes"]))
            )
            result["diff"] = dict(before={"tags": sorted(names(present))}, after={"tags": after})
    except ModuleError as exc:
        arm.fail(str(exc))
    except ArmError as error:
        arm.fail_arm(error, "import %s into %s" % (params["source_image"], params["registry_name"]))
    except Exception as exc:  # network errors to the login server included
        where = params["registry_name"]
        if params["login_server"]:
            where += " (login_server %s)" % params["login_server"]
        arm.fail(
            "could not import %s into %s: %s" % (params["source_image"], where, exc),
            exception=traceback.format_exc(),
        )
    arm.exit(**result)


if __name__ == "__main__":
    main()
