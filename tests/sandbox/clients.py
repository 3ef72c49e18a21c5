"""Real SDK clients pointed at a running stand-in (used by the stand-in's own tests)."""

from azure.identity import ClientSecretCredential

ARM_SCOPE = "https://management.azure.com/.default"


def credential(env, secret=None, **options):
    """The stand-in's deploying service principal (or, with ``secret``, a wrong secret for it)."""
    return ClientSecretCredential(
        env["AZURE_TENANT"],
        env["AZURE_CLIENT_ID"],
        env["AZURE_SECRET"] if secret is None else secret,
        authority=env["AZURE_AUTHORITY_HOST"],
        disable_instance_discovery=True,
        **options,
    )


def mgmt(client_class, env, **options):
    """An azure-mgmt-* client against the stand-in; tests keep retries few and polling short."""
    options.setdefault("polling_interval", 0.05)
    options.setdefault("retry_total", 3)
    options.setdefault("retry_backoff_factor", 0.05)
    return client_class(
        credential(env),
        env["AZURE_SUBSCRIPTION_ID"],
        base_url=env["AZURE_AUTHORITY_HOST"] + "/",
        credential_scopes=[ARM_SCOPE],
        **options,
    )
