# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: module_result
type: stdout
short_description: Print each task's complete result as one JSON line (for the integration harness)
description:
  - Unlike the built-in callbacks, keeps the C(diff) key, which the harness asserts on.
author:
  - mcp_platform maintainers (@mcp-platform)
"""

PREFIX = "MODULE_RESULT "


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "module_result"

    def _emit(self, result, **status):
        raw = getattr(result, "result", None)
        if raw is None:
            raw = getattr(result, "_result", {})
        document = dict(raw)
        document.update(status)
        sys.stdout.write(PREFIX + json.dumps(document, default=str) + "\n")
        sys.stdout.flush()

    def v2_runner_on_ok(self, result):
        self._emit(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._emit(result, failed=True)

    def v2_runner_on_unreachable(self, result):
        self._emit(result, failed=True, unreachable=True)

    def v2_runner_on_skipped(self, result):
        self._emit(result, skipped=True)
