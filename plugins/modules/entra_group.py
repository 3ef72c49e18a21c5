#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: entra_group
short_description: Create, update or delete an Entra ID security group, its members and owners
version_added: 0.1.0
description:
  - Makes a security group with the given display name exist in Microsoft Entra ID, with its description,
    members and owners, or deletes it.
  - The group is found by its display name. Entra ID allows several groups with the same name; when more than
    one exists the module refuses to guess and fails, listing their object ids.
  - Members and owners are given by object id (users, groups, service principals).
  - Microsoft Graph is eventually consistent; calls that refer to a just-created object are retried for a
    bounded time when Graph does not know it yet.
  - Creation is idempotent. A new group gets a C(uniqueName) derived from its display name (the same name
    always gives the same key) and is created with Graph's upsert by that key. When no group is found by
    display name, for example because one created seconds ago does not show in Graph's lists yet, or a
    timed-out create did succeed, the module looks the key up, and the upsert updates the group that has it
    instead of creating a second one. Groups made without a C(uniqueName) keep being found by display name.
  - The group is read with its members (or its owners, when only those are managed) in one request. Graph puts
    at most 20 of them in that answer, so from 20 on, and for owners when members are managed too, the list is
    read on its own, page by page.
  - A member or owner that someone else added between the read and the write counts as added.
options:
  display_name:
    description: Display name of the group; identifies it.
    type: str
    required: true
  description:
    description: Description of the group. Not managed when not set.
    type: str
  mail_nickname:
    description:
      - Mail alias, required by Entra ID even for groups without mail. Used only when the group is created.
      - When not set, the display name without the characters Entra ID refuses (spaces, punctuation other than
        V(.), V(-) and V(_)).
    type: str
  members:
    description:
      - Object ids of the members. Members missing from the group are added.
      - With O(purge_members=true), members not listed are removed. Not managed when not set.
    type: list
    elements: str
  purge_members:
    description: Remove members that are not listed in O(members). Has no effect when O(members) is not set.
    type: bool
    default: false
  owners:
    description:
      - Object ids of the owners. Owners missing from the group are added.
      - With O(purge_owners=true), owners not listed are removed. Not managed when not set.
    type: list
    elements: str
  purge_owners:
    description: Remove owners that are not listed in O(owners). Has no effect when O(owners) is not set.
    type: bool
    default: false
  state:
    description:
      - V(present) to create or update the group, V(absent) to delete it.
      - Entra ID keeps a deleted group in its deleted items for 30 days, from where it can be restored.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mcp_platform.azure.auth
  - mcp_platform.azure.attributes
requirements:
  - msgraph-sdk >= 1.0.0
notes:
  - The identity running the module needs the Microsoft Graph permission C(Group.ReadWrite.All) (or
    C(Group.Create) plus ownership of the group) and C(Directory.Read.All) to resolve members.
author:
  - mcp_platform maintainers (@mcp-platform)
"""

EXAMPLES = r"""
- name: The group of MCP administrators, exactly these members
  mcp_platform.azure.entra_group:
    display_name: MCP-Admin
    description: Full access to the MCP servers
    members:
      - 0a0e1f30-4b5c-4d6e-8f70-8192a3b4c5d6
    purge_members: true
  register: mcp_admin

- name: The read-only group; members are only added, never removed
  mcp_platform.azure.entra_group:
    display_name: MCP-Read-Only
    members: "{{ mcp_read_only_object_ids }}"

- name: Remove the group
  mcp_platform.azure.entra_group:
    display_name: MCP-Read-Only
    state: absent
"""

RETURN = r"""
id:
  description: Object id of the group; null when absent (or not yet created in check mode).
  returned: always
  type: str
  sample: 5b8e7c4e-3f0a-4d59-9a33-1b2c3d4e5f60
