# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication: module options, environment and ~/.azure/credentials -> an azure-identity credential.

Option and variable names follow azure.azcollection so that AWX's built-in Azure credential type
(which exports AZURE_CLIENT_ID, AZURE_SECRET, AZURE_TENANT, AZURE_SUBSCRIPTION_ID) works unchanged.
Nothing here imports an Azure SDK at import time: azure-identity is imported when a credential is
built, so a missing package fails one module with a clear message instead of every import.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import configparser
import json
import os
import re

from ansible.module_utils.urls import open_url

AUTH_SOURCES = ["auto", "cli", "credential_file", "env", "msi"]

AUTH_ARGUMENT_SPEC = dict(
    auth_source=dict(type="str", choices=AUTH_SOURCES),
    profile=dict(type="str"),
    subscription_id=dict(type="str"),
    client_id=dict(type="str"),
    secret=dict(type="str", no_log=True),
    tenant=dict(type="str"),
    federated_token_file=dict(type="path"),
    federated_token=dict(type="str", no_log=True),
    cloud_environment=dict(type="str"),
    cert_validation_mode=dict(type="str", choices=["validate", "ignore"]),
    disable_instance_discovery=dict(type="bool"),
)

# Environment variable for each option, as azure.azcollection reads them.
ENV_NAMES = dict(
    auth_source="AZURE_AUTH_SOURCE",
    profile="AZURE_PROFILE",
    subscription_id="AZURE_SUBSCRIPTION_ID",
    client_id="AZURE_CLIENT_ID",
    secret="AZURE_SECRET",  # noqa: S106 - a variable name
    tenant="AZURE_TENANT",
    federated_token_file="AZURE_FEDERATED_TOKEN_FILE",  # noqa: S106 - a variable name
    cloud_environment="AZURE_CLOUD_ENVIRONMENT",
    cert_validation_mode="AZURE_CERT_VALIDATION_MODE",
)
# azure-identity's own names are accepted too (workload identity sets these in Kubernetes and CI).
ENV_ALIASES = dict(tenant="AZURE_TENANT_ID", secret="AZURE_CLIENT_SECRET")  # noqa: S106 - variable names

CREDENTIAL_FIELDS = ("subscription_id", "client_id", "secret", "tenant", "cloud_environment", "federated_token_file")

PUBLIC_CLOUDS = {
    "AzureCloud": dict(
        name="AzureCloud",
        resource_manager="https://management.azure.com/",
        login_endpoint="https://login.microsoftonline.com/",
        audience="https://management.azure.com/",
        graph_endpoint="https://graph.microsoft.com/",
        key_vault_dns="vault.azure.net",
    ),
    "AzureChinaCloud": dict(
        name="AzureChinaCloud",
        resource_manager="https://management.chinacloudapi.cn/",
        login_endpoint="https://login.chinacloudapi.cn/",
        audience="https://management.chinacloudapi.cn/",
        graph_endpoint="https://microsoftgraph.chinacloudapi.cn/",
        key_vault_dns="vault.azure.cn",
    ),
    "AzureUSGovernment": dict(
        name="AzureUSGovernment",
        resource_manager="https://management.usgovcloudapi.net/",
        login_endpoint="https://login.microsoftonline.us/",
        audience="https://management.usgovcloudapi.net/",
        graph_endpoint="https://graph.microsoft.us/",
        key_vault_dns="vault.usgovcloudapi.net",
    ),
}
# azcollection and the Azure CLI also use these spellings.
CLOUD_ALIASES = {
    "azurepubliccloud": "AzureCloud",
    "azurecloud": "AzureCloud",
    "public": "AzureCloud",
    "azurechinacloud": "AzureChinaCloud",
    "china": "AzureChinaCloud",
    "azureusgovernment": "AzureUSGovernment",
    "azureusgovernmentcloud": "AzureUSGovernment",
    "usgov": "AzureUSGovernment",
}
KNOWN_AUTHORITY_HOSTS = ("login.microsoftonline.com", "login.chinacloudapi.cn", "login.microsoftonline.us")


