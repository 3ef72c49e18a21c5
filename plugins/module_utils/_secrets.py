# -*- coding: utf-8 -*-
# Copyright (c) mcp_platform.azure contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secret values: generation, and the Key Vault data plane for what ARM cannot do.

Key Vault written through ARM (``Microsoft.KeyVault/vaults/secrets``) never returns a secret's
value and has no DELETE for a secret. Reading a stored value back (only when a caller explicitly
asks for it) and deleting a secret therefore go through the data plane (``SecretClient``), which
needs a data-plane role on the vault and network reach to it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import secrets
import string

# Characters that need no escaping in a URL userinfo, a shell word, XML or JSON: a generated value
# can go into a MongoDB connection string or an APIM named value as it is.
DEFAULT_ALPHABET = string.ascii_letters + string.digits + "-_.~"
ALPHABET_PRESETS = {
    "url_safe": DEFAULT_ALPHABET,
    "alphanumeric": string.ascii_letters + string.digits,
    "hex": "0123456789abcdef",
    "printable": string.ascii_letters + string.digits + "!#$%&()*+,-./:;<=>?@[]^_{|}~",
}
MIN_LENGTH = 8
MAX_LENGTH = 1024


class SecretInputError(ValueError):
    """An option value breaks a rule; the message names the option and the rule."""


def resolve_alphabet(alphabet):
    """Return the characters to draw from: a preset name or the literal characters given."""
    if alphabet is None:
        return DEFAULT_ALPHABET
    characters = ALPHABET_PRESETS.get(alphabet, alphabet)
    unique = "".join(sorted(set(characters)))
    if len(unique) < 10:
        raise SecretInputError(
            "alphabet: needs at least 10 distinct characters (or one of %s); got %d"
            % (", ".join(sorted(ALPHABET_PRESETS)), len(unique))
        )
    if any(not char.isprintable() or char.isspace() for char in unique):
        raise SecretInputError("alphabet: only printable, non-space characters are allowed")
    return unique


def character_classes(alphabet):
    """Split an alphabet into the classes a password policy counts: upper, lower, digit, other."""
    classes = [
        [c for c in alphabet if c in string.ascii_uppercase],
        [c for c in alphabet if c in string.ascii_lowercase],
        [c for c in alphabet if c in string.digits],
        [c for c in alphabet if c not in string.ascii_letters + string.digits],
    ]
    return [members for members in classes if members]


def check_length(length, option="length"):
    if not isinstance(length, int) or isinstance(length, bool) or not MIN_LENGTH <= length <= MAX_LENGTH:
        raise SecretInputError(
            "%s: must be an integer from %d to %d; got %r" % (option, MIN_LENGTH, MAX_LENGTH, length)
        )


def generate_secret(length=32, alphabet=None):
    """Draw a random value from the OS CSPRNG.

    Every character class present in the alphabet appears at least once, so the value satisfies
    "three of four classes" policies (e.g. the vCore administrator password) whenever the alphabet
    allows it. Rejection sampling keeps the draw uniform over all qualifying values.
    """
    check_length(length)
    characters = resolve_alphabet(alphabet)
    classes = character_classes(characters)
    if length < len(classes):
        raise SecretInputError(
            "length: %d is shorter than the %d character classes of alphabet" % (length, len(classes))
        )
    while True:
        candidate = "".join(secrets.choice(characters) for position in range(length))
        if all(any(char in members for char in candidate) for members in classes):
            return candidate


# Key Vault data-plane REST version used for a direct read (GET {vault}/secrets/{name}).
KEY_VAULT_API_VERSION = "7.5"


def _secret_client(credential, vault_uri, **client_kwargs):
    from azure.keyvault.secrets import SecretClient

    return SecretClient(vault_url=vault_uri, credential=credential, verify_challenge_resource=False, **client_kwargs)


