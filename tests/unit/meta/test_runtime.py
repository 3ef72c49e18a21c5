"""meta/runtime.yml: every Azure module is in the action group `all` (module_defaults: group/mcp_platform.azure.all).

The group exists to share authentication options, so it holds exactly the modules that take them
(those extending the `mcp_platform.azure.auth` documentation fragment); a module without those
options would fail on the defaults the group hands it.
"""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]


def module_names():
    return sorted(
        p.stem
        for p in (ROOT / "plugins" / "modules").glob("*.py")
        if "mcp_platform.azure.auth" in p.read_text(encoding="utf-8")
    )


def test_every_module_is_in_the_all_action_group():
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    group = runtime["action_groups"]["all"]
    missing = sorted(set(module_names()) - set(group))
    unknown = sorted(set(group) - set(module_names()))
    assert not missing, "add to action_groups.all in meta/runtime.yml: %s" % ", ".join(missing)
    assert not unknown, "action_groups.all names modules that do not exist: %s" % ", ".join(unknown)
    assert runtime["requires_ansible"] == ">=2.16.0"