class AuthError(Exception):
    """An authentication setting is missing or wrong; the message names the option."""


class CloudEndpoints:
    """The endpoints of one Azure cloud: where ARM, Entra ID and Microsoft Graph are."""

    def __init__(self, name, resource_manager, login_endpoint, audience, graph_endpoint, key_vault_dns=None):
        self.name = name
        self.resource_manager = _with_slash(resource_manager)
        self.login_endpoint = _with_slash(login_endpoint)
        self.audience = _with_slash(audience)
        self.graph_endpoint = _with_slash(graph_endpoint) if graph_endpoint else None
        # DNS suffix of the cloud's vaults; the Key Vault data plane's token audience is https://<suffix>.
        self.key_vault_dns = key_vault_dns.strip(".").lower() if key_vault_dns else None

    @property
    def credential_scope(self):
        return self.audience.rstrip("/") + "/.default"

    @property
    def graph_scope(self):
        return (self.graph_endpoint or "https://graph.microsoft.com/").rstrip("/") + "/.default"

    @property
    def key_vault_scope(self):
        return "https://%s/.default" % self.key_vault_dns if self.key_vault_dns else None

    @property
    def is_known_authority(self):
        host = re.sub(r"^https?://", "", self.login_endpoint).split("/")[0].lower()
        return host in KNOWN_AUTHORITY_HOSTS

    def as_dict(self):
        return dict(
            name=self.name,
            resource_manager=self.resource_manager,
            login_endpoint=self.login_endpoint,
            audience=self.audience,
            graph_endpoint=self.graph_endpoint,
            key_vault_dns=self.key_vault_dns,
        )


def _with_slash(url):
    return url if url.endswith("/") else url + "/"


def parse_cloud_metadata(document, metadata_url=""):
    """Read the endpoints out of an ARM metadata document.

    Accepts the 2022-09-01 shape (a JSON array of cloud objects, or one object) and the older
    Azure Stack shape (``graphEndpoint``, ``authentication.loginEndpoint``).
    """
    clouds = document if isinstance(document, list) else [document]
    if not clouds or not isinstance(clouds[0], dict):
        raise AuthError("cloud_environment: the metadata at %s holds no cloud description" % metadata_url)
    cloud = clouds[0]
    authentication = cloud.get("authentication") or {}
    resource_manager = cloud.get("resourceManager") or _origin(metadata_url)
    login_endpoint = authentication.get("loginEndpoint")
    if not resource_manager or not login_endpoint:
        raise AuthError(
            "cloud_environment: the metadata at %s lacks resourceManager or authentication.loginEndpoint" % metadata_url
        )
    audiences = [a for a in authentication.get("audiences") or [] if a]
    audience = _pick_audience(audiences, resource_manager)
    graph = cloud.get("microsoftGraphResourceId") or cloud.get("graph") or cloud.get("graphEndpoint")
    return CloudEndpoints(
        name=cloud.get("name") or "AzureStack",
        resource_manager=resource_manager,
        login_endpoint=login_endpoint,
        audience=audience,
        graph_endpoint=graph,
        key_vault_dns=(cloud.get("suffixes") or {}).get("keyVaultDns"),
    )


def _pick_audience(audiences, resource_manager):
    # ARM accepts a token for any of its audiences; prefer the one naming the ARM host itself.
    host = re.sub(r"^https?://", "", resource_manager).split("/")[0].lower()
    for audience in audiences:
        if host and host in audience.lower():
            return audience
    return audiences[0] if audiences else resource_manager


def _origin(url):
    match = re.match(r"^(https?://[^/]+)", url or "")
    return match.group(1) + "/" if match else None


def _ca_path():
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE") or None


