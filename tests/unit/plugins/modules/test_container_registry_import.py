"""container_registry_import: image names, the import body and the registry data-plane exchange."""

import pytest

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmError, ModuleError
from ansible_collections.mcp_platform.azure.plugins.modules import container_registry_import as module


def params(**overrides):
    full = dict(
        registry_name="acr1",
        resource_group="rg1",
        source_image="mongodb/mongodb-mcp-server:3.0.4",
        source_registry_uri="docker.io",
        source_resource_id=None,
        source_username=None,
        source_password=None,
        target_tags=None,
        login_server=None,
        force=False,
        state="present",
        wait=True,
    )
    full.update(overrides)
    return full


def test_target_defaults_to_the_source_repository_and_tag():
    assert module.target_tags(params()) == [("mongodb/mongodb-mcp-server", "3.0.4")]
    assert module.target_tags(params(target_tags=["mcp/server:3.0.4", "mcp/server:latest"])) == [
        ("mcp/server", "3.0.4"),
        ("mcp/server", "latest"),
    ]


@pytest.mark.parametrize(
    "overrides, message",
    [
        (dict(source_image="MongoDB/Server:1"), "^source_image:"),
        (dict(source_image="mongodb/server@sha256:" + "a" * 64), "^target_tags: required"),
        (dict(target_tags=["no-tag"]), r"^target_tags\[0\]:"),
        (dict(source_password="p"), "^source_username:"),
        (dict(login_server="https://acr1.azurecr.io"), "^login_server:"),
        (dict(login_server="acr1.azurecr.io/path"), "^login_server:"),
    ],
)
def test_input_rules_name_the_option(overrides, message):
    with pytest.raises(ModuleError, match=message):
        module.check_params(params(**overrides))


@pytest.mark.parametrize("login_server", ["acr1.azurecr.io", "127.0.0.1:8443", "acr1.azurecr.cn"])
def test_login_servers_are_accepted(login_server):
    module.check_params(params(login_server=login_server))


def test_import_body_only_for_missing_tags_without_overwriting():
    body = module.import_body(params(), [("mcp/server", "3.0.4")], force=False)
    assert body == {
        "source": {"sourceImage": "mongodb/mongodb-mcp-server:3.0.4", "registryUri": "docker.io"},
        "targetTags": ["mcp/server:3.0.4"],
        "mode": "NoForce",
    }
    sourced = module.import_body(
        params(source_resource_id="/subscriptions/s/x", source_username="u", source_password="p"), [("a", "1")], True
    )
    assert sourced["source"] == {
        "sourceImage": "mongodb/mongodb-mcp-server:3.0.4",
        "resourceId": "/subscriptions/s/x",
        "credentials": {"username": "u", "password": "p"},
    }
    assert sourced["mode"] == "Force"


class _Response:
    def __init__(self, status, body=None):
        self.status_code = status
        self._body = body or {}
        self.text = str(body)

    def json(self):
        return self._body


class _Session:
    """Plays an ACR login server: token exchange, scoped tokens, tag reads."""

    def __init__(self, tags):
        self.tags = tags
        self.calls = []
        self.headers = {}

    def post(self, url, data, timeout):
        self.calls.append(("POST", url, dict(data)))
        if url.endswith("/oauth2/exchange"):
            assert data["grant_type"] == "access_token" and data["access_token"] == "arm-token"
            return _Response(200, {"refresh_token": "refresh"})
        assert data["grant_type"] == "refresh_token" and data["refresh_token"] == "refresh"
        return _Response(200, {"access_token": "scoped:" + data["scope"]})

    def get(self, url, headers, timeout):
        self.calls.append(("GET", url, headers["Authorization"]))
        repository, tag = url.split("/acr/v1/")[1].split("/_tags/")
        return _Response(200 if (repository, tag) in self.tags else 404)


class _Auth:
    validate_certs = True
    cloud = type("Cloud", (), {"credential_scope": "https://management.azure.com/.default"})()

    def credential(self):
        return type("Cred", (), {"get_token": lambda self, scope: type("T", (), {"token": "arm-token"})()})()


def test_tag_existence_goes_through_an_exchanged_registry_token():
    plane = module.RegistryDataPlane(_Auth(), "acr1.azurecr.io")
    plane.session = _Session({("mcp/server", "3.0.4")})
    assert plane.tag_exists("mcp/server", "3.0.4") is True
    assert plane.tag_exists("mcp/server", "latest") is False
    posts = [c for c in plane.session.calls if c[0] == "POST"]
    # One exchange, then one scoped token per repository and action, reused for every tag there.
    assert [p[1] for p in posts] == [
        "https://acr1.azurecr.io/oauth2/exchange",
        "https://acr1.azurecr.io/oauth2/token",
    ]
    assert posts[1][2]["scope"] == "repository:mcp/server:metadata_read"
    gets = [c for c in plane.session.calls if c[0] == "GET"]
    assert gets[0] == (
        "GET",
        "https://acr1.azurecr.io/acr/v1/mcp/server/_tags/3.0.4",
        "Bearer scoped:repository:mcp/server:metadata_read",
    )


def test_a_refused_exchange_is_reported_with_the_login_server():
    plane = module.RegistryDataPlane(_Auth(), "acr1.azurecr.io")
    session = _Session(set())
    session.post = lambda url, data, timeout: _Response(401, {"errors": [{"code": "UNAUTHORIZED"}]})
    plane.session = session
    with pytest.raises(ArmError, match=r"acr1\.azurecr\.io answered 401"):
        plane.tag_exists("mcp/server", "3.0.4")
