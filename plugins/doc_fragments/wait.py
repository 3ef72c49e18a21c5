# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Info modules that can wait for the one resource they name (module_utils/_wait.py).
    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Wait until the named resource is no longer being created or updated, for example after its
        resource module started it with C(wait=false). Needs O(name).
      - A resource that does not exist is not waited for; it is then not in the result.
      - A resource that has already settled is read once.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true).
      - The task fails, naming this option, when the resource is still busy then.
    type: int
    default: 3600
  fail_on_failed:
    description: With O(wait=true), fail the task when the resource settles in the V(Failed) state.
    type: bool
    default: true
notes:
  - The interval between two reads while waiting is 30 seconds; the environment variable
    E(MCP_PLATFORM_AZURE_POLLING_INTERVAL) overrides it.
"""
