# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Azure SDK client construction: lazy import, endpoints of the chosen cloud, user agent, polling."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os

COLLECTION_VERSION = "0.1.0"
USER_AGENT = "mcp_platform.azure/%s" % COLLECTION_VERSION

# ARM's default LRO polling delay is 30 s when the service sends no Retry-After. A smaller floor keeps
# real deployments responsive and makes the local stand-in (which always sends retry-after-ms) free.
DEFAULT_POLLING_INTERVAL = 5
# azure-core retries 408/429/5xx ten times by default; modules keep it bounded but tolerant.
DEFAULT_RETRY_TOTAL = 5


class MissingSdk(Exception):
    """An SDK package is not installed; ``package`` is its pip name."""

    def __init__(self, package, error):
        super(MissingSdk, self).__init__("%s is not installed: %s" % (package, error))
        self.package = package
        self.error = error


class Sdk:
    """Where an SDK client lives: import path, client class and (optionally) one operation group.

    ``Sdk("azure.mgmt.resource.resources", "ResourceManagementClient", "resource_groups")``
    """

    def __init__(self, module, client, operations=None, package=None):
        self.module = module
        self.client = client
        self.operations = operations
        self.package = package or pip_name(module)

    def __repr__(self):
        return "Sdk(%r, %r, %r)" % (self.module, self.client, self.operations)


def pip_name(import_path):
    """azure.mgmt.network -> azure-mgmt-network; msgraph -> msgraph-sdk."""
    parts = import_path.split(".")
    if parts[0] == "msgraph":
        return "msgraph-sdk"
    if parts[:2] == ["azure", "mgmt"]:
        return "-".join(parts[:3])
    return "-".join(parts[:2])


def import_client_class(sdk):
    try:
        module = importlib.import_module(sdk.module)
    except ImportError as exc:
        raise MissingSdk(sdk.package, exc) from exc
    return getattr(module, sdk.client)


def env_int(name, default):
    value = os.environ.get(name)
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def client_options(auth, base_url=None, credential_scopes=None, ca_bundle=None, **overrides):
    """Keyword arguments every Azure SDK client of both generations (autorest and typespec) accepts."""
    options = dict(
        base_url=base_url or auth.cloud.resource_manager,
        credential_scopes=credential_scopes or [auth.cloud.credential_scope],
        user_agent=USER_AGENT,
        polling_interval=env_int("MCP_PLATFORM_AZURE_POLLING_INTERVAL", DEFAULT_POLLING_INTERVAL),
        retry_total=env_int("MCP_PLATFORM_AZURE_RETRY_TOTAL", DEFAULT_RETRY_TOTAL),
    )
    if not auth.validate_certs:
        options["connection_verify"] = False
    elif ca_bundle:
        options["connection_verify"] = ca_bundle
    options.update(overrides)
    return options


def build_client(auth, sdk, credential=None, **overrides):
    """Instantiate ``sdk.client`` for ``auth``'s subscription and cloud; overrides win (tests pass transport)."""
    client_class = import_client_class(sdk)
    options = client_options(auth, **overrides)
    return client_class(credential or auth.credential(), auth.subscription_id, **options)
