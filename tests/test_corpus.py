"""Loading a corpus: golden diagnostics for broken corpora, and the relations of a good one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINI
from kb.corpus import load_corpus
from kb.diagnostics import CorpusError
from kb.models import CaseStudy, Challenge, Solution, Step

CASES = sorted((Path(__file__).parent / "cases" / "load").glob("*.yaml"))
UPDATE = os.environ.get("KB_UPDATE_GOLDENS") == "1"


def apply_overlay(root: Path, files: dict[str, Any]) -> None:
    """Lay a case's files over a copy of the mini corpus (null deletes a file or folder)."""
    shutil.copytree(MINI, root / "data")
    for rel, text in files.items():
        path = root / rel
        if text is None:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)


@pytest.mark.parametrize("case_file", CASES, ids=lambda p: p.stem)
def test_broken_corpus_reports_exact_diagnostics(case_file: Path, tmp_path: Path) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    apply_overlay(tmp_path, case["files"])
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path / "data", root=tmp_path)
    got = [str(d) for d in info.value.diagnostics]
    if UPDATE:
        case["diagnostics"] = got
        case_file.write_text(
            yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8"
        )
    assert got == case["diagnostics"]


def test_mini_corpus_loads_with_relations_resolved(mini_data: Path) -> None:
    corpus = load_corpus(mini_data)
    moved = corpus.get(Challenge, "country-level-regulations")
    assert corpus.step_of(moved).id == "law"
    assert corpus.stage_of(moved).id == "cross-cutting-aspects"
    ethics = corpus.get(Step, "ethics")
    assert corpus.challenges_of(ethics) == []
    assert corpus.challenges_of(ethics, "arxiv_2020") == [moved]
    assert corpus.challenges_ever_under(ethics) == [moved]


def test_backlinks_are_computed_from_reference_fields(mini_data: Path) -> None:
    corpus = load_corpus(mini_data)
    discovery = corpus.get(Challenge, "data-discovery")
    assert [c.id for c in corpus.referrers(discovery, CaseStudy)] == ["twitter-data-dispersion"]
    assert [s.id for s in corpus.referrers(discovery, Solution)] == ["data-oriented-architectures"]
    related = corpus.related_challenges(discovery)
    assert [c.id for c in related] == ["country-level-regulations"]


def test_missing_data_folder_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path / "data", root=tmp_path)
    assert [str(d) for d in info.value.diagnostics] == [
        "data:1:1: missing data folder (expected one folder per collection: stages, steps, "
        "challenges, case-studies, solutions, references, paper, industries)"
    ]
