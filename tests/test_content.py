"""Content invariants of the real corpus and the pages that present it (issue: complete content)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import real_corpus
from kb.models import CaseStudy, Challenge, Entity, PaperSection, Reference, Solution, Stage, Step
from test_site import article_links, page

CORPUS = real_corpus()
ENTRY_MODELS = (Stage, Step, Challenge, CaseStudy, Solution, Reference, PaperSection)


def has_identifier(ref: Reference) -> bool:
    return bool(ref.doi or ref.url)


def test_corpus_holds_the_whole_survey() -> None:
    assert len(CORPUS.all(CaseStudy)) >= 55
    assert len(CORPUS.all(Solution)) >= 25
    assert len(CORPUS.all(Reference)) >= 90
    sections = CORPUS.all(PaperSection)
    assert [s.sections.acm_2022 for s in sections] == [str(n) for n in range(1, 9)] + ["9", "10"]
    assert [s.sections.arxiv_2020 for s in sections] == [str(n) for n in range(1, 9)] + [None, "9"]


def test_every_solution_kind_and_industry_is_used() -> None:
    assert {s.kind for s in CORPUS.all(Solution)} == {"tool", "practice", "holistic-approach"}
    assert len({i for c in CORPUS.all(CaseStudy) for i in c.industries}) >= 9


def test_no_reference_is_orphaned() -> None:
    models = (PaperSection, Challenge, CaseStudy, Solution)
    orphans = [
        r.id for r in CORPUS.all(Reference) if not any(CORPUS.referrers(r, m) for m in models)
    ]
    assert orphans == []


def test_every_reference_page_is_titled_with_a_real_title(built_site: Path) -> None:
    """A reference shows the work's own title; what is unknown goes in provenance, not the title."""
    # The placeholder wordings once used here ("… (title not recorded)"), not words such as
    # "Unknown" that real titles contain ("Bayesian Optimization with Unknown Search Space").
    placeholders = re.compile(r"not recorded|title unknown|untitled|\(title", re.IGNORECASE)
    for ref in CORPUS.all(Reference):
        assert not placeholders.search(ref.title), ref.id
        html = page(built_site, "references", ref.id)
        head_title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
        assert head_title, ref.id
        assert not placeholders.search(head_title.group(1)), ref.id


@pytest.mark.parametrize("challenge", CORPUS.all(Challenge), ids=lambda c: c.id)
def test_challenge_page_has_case_studies_or_says_there_are_none(
    built_site: Path, challenge: Challenge
) -> None:
    html = page(built_site, "challenges", challenge.id)
    cases = CORPUS.referrers(challenge, CaseStudy, "challenges")
    links = article_links(html)
    if cases:
        assert all(f"../../case-studies/{c.id}/" in links for c in cases)
    else:
        assert "The survey gives no case study for this challenge." in html
        assert challenge.no_case_study
    for anchor in ("case-studies", "solutions", "related", "references", "provenance"):
        assert f'id="{anchor}"' in html


def test_editorial_status_lists_every_unconfirmed_entry_and_every_missing_source(
    built_site: Path,
) -> None:
    html = (built_site / "editorial-status" / "index.html").read_text(encoding="utf-8")
    links = set(article_links(html))
    for model in ENTRY_MODELS:
        for entity in CORPUS.all(model):
            if entity.provenance.confidence != "paper":
                assert f"../{entity.folder}/{entity.id}/" in links, entity.id
    unsourced = html.split('id="unsourced-case-studies"')[1].split('id="unsourced-solutions"')[0]
    for case in CORPUS.all(CaseStudy):
        if case.source is None:
            assert f"../case-studies/{case.id}/" in unsourced
    no_identifier = html.split('id="references-without-identifier"')[1]
    for ref in CORPUS.all(Reference):
        assert (f"../references/{ref.id}/" in no_identifier) == (not has_identifier(ref))