group:
  description:
    - The group as Microsoft Graph returns it (Graph's property names), with C(members) and C(owners) (object ids)
      when those options are set; null when absent.
  returned: always
  type: dict
  sample:
    id: 5b8e7c4e-3f0a-4d59-9a33-1b2c3d4e5f60
    displayName: MCP-Admin
    description: Full access to the MCP servers
    securityEnabled: true
    mailEnabled: false
    members: [0a0e1f30-4b5c-4d6e-8f70-8192a3b4c5d6]
operation:
  description: V(create), V(update), V(delete), or null when nothing was done.
  returned: always
  type: str
changes:
  description:
    - What differed from the desired state, for example V(description), V(members).
    - V((found by uniqueName)) when the create met a group that already had its C(uniqueName); Graph wrote the
      desired properties onto it, and what it held before is not known.
  returned: always
  type: list
  elements: str
members_added:
  description: Object ids added as members (or that would be, in check mode).
  returned: always
  type: list
  elements: str
members_removed:
  description: Object ids removed from the members (or that would be, in check mode).
  returned: always
  type: list
  elements: str
owners_added:
  description: Object ids added as owners.
  returned: always
  type: list
  elements: str
owners_removed:
  description: Object ids removed from the owners.
  returned: always
  type: list
  elements: str
"""

import re

from ansible_collections.mcp_platform.azure.plugins.module_utils._entra import (
    FOUND_BY_UNIQUE_NAME,
    EntraModule,
    GraphError,
    changed_paths,
    claimed_by_key,
    groups_named,
    member_ids,
    not_found_error,
    only_one,
    read_or_none,
    require_guids,
    result_dict,
    send,
    take_expanded,
    upsert,
)

ARGUMENT_SPEC = dict(
    display_name=dict(type="str", required=True),
    description=dict(type="str"),
    mail_nickname=dict(type="str"),
    members=dict(type="list", elements="str"),
    purge_members=dict(type="bool", default=False),
    owners=dict(type="list", elements="str"),
    purge_owners=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)

# Characters Entra ID refuses in a mailNickname (and anything outside ASCII).
NICKNAME_REFUSED = re.compile(r"[^A-Za-z0-9._-]")
NICKNAME_MAX = 64


def mail_nickname(params):
    if params["mail_nickname"]:
        return params["mail_nickname"]
    return NICKNAME_REFUSED.sub("", params["display_name"])[:NICKNAME_MAX] or "group"


def desired_properties(params):
    """The group's own properties this run manages (Graph names)."""
    body = {"displayName": params["display_name"]}
    if params["description"] is not None:
        body["description"] = params["description"]
    return body


def creation_body(params):
    body = desired_properties(params)
    # A security group: no mail, not a Microsoft 365 (Unified) group.
    body.update(mailEnabled=False, securityEnabled=True, groupTypes=[], mailNickname=mail_nickname(params))
    return body


def reference_plan(current, desired, purge):
    """(to add, to remove) for a reference list (members or owners); desired None = not managed."""
    if desired is None:
        return [], []
    current = set(current or [])
    wanted = set(desired)
    return sorted(wanted - current), sorted(current - wanted) if purge else []


def planned_references(current, add, remove):
    return sorted((set(current or []) | set(add)) - set(remove))


def already_referenced(error):
    return error.status == 400 and "already exist" in (error.message or "")


class References:
    """The members or owners navigation of a group."""

    def __init__(self, name, option, purge_option):
        self.name = name
        self.option = option
        self.purge_option = purge_option

    def builder(self, client, group_id):
        return getattr(client.groups.by_group_id(group_id), self.name)

    def add(self, entra, group_id, object_id, just_created):
        reference = {"@odata.id": entra.directory_object_url(object_id)}
        try:
            # A group created a moment ago may not be visible yet to the replica serving this call.
            entra.run(lambda c: send(self.builder(c, group_id).ref, "POST", reference), retry_not_found=just_created)
        except GraphError as error:
            # Added meanwhile by someone else: the desired state is reached all the same.
            if not already_referenced(error):
                raise

    def remove(self, entra, group_id, object_id):
        entra.run(lambda c: send(self.builder(c, group_id).by_directory_object_id(object_id).ref, "DELETE"))


MEMBERS = References("members", "members", "purge_members")
OWNERS = References("owners", "owners", "purge_owners")


def view(group, references):
    """The group as reported in results and diffs: its properties plus managed reference lists."""
    if group is None:
        return None
    shown = dict(group)
    shown.update(references)
    return shown


def read_group(entra, managed):
    """(the group or None, {reference name: object ids}) for the managed reference lists, by display name.

    The first managed list comes inline with the group (one relationship per $expand, the form Graph
    documents for directory objects); a list Graph may have cut short, and any other, is paged.
    """
    params = entra.params
    inline = managed[0].name if managed else None
    found = entra.run(lambda c: groups_named(c, params["display_name"], expand=inline))
    current = only_one(found, "group", params["display_name"])
    if current is None:
        return None, {}
    return current, references_of(entra, current, managed)


def read_group_by_key(entra, key, managed, retry_not_found=False):
    """The same as ``read_group``, by uniqueName; ``retry_not_found`` when Graph just said the group exists."""
    inline = managed[0].name if managed else None
    expand = "%s($select=id)" % inline if inline else None
    current = read_or_none(
        entra, lambda c: send(c.groups_with_unique_name(key), expand=expand), retry_not_found=retry_not_found
    )
    if current is None:
        return None, {}
    return current, references_of(entra, current, managed, retry_not_found=retry_not_found)


def references_of(entra, current, managed, retry_not_found=False):
    """{reference name: object ids}: the inline list when Graph gave all of it, the others paged."""
    inline = managed[0].name if managed else None
    expanded = take_expanded(current, inline) if inline else None
    references = {}
    if expanded is not None:
        references[inline] = sorted(str(o["id"]).lower() for o in expanded)
    to_page = [refs for refs in managed if refs.name not in references]
    if to_page:

        async def page(client):
            return dict([(refs.name, await member_ids(refs.builder(client, current["id"]))) for refs in to_page])

        references.update(entra.graph.run_many(page, retry_not_found=retry_not_found))
    return references


def run(entra):
    params = entra.params
    for refs in (MEMBERS, OWNERS):
        if params[refs.option] is not None:
            params[refs.option] = require_guids(params[refs.option], refs.option)
    managed = [refs for refs in (MEMBERS, OWNERS) if params[refs.option] is not None]
    if params["state"] == "absent":
        managed = []

    current, current_refs = read_group(entra, managed)
    key = None
    if current is None:
        by_key = {}

        def read_by_key(unique):
            by_key["group"], by_key["references"] = read_group_by_key(entra, unique, managed)
            return by_key["group"]

        current, key = claimed_by_key("group", params["display_name"], read_by_key)
        current_refs = by_key["references"] if current is not None else {}

    if params["state"] == "absent":
        return absent(entra, current, view(current, current_refs))
    if current is not None:
        return converge(entra, managed, current, current_refs)

    plans = dict((refs.name, reference_plan([], params[refs.option], params[refs.purge_option])) for refs in managed)
    outcome = outcome_of(plans)
    predicted_refs = dict((name, planned_references([], add, remove)) for name, (add, remove) in plans.items())
    body = creation_body(params)
    if entra.check_mode:
        after = view(body, predicted_refs)
        return result_dict(entra, True, None, after, ["(new)"], operation="create", id=None, group=after, **outcome)
    if key is None:
        created = entra.run(lambda c: send(c.groups, "POST", body))
    else:
        created = entra.run(lambda c: upsert(c.groups_with_unique_name(key), body))
    if created is None:
        # Graph already had a group with this key (it wrote ``body`` onto it): made by an earlier run that
        # its lists do not show yet. It exists, so a 404 while reading it back is only replication lag.
        current, current_refs = read_group_by_key(entra, key, managed, retry_not_found=True)
        if current is None:
            raise GraphError("Graph accepted uniqueName %s but no group has it" % key, status=404)
        return converge(entra, managed, current, current_refs, found_by_key=True)
    for refs in managed:
        for object_id in plans[refs.name][0]:
            refs.add(entra, created["id"], object_id, just_created=True)
    after = view(created, predicted_refs)
    return result_dict(
        entra, True, None, after, ["(new)"], operation="create", id=created["id"], group=after, **outcome
    )


def outcome_of(plans):
    return dict(
        members_added=plans.get("members", ([], []))[0],
        members_removed=plans.get("members", ([], []))[1],
        owners_added=plans.get("owners", ([], []))[0],
        owners_removed=plans.get("owners", ([], []))[1],
    )


def converge(entra, managed, current, current_refs, found_by_key=False):
    """Bring an existing group to the desired state. ``found_by_key``: the create's upsert met it (and has
    just written the desired properties), so what it held before is unknown and the run is a change."""
    params = entra.params
    before = None if found_by_key else view(current, current_refs)
    plans = {}
    for refs in managed:
        plans[refs.name] = reference_plan(
            current_refs.get(refs.name, []), params[refs.option], params[refs.purge_option]
        )
    desired = desired_properties(params)
    property_changes = changed_paths(desired, current)
    reference_changes = [name for name, (add, remove) in plans.items() if add or remove]
    outcome = outcome_of(plans)
    predicted_refs = dict(
        (name, planned_references(current_refs.get(name, []), add, remove)) for name, (add, remove) in plans.items()
    )

    changes = ([FOUND_BY_UNIQUE_NAME] if found_by_key else []) + property_changes + reference_changes
    if not changes:
        return result_dict(entra, False, before, before, operation=None, id=current["id"], group=before, **outcome)
    after = view(dict(current, **desired), predicted_refs)
    if not entra.check_mode:
        if property_changes:
            patch = dict((key, desired[key]) for key in desired if key in property_changes)
            entra.run(lambda c: send(c.groups.by_group_id(current["id"]), "PATCH", patch))
        for refs in managed:
            add, remove = plans[refs.name]
            for object_id in add:
                refs.add(entra, current["id"], object_id, just_created=found_by_key)
            for object_id in remove:
                refs.remove(entra, current["id"], object_id)
    return result_dict(
        entra, True, before, after, changes, operation="update", id=current["id"], group=after, **outcome
    )


def absent(entra, current, before):
    nothing = dict(members_added=[], members_removed=[], owners_added=[], owners_removed=[])
    if current is None:
        return result_dict(entra, False, None, None, operation=None, id=None, group=None, **nothing)
    if not entra.check_mode:
        try:
            entra.run(lambda c: send(c.groups.by_group_id(current["id"]), "DELETE"))
        except GraphError as error:
            # Deleted meanwhile by someone else: the desired state is reached all the same.
            if not not_found_error(error):
                raise
    return result_dict(
        entra, True, before, None, ["(deleted)"], operation="delete", id=current["id"], group=None, **nothing
    )


def main():
    EntraModule(ARGUMENT_SPEC).execute(run, "Entra ID group")


if __name__ == "__main__":
    main()
