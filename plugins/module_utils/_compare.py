# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Comparing a desired REST body with what Azure returns, in wire format (camelCase JSON).

Paths name places in a body: ``properties.sku.name``; ``[]`` stands for every element of a list
(``properties.securityRules[].properties.protocol``); ``*`` for every value of a dict
(``tags.*``). The desired body is a *subset*: keys Azure adds (ids, provisioningState, defaults)
are not differences; keys the module sets must match after normalisation.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import re

MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def _split(path):
    parts = []
    for part in path.split("."):
        lists = 0
        while part.endswith("[]"):
            part = part[:-2]
            lists += 1
        if part:
            parts.append(part)
        parts.extend(["[]"] * lists)
    return parts


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _location(value):
    return value.replace(" ", "").lower() if isinstance(value, str) else value


def _resource_id(value):
    return value.rstrip("/").lower() if isinstance(value, str) else value


# Named normalisers a resource description can refer to by string.
NORMALISERS = {
    "lower": _lower,
    "location": _location,
    "resource_id": _resource_id,
}
UNORDERED = "unordered"


def strip_none(value):
    """Drop keys whose value is None: None in a desired body means "not managed by this run"."""
    if isinstance(value, dict):
        return dict((k, strip_none(v)) for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return [strip_none(v) for v in value]
    return value


def get_path(body, path):
    """Values found at ``path`` in ``body`` (several when the path crosses lists)."""
    found = [body]
    for part in _split(path):
        following = []
        for node in found:
            if part == "[]" and isinstance(node, list):
                following.extend(node)
            elif part == "*" and isinstance(node, dict):
                following.extend(node.values())
            elif isinstance(node, dict) and part in node:
                following.append(node[part])
        found = following
    return found


def map_path(body, path, function):
    """Replace every value at ``path`` with ``function(value)``, in place; returns ``body``."""
    parts = _split(path)

    def visit(node, index):
        if index == len(parts) - 1:
            part = parts[index]
            if part == "[]" and isinstance(node, list):
                node[:] = [function(v) for v in node]
            elif part == "*" and isinstance(node, dict):
                for key in list(node):
                    node[key] = function(node[key])
            elif isinstance(node, dict) and part in node:
                node[part] = function(node[part])
            return
        part = parts[index]
        if part == "[]" and isinstance(node, list):
            children = node
        elif part == "*" and isinstance(node, dict):
            children = list(node.values())
        elif isinstance(node, dict) and part in node:
            children = [node[part]]
        else:
            children = []
        for child in children:
            visit(child, index + 1)

    if parts:
        visit(body, 0)
    return body


def remove_path(body, path):
    """Delete the key at ``path`` (in every list element it crosses), in place; returns ``body``."""
    parts = _split(path)
    parents = get_path(body, ".".join(parts[:-1]).replace(".[]", "[]")) if len(parts) > 1 else [body]
    last = parts[-1]
    for parent in parents:
        if isinstance(parent, dict):
            parent.pop(last, None)
    return body


def set_path(body, path, value):
    """Set a plain dotted path (no lists), creating dicts on the way; in place."""
    node = body
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return body


def _is_arm_id(value):
    return isinstance(value, str) and value.lower().startswith("/subscriptions/")


def _canonical(value):
    return json.dumps(value, sort_keys=True, default=str)


def normalise(body, normalisers):
    """A normalised deep copy of ``body``: ``normalisers`` maps paths to callables or names."""
    result = copy.deepcopy(body)
    for path, how in (normalisers or {}).items():
        if how == UNORDERED:
            map_path(result, path, lambda v: sorted(v, key=_canonical) if isinstance(v, list) else v)
        else:
            function = NORMALISERS[how] if isinstance(how, str) else how
            map_path(result, path, function)
    return result


def differences(desired, current, path=""):
    """Paths at which ``desired`` (a subset) is not satisfied by ``current``."""
    if isinstance(desired, dict):
        if not isinstance(current, dict):
            return [path or "."]
        found = []
        for key, value in desired.items():
            child = "%s.%s" % (path, key) if path else key
            if key not in current or current[key] is None:
                if value in ({}, []):
                    continue
                found.append(child)
            else:
                found.extend(differences(value, current[key], child))
        return found
    if isinstance(desired, list):
        if not isinstance(current, list) or len(desired) != len(current):
            return [path]
        for index, (want, have) in enumerate(zip(desired, current, strict=True)):
            if differences(want, have, "%s[%d]" % (path, index)):
                return [path]
        return []
    if _is_arm_id(desired) and _is_arm_id(current):
        # ARM ids are case-insensitive and services return them with their own casing.
        return [] if _resource_id(desired) == _resource_id(current) else [path]
    if isinstance(desired, bool) or isinstance(current, bool):
        return [] if desired is current or _bool_text(desired) == _bool_text(current) else [path]
    if isinstance(desired, (int, float)) and isinstance(current, (int, float)):
        return [] if desired == current else [path]
    return [] if desired == current else [path]


def _bool_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).lower()


def deep_merge(base, overlay):
    """``base`` updated recursively with ``overlay`` (lists and scalars replace); new object."""
    if not isinstance(base, dict) or not isinstance(overlay, dict):
        return copy.deepcopy(overlay)
    merged = copy.deepcopy(base)
    for key, value in overlay.items():
        merged[key] = deep_merge(merged.get(key), value) if isinstance(value, dict) else copy.deepcopy(value)
    return merged


def mask(body, paths):
    """A deep copy of ``body`` with every value at ``paths`` replaced by a fixed marker."""
    result = copy.deepcopy(body)
    for path in paths or ():
        map_path(result, path, lambda v: MASK if v is not None else v)
    return result


def path_pattern(path):
    """A regex matching the concrete paths ``differences`` reports under a declared path."""
    escaped = re.escape(path).replace(r"\[\]", r"(\[\d+\])?").replace(r"\*", r"[^.]+")
    return re.compile("^" + escaped + r"($|[.\[])")
