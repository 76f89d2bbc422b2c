"""The way in for contributors: the pre-commit hook, and the contributing page's three paths."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
CONFIG = ROOT / ".pre-commit-config.yaml"


def pre_commit(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    return subprocess.run(
        [str(PRE_COMMIT), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_pre_commit_config_is_valid_and_runs_the_corpus_check_on_data_changes() -> None:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    (hook,) = [h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]]
    assert hook["entry"] == "make check"
    assert re.search(r"^check: ", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert re.match(hook["files"], "data/case-studies/new-case.yaml")
    assert not re.match(hook["files"], "docs/contributing.md")
    assert hook["pass_filenames"] is False  # the check needs the whole corpus, not one file


def test_pre_commit_validates_its_own_config(tmp_path: Path) -> None:
    result = pre_commit(tmp_path, "validate-config", str(CONFIG))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="pre-commit runs in a git checkout")
def test_pre_commit_hook_checks_the_corpus_for_data_files_only(tmp_path: Path) -> None:
    data = pre_commit(tmp_path, "run", "kb-check", "--files", "data/challenges/concept-drift.yaml")
    assert data.returncode == 0, data.stdout + data.stderr
    assert re.search(r"kb check \(validate the corpus\)\.+Passed", data.stdout)
    docs = pre_commit(tmp_path, "run", "kb-check", "--files", "docs/contributing.md")
    assert docs.returncode == 0, docs.stdout + docs.stderr
    assert "(no files to check)Skipped" in docs.stdout


PAGE = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")


def section(anchor: str) -> str:
    """The text of the H2 section ``{ #anchor }`` of the contributing page."""
    match = re.search(rf"^## .+\{{ #{anchor} \}}\n(.*?)(?=^## |\Z)", PAGE, re.MULTILINE | re.DOTALL)
    assert match, anchor
    return match.group(1)


@pytest.mark.parametrize(
    ("anchor", "steps"),
    [
        ("fix", ["Edit this entry", "provenance", "make check", "pull request"]),
        ("add", ["kb new", "FILL IN", "source", "make check", "make ledger", "pull request"]),
        ("report", ["Report an error", "report-error.yml", "propose-case-study.yml"]),
    ],
)
def test_contributing_page_walks_each_path_end_to_end(anchor: str, steps: list[str]) -> None:
    text = section(anchor)
    positions = [text.find(step) for step in steps]
    assert -1 not in positions, [s for s, p in zip(steps, positions, strict=True) if p == -1]
    assert positions == sorted(positions), "the steps are out of order"


def test_contributing_page_keeps_its_permalink_rules() -> None:
    for anchor in ("rename", "retire", "rules", "wiki"):
        assert section(anchor).strip()