def _bundle_of(secret):
    """A KeyVaultSecret of the SDK -> the REST secret bundle (value, contentType, tags, attributes, id)."""
    properties = secret.properties
    attributes = {"enabled": properties.enabled}
    for wire, moment in (
        ("created", properties.created_on),
        ("updated", properties.updated_on),
        ("nbf", properties.not_before),
        ("exp", properties.expires_on),
    ):
        if moment is not None:
            attributes[wire] = int(moment.timestamp())
    bundle = {"id": secret.id, "value": secret.value, "attributes": attributes}
    if properties.content_type is not None:
        bundle["contentType"] = properties.content_type
    if properties.tags:
        bundle["tags"] = dict(properties.tags)
    return bundle


def read_secret(credential, vault_uri, name, scope=None, **client_kwargs):
    """The current version of a secret as the data plane returns it (value, contentType, tags,
    attributes, id); None when the secret does not exist.

    With ``scope`` (the cloud's Key Vault token audience), a single request carries the bearer
    token from the start, instead of the SDK's unauthenticated first request that only fetches the
    401 challenge. Should the vault still answer 401 (another audience or tenant), the SDK's
    challenge flow is used. Other refusals raise azure-core's HttpResponseError (status kept), and
    an unreachable vault raises ServiceRequestError, as the SDK would.
    """
    from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

    if scope:
        from urllib.parse import quote

        from azure.core import PipelineClient
        from azure.core.pipeline.policies import BearerTokenCredentialPolicy, RetryPolicy, UserAgentPolicy
        from azure.core.rest import HttpRequest

        verify = client_kwargs.get("connection_verify", True)
        policies = [
            UserAgentPolicy(user_agent=client_kwargs.get("user_agent")),
            RetryPolicy(retry_total=client_kwargs.get("retry_total", 3)),
            BearerTokenCredentialPolicy(credential, scope),
        ]
        client = PipelineClient(base_url=vault_uri, policies=policies)
        url = "%s/secrets/%s" % (vault_uri.rstrip("/"), quote(name, safe=""))
        try:
            response = client.send_request(
                HttpRequest("GET", url, params={"api-version": KEY_VAULT_API_VERSION}), connection_verify=verify
            )
            if response.status_code == 200:
                return response.json()
            if response.status_code == 404:
                return None
            if response.status_code != 401:
                raise HttpResponseError(response=response)
        finally:
            client.close()

    client = _secret_client(credential, vault_uri, **client_kwargs)
    try:
        return _bundle_of(client.get_secret(name))
    except ResourceNotFoundError:
        return None
    finally:
        client.close()


def read_secret_value(credential, vault_uri, name, **client_kwargs):
    """Read the current value of a secret through the Key Vault data plane.

    ``verify_challenge_resource=False`` because a vault outside the public cloud (a sovereign
    cloud, a private DNS name, the local stand-in) does not share the resource domain the client
    would otherwise insist on. Returns None when the secret does not exist. Needs the caller to
    hold a data-plane role (Key Vault Secrets User or Officer) and network reach to the vault.
    """
    from azure.core.exceptions import ResourceNotFoundError

    client = _secret_client(credential, vault_uri, **client_kwargs)
    try:
        return client.get_secret(name).value
    except ResourceNotFoundError:
        return None
    finally:
        client.close()


def delete_secret(credential, vault_uri, name, **client_kwargs):
    """Delete a secret through the data plane (ARM has no DELETE for vaults/secrets).

    With soft delete on, the secret stays recoverable for the vault's retention period; purging is
    deliberately not done here. Returns False when there was nothing to delete.
    """
    from azure.core.exceptions import ResourceNotFoundError

    client = _secret_client(credential, vault_uri, **client_kwargs)
    try:
        # Look first: a delete of what is already gone would still be a write call.
        client.get_secret(name)
        client.begin_delete_secret(name).wait()
        return True
    except ResourceNotFoundError:
        return False
    finally:
        client.close()
