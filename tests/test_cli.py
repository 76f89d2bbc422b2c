"""The command line as a user meets it: exit status, messages, and no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

BUILD = [sys.executable, str(ROOT / "scripts" / "build.py")]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BUILD, *args], capture_output=True, text=True, check=False)


def test_check_passes_on_the_real_corpus() -> None:
    result = run("check")
    assert result.returncode == 0, result.stderr
    counts = {f: len(list((ROOT / "data" / f).glob("*.yaml"))) for f in ("stages", "steps")}
    assert result.stdout.startswith(
        f"corpus OK: {counts['stages']} stages, {counts['steps']} steps, "
    )


def test_broken_corpus_exits_1_with_located_messages_and_no_traceback(mini_data: Path) -> None:
    path = mini_data / "challenges" / "data-discovery.yaml"
    path.write_text(path.read_text().replace("data-collection\n", "data-colection\n", 1))
    result = run("--data", str(mini_data), "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "data/challenges/data-discovery.yaml:5:15: placements.arxiv_2020: unknown steps id "
        "'data-colection' (did you mean 'data-collection'?)",
        "1 problem found in the corpus.",
    ]


def test_build_writes_pages_and_rewrites_only_changes(mini_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    first = run("--data", str(mini_data), "build", "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert (out / "en" / "docs" / "challenges" / "data-discovery.md").is_file()
    assert (out / "ja" / "docs" / "challenges" / "data-discovery.md").is_file()
    assert (out / "en" / "mkdocs.yml").is_file()
    second = run("--data", str(mini_data), "build", "--out", str(out))
    assert "(0 changed)" in second.stdout


def test_schema_check_passes_when_committed_files_are_current() -> None:
    result = run("schema", "--check")
    assert result.returncode == 0, result.stderr
