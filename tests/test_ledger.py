"""The URL ledger: golden diagnostics for broken promises, and how the ledger grows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, real_corpus, retire_and_rename
from kb.corpus import load_corpus
from kb.ledger import (
    Published,
    Record,
    dump_ledger,
    ledger_problems,
    merge_ledger,
    published,
    read_ledger,
)
from kb.models import MODELS
from kb.render import page_path, render_site, sections_of
from test_corpus import apply_overlay

CASES = sorted((Path(__file__).parent / "cases" / "ledger").glob("*.yaml"))
UPDATE = os.environ.get("KB_UPDATE_GOLDENS") == "1"


@pytest.mark.parametrize("case_file", CASES, ids=lambda p: p.stem)
def test_broken_ledger_promise_reports_exact_diagnostics(case_file: Path, tmp_path: Path) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    apply_overlay(tmp_path, case["files"])
    corpus = load_corpus(tmp_path / "data", root=tmp_path)
    got = [
        str(d) for d in ledger_problems(corpus, render_site(corpus), tmp_path / "data", tmp_path)
    ]
    if UPDATE:
        case["diagnostics"] = got
        case_file.write_text(
            yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8"
        )
    assert got == case["diagnostics"]
    assert got, "a ledger case must break a promise"


def test_published_lists_entries_tombstones_redirects_and_indexes(mini_data: Path) -> None:
    retire_and_rename(mini_data)
    corpus = load_corpus(mini_data)
    urls = published(corpus, render_site(corpus))
    entry = urls["/challenges/data-discovery/"]
    assert entry.record.kind == "entry"
    assert entry.source == "data/challenges/data-discovery.yaml"
    assert {"case-studies", "solutions", "references", "permalink"} <= set(entry.record.anchors)
    tombstone = urls["/challenges/country-level-regulations/"].record
    # The tombstone keeps every section anchor of the page it replaces.
    assert tombstone.kind == "tombstone"
    assert set(entry.record.anchors) <= set(tombstone.anchors)
    redirect = urls["/challenges/finding-data/"]
    assert redirect.record == Record(kind="redirect", anchors=entry.record.anchors)
    assert redirect.target == "/challenges/data-discovery/"
    for index in ("/", "/challenges/", "/retired/"):
        assert urls[index].record.kind == "index"


def test_merge_adds_and_records_moves_forward_but_never_removes() -> None:
    ledger = {
        "/a/old/": Record(kind="entry", anchors=["solutions"]),
        "/a/gone/": Record(kind="entry"),
        "/a/retired/": Record(kind="tombstone"),
    }
    current = {
        "/a/old/": Published(Record(kind="redirect", anchors=["references"])),
        "/a/retired/": Published(Record(kind="entry")),  # a revival: not recorded
        "/a/new/": Published(Record(kind="entry", anchors=["solutions"])),
    }
    assert merge_ledger(ledger, current) == {
        "/a/gone/": Record(kind="entry"),
        "/a/new/": Record(kind="entry", anchors=["solutions"]),
        "/a/old/": Record(kind="redirect", anchors=["references", "solutions"]),
        "/a/retired/": Record(kind="tombstone"),
    }


def test_dumped_ledger_reads_back_identically(tmp_path: Path) -> None:
    ledger = {
        "/": Record(kind="index"),
        "/challenges/x/": Record(kind="entry", anchors=["case-studies", "solutions"]),
        "/challenges/y/": Record(kind="redirect", anchors=["solutions"]),
    }
    path = tmp_path / "ledger.yaml"
    path.write_text(dump_ledger(ledger))
    assert read_ledger(path, "ledger.yaml")[0] == ledger
    assert path.read_text().count("\n/") == 3  # one line per URL, after the header comment


def test_committed_ledger_records_everything_the_site_publishes() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build.py"), "ledger", "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_entry_section_anchors_come_from_templates_not_from_data() -> None:
    """Every entry of a collection has the same sections, so no data edit can drop an anchor."""
    corpus = real_corpus()
    pages = render_site(corpus)
    for model in MODELS:
        anchor_sets = {
            tuple(a for _, a in sections_of(pages[page_path(e)])) for e in corpus.live(model)
        }
        assert len(anchor_sets) == 1, (model.folder, anchor_sets)
        assert "permalink" in next(iter(anchor_sets))
