"""Render each role's meta/argument_specs.yml into the variables section of its README.md.

    python tests/support/role_readme.py            # rewrite the generated section of every role README
    python tests/support/role_readme.py --check    # exit 1, naming the roles, when a README is stale

Only the text between the two markers is generated; anything a maintainer writes above or below
them (examples, notes) is kept. A README that does not exist yet is created with a title, the
generated section and an example play.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
BEGIN = "<!-- BEGIN GENERATED FROM meta/argument_specs.yml: edit that file, then run tests/support/role_readme.py -->"
END = "<!-- END GENERATED -->"
COLLECTION = "mcp_platform.azure"

# Ansible documentation markup -> Markdown (the subset role specs use).
_MARKUP = [
    (re.compile(r"C\(([^)]*)\)"), r"`\1`"),
    (re.compile(r"V\(([^)]*)\)"), r"`\1`"),
    (re.compile(r"O\(([^)]*)\)"), r"`\1`"),
    (re.compile(r"I\(([^)]*)\)"), r"*\1*"),
    (re.compile(r"B\(([^)]*)\)"), r"**\1**"),
    (re.compile(r"U\(([^)]*)\)"), r"<\1>"),
    (re.compile(r"L\(([^,)]*),\s*([^)]*)\)"), r"[\1](\2)"),
    (re.compile(r"M\(([^)]*)\)"), r"`\1`"),
]


def markdown(text) -> str:
    """One description (a string or a list of paragraphs) as Markdown text."""
    paragraphs = text if isinstance(text, list) else [text or ""]
    rendered = []
    for paragraph in paragraphs:
        value = " ".join(str(paragraph).split())
        for pattern, replacement in _MARKUP:
            value = pattern.sub(replacement, value)
        rendered.append(value)
    return rendered


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _default(option: dict) -> str:
    if "default" not in option:
        return ""
    value = option["default"]
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, (list, dict)):
        shown = yaml.safe_dump(value, default_flow_style=True, width=1000).strip()
    else:
        shown = str(value)
    return f"`{shown}`" if shown != "" else '`""`'


def _type(option: dict) -> str:
    kind = option.get("type", "str")
    if kind == "list" and option.get("elements"):
        kind = f"list of {option['elements']}"
    if option.get("choices"):
        kind += " (" + ", ".join(f"`{choice}`" for choice in option["choices"]) + ")"
    return kind


def _rows(options: dict, prefix: str = "") -> list[str]:
    rows = []
    for name in sorted(options):
        option = options[name] or {}
        full_name = f"{prefix}{name}"
        description = " ".join(markdown(option.get("description", "")))
        required = "yes" if option.get("required") else ""
        cells = [f"`{full_name}`", _cell(_type(option)), required, _cell(_default(option)), _cell(description)]
        rows.append("| " + " | ".join(cells) + " |")
        if option.get("options"):
            suffix = "[]." if option.get("type") == "list" else "."
            rows.extend(_rows(option["options"], prefix=f"{full_name}{suffix}"))
    return rows


def render_section(specs: dict) -> str:
    """The generated part of a README, from the parsed argument_specs.yml."""
    lines = [BEGIN, ""]
    entry_points = specs.get("argument_specs") or {}
    for entry_point in sorted(entry_points, key=lambda name: (name != "main", name)):
        spec = entry_points[entry_point] or {}
        if len(entry_points) > 1 or entry_point != "main":
            lines += [f"### Entry point `{entry_point}`", ""]
        if spec.get("short_description"):
            lines += [f"**{' '.join(markdown(spec['short_description']))}**", ""]
        for paragraph in markdown(spec.get("description", [])):
            if paragraph:
                lines += [f"- {paragraph}"]
        lines += ["", "| Variable | Type | Required | Default | Description |", "|---|---|---|---|---|"]
        options = spec.get("options") or {}
        lines += _rows(options) if options else ["| (none) | | | | |"]
        lines += [""]
    lines += [END]
    return "\n".join(lines)


def new_readme(role: str, section: str) -> str:
    return (
        f"# Role `{COLLECTION}.{role}`\n\n"
        "## Variables\n\n"
        f"{section}\n\n"
        "## Example\n\n"
        "```yaml\n"
        f"- name: Apply {role}\n"
        "  hosts: localhost\n"
        "  roles:\n"
        f"    - role: {COLLECTION}.{role}\n"
        "```\n"
    )


def expected_readme(role_dir: Path) -> str | None:
    """The README text the role should have, or None when the role has no argument spec."""
    spec_path = role_dir / "meta" / "argument_specs.yml"
    if not spec_path.exists():
        return None
    section = render_section(yaml.safe_load(spec_path.read_text(encoding="utf-8")) or {})
    readme = role_dir / "README.md"
    if not readme.exists():
        return new_readme(role_dir.name, section)
    current = readme.read_text(encoding="utf-8")
    if BEGIN in current and END in current:
        head = current.partition(BEGIN)[0]
        tail = current.partition(BEGIN)[2].partition(END)[2]
        return head + section + tail
    # A hand-written README without markers: keep it and append the generated section.
    return current.rstrip("\n") + "\n\n## Variables\n\n" + section + "\n"


def role_dirs(root: Path = REPO) -> list[Path]:
    return sorted(path.parent.parent for path in (root / "roles").glob("*/meta/argument_specs.yml"))


def stale_roles(root: Path = REPO) -> list[str]:
    stale = []
    for role_dir in role_dirs(root):
        readme = role_dir / "README.md"
        current = readme.read_text(encoding="utf-8") if readme.exists() else None
        if current != expected_readme(role_dir):
            stale.append(role_dir.name)
    return stale


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale READMEs instead of rewriting them")
    parser.add_argument("--root", type=Path, default=REPO, help="collection root (default: this checkout)")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_roles(args.root)
        for role in stale:
            print(f"roles/{role}/README.md is out of date with meta/argument_specs.yml", file=sys.stderr)
        if stale:
            print("run: python tests/support/role_readme.py", file=sys.stderr)
        return 1 if stale else 0
    for role_dir in role_dirs(args.root):
        text = expected_readme(role_dir)
        readme = role_dir / "README.md"
        if not readme.exists() or readme.read_text(encoding="utf-8") != text:
            readme.write_text(text, encoding="utf-8")
            print(f"wrote roles/{role_dir.name}/README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
