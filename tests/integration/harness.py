"""Run a real module of this collection through Ansible against the Azure stand-in.

One ``ansible`` ad-hoc call per module run (about a second): the module goes through Ansible's
own argument handling, no_log masking, check mode and --diff, exactly as in a playbook. A small
stdout callback (callback_plugins/module_result.py) prints the whole result, ``diff`` included.
"""

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS_PATH = REPO_ROOT / ".build" / "collections"
COLLECTION_LINK = COLLECTIONS_PATH / "ansible_collections" / "mcp_platform" / "azure"
RUN_TIMEOUT = 600
RESULT_PREFIX = "MODULE_RESULT "  # written by callback_plugins/module_result.py


def ensure_collection_link():
    """The Makefile makes this link; tests run straight from pytest make it too."""
    if not COLLECTION_LINK.exists():
        COLLECTION_LINK.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # made meanwhile by a parallel run
            COLLECTION_LINK.symlink_to(Path("../../../.."))


class ModuleRun:
    """The outcome of one module run: its result dict and the stand-in traffic it caused."""

    def __init__(self, module, args, result, traffic, writes, stderr):
        self.module = module
        self.args = args
        self.result = result
        self.traffic = traffic
        self.writes = writes
        self.stderr = stderr

    @property
    def changed(self):
        return bool(self.result.get("changed"))

    @property
    def failed(self):
        return bool(self.result.get("failed"))

    def __getitem__(self, key):
        return self.result[key]

    def get(self, key, default=None):
        return self.result.get(key, default)

    def __repr__(self):
        return "ModuleRun(%s, changed=%s, failed=%s, writes=%d)" % (
            self.module,
            self.changed,
            self.failed,
            len(self.writes),
        )


class ModuleRunner:
    """Callable: ``runner("resource_group", name=..., check=False, diff=False, expect_failure=False)``."""

    def __init__(self, standin, extra_env=None):
        self.standin = standin
        self.extra_env = dict(extra_env or {})
        ensure_collection_link()

    def environment(self):
        env = dict(os.environ)
        env.update(self.standin.env)
        env.update(
            ANSIBLE_CONFIG=str(REPO_ROOT / "ansible.cfg"),
            ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS_PATH),
            ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
            ANSIBLE_CALLBACK_PLUGINS=str(Path(__file__).resolve().parent / "callback_plugins"),
            ANSIBLE_STDOUT_CALLBACK="module_result",
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_DEPRECATION_WARNINGS="0",
            ANSIBLE_LOCALHOST_WARNING="0",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
            PYTHONDONTWRITEBYTECODE="1",
        )
        env.update(self.extra_env)
        return env

    def __call__(self, module, check=False, diff=False, expect_failure=False, env=None, **args):
        name = module if "." in module else "mcp_platform.azure." + module
        command = [
            str(Path(sys.executable).with_name("ansible")),
            "localhost",
            "-i",
            "localhost,",
            "-c",
            "local",
            "-e",
            "ansible_python_interpreter=%s" % sys.executable,
            "-m",
            name,
            "-a",
            json.dumps(args),
        ]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        run_env = self.environment()
        run_env.update(env or {})
        mark = self.standin.traffic_mark()
        completed = subprocess.run(
            command,
            cwd=REPO_ROOT,
            env=run_env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        result = _result_from(completed)
        outcome = ModuleRun(
            name,
            args,
            result,
            self.standin.traffic(since=mark),
            self.standin.write_calls(since=mark),
            completed.stderr,
        )
        if outcome.failed and not expect_failure:
            raise AssertionError("%s failed: %s\n%s" % (name, result.get("msg"), completed.stderr[-2000:]))
        if expect_failure and not outcome.failed:
            raise AssertionError("%s was expected to fail but returned %r" % (name, result))
        return outcome


def _result_from(completed):
    try:
        line = next(line for line in completed.stdout.splitlines() if line.startswith(RESULT_PREFIX))
        return json.loads(line[len(RESULT_PREFIX) :])
    except (ValueError, StopIteration) as exc:
        raise AssertionError(
            "ansible gave no JSON result (rc=%s)\nstdout: %s\nstderr: %s"
            % (completed.returncode, completed.stdout[-2000:], completed.stderr[-2000:])
        ) from exc
