"""Running the engine in-process against FakeArm, the way Ansible would run a module."""

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import (
    NOT_READ,
    ArmModule,
    ModuleError,
    ResourceEngine,
)
from tests.unit.plugins.module_utils.arm_fake import FakeArm, StaticCredential

IDENTITY = dict(subscription_id="00000000-0000-0000-0000-000000000001", client_id="app", secret="s3cr3t", tenant="t")


class ModuleFailed(Exception):
    def __init__(self, result):
        super().__init__(result.get("msg"))
        self.result = result


def run_engine(spec, desired_body, resource, args, fake, check=False, diff=False, current=NOT_READ):
    """One module run: returns the result dict, raises ModuleFailed on fail_json."""
    module_args = dict(IDENTITY, **args)
    module_args["_ansible_check_mode"] = check
    module_args["_ansible_diff"] = diff
    with patch_module_args(module_args):
        arm = ArmModule(
            spec,
            tags=resource.tags,
            credential=StaticCredential(),
            client_overrides=dict(transport=fake, base_url="https://arm.test/", polling_interval=0),
        )

        def fail_json(msg, **kwargs):
            raise ModuleFailed(dict(kwargs, msg=msg, failed=True))

        arm.module.fail_json = fail_json
        try:
            return ResourceEngine(arm, resource, desired_body, current).run()
        except ModuleError as exc:
            raise ModuleFailed(dict(msg=str(exc), failed=True)) from exc


@pytest.fixture
def arm():
    return FakeArm()
