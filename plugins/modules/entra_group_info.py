#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: entra_group_info
short_description: Look up Entra ID groups
version_added: 0.1.0
description:
  - Returns the Entra ID groups with a display name, or one group by object id, optionally with their
    members and owners.
  - Display names are not unique in Entra ID; every group with the name is returned.
options:
  display_name:
    description: Display name to look for (case-insensitive, as Microsoft Graph compares it).
    type: str
  object_id:
    description: Object id of one group.
    type: str
  include_members:
    description: Also return the object ids of each group's members (one more call per group).
    type: bool
    default: false
  include_owners:
    description: Also return the object ids of each group's owners (one more call per group).
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
- name: Object ids of the platform's groups, for the access model
  mcp_platform.azure.entra_group_info:
    display_name: "{{ item }}"
  loop: [MCP-Admin, MCP-Read-Only]
  register: platform_groups

- name: Who is in MCP-Admin
  mcp_platform.azure.entra_group_info:
    display_name: MCP-Admin
    include_members: true
  register: admins
"""

RETURN = r"""
groups:
  description:
    - The groups found (Microsoft Graph property names), with C(members) / C(owners) (object ids) when asked for;
      empty when none matches.
  returned: always
  type: list
  elements: dict
  sample: [{"id": "5b8e7c4e-3f0a-4d59-9a33-1b2c3d4e5f60", "displayName": "MCP-Admin", "securityEnabled": true,
            "members": ["0a0e1f30-4b5c-4d6e-8f70-8192a3b4c5d6"]}]
"""

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import (
    EntraModule,
    GraphError,
    groups_named,
    member_ids,
    not_found_error,
    require_guids,
    send,
)

ARGUMENT_SPEC = dict(
    display_name=dict(type="str"),
    object_id=dict(type="str"),
    include_members=dict(type="bool", default=False),
    include_owners=dict(type="bool", default=False),
)


def run(entra):
    params = entra.params
    if params["object_id"]:
        object_id = require_guids([params["object_id"]], "object_id")[0]
        try:
            groups = [entra.run(lambda c: send(c.groups.by_group_id(object_id)))]
        except GraphError as error:
            if not not_found_error(error):
                raise
            groups = []
    else:
        groups = entra.run(lambda c: groups_named(c, params["display_name"]))
    navigations = [
        name
        for name, wanted in (("members", params["include_members"]), ("owners", params["include_owners"]))
        if wanted
    ]
    if groups and navigations:

        async def with_references(client):
            for group in groups:
                for name in navigations:
                    group[name] = await member_ids(getattr(client.groups.by_group_id(group["id"]), name))
            return groups

        groups = entra.graph.run_many(with_references)
    return dict(changed=False, groups=groups)


def main():
    EntraModule(
        ARGUMENT_SPEC,
        required_one_of=[("display_name", "object_id")],
        mutually_exclusive=[("display_name", "object_id")],
    ).execute(run, "Entra ID group lookup")


if __name__ == "__main__":
    main()
