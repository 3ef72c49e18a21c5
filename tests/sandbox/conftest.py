import os
import uuid

import pytest
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.sandbox.clients import mgmt


@pytest.fixture(scope="session")
def sdk_env(standin):
    """The stand-in's environment, with its CA trusted by this test process (requests and httpx read these)."""
    saved = {k: os.environ.get(k) for k in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE")}
    os.environ.update({k: standin.env[k] for k in saved})
    yield standin.env
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def client(sdk_env):
    """Build an azure-mgmt client class against the stand-in: ``client(NetworkManagementClient)``."""
    return lambda cls, **options: mgmt(cls, sdk_env, **options)


@pytest.fixture
def group(client):
    """A fresh resource group, deleted (with everything in it) afterwards."""
    name = f"rg-{uuid.uuid4().hex[:8]}"
    resources = client(ResourceManagementClient)
    resources.resource_groups.create_or_update(name, {"location": "westeurope"})
    yield name
    resources.resource_groups.begin_delete(name).result()
