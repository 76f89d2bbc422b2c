"""Reading YAML files: positions of keys and values, and the problems that stop a file early."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT
from kb.diagnostics import Diagnostic
from kb.sources import Source, read_source


def test_marks_point_at_keys_and_values() -> None:
    source = read_source("f.yaml", b"id: x\nlist:\n  - a\n  - b\nmap:\n  k: v\n")
    assert isinstance(source, Source)
    assert source.key_marks[("list",)] == (2, 1)
    assert source.value_marks[("list", 1)] == (4, 5)
    assert source.value_marks[("map", "k")] == (6, 6)
    assert source.key_marks[("map", "k")] == (6, 3)


def test_missing_location_falls_back_to_nearest_parent() -> None:
    source = read_source("f.yaml", b"id: x\nmap:\n  k: v\n")
    assert isinstance(source, Source)
    assert source.at(("map", "nope"), "m") == Diagnostic("f.yaml", 3, 3, "m")
    assert source.at(("nothing",), "m") == Diagnostic("f.yaml", 1, 1, "m")


def test_duplicate_keys_are_errors_not_last_wins() -> None:
    problems = read_source("f.yaml", b"id: a\ntitle: T\nid: b\n")
    assert problems == [
        Diagnostic("f.yaml", 3, 1, "duplicate key 'id' (first defined on line 1; keep one of them)")
    ]


def test_non_utf8_bytes_are_located() -> None:
    problems = read_source("f.yaml", b"id: a\ntitle: caf\xe9\n")
    assert problems == [
        Diagnostic("f.yaml", 2, 11, "not UTF-8: byte 0xe9 (save the file as UTF-8)")
    ]


def test_tab_indentation_is_a_located_yaml_error() -> None:
    problems = read_source("f.yaml", b"id: a\nmap:\n\tk: v\n")
    assert isinstance(problems, list)
    assert len(problems) == 1
    assert (problems[0].line, problems[0].column) == (3, 1)
    assert "invalid YAML" in problems[0].message
    assert "tab" in problems[0].message


def test_empty_file_reads_as_no_data() -> None:
    source = read_source("f.yaml", b"")
    assert isinstance(source, Source)
    assert source.data is None


def _quote_left_open(path: Path) -> tuple[bytes, int, int] | None:
    """The file with the closing quote of its first one-line quoted value removed, and where the
    quote opens; None if the file has no such value followed by another quote."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        match = re.match(r'^([a-z_]+: )"[^"\n]*"\n$', line)
        if match and '"' in "".join(lines[number:]):
            lines[number - 1] = line.rstrip("\n")[:-1] + "\n"
            return "".join(lines).encode("utf-8"), number, len(match.group(1)) + 1
    return None


REAL_FILES = sorted((ROOT / "data").glob("*/*.yaml"))
OPEN_QUOTES = [p for p in REAL_FILES if _quote_left_open(p)]


@pytest.mark.parametrize("path", OPEN_QUOTES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_unclosed_quote_in_a_real_file_is_reported_where_it_opens(path: Path) -> None:
    """Left open, a quote runs on to the next quote lines later, where the parser stops."""
    broken = _quote_left_open(path)
    assert broken
    text, line, column = broken
    problems = read_source("f.yaml", text)
    assert isinstance(problems, list)
    assert [(d.line, d.column) for d in problems] == [(line, column)]
    assert "is not closed on its line" in problems[0].message


def test_real_files_exercise_the_unclosed_quote_check() -> None:
    assert len(OPEN_QUOTES) >= 20
