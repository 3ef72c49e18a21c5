# Copyright (c) mcp_platform.azure contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the API Management modules.

Besides the semantic policy comparison, it holds what several APIM modules share: the engine run
for modules whose resource description depends on their options, the ids of APIM child resources
and waiting for a service to settle (creating one takes 30-45 minutes).

The main piece is the semantic comparison of API Management policy documents. A policy is sent in
the ``rawxml`` format (policy expressions such as ``@(context.Request.Headers.GetValueOrDefault("a",
""))`` are written as C#, not XML-escaped) and read back in whatever form the service prefers: the
``xml`` format escapes those expressions, re-indents with tabs, drops comments and may reorder
attributes. Two documents are the same policy when their element trees match after that noise is
removed, which is what :func:`policy_canonical` computes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    NOT_READ,
    ArmModule,
    ArmResource,
    ResourceEngine,
    report_failures,
)
from ansible_collections.mcp_platform.azure.plugins.module_utils._wait import is_settled

APIM_SDK = ("azure.mgmt.apimanagement", "ApiManagementClient")

_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot|apos);")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_XML_ESCAPES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;"}
_EXPRESSION_OPENERS = {"(": ")", "{": "}"}


class PolicyParseError(ValueError):
    """The text is not a policy document, even allowing for unescaped policy expressions."""


class _Reader:
    """Walks a policy document one logical character at a time.

    Inside a policy expression a character may be spelled raw (``rawxml``) or as an XML entity
    (``xml``); reading entities as the character they stand for lets one scanner handle both.
    """

    def __init__(self, text):
        self.text = text
        self.pos = 0

    def peek(self, offset=0):
        """Return the logical character ``offset`` characters ahead (entities decoded) or ''."""
        pos = self.pos
        char = ""
        for _dummy in range(offset + 1):
            char, pos = self._char_at(pos)
            if not char:
                return ""
        return char

    def take(self):
        char, self.pos = self._char_at(self.pos)
        return char

    def _char_at(self, pos):
        if pos >= len(self.text):
            return "", pos
        if self.text[pos] == "&":
            match = _ENTITY.match(self.text, pos)
            if match:
                return _decode_entity(match.group(1)), match.end()
        return self.text[pos], pos + 1


def _decode_entity(name):
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _NAMED_ENTITIES[name]


def _escape(text):
    return "".join(_XML_ESCAPES.get(char, char) for char in text)


def _read_expression(reader):
    """Read a policy expression ``@(...)`` or ``@{...}`` starting at the reader's position.

    Returns the decoded C# text, or None when the brackets do not balance (then the caller treats
    the characters as ordinary XML). C# string and character literals and comments are skipped so
    that brackets inside them do not count.
    """
    start = reader.pos
    out = [reader.take(), reader.take()]  # '@' and the opening bracket
    closers = [_EXPRESSION_OPENERS[out[1]]]
    while closers:
        char = reader.take()
        if not char:
            reader.pos = start
            return None
        out.append(char)
        if char in "([{":
            closers.append({"(": ")", "[": "]", "{": "}"}[char])
        elif char in ")]}":
            if char != closers[-1]:
                reader.pos = start
                return None
            closers.pop()
        elif char == '"':
            verbatim = len(out) >= 2 and out[-2] == "@"
            _read_string(reader, out, '"', verbatim)
        elif char == "'":
            _read_string(reader, out, "'", False)
        elif char == "/" and reader.peek() in ("/", "*"):
            _read_comment(reader, out)
    return "".join(out)


def _read_string(reader, out, quote, verbatim):
    while True:
        char = reader.take()
        if not char:
            return
        out.append(char)
        if char == "\\" and not verbatim:
            out.append(reader.take())
        elif char == quote:
            if verbatim and reader.peek() == quote:
                out.append(reader.take())
                continue
            return


def _read_comment(reader, out):
    block = reader.take() == "*"
    out.append("*" if block else "/")
    while True:
        char = reader.take()
        if not char:
            return
        out.append(char)
        if not block and char == "\n":
            return
        if block and char == "*" and reader.peek() == "/":
            out.append(reader.take())
            return


def policy_to_xml(text):
    """Return ``text`` as well-formed XML, escaping any raw policy expressions it contains.

    Accepts both the ``rawxml`` form (expressions written as plain C#) and the ``xml`` form
    (expressions already escaped); both give the same document.
    """
    if not isinstance(text, str):
        raise PolicyParseError("a policy must be a string, got %s" % type(text).__name__)
    reader = _Reader(text)
    out = []
    in_tag = False
    quote = None
    while reader.pos < len(text):
        raw = text[reader.pos]
        if not in_tag and text.startswith("<!--", reader.pos):
            end = text.find("-->", reader.pos)
            end = len(text) if end < 0 else end + 3
            out.append(text[reader.pos : end])
            reader.pos = end
            continue
        if not in_tag and text.startswith("<![CDATA[", reader.pos):
            end = text.find("]]>", reader.pos)
            end = len(text) if end < 0 else end + 3
            out.append(text[reader.pos : end])
            reader.pos = end
            continue
        at_value_start = (in_tag and quote and out and out[-1] == quote and raw == "@") or (
            not in_tag and raw == "@" and _starts_text(out)
        )
        if at_value_start and reader.peek(1) in _EXPRESSION_OPENERS:
            expression = _read_expression(reader)
            if expression is not None:
                out.append(_escape(expression))
                continue
        if in_tag:
            if quote:
                if raw == quote:
                    quote = None
                out.append(raw)
            elif raw in "\"'":
                quote = raw
                out.append(raw)
            elif raw == ">":
                in_tag = False
                out.append(raw)
            else:
                out.append(raw)
            reader.pos += 1
            continue
        if raw == "<":
            in_tag = True
            out.append(raw)
            reader.pos += 1
            continue
        if raw == "&" and not _ENTITY.match(text, reader.pos):
            out.append("&amp;")
        elif raw == ">":
            out.append("&gt;")
        else:
            out.append(raw)
        reader.pos += 1
    return "".join(out)


