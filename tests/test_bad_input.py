"""Bad input as a user meets it: the CLI on every broken corpus, reference cycles, and the
site swap that keeps the last good ``site/`` when a build fails."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import pytest
import yaml
from conftest import MINI, ROOT, copy_project
from kb import corpus as corpus_module
from kb.cli import main
from kb.corpus import load_corpus
from kb.diagnostics import CorpusError
from kb.models import Challenge, RefTo, Slug
from kb.render import render_site, write_pages
from pydantic import Field
from test_corpus import CASES, apply_overlay

CASE_DIR = ROOT / "tests" / "cases" / "load"
BUILD = [sys.executable, str(ROOT / "scripts" / "build.py")]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove nothing was touched."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def good_pages() -> dict[str, str]:
    """The pages of the intact mini corpus: what a previous good build left behind."""
    return render_site(load_corpus(MINI))


def expected_stderr(case: dict[str, Any]) -> list[str]:
    count = len(case["diagnostics"])
    return [
        *case["diagnostics"],
        f"{count} problem{'s' if count != 1 else ''} found in the corpus.",
    ]


@pytest.mark.parametrize("case_file", CASES, ids=lambda p: p.stem)
def test_cli_fails_cleanly_and_keeps_earlier_pages(
    case_file: Path, tmp_path: Path, good_pages: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    pages = tmp_path / "pages"
    write_pages(good_pages, pages)
    before = snapshot(pages)
    apply_overlay(tmp_path, case["files"])
    status = main(["--data", str(tmp_path / "data"), "build", "--out", str(pages)])
    out, err = capsys.readouterr()
    assert status == 1
    assert err.splitlines() == expected_stderr(case)
    assert out == ""
    assert snapshot(pages) == before


# One of each kind of failure, through a real process: exit status and no traceback.
SUBPROCESS_CASES = [
    "invalid-yaml",
    "non-utf8",
    "python-tag",
    "html-in-title",
    "too-long-values",
    "duplicate-id",
    "missing-data-folder",
    "all-at-once",
]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_cli_process_exits_1_without_traceback(name: str, tmp_path: Path) -> None:
    case = yaml.safe_load((CASE_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    apply_overlay(tmp_path, case["files"])
    result = subprocess.run(
        [*BUILD, "--data", str(tmp_path / "data"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == expected_stderr(case)


class ChallengeWithLifecycle(Challenge):
    """A challenge with same-collection references: one chain that must end, one free list.

    (The real ``replaced_by`` cannot loop, since successors must be active; this proves the
    generic rule that any field marked ``acyclic`` gets.)
    """

    successor: Annotated[Slug | None, RefTo("challenges", acyclic=True)] = None
    related: Annotated[list[Slug], RefTo("challenges")] = Field(default=[])


def test_replaced_by_cycles_and_self_references_are_located(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(corpus_module.FOLDERS, "challenges", ChallengeWithLifecycle)
    folder = mini_data / "challenges"
    discovery = folder / "data-discovery.yaml"
    discovery.write_text(
        discovery.read_text() + "successor: country-level-regulations\nrelated: [data-discovery]\n"
    )
    regulations = folder / "country-level-regulations.yaml"
    regulations.write_text(regulations.read_text() + "successor: data-discovery\n")
    with pytest.raises(CorpusError) as info:
        load_corpus(mini_data)
    assert [str(d) for d in info.value.diagnostics] == [
        "data/challenges/country-level-regulations.yaml:13:12: successor: cycle "
        "country-level-regulations -> data-discovery -> country-level-regulations "
        "(a chain of successor references must end)",
        "data/challenges/data-discovery.yaml:11:12: successor: cycle "
        "data-discovery -> country-level-regulations -> data-discovery "
        "(a chain of successor references must end)",
        "data/challenges/data-discovery.yaml:12:11: related[0]: 'data-discovery' refers to "
        "the entry itself",
    ]


def test_chains_that_end_and_mutual_related_links_are_fine(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(corpus_module.FOLDERS, "challenges", ChallengeWithLifecycle)
    folder = mini_data / "challenges"
    discovery = folder / "data-discovery.yaml"
    discovery.write_text(
        discovery.read_text()
        + "successor: country-level-regulations\nrelated: [country-level-regulations]\n"
    )
    regulations = folder / "country-level-regulations.yaml"
    regulations.write_text(regulations.read_text() + "related: [data-discovery]\n")
    corpus = load_corpus(mini_data)
    assert [c.id for c in corpus.referrers(corpus.get(Challenge, "data-discovery"), Challenge)] == [
        "country-level-regulations"
    ]


@pytest.mark.slow
def test_failed_site_build_keeps_the_previous_site_byte_for_byte(
    tmp_path: Path, built_site: Path
) -> None:
    project = copy_project(tmp_path / "project")
    build = [sys.executable, str(project / "scripts" / "build.py")]
    out = tmp_path / "out" / "site"

    # The previous good site: the session's build of the same sources (a build is costly).
    shutil.copytree(built_site, out)
    assert (out / "challenges" / "concept-drift" / "index.html").is_file()
    before = snapshot(out)

    broken = project / "data" / "challenges" / "concept-drift.yaml"
    broken.write_text(broken.read_text().replace("title: Concept drift", "title: <b>Drift</b>"))
    second = subprocess.run([*build, "site", "--out", str(out)], capture_output=True, text=True)
    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    assert "data/challenges/concept-drift.yaml:4:8: title: plain text may not contain" in (
        second.stderr
    )
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]  # no staging folder left


def test_catalogue_holds_at_least_25_broken_corpora() -> None:
    assert len(CASES) >= 25
