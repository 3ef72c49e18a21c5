# Copyright (c) mcp_platform.azure contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters exposing the access model compiler; each filter is documented in its own <name>.yml."""

from ansible.errors import AnsibleFilterError

from ansible_collections.mcp_platform.azure.plugins.module_utils import _access_model as model


def _compiler_call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except model.AccessModelError as error:
        raise AnsibleFilterError("invalid access model: {0}".format(error)) from error


def mcp_compile(servers):
    return _compiler_call(model.compile_servers, servers)


def mcp_server_env(server, tier="readonly", host="127.0.0.1"):
    return _compiler_call(model.server_env, server, tier, host=host)


def mcp_gateway_config(servers, auth, public_base_url, backend_host="127.0.0.1", group_ids=None):
    return _compiler_call(
        model.gateway_config, servers, auth, public_base_url, backend_host=backend_host, group_ids=group_ids
    )


def mcp_apim_policy(
    servers,
    server,
    tenant_id,
    audiences,
    public_base_url,
    backend_urls=None,
    backend_host=None,
    group_ids=None,
    accept_groups_claim=True,
    validation="validate-jwt",
    client_application_ids=None,
    gateway_key_named_value=model.GATEWAY_KEY_NAMED_VALUE,
):
    return _compiler_call(
        model.apim_policy,
        servers,
        server,
        tenant_id,
        audiences,
        public_base_url,
        backend_urls=backend_urls,
        backend_host=backend_host,
        group_ids=group_ids,
        accept_groups_claim=accept_groups_claim,
        validation=validation,
        client_application_ids=client_application_ids,
        gateway_key_named_value=gateway_key_named_value,
    )


def mcp_apim_metadata_policy(servers, server, public_base_url, authorization_servers, scopes=None):
    return _compiler_call(
        model.apim_metadata_policy, servers, server, public_base_url, authorization_servers, scopes=scopes
    )


def mcp_protected_resource_metadata(servers, server, public_base_url, authorization_servers, scopes=None):
    return _compiler_call(
        model.protected_resource_metadata, servers, server, public_base_url, authorization_servers, scopes=scopes
    )


def mcp_entra_app_roles(servers, app_name="mcp-platform", group_ids=None, allowed_member_types=None):
    return _compiler_call(
        model.entra_app_roles,
        servers,
        app_name=app_name,
        group_ids=group_ids,
        allowed_member_types=allowed_member_types,
    )


def mcp_permissions_report(servers, output_format="json", backend_host="127.0.0.1", group_ids=None):
    if output_format not in ("json", "markdown"):
        raise AnsibleFilterError("output_format must be json or markdown, got {0!r}".format(output_format))
    report = _compiler_call(model.permissions_report, servers, backend_host=backend_host, group_ids=group_ids)
    return model.permissions_report_markdown(report) if output_format == "markdown" else report


class FilterModule:
    def filters(self):
        return {
            "mcp_compile": mcp_compile,
            "mcp_server_env": mcp_server_env,
            "mcp_gateway_config": mcp_gateway_config,
            "mcp_apim_policy": mcp_apim_policy,
            "mcp_apim_metadata_policy": mcp_apim_metadata_policy,
            "mcp_protected_resource_metadata": mcp_protected_resource_metadata,
            "mcp_entra_app_roles": mcp_entra_app_roles,
            "mcp_permissions_report": mcp_permissions_report,
        }
