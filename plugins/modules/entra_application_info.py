#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: entra_application_info
short_description: Look up Entra ID app registrations
version_added: 0.1.0
description:
  - Returns the Entra ID applications with a display name, or the application with an application (client) id
    or object id, optionally with its service principal.
  - Display names are not unique in Entra ID; every application with the name is returned.
options:
  display_name:
    description: Display name to look for (case-insensitive, as Microsoft Graph compares it).
    type: str
  app_id:
    description: Application (client) id.
    type: str
  object_id:
    description: Object id of the application.
    type: str
  include_service_principal:
    description: Also return each application's service principal as C(servicePrincipal) (null when it has none).
    type: bool
    default: false
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes.INFO
requirements:
  - msgraph-sdk >= 1.0.0
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: The platform's app registration and its enterprise application
  mcp_platform.azure.entra_application_info:
    display_name: mcp-platform
    include_service_principal: true
  register: mcp_app_info

- name: Token audience of the gateway
  ansible.builtin.set_fact:
    mcp_audience: "{{ mcp_app_info.applications[0].appId }}"
"""

RETURN = r"""
applications:
  description:
    - The applications found (Microsoft Graph property names), with C(servicePrincipal) when asked for;
      empty when none matches.
  returned: always
  type: list
  elements: dict
  sample: [{"id": "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", "appId": "6f1c2e3d-4b5a-4978-8695-a4b3c2d1e0f9",
            "displayName": "mcp-platform", "identifierUris": ["api://6f1c2e3d-4b5a-4978-8695-a4b3c2d1e0f9"]}]
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import (
    EntraModule,
    GraphError,
    applications_named,
    not_found_error,
    require_guids,
    send,
)

ARGUMENT_SPEC = dict(
    display_name=dict(type="str"),
    app_id=dict(type="str"),
    object_id=dict(type="str"),
    include_service_principal=dict(type="bool", default=False),
)


def run(entra):
    params = entra.params
    if params["app_id"] or params["object_id"]:
        option = "app_id" if params["app_id"] else "object_id"
        key = require_guids([params[option]], option)[0]

        def read(client):
            if option == "app_id":
                return send(client.applications_with_app_id(key))
            return send(client.applications.by_application_id(key))

        try:
            applications = [entra.run(read)]
        except GraphError as error:
            if not not_found_error(error):
                raise
            applications = []
    else:
        applications = entra.run(lambda c: applications_named(c, params["display_name"]))

    if applications and params["include_service_principal"]:

        async def with_principals(client):
            for application in applications:
                try:
                    application["servicePrincipal"] = await send(
                        client.service_principals_with_app_id(application["appId"])
                    )
                except Exception as exc:  # pylint: disable=broad-exception-caught
                    if getattr(exc, "response_status_code", None) != 404:
                        raise
                    application["servicePrincipal"] = None
            return applications

        applications = entra.graph.run_many(with_principals)
    return dict(changed=False, applications=applications)


def main():
    EntraModule(
        ARGUMENT_SPEC,
        required_one_of=[("display_name", "app_id", "object_id")],
        mutually_exclusive=[("display_name", "app_id", "object_id")],
    ).execute(run, "Entra ID application lookup")


if __name__ == "__main__":
    main()
