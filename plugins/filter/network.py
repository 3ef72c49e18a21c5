# Copyright (c) mcp_platform.azure contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Network filters: the same CIDR rules the virtual_network module applies, for roles to check first."""

from ansible.errors import AnsibleFilterError

from ansible_collections.mcp_platform.azure.plugins.module_utils._network import (
    NetworkInputError,
    check_subnet_layout,
)


def subnet_layout_problems(
    subnet_prefixes, address_space, prefixes_variable="subnet_prefixes", space_variable="address_space"
):
    if not isinstance(subnet_prefixes, dict) or not isinstance(address_space, list):
        raise AnsibleFilterError(
            "subnet_layout_problems takes a dict of subnet prefixes and a list of address prefixes"
        )
    try:
        check_subnet_layout(
            address_space,
            [(name, [prefix]) for name, prefix in subnet_prefixes.items()],
            option=prefixes_variable,
            space_option=space_variable,
            subnet_label="{option}.{name}",
            prefix_suffix="",
        )
    except NetworkInputError as error:
        return [str(error)]
    return []


class FilterModule:
    def filters(self):
        return {"subnet_layout_problems": subnet_layout_problems}
