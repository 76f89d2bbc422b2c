"""The real corpus: every data file on its own, then the invariants of the whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from kb.corpus import FOLDERS, load_corpus
from kb.models import CaseStudy, Challenge, Reference, Solution, Stage, Step
from kb.sources import Source, read_source

DATA = ROOT / "data"
FILES = sorted(p for folder in FOLDERS for p in (DATA / folder).glob("*.yaml"))


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    return load_corpus(DATA)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_data_file_is_valid_on_its_own(path: Path) -> None:
    source = read_source(str(path), path.read_bytes())
    assert isinstance(source, Source), source
    model = FOLDERS[path.parent.name]
    entity = model.model_validate(source.data)
    assert entity.id == path.stem
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema=../schema/{model.folder}.schema.json"


def test_workflow_has_four_stages_plus_cross_cutting_aspects(corpus) -> None:  # type: ignore[no-untyped-def]
    stages = [s for s in corpus.all(Stage) if s.origin == "survey"]
    assert [s.id for s in stages] == [
        "data-management",
        "model-learning",
        "model-verification",
        "model-deployment",
        "cross-cutting-aspects",
    ]
    assert [s.cross_cutting for s in stages] == [False] * 4 + [True]


def test_thirteen_steps_and_four_aspects_with_law_only_in_acm(corpus) -> None:  # type: ignore[no-untyped-def]
    steps = [s for s in corpus.all(Step) if s.origin == "survey"]
    aspects = [s for s in steps if s.stage == "cross-cutting-aspects"]
    assert len(steps) - len(aspects) == 13
    assert sorted(a.id for a in aspects) == ["end-users-trust", "ethics", "law", "security"]
    law = corpus.get(Step, "law")
    assert (law.sections.arxiv_2020, law.sections.acm_2022) == (None, "7.2")
    trust = corpus.get(Step, "end-users-trust")
    assert (trust.sections.arxiv_2020, trust.sections.acm_2022) == ("7.2", "7.3")


def test_table1_has_38_challenges_in_2020_and_44_in_acm(corpus) -> None:  # type: ignore[no-untyped-def]
    challenges = [c for c in corpus.all(Challenge) if c.origin == "survey"]
    assert len(challenges) == 44
    assert sum(c.placements.arxiv_2020 is not None for c in challenges) == 38
    assert sum(c.placements.acm_2022 is not None for c in challenges) == 44


def test_two_ethics_challenges_moved_to_law(corpus) -> None:  # type: ignore[no-untyped-def]
    moved = {
        c.id
        for c in corpus.all(Challenge)
        if c.origin == "survey"
        and c.placements.arxiv_2020
        and c.placements.arxiv_2020 != c.placements.acm_2022
    }
    assert moved == {"country-level-regulations", "focus-on-technical-solution-only"}
    for challenge_id in moved:
        placements = corpus.get(Challenge, challenge_id).placements
        assert (placements.arxiv_2020, placements.acm_2022) == ("ethics", "law")


def test_challenge_ids_are_kebab_case_of_their_names(corpus) -> None:  # type: ignore[no-untyped-def]
    for c in corpus.all(Challenge):
        expected = "-".join("".join(ch if ch.isalnum() else " " for ch in c.title.lower()).split())
        assert c.id == expected, c.id


def test_every_collection_has_real_entries(corpus) -> None:  # type: ignore[no-untyped-def]
    for model in (CaseStudy, Solution, Reference):
        assert len(corpus.all(model)) >= 3, model.folder
