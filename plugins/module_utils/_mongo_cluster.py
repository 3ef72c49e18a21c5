# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Azure Cosmos DB for MongoDB vCore (Microsoft.DocumentDB/mongoClusters): what its modules share.

The cluster's connection string is a *template*: Azure returns it with ``<user>:<password>``
placeholders. These helpers make sure that whatever Azure (or a future API version) puts there,
what a module returns never carries a real password.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

SDK = ("azure.mgmt.mongocluster", "MongoClusterMgmtClient", "mongo_clusters")
PASSWORD_PLACEHOLDER = "<password>"  # noqa: S105 - the placeholder Azure itself puts in templates

# scheme://user:password@ : the password part is whatever sits between the first ':' after the
# scheme's '//' and the '@' that ends the userinfo.
_USERINFO = re.compile(r"^(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*):(?P<password>[^@\s]*)@", re.I)


def connection_string_template(value):
    """The connection string with its password (if any) replaced by ``<password>``."""
    if not isinstance(value, str) or not value:
        return value

    def placeholder(match):
        password = match.group("password")
        if password.startswith("<") and password.endswith(">"):
            return match.group(0)  # already a placeholder such as <password>
        return "%s:%s@" % (match.group("head"), PASSWORD_PLACEHOLDER)

    return _USERINFO.sub(placeholder, value, count=1)


def connection_strings(arm, operations, resource_group, name):
    """``listConnectionStrings`` (a read-only ARM POST) as templates: [{name, description, connectionString}]."""
    answer = arm.call(operations.list_connection_strings, resource_group, name) or {}
    found = []
    for item in answer.get("connectionStrings") or []:
        entry = dict(item)
        entry["connectionString"] = connection_string_template(entry.get("connectionString"))
        found.append(entry)
    return found


def default_connection_string(resource, listed=None):
    """The cluster's default connection string template: properties.connectionString, else the first listed."""
    value = ((resource or {}).get("properties") or {}).get("connectionString")
    if not value and listed:
        value = listed[0].get("connectionString")
    return connection_string_template(value) if value else None