def test_every_case_study_and_solution_source_is_citable_or_flagged(built_site: Path) -> None:
    """A source without DOI or URL is acceptable only when the editorial page flags it."""
    html = (built_site / "editorial-status" / "index.html").read_text(encoding="utf-8")
    html = html.split('id="unknown-tool-facts"')[
        0
    ]  # tools listed there are not flagged as unsourced
    flagged = set(re.findall(r'href="\.\./(?:case-studies|solutions|references)/([^/"]+)/"', html))
    for case in CORPUS.all(CaseStudy):
        source = CORPUS.get(Reference, case.source) if case.source else None
        assert (source and has_identifier(source)) or (case.id in flagged or source.id in flagged)
    for solution in CORPUS.all(Solution):
        refs = CORPUS.targets(solution, Reference, "references")
        homepage = solution.tool is not None and solution.tool.homepage.known
        citable = homepage or any(has_identifier(r) for r in refs)
        assert citable or solution.id in flagged, solution.id


@pytest.mark.parametrize("section", CORPUS.all(PaperSection), ids=lambda s: s.id)
def test_paper_section_page_links_every_entry_keyed_to_it(
    built_site: Path, section: PaperSection
) -> None:
    links = article_links(page(built_site, "paper", section.id))
    expected: list[Entity] = list(CORPUS.targets(section, Reference, "references"))
    if section.stage:
        stage = CORPUS.get(Stage, section.stage)
        expected.append(stage)
        for step in CORPUS.steps_of(stage):
            expected.append(step)
            for challenge in CORPUS.challenges_of(step):
                expected.append(challenge)
                expected.extend(CORPUS.referrers(challenge, CaseStudy, "challenges"))
    expected.extend(s for s in CORPUS.all(Solution) if s.kind in section.solution_kinds)
    # A section of the paper lists what the paper says: additions of this knowledge base, keyed
    # to the same step or kind, are left to the stage, step and challenge pages.
    for entity in expected:
        link = f"../../{entity.folder}/{entity.id}/"
        assert (link in links) == (not entity.addition), entity.id


def test_about_page_gives_both_versions_and_bibtex(built_site: Path) -> None:
    html = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://doi.org/10.1145/3533378"' in html
    assert 'href="https://arxiv.org/abs/2011.09926"' in html
    text = re.sub(r"<[^>]+>", "", html)  # code blocks are syntax-highlighted into spans
    assert "@article{paleyes2022challenges," in text
    assert "doi       = {10.1145/3533378}" in text
    assert "@misc{paleyes2020challenges," in text


def test_unconfirmed_entries_say_so_on_their_page(built_site: Path) -> None:
    for model in (Challenge, CaseStudy, Solution):
        for entity in CORPUS.all(model):
            html = page(built_site, entity.folder, entity.id)
            status = "not yet confirmed against the paper" in html
            # An addition is never in the paper: it says so, and what its own sources confirm.
            survey = not entity.addition
            assert status == (survey and entity.provenance.confidence != "paper"), entity.id
            assert ("this entry is an addition of this knowledge base" in html) == (not survey), (
                entity.id
            )


# Issue 19: every live challenge, in Table 1 or added, links at least one live solution; where the
# survey names none, an addition of this knowledge base (origin: kb) answers it with its sources.
# Parametrised over the corpus itself, so a new challenge without a solution fails here.
ANSWERED_BY_ADDITIONS = (
    "data-poisoning",
    "model-stealing",
    "model-inversion",
    "abiding-by-existing-legislation",
    "country-level-regulations",
    "authorship",
    "decision-making",
    "focus-on-technical-solution-only",
    "lack-of-high-variance-data",
)


@pytest.mark.parametrize("challenge_id", [c.id for c in CORPUS.live(Challenge)])
def test_challenge_links_at_least_one_live_solution(challenge_id: str) -> None:
    challenge = CORPUS.get(Challenge, challenge_id)
    assert CORPUS.referrers(challenge, Solution, "challenges"), challenge_id


@pytest.mark.parametrize("challenge_id", ANSWERED_BY_ADDITIONS)
def test_challenge_without_a_survey_solution_is_answered_by_an_addition(challenge_id: str) -> None:
    challenge = CORPUS.get(Challenge, challenge_id)
    assert not challenge.retired
    solutions = CORPUS.referrers(challenge, Solution, "challenges")
    assert any(s.addition for s in solutions), challenge_id


def test_every_added_solution_cites_a_reference_with_doi_or_url() -> None:
    """An addition rests on its own sources, and a reader can follow at least one of them."""
    additions = [s for s in CORPUS.all(Solution) if s.addition]
    assert additions
    for solution in additions:
        refs = CORPUS.targets(solution, Reference, "references")
        assert any(has_identifier(r) for r in refs), solution.id
