# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Options and environment variables match azure.azcollection's, so AWX's Azure credential works.
    DOCUMENTATION = r"""
options:
  auth_source:
    description:
      - Where the credential comes from. When not set, E(AZURE_AUTH_SOURCE) or V(auto).
      - V(auto) uses, in this order, the module's own O(client_id)/O(tenant)/O(secret) (or a federated
        token), the O(profile) in the credentials file, the E(AZURE_CLIENT_ID)/E(AZURE_SECRET)/E(AZURE_TENANT)
        environment variables, the V(default) profile of C(~/.azure/credentials), and finally the Azure CLI login.
      - V(msi) uses the managed identity of the machine (O(client_id) selects a user-assigned one).
    type: str
    choices: [auto, cli, credential_file, env, msi]
  profile:
    description:
      - Section of C(~/.azure/credentials) to read credentials from. Also E(AZURE_PROFILE).
    type: str
  subscription_id:
    description:
      - Subscription to work in. Also E(AZURE_SUBSCRIPTION_ID); with the Azure CLI, its default subscription.
    type: str
  client_id:
    description:
      - Application (client) id of the service principal, or of a user-assigned managed identity.
      - Also E(AZURE_CLIENT_ID).
    type: str
  secret:
    description:
      - Client secret of the service principal. Also E(AZURE_SECRET).
    type: str
  tenant:
    description:
      - Entra ID tenant id. Also E(AZURE_TENANT).
    type: str
  federated_token_file:
    description:
      - File holding an OIDC token for workload identity federation, read again on every token request.
        Also E(AZURE_FEDERATED_TOKEN_FILE). Used with O(client_id) and O(tenant) instead of O(secret).
    type: path
  federated_token:
    description:
      - An OIDC token for workload identity federation, used with O(client_id) and O(tenant) instead of O(secret).
    type: str
  cloud_environment:
    description:
      - A cloud name (V(AzureCloud), V(AzureChinaCloud), V(AzureUSGovernment)) or the URL of an ARM metadata
        endpoint (as for Azure Stack), from which the Resource Manager, login and Microsoft Graph endpoints are read.
        Also E(AZURE_CLOUD_ENVIRONMENT). When not set, V(AzureCloud).
    type: str
  cert_validation_mode:
    description:
      - V(ignore) skips TLS certificate checks. Also E(AZURE_CERT_VALIDATION_MODE). The CA bundle in
        E(REQUESTS_CA_BUNDLE) or E(SSL_CERT_FILE) is used when set.
    type: str
    choices: [validate, ignore]
  disable_instance_discovery:
    description:
      - Skip Entra ID authority validation. When not set, it is skipped exactly when the login endpoint is not
        one of the public clouds' (Azure Stack, private clouds, a local stand-in).
    type: bool
requirements:
  - azure-identity >= 1.19.0
notes:
  - Secrets are never logged or returned.
"""
