"""Each role's README.md carries the variables table its meta/argument_specs.yml renders to."""

from __future__ import annotations

import shutil

import yaml

from tests.release.conftest import REPO
from tests.support import role_readme


def test_every_role_has_an_argument_spec_and_readme():
    roles = sorted(path.name for path in (REPO / "roles").iterdir() if path.is_dir())
    assert roles
    without_spec = [role for role in roles if not (REPO / "roles" / role / "meta" / "argument_specs.yml").is_file()]
    assert not without_spec, f"roles without meta/argument_specs.yml: {without_spec}"
    without_readme = [role for role in roles if not (REPO / "roles" / role / "README.md").is_file()]
    assert not without_readme, f"roles without README.md (run tests/support/role_readme.py): {without_readme}"


def test_readmes_are_up_to_date():
    stale = role_readme.stale_roles(REPO)
    assert not stale, f"out of date with meta/argument_specs.yml (run tests/support/role_readme.py): {stale}"


def test_every_option_appears_in_the_readme():
    for spec_path in (REPO / "roles").glob("*/meta/argument_specs.yml"):
        readme = (spec_path.parent.parent / "README.md").read_text(encoding="utf-8")
        for entry in (yaml.safe_load(spec_path.read_text(encoding="utf-8"))["argument_specs"] or {}).values():
            for option in (entry or {}).get("options") or {}:
                assert f"| `{option}` |" in readme, f"{spec_path.parent.parent.name}: {option} missing"


def test_a_changed_spec_makes_the_readme_stale(tmp_path):
    role = sorted((REPO / "roles").glob("*/meta/argument_specs.yml"))[0].parent.parent
    copy = tmp_path / "roles" / role.name
    shutil.copytree(role, copy)
    assert role_readme.stale_roles(tmp_path) == []
    spec_path = copy / "meta" / "argument_specs.yml"
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    spec["argument_specs"]["main"].setdefault("options", {})["brand_new_option"] = {
        "description": "Added without regenerating the README.",
        "type": "str",
    }
    spec_path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    assert role_readme.stale_roles(tmp_path) == [role.name]
    assert role_readme.main(["--root", str(tmp_path)]) == 0
    assert role_readme.stale_roles(tmp_path) == []
    assert "| `brand_new_option` | str |" in (copy / "README.md").read_text(encoding="utf-8")


def test_rendering_of_markup_defaults_and_suboptions():
    section = role_readme.render_section(
        {
            "argument_specs": {
                "main": {
                    "short_description": "Demo",
                    "description": ["Uses C(code) and I(italic)."],
                    "options": {
                        "items": {
                            "type": "list",
                            "elements": "dict",
                            "default": [],
                            "description": "A | pipe",
                            "options": {"name": {"type": "str", "required": True, "description": "Name."}},
                        },
                        "enabled": {"type": "bool", "default": False, "description": "Flag."},
                    },
                }
            }
        }
    )
    assert "- Uses `code` and *italic*." in section
    assert "| `items` | list of dict |  | `[]` | A \\| pipe |" in section
    assert "| `items[].name` | str | yes |  | Name. |" in section
    assert "| `enabled` | bool |  | `false` | Flag. |" in section
