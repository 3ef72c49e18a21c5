#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mcp_platform maintainers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: local_service
short_description: Run a program as a detached background service with a pid file and a log file
version_added: 0.1.0
description:
  - Starts a program in its own session, detached from Ansible, writing its output to a log file and
    its process id to a pid file in O(state_dir).
  - A fingerprint of the command, the environment, the working directory and the content of
    O(watch_files) is recorded beside the pid file. A service that is already running with the same
    fingerprint is left alone; a different fingerprint restarts it.
  - Secret environment variables go in O(secret_env), which is never logged or returned; only a
    salted hash of it takes part in the fingerprint.
  - Stopping sends C(SIGTERM) to the service's whole process group, then C(SIGKILL) after
    O(stop_timeout) seconds, so programs that start children leave nothing behind.
  - Runs on the controller or any POSIX host; the process check uses C(/proc) when present to guard
    against a recycled process id.
author:
  - mcp_platform maintainers (@mcp-platform)
options:
  name:
    description:
      - Name of the service; the pid, state and log files are named after it.
    type: str
    required: true
  state_dir:
    description:
      - Directory holding the service's C(NAME.pid), C(NAME.json) (fingerprint) and C(NAME.log).
      - Created (mode C(0700)) when missing.
    type: path
    required: true
  state:
    description:
      - V(started) makes sure the service runs with the given command and environment.
      - V(restarted) always restarts it.
      - V(stopped) stops it and removes its pid file; the log file is kept.
    type: str
    choices: [started, stopped, restarted]
    default: started
  command:
    description:
      - The program and its arguments, executed directly (no shell).
      - Required unless O(state=stopped).
    type: list
    elements: str
  env:
    description:
      - Environment variables for the service, on top of O(inherit_env).
    type: dict
    default: {}
  secret_env:
    description:
      - Environment variables holding secrets (keys, connection strings). Never logged, returned or
        shown in a diff; their values are also masked in log excerpts of a failed start.
    type: dict
    default: {}
  inherit_env:
    description:
      - Names of variables copied from the module's own environment when set (for example C(PATH)
        and C(HOME)). Everything else starts empty, so the service sees only what is declared.
    type: list
    elements: str
    default: [PATH, HOME, LANG, LC_ALL, TMPDIR]
  chdir:
    description:
      - Working directory of the service. Defaults to O(state_dir).
    type: path
  watch_files:
    description:
      - Files whose content takes part in the fingerprint, such as the program itself or its
        configuration file, so that changing them restarts the service.
    type: list
    elements: path
    default: []
  wait_for_port:
    description:
      - A TCP port on O(wait_for_host) that the service listens on once ready. The module waits for it
        after starting and fails, showing the end of the log, when the service exits or does not
        listen within O(start_timeout).
    type: int
  wait_for_host:
    description:
      - Host of O(wait_for_port).
    type: str
    default: 127.0.0.1
  start_timeout:
    description:
      - Seconds to wait for O(wait_for_port).
    type: float
    default: 60
  stop_timeout:
    description:
      - Seconds to wait after C(SIGTERM) before C(SIGKILL).
    type: float
    default: 10
extends_documentation_fragment:
  - mcp_platform.azure.attributes
attributes:
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
notes:
  - The module does not supervise the service; a service that dies is started again on the next run.
"""

EXAMPLES = r"""
- name: Run the dev database in the background
  mcp_platform.azure.local_service:
    name: database
    state_dir: "{{ local_state_dir }}/run"
    command:
      - "{{ ansible_playbook_python | dirname }}/nx-27017"
      - --port=27017
      - --data-dir={{ local_state_dir }}/db
    wait_for_port: 27017

- name: Run an MCP server tier with its secrets kept out of logs
  mcp_platform.azure.local_service:
    name: mcp-mongodb-readonly
    state_dir: "{{ local_state_dir }}/run"
    command: [node, "{{ entry_point }}"]
    env: "{{ server | mcp_platform.azure.mcp_server_env(tier='readonly') }}"
    secret_env:
      MDB_MCP_CONNECTION_STRING: "{{ connection_string }}"
    wait_for_port: 3001

- name: Stop it
  mcp_platform.azure.local_service:
    name: mcp-mongodb-readonly
    state_dir: "{{ local_state_dir }}/run"
    state: stopped
"""

RETURN = r"""
pid:
  description: Process id of the running service; absent when stopped.
  returned: when the service runs
  type: int
  sample: 41234
log_file:
  description: Path of the service's log file.
  returned: always
  type: str
  sample: /work/main/.local-state/run/gateway.log
pid_file:
  description: Path of the service's pid file.
  returned: always
  type: str
  sample: /work/main/.local-state/run/gateway.pid
