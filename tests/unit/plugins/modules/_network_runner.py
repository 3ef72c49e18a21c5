"""Runs a network module's real ``main()`` in-process against FakeArm (the real SDK client on top)."""

from ansible.module_utils.testing import patch_module_args

from ansible_collections.mcp_platform.azure.plugins.module_utils import _network
from ansible_collections.mcp_platform.azure.plugins.module_utils._resource import ArmModule
from tests.unit.plugins.module_utils.arm_fake import StaticCredential
from tests.unit.plugins.module_utils.engine_helpers import IDENTITY, ModuleFailed

SUBSCRIPTION = IDENTITY["subscription_id"]


class _Exited(Exception):
    def __init__(self, result):
        super().__init__("exit")
        self.result = result


def run_module(monkeypatch, module, fake, check=False, diff=False, **args):
    """One module run: the result dict; raises ModuleFailed (with ``.result``) on failure."""

    class TestArmModule(ArmModule):
        def __init__(self, argument_spec, **kwargs):
            kwargs.update(
                credential=StaticCredential(),
                client_overrides=dict(transport=fake, base_url="https://arm.test/", polling_interval=0),
            )
            super().__init__(argument_spec, **kwargs)

            def fail_json(msg, **kwargs):
                raise ModuleFailed(dict(kwargs, msg=msg, failed=True))

            self.module.fail_json = fail_json

        def exit(self, **result):
            raise _Exited(result)

    # Modules build their ArmModule themselves or through _network.run_network_module.
    monkeypatch.setattr(module, "ArmModule", TestArmModule, raising=False)
    monkeypatch.setattr(_network, "ArmModule", TestArmModule)
    module_args = dict(IDENTITY, **args)
    module_args["_ansible_check_mode"] = check
    module_args["_ansible_diff"] = diff
    with patch_module_args(module_args):
        try:
            module.main()
        except _Exited as exited:
            return exited.result
    raise AssertionError("the module neither exited nor failed")


def network_id(group, kind, *names):
    path = "/".join("%s/%s" % pair for pair in zip(kind.split("/"), names, strict=True))
    return "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/%s" % (SUBSCRIPTION, group, path)