def _starts_text(out):
    """True when the output so far ends with a tag's '>' followed only by whitespace."""
    return "".join(out[-64:]).rstrip().endswith(">")


def _normalise_text(text):
    """Drop indentation and blank lines; keep every other character (expressions are code)."""
    if not text:
        return ""
    lines = (line.strip() for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _canonical_element(element):
    children = tuple(_canonical_element(child) for child in element)
    tails = tuple(_normalise_text(child.tail) for child in element)
    return (
        element.tag,
        tuple(sorted(element.attrib.items())),
        _normalise_text(element.text),
        children,
        tails if any(tails) else (),
    )


def policy_canonical(text):
    """Return a hashable canonical form of a policy document.

    Equal canonical forms mean the service would run the same policy: whitespace between and around
    elements, indentation, comments, attribute order, ``<a></a>`` versus ``<a/>``, line endings and
    XML escaping do not matter; element order, names, attribute values and expression text do.
    Raises PolicyParseError when the text is not a policy document.
    """
    try:
        root = ET.fromstring(policy_to_xml(text))  # noqa: S314 - the caller's own document
    except ET.ParseError as exc:
        raise PolicyParseError(str(exc)) from exc
    return _canonical_element(root)


def policies_equal(left, right):
    """True when two policy documents are semantically the same (see policy_canonical).

    A document that cannot be parsed is only equal to an identical string.
    """
    try:
        return policy_canonical(left) == policy_canonical(right)
    except PolicyParseError:
        return left == right


def policy_pretty(text):
    """A stable, indented rendering of a policy, used for readable --diff output.

    Falls back to the text itself when it cannot be parsed.
    """
    try:
        canonical = policy_canonical(text)
    except PolicyParseError:
        return text
    lines = []
    _render(canonical, 0, lines)
    return "\n".join(lines) + "\n"


def _display(value):
    """Policy expressions are shown as written (rawxml); other values XML-escaped."""
    if value[:2] in ("@(", "@{"):
        return value
    return _escape(value)


def _render(node, depth, lines):
    tag, attributes, text, children, tails = node
    indent = "  " * depth
    attrs = "".join(' %s="%s"' % (name, _display(value)) for name, value in attributes)
    if not children and not text:
        lines.append("%s<%s%s />" % (indent, tag, attrs))
        return
    if not children and "\n" not in text:
        lines.append("%s<%s%s>%s</%s>" % (indent, tag, attrs, _display(text), tag))
        return
    lines.append("%s<%s%s>" % (indent, tag, attrs))
    if text:
        lines.extend(indent + "  " + line for line in _display(text).split("\n"))
    for index, child in enumerate(children):
        _render(child, depth + 1, lines)
        if tails and tails[index]:
            lines.extend(indent + "  " + line for line in _display(tails[index]).split("\n"))
    lines.append("%s</%s>" % (indent, tag))


# ---- module plumbing ------------------------------------------------------------------------------


def apim_operations(operation_group):
    """The SDK description of one API Management operation group, e.g. ``apim_operations("backend")``."""
    return (*APIM_SDK, operation_group)


def service_id(subscription_id, resource_group, service_name):
    return "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.ApiManagement/service/%s" % (
        subscription_id,
        resource_group,
        service_name,
    )


def run_engine(arm, resource, desired_body, current=NOT_READ):
    """Run the resource engine for a resource description chosen at run time; returns the result dict.

    Modules whose SDK operation group depends on an option (API or operation scope) build their
    ``ArmResource`` after parsing the options, so they cannot use ``run_resource_module``; failures
    are reported the same way. ``current``: the resource as the module already read it.
    """
    return report_failures(arm, resource.kind, lambda: ResourceEngine(arm, resource, desired_body, current).run())


def run_apim_module(argument_spec, desired_body, resource, validate=None, **arm_kwargs):
    """The whole ``main()`` of an APIM resource module.

    ``validate(params)`` returns a list of problems ("option: rule"); they fail the task before any
    call to Azure. ``resource`` is an ArmResource, or a callable ``params -> ArmResource`` when the
    operation group depends on the options (API or operation scope).
    """
    tags = isinstance(resource, ArmResource) and resource.tags
    arm = ArmModule(argument_spec, tags=tags, **arm_kwargs)
    if validate is not None and arm.params.get("state", "present") == "present":
        problems = validate(arm.params)
        if problems:
            arm.fail("; ".join(problems))
    if not isinstance(resource, ArmResource):
        resource = resource(arm.params)
    arm.exit(**run_engine(arm, resource, desired_body))


# ---- service facts -------------------------------------------------------------------------------


def service_summary(resource):
    """The facts a playbook needs from a service, in snake_case, next to the raw resource."""
    if resource is None:
        return {}
    properties = resource.get("properties") or {}
    vnet = properties.get("virtualNetworkConfiguration") or {}
    identity = resource.get("identity") or {}
    return dict(
        provisioning_state=properties.get("provisioningState"),
        gateway_url=properties.get("gatewayUrl"),
        developer_portal_url=properties.get("developerPortalUrl"),
        management_api_url=properties.get("managementApiUrl"),
        public_ip_addresses=properties.get("publicIPAddresses") or [],
        private_ip_addresses=properties.get("privateIPAddresses") or [],
        virtual_network_type=properties.get("virtualNetworkType"),
        subnet_id=vnet.get("subnetResourceId"),
        principal_id=identity.get("principalId"),
        settled=is_settled(resource),
    )