fingerprint:
  description: Hash of the command, environment, working directory and watched files.
  returned: when O(state) is not V(stopped)
  type: str
  sample: 3b1f0c...
action:
  description: What the module did, V(none), V(started), V(restarted) or V(stopped).
  returned: always
  type: str
  sample: started
"""

import contextlib
import hashlib
import json
import os
import signal
import socket
import time

from ansible.module_utils.basic import AnsibleModule

LOG_TAIL_LINES = 30


class ServiceFiles(object):
    def __init__(self, state_dir, name):
        self.pid = os.path.join(state_dir, name + ".pid")
        self.record = os.path.join(state_dir, name + ".json")
        self.log = os.path.join(state_dir, name + ".log")


def process_start_time(pid):
    """Start time of a process in clock ticks since boot, or None when /proc is unavailable."""
    try:
        with open("/proc/%d/stat" % pid) as stat:
            # The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
            return int(stat.read().rsplit(")", 1)[1].split()[19])
    except (IOError, OSError, IndexError, ValueError):
        return None


def is_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open("/proc/%d/stat" % pid) as stat:
            # A zombie has exited; it only waits to be reaped by its parent.
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (IOError, OSError, IndexError):
        return True


def load_record(files):
    """The recorded state of the service if its process still runs, else None."""
    try:
        with open(files.record) as handle:
            record = json.load(handle)
        with open(files.pid) as handle:
            pid = int(handle.read().strip())
    except (IOError, OSError, ValueError):
        return None
    if record.get("pid") != pid or not is_alive(pid):
        return None
    recorded_start = record.get("start_time")
    if recorded_start is not None and process_start_time(pid) not in (None, recorded_start):
        # The pid was recycled by an unrelated process: ours is gone.
        return None
    return record


def file_digest(path):
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(65536), b""):
                digest.update(block)
    except (IOError, OSError):
        return "missing"
    return digest.hexdigest()


def compute_fingerprint(params, salt):
    secret_digest = hashlib.sha256(salt.encode())
    for key in sorted(params["secret_env"]):
        secret_digest.update(("%s=%s\0" % (key, params["secret_env"][key])).encode())
    material = {
        "command": params["command"],
        "env": dict((key, str(value)) for key, value in params["env"].items()),
        "secret_env": secret_digest.hexdigest(),
        "chdir": params["chdir"] or params["state_dir"],
        "watch_files": dict((path, file_digest(path)) for path in params["watch_files"]),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def public_view(running, command=None, env=None, secret_names=None):
    """What the diff shows: never a secret value."""
    if not running:
        return {"state": "stopped"}
    return {
        "state": "started",
        "command": command,
        "env": env,
        "secret_env": sorted(secret_names or []),
    }


def wait_for_exit(pid, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_alive(pid):
            return True
        time.sleep(0.05)
    return not is_alive(pid)


def signal_group(pid, signum):
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        pass
    except PermissionError:
        os.kill(pid, signum)


def stop_process(pid, timeout):
    signal_group(pid, signal.SIGTERM)
    if not wait_for_exit(pid, timeout):
        signal_group(pid, signal.SIGKILL)
        wait_for_exit(pid, 5)


def remove_quietly(path):
    with contextlib.suppress(IOError, OSError):
        os.remove(path)


def masked_log_tail(path, secrets):
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 16384))
            lines = handle.read().decode("utf-8", "replace").splitlines()[-LOG_TAIL_LINES:]
    except (IOError, OSError):
        return ""
    text = "\n".join(lines)
    for value in secrets:
        if value:
            text = text.replace(value, "********")
    return text


def port_is_open(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except (IOError, OSError):
        return False


def start_process(module, files, fingerprint):
    params = module.params
    port = params["wait_for_port"]
    if port is not None and port_is_open(params["wait_for_host"], port):
        module.fail_json(
            msg="cannot start service %s: %s:%s is already in use by another process"
            % (params["name"], params["wait_for_host"], port)
        )
    environment = dict((key, os.environ[key]) for key in params["inherit_env"] if key in os.environ)
    environment.update(dict((key, str(value)) for key, value in params["env"].items()))
    environment.update(dict((key, str(value)) for key, value in params["secret_env"].items()))
    with open(files.log, "ab") as log:
        log.write(("--- %s starting %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%S%z"), params["name"])).encode())
        log.flush()
        pid = spawn_detached(module, params["command"], params["chdir"] or params["state_dir"], environment, log)
    record = {
        "pid": pid,
        "start_time": process_start_time(pid),
        "fingerprint": fingerprint,
        "command": params["command"],
        "env": params["env"],
        "secret_env": sorted(params["secret_env"]),
    }
    with open(files.pid, "w") as handle:
        handle.write("%d\n" % pid)
    with open(files.record, "w") as handle:
        json.dump(record, handle, indent=2, sort_keys=True)
    os.chmod(files.record, 0o600)
    wait_until_ready(module, files, pid)
    return pid


def spawn_detached(module, command, directory, environment, log):
    """Start `command` in a new session with its output in `log`; returns its pid.

    posix_spawn with setsid: Ansible ending does not end the service, and stopping can reach every
    child through the process group. It has no working-directory action before Python 3.13, so the
    module (single-threaded) changes directory around the call.
    """
    previous = os.getcwd()
    try:
        os.chdir(directory)
        return os.posix_spawnp(
            command[0],
            command,
            environment,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, log.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, log.fileno(), 2),
            ],
            setsid=True,
        )
    except (IOError, OSError) as error:
        module.fail_json(msg="cannot start %s in %s: %s" % (command[0], directory, error))
    finally:
        os.chdir(previous)


def exit_status(pid):
    """The exit code of our child once it has ended (reaping it), else None."""
    try:
        waited, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return -1
    if waited == 0:
        return None
    return os.waitstatus_to_exitcode(status)


def wait_until_ready(module, files, pid):
    params = module.params
    port = params["wait_for_port"]
    deadline = time.monotonic() + params["start_timeout"]
    while True:
        exit_code = exit_status(pid)
        if exit_code is not None:
            remove_quietly(files.pid)
            module.fail_json(
                msg="service %s exited with code %s while starting; end of %s:\n%s"
                % (params["name"], exit_code, files.log, masked_log_tail(files.log, params["secret_env"].values())),
                log_file=files.log,
            )
        if port is None or port_is_open(params["wait_for_host"], port):
            return
        if time.monotonic() > deadline:
            stop_process(pid, params["stop_timeout"])
            exit_status(pid)
            remove_quietly(files.pid)
            module.fail_json(
                msg="service %s did not listen on %s:%s within %s s; end of %s:\n%s"
                % (
                    params["name"],
                    params["wait_for_host"],
                    port,
                    params["start_timeout"],
                    files.log,
                    masked_log_tail(files.log, params["secret_env"].values()),
                ),
                log_file=files.log,
            )
        time.sleep(0.1)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state_dir=dict(type="path", required=True),
            state=dict(type="str", default="started", choices=["started", "stopped", "restarted"]),
            command=dict(type="list", elements="str"),
            env=dict(type="dict", default={}),
            secret_env=dict(type="dict", default={}, no_log=True),
            inherit_env=dict(type="list", elements="str", default=["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"]),
            chdir=dict(type="path"),
            watch_files=dict(type="list", elements="path", default=[]),
            wait_for_port=dict(type="int"),
            wait_for_host=dict(type="str", default="127.0.0.1"),
            start_timeout=dict(type="float", default=60),
            stop_timeout=dict(type="float", default=10),
        ),
        required_if=[("state", "started", ["command"]), ("state", "restarted", ["command"])],
        supports_check_mode=True,
    )
    params = module.params
    if params["state"] != "stopped" and not params["command"]:
        module.fail_json(msg="command must name the program to run when state is %s" % params["state"])

    files = ServiceFiles(params["state_dir"], params["name"])
    if not module.check_mode and not os.path.isdir(params["state_dir"]):
        os.makedirs(params["state_dir"], 0o700)
    current = load_record(files)
    if current is None:
        before = public_view(False)
    else:
        before = public_view(True, current["command"], current["env"], current["secret_env"])
    result = dict(changed=False, action="none", log_file=files.log, pid_file=files.pid)

    if params["state"] == "stopped":
        if current is not None:
            result.update(changed=True, action="stopped")
            if not module.check_mode:
                stop_process(current["pid"], params["stop_timeout"])
        if not module.check_mode:
            remove_quietly(files.pid)
        if module._diff:
            result["diff"] = dict(before=before, after=public_view(False))
        module.exit_json(**result)

    # The salt is the service name: the fingerprint must be stable across runs to be compared, and it
    # is kept in a 0600 file, so it only has to avoid being a plain, guessable hash of the secrets.
    fingerprint = compute_fingerprint(params, "local_service:" + params["name"])
    result["fingerprint"] = fingerprint
    after = public_view(True, params["command"], params["env"], list(params["secret_env"]))
    if module._diff:
        result["diff"] = dict(before=before, after=after)

    if current is not None and current.get("fingerprint") == fingerprint and params["state"] == "started":
        result["pid"] = current["pid"]
        module.exit_json(**result)

    result.update(changed=True, action="restarted" if current is not None else "started")
    if module.check_mode:
        module.exit_json(**result)
    if current is not None:
        stop_process(current["pid"], params["stop_timeout"])
    result["pid"] = start_process(module, files, fingerprint)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
