"""The changelog fragments and changelogs/changelog.yaml are valid for antsibull-changelog."""

from __future__ import annotations

import shutil
import subprocess

import yaml

from tests.release.conftest import BIN, REPO, run


def test_fragments_lint_clean():
    result = run([BIN / "antsibull-changelog", "lint"], cwd=REPO)
    assert result.stdout.strip() == "", result.stdout


def test_changelog_yaml_is_valid():
    result = run([BIN / "antsibull-changelog", "lint-changelog-yaml", "changelogs/changelog.yaml"], cwd=REPO)
    assert result.stdout.strip() == "", result.stdout


def test_lint_catches_a_broken_fragment(tmp_path):
    """The lint step can fail: a fragment in an unknown section is reported."""
    copy = tmp_path / "collection"
    copy.mkdir()
    shutil.copy(REPO / "galaxy.yml", copy)
    shutil.copytree(REPO / "changelogs", copy / "changelogs")
    (copy / "changelogs" / "fragments" / "broken.yml").write_text("no_such_section:\n  - text\n", encoding="utf-8")
    result = subprocess.run(
        [str(BIN / "antsibull-changelog"), "lint"], cwd=copy, capture_output=True, text=True, check=False
    )
    assert "broken.yml" in result.stdout + result.stderr


def test_galaxy_version_is_released_or_has_a_summary():
    """The version galaxy.yml builds has a release summary, in changelog.yaml or in a fragment."""
    version = str(yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))["version"])
    release = (
        yaml.safe_load((REPO / "changelogs" / "changelog.yaml").read_text(encoding="utf-8"))["releases"] or {}
    ).get(version)
    if release:
        assert (release.get("changes") or {}).get("release_summary"), f"release {version} has no release_summary"
    else:
        fragments = [
            yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for path in (REPO / "changelogs" / "fragments").glob("*.y*ml")
        ]
        assert any("release_summary" in fragment for fragment in fragments), (
            f"no release_summary fragment for {version}"
        )
