# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Entra ID objects through Microsoft Graph, in wire format, for the entra_* modules.

Modules reason about Graph objects as plain JSON dicts in Graph's own (camelCase) names, exactly as
the ARM modules do with REST bodies: requests go through msgraph-sdk's request builders and request
adapter (``send``), bodies and answers stay JSON. The msgraph-sdk bridge itself (asyncio, retries,
endpoint) is ``_graph.py``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import time
import traceback
import uuid

from ansible_collections.mcp_platform.azure.plugins.module_utils._compare import differences, normalise
from ansible_collections.mcp_platform.azure.plugins.module_utils._graph import (
    GraphError,
    GraphSession,
    graph_base_url,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmModule

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
PAGE_SIZE = 999
# Graph puts at most 20 objects of a directory object's relationship inline under $expand, with no
# nextLink for the rest: a list that long may be cut short and has to be paged on its own.
EXPAND_LIMIT = 20
# Bounded waits for Graph's eventual consistency on writes that refer to a just-created object.
CONSISTENCY_ATTEMPTS = 6
CONSISTENCY_FIRST_DELAY = 0.5
# Objects this collection creates carry a uniqueName, the client-chosen alternate key of Graph's upsert
# (PATCH /groups(uniqueName='...') with Prefer: create-if-missing): a create that is repeated before Graph's
# lists show the first object, or retried after a timeout, finds that object instead of making a second one.
# The key is derived from what identifies the object here, its kind and display name (case-insensitive, as
# Graph compares display names): the same name gives the same key on every run and every machine.
UNIQUE_NAME_NAMESPACE = uuid.UUID("4f0b6d2e-8a57-5c13-9e4d-2b7a61c3f809")
UNIQUE_NAME_PREFIX = "mcp-platform-"
CREATE_IF_MISSING = {"Prefer": "create-if-missing"}
# In ``changes`` when a create met an object that already had its uniqueName (Graph answered 204 and wrote
# the desired properties onto it): what that object held before is not known, so the run counts as a change.
FOUND_BY_UNIQUE_NAME = "(found by uniqueName)"


class EntraInputError(Exception):
    """Input a user can fix: the message names the option and the rule."""


def is_guid(value):
    return isinstance(value, str) and bool(GUID.match(value))


def require_guids(values, option):
    """Object ids must be GUIDs; fail before any call, naming the option."""
    bad = [v for v in values or [] if not is_guid(v)]
    if bad:
        raise EntraInputError("%s: %s is not an object id (a GUID)" % (option, ", ".join(repr(v) for v in bad)))
    return [v.lower() for v in values or []]


def odata_string(value):
    """A string literal for an OData $filter: single quotes doubled."""
    return "'%s'" % value.replace("'", "''")


async def send(builder, method="GET", body=None, url=None, headers=None, **odata):
    """One Graph request through msgraph-sdk's request builder and adapter; Graph's JSON answer (or None).

    The builder gives the URL, the adapter authentication, middleware and error mapping. Bodies and
    answers stay JSON: parsing a Group or Application into msgraph-sdk models imports most of its
    several thousand model modules (seconds per task), and modules compare JSON anyway.
    ``odata``: query options without their ``$`` (filter=..., select=[...], top=...); ``headers``: extra
    request headers (a dict).
    """
    from kiota_abstractions.method import Method  # pylint: disable=import-outside-toplevel
    from kiota_abstractions.request_information import RequestInformation  # pylint: disable=import-outside-toplevel
    from msgraph.generated.models.o_data_errors.o_data_error import ODataError  # pylint: disable=import-outside-toplevel

    info = RequestInformation(Method[method], builder.url_template, dict(builder.path_parameters))
    for name, value in odata.items():
        if value is not None:
            info.query_parameters["%24" + name] = ",".join(value) if isinstance(value, list) else value
    if url:
        info.url = url
    info.headers.try_add("Accept", "application/json")
    for name, value in (headers or {}).items():
        info.headers.try_add(name, value)
    if body is not None:
        info.set_stream_content(json.dumps(body).encode("utf-8"), "application/json")
    raw = await builder.request_adapter.send_primitive_async(info, "bytes", {"XXX": ODataError})
    if not raw:
        return None
    answer = json.loads(raw)
    if isinstance(answer, dict):
        for key in [k for k in answer if k.startswith("@odata.") and k != "@odata.nextLink"]:
            answer.pop(key)
    return answer


async def collect(builder, **odata):
    """Every item of a Graph collection, following @odata.nextLink pages."""
    page = await send(builder, **odata)
    items = list(page.get("value") or [])
    while page.get("@odata.nextLink"):
        page = await send(builder, url=page["@odata.nextLink"])
        items.extend(page.get("value") or [])
    return [_plain(item) for item in items]


def _plain(item):
    return dict((k, v) for k, v in item.items() if not k.startswith("@odata.")) if isinstance(item, dict) else item


def changed_paths(desired, current, normalisers=None):
    """Top-level and nested paths where ``desired`` (a subset) is not met by ``current``."""
    return differences(normalise(desired, normalisers), normalise(current or {}, normalisers))


class EntraModule:
    """An Ansible module talking to Microsoft Graph with the collection's auth options and cloud."""

    def __init__(self, argument_spec, **module_kwargs):
        self.arm = ArmModule(argument_spec, require_subscription=False, **module_kwargs)
        self.graph = GraphSession(self.arm)

    @property
    def params(self):
        return self.arm.params

    @property
    def check_mode(self):
        return self.arm.check_mode

    @property
    def diff_mode(self):
        return self.arm.diff_mode

    def directory_object_url(self, object_id):
        """The @odata.id Graph expects when adding a member or owner reference."""
        return "%s/directoryObjects/%s" % (graph_base_url(self.arm.auth.cloud.graph_endpoint), object_id)

    def run(self, make_coroutine, retry_not_found=False):
        return self.graph.run(make_coroutine, retry_not_found=retry_not_found)

    def run_until_consistent(self, make_coroutine, transient, attempts=CONSISTENCY_ATTEMPTS, sleep=time.sleep):
        """Retry a call while Graph answers an error that ``transient(error)`` blames on replication."""
        delay = CONSISTENCY_FIRST_DELAY
        for attempt in range(1, attempts + 1):
            try:
                return self.graph.run(make_coroutine)
            except GraphError as error:
                if attempt == attempts or not transient(error):
                    raise
            sleep(delay)
            delay *= 2
        return None  # pragma: no cover

    def fail(self, msg, **kwargs):
        self.arm.fail(msg, **kwargs)

    def fail_graph(self, error, action):
        self.graph.fail(error, action)

    def exit(self, **result):
        self.arm.exit(**result)

    def execute(self, flow, kind):
        """Run ``flow(self) -> result dict`` with every failure reported as a clean task failure."""
        try:
            result = flow(self)
        except EntraInputError as exc:
            self.fail(str(exc))
        except GraphError as error:
            self.fail_graph(error, "handle the %s" % kind)
        except Exception as exc:  # anything unexpected still ends as a failed task, with the traceback attached
            self.fail("unexpected error handling the %s: %s" % (kind, exc), exception=traceback.format_exc())
        self.exit(**result)


def result_dict(entra, changed, before, after, changes=(), **extra):
    """The common result shape: changed, changes, diff (with --diff) and module-specific keys."""
    result = dict(changed=changed, changes=list(changes))
    result.update(extra)
    if entra.diff_mode:
        result["diff"] = dict(before=before or {}, after=after or {})
    return result


# ---- lookups shared by several modules -----------------------------------------------------------


async def groups_named(client, display_name, expand=None):
    """Groups with this display name; ``expand``: a relationship to read inline, object ids only."""
    # Graph compares display names case-insensitively, and so does this lookup.
    return await collect(
        client.groups,
        filter="displayName eq %s" % odata_string(display_name),
        expand="%s($select=id)" % expand if expand else None,
    )


async def applications_named(client, display_name):
    return await collect(client.applications, filter="displayName eq %s" % odata_string(display_name))


async def member_ids(builder):
    """Object ids of a group's members or owners (``builder`` = ``...members`` or ``...owners``)."""
    found = await collect(builder, select=["id"], top=PAGE_SIZE)
    return sorted(str(o["id"]).lower() for o in found)


def take_expanded(obj, navigation):
    """Pop an expanded relationship (and its annotations) off ``obj``: its items when Graph gave all of
    them, or None when the list may be cut short (EXPAND_LIMIT items or more, or a nextLink)."""
    items = obj.pop(navigation, None)
    annotations = dict((key, obj.pop(key)) for key in list(obj) if key.startswith(navigation + "@odata."))
    if not isinstance(items, list) or navigation + "@odata.nextLink" in annotations or len(items) >= EXPAND_LIMIT:
        return None
    return [_plain(item) for item in items]


def only_one(found, kind, display_name):
    """Display names are not unique in Entra: refuse to guess between several objects."""
    if len(found) > 1:
        raise EntraInputError(
            "display_name: %d %ss are named %r (object ids %s); display names must be unique for this module "
            "to know which one to manage: rename or delete the extra ones"
            % (len(found), kind, display_name, ", ".join(sorted(str(o.get("id")) for o in found)))
        )
    return found[0] if found else None


def not_found_error(error):
    return error.status == 404


# ---- creation by alternate key (uniqueName) ------------------------------------------------------


def unique_name(kind, display_name):
    """The uniqueName this collection gives the ``kind`` ("group", "application") named ``display_name``."""
    return "%s%s-%s" % (UNIQUE_NAME_PREFIX, kind, uuid.uuid5(UNIQUE_NAME_NAMESPACE, display_name.lower()))


async def upsert(builder, body):
    """Create-or-update by alternate key: the new object (Graph answers 201 with it), or None when an object
    already had the key (204, no content; Graph has written ``body`` onto it)."""
    return await send(builder, "PATCH", body, headers=CREATE_IF_MISSING)


def read_or_none(entra, make_coroutine, retry_not_found=False):
    """The answer of a read, or None when Graph does not know the object (404).

    ``retry_not_found``: the object is known to exist (Graph just said so), so a 404 only means the replica
    serving the read has not caught up yet: retry for a bounded time before believing it.
    """
    try:
        return entra.run(make_coroutine, retry_not_found=retry_not_found)
    except GraphError as error:
        if not_found_error(error):
            return None
        raise


def same_name(obj, display_name):
    return str((obj or {}).get("displayName") or "").lower() == display_name.lower()


def claimed_by_key(kind, display_name, read_by_key):
    """(the object holding this name's uniqueName, the key to create with), for when no object was found by
    display name.

    Found and named ``display_name``: an object made a moment ago that Graph's lists do not show yet; it is
    the one to manage. Found under another name: it was renamed since, the key is taken and a new object is
    made without one (as objects made before uniqueName were). ``read_by_key(key)``: the object or None.
    """
    key = unique_name(kind, display_name)
    found = read_by_key(key)
    if found is None:
        return None, key
    if same_name(found, display_name):
        return found, key
    return None, None