def fetch_metadata(url, validate_certs=True):
    """GET an ARM metadata endpoint and return its decoded JSON."""
    try:
        response = open_url(url, method="GET", validate_certs=validate_certs, ca_path=_ca_path(), timeout=30)
        return json.loads(response.read())
    except Exception as exc:  # the URL is user input: any failure is reported against the option
        raise AuthError("cloud_environment: could not read ARM metadata from %s: %s" % (url, exc)) from exc


def resolve_cloud(cloud_environment, fetch=fetch_metadata, validate_certs=True):
    """A cloud name (AzureCloud, AzureChinaCloud, AzureUSGovernment) or an ARM metadata URL -> endpoints."""
    value = cloud_environment or "AzureCloud"
    if re.match(r"^https?://", value, re.IGNORECASE):
        url = value
        if "/metadata/endpoints" not in url:
            url = url.rstrip("/") + "/metadata/endpoints?api-version=2022-09-01"
        return parse_cloud_metadata(fetch(url, validate_certs=validate_certs), url)
    name = (PUBLIC_CLOUDS.get(value) and value) or CLOUD_ALIASES.get(value.lower())
    if not name:
        raise AuthError(
            "cloud_environment: %r is neither a known cloud (%s) nor an ARM metadata URL"
            % (value, ", ".join(sorted(PUBLIC_CLOUDS)))
        )
    return CloudEndpoints(**PUBLIC_CLOUDS[name])


def read_credentials_file(profile="default", path=None):
    """One section of ~/.azure/credentials (INI, as azure.azcollection reads it), or {} when absent."""
    path = path or os.path.expanduser("~/.azure/credentials")
    if not os.path.isfile(path):
        return {}
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    if not parser.has_section(profile):
        return {}
    return dict((key, value) for key, value in parser.items(profile) if key in CREDENTIAL_FIELDS and value)


class AuthSettings:
    """Which credential to build and from which source its values came."""

    def __init__(self, source, values):
        self.source = source
        self.values = values

    def get(self, key):
        return self.values.get(key)

    def __repr__(self):
        shown = dict((k, v) for k, v in self.values.items() if k not in ("secret", "federated_token"))
        return "AuthSettings(%r, %r)" % (self.source, shown)


def _from_env(env):
    values = {}
    for key, name in ENV_NAMES.items():
        if env.get(name):
            values[key] = env[name]
    for key, name in ENV_ALIASES.items():
        if not values.get(key) and env.get(name):
            values[key] = env[name]
    return values


def _has_service_principal(values):
    return bool(
        values.get("client_id")
        and values.get("tenant")
        and (values.get("secret") or values.get("federated_token_file") or values.get("federated_token"))
    )


def resolve_auth_settings(params, env=None, credentials_reader=read_credentials_file):
    """Decide where credentials come from.

    ``auth_source: auto`` looks, in this order, at: the module's own parameters, the ``profile``
    (option or AZURE_PROFILE) in the credentials file, the AZURE_* environment variables, the
    credentials file's ``default`` profile, and finally the Azure CLI login. Values set as module
    parameters (subscription_id, cloud_environment, ...) override whatever source supplied the
    credential; unset ones fall back to the environment.
    """
    env = os.environ if env is None else env
    given = dict((k, v) for k, v in params.items() if k in AUTH_ARGUMENT_SPEC and v not in (None, ""))
    from_env = _from_env(env)
    source = given.get("auth_source") or from_env.get("auth_source") or "auto"
    profile = given.get("profile") or from_env.get("profile")

    chosen = None
    values = {}
    if source == "auto":
        if _has_service_principal(given):
            chosen, values = "parameters", {}
        elif profile:
            values = credentials_reader(profile)
            if not values:
                raise AuthError("profile: no section %r with credentials in the Azure credentials file" % profile)
            chosen = "profile"
        elif _has_service_principal(from_env):
            chosen, values = "env", from_env
        else:
            values = credentials_reader("default")
            if _has_service_principal(values):
                chosen = "credential_file"
            else:
                chosen, values = "cli", {}
    elif source == "env":
        chosen, values = "env", from_env
    elif source == "credential_file":
        values = credentials_reader(profile or "default")
        if not values:
            raise AuthError(
                "auth_source: credential_file was chosen but profile %r is missing from the credentials file"
                % (profile or "default")
            )
        chosen = "credential_file"
    else:
        chosen = source

    merged = dict(from_env)
    merged.pop("auth_source", None)
    if chosen in ("profile", "credential_file"):
        # A credentials-file profile is a complete identity: do not mix in another one from the env.
        for key in ("client_id", "secret", "tenant", "federated_token_file"):
            merged.pop(key, None)
    merged.update(values)
    merged.update(given)
    merged["auth_source"] = chosen
    if chosen in ("parameters", "env", "profile", "credential_file") and not _has_service_principal(merged):
        raise AuthError("auth_source %s: client_id, tenant and secret (or a federated token) are all required" % chosen)
    return AuthSettings(chosen, merged)


