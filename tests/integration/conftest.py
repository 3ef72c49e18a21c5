"""Fixtures for module tests against the Azure stand-in (the ``standin`` fixture is in tests/sandbox)."""

import pytest

from tests.integration.harness import ModuleRunner


@pytest.fixture(scope="session")
def ansible_module(standin):
    """Runs a module of this collection through Ansible against the stand-in; see harness.ModuleRunner."""
    return ModuleRunner(standin)
