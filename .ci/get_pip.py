# -*- coding: utf-8 -*-
# Copyright: mcp_platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the pip bootstrap script ansible-test downloads from ci-files.testing.ansible.com.

ansible-test creates each sanity test's virtual environment without pip and fetches a get-pip
script to seed it. Where that host is unreachable (only the package index is), `make sanity`
puts this file in ansible-test's cache instead: it seeds pip from the interpreter's own ensurepip,
then installs the exact pip version ansible-test asked for from the configured package index.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ensurepip
import os
import subprocess
import sys

GET_PIP_ONLY_OPTIONS = ("--no-setuptools", "--no-wheel")


def main():
    requested = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    environment = dict(os.environ)
    ensurepip.bootstrap(upgrade=True)
    # ensurepip points PIP_CONFIG_FILE at /dev/null in this process; the real install must see the
    # machine's pip configuration (index, CA bundle).
    command = [sys.executable, "-m", "pip", "install", "--quiet", *requested]
    subprocess.check_call(command, env=environment)  # noqa: S603 - this interpreter's pip, arguments from ansible-test


if __name__ == "__main__":
    main()
