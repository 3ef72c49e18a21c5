# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  tags:
    description:
      - Tags of the resource. Not set means the current tags are left alone.
      - The tag C(mcp-platform-fingerprint) is managed by the collection (a salted hash of write-only values)
        and kept whatever this option says.
    type: dict
  append_tags:
    description:
      - V(true) adds O(tags) to the tags already there; V(false) makes the tags exactly O(tags).
    type: bool
    default: true
"""