class AzureAuth:
    """A resolved identity: credential factory, subscription and cloud endpoints."""

    def __init__(self, settings, cloud):
        self.settings = settings
        self.cloud = cloud
        self._credential = None

    @property
    def subscription_id(self):
        return self.settings.get("subscription_id")

    @property
    def validate_certs(self):
        return self.settings.get("cert_validation_mode") != "ignore"

    @property
    def disable_instance_discovery(self):
        explicit = self.settings.get("disable_instance_discovery")
        if explicit is not None:
            return bool(explicit)
        # azure-identity validates the authority against the public clouds unless told not to;
        # Azure Stack, private clouds and the local stand-in are unknown authorities.
        return not self.cloud.is_known_authority

    def credential(self):
        if self._credential is None:
            self._credential = self._build_credential()
        return self._credential

    def _build_credential(self):
        from azure import identity  # pylint: disable=import-outside-toplevel

        settings = self.settings
        common = dict(authority=self.cloud.login_endpoint.rstrip("/"))
        if settings.source == "cli":
            return identity.AzureCliCredential(tenant_id=settings.get("tenant"))
        if settings.source == "msi":
            return identity.ManagedIdentityCredential(client_id=settings.get("client_id"))
        common["disable_instance_discovery"] = self.disable_instance_discovery
        tenant, client_id = settings.get("tenant"), settings.get("client_id")
        token, token_file = settings.get("federated_token"), settings.get("federated_token_file")
        if token or token_file:
            return identity.ClientAssertionCredential(tenant, client_id, _assertion_reader(token, token_file), **common)
        return identity.ClientSecretCredential(tenant, client_id, settings.get("secret"), **common)


def _assertion_reader(token, token_file):
    def read_assertion():
        # The token file is re-read on every token request because the platform rotates it.
        if token_file:
            with open(token_file) as handle:
                return handle.read().strip()
        return token

    return read_assertion


def cli_subscription_id(run_command):
    """The Azure CLI's default subscription, for auth_source cli without subscription_id."""
    rc, out, err = run_command(["az", "account", "show", "--query", "id", "--output", "tsv"])
    if rc != 0 or not out.strip():
        raise AuthError("subscription_id: not set and `az account show` failed: %s" % (err or out).strip())
    return out.strip()


def azure_auth_from_params(
    params, run_command=None, env=None, fetch=fetch_metadata, credentials_reader=None, require_subscription=True
):
    """Resolve settings and cloud endpoints for a module's parameters; raises AuthError with the option name."""
    settings = resolve_auth_settings(params, env=env, credentials_reader=credentials_reader or read_credentials_file)
    validate = settings.get("cert_validation_mode") != "ignore"
    cloud = resolve_cloud(settings.get("cloud_environment"), fetch=fetch, validate_certs=validate)
    if require_subscription and not settings.get("subscription_id"):
        if settings.source == "cli" and run_command is not None:
            settings.values["subscription_id"] = cli_subscription_id(run_command)
        else:
            raise AuthError("subscription_id: not set (option, AZURE_SUBSCRIPTION_ID or credentials file)")
    return AzureAuth(settings, cloud)
