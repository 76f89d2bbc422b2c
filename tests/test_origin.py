"""Origin: every entry says whether it comes from the survey or is an addition of this knowledge
base, on its page, in every listing, in search, on the filter page, in the exports and on the
editorial-status page; and the survey's own structure (Table 1, the paper's sections) shows only
what the survey says, with additions beside it and apart."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import real_corpus, real_translations
from find_helpers import checkbox, listed, open_explore, search
from kb.i18n import load_catalog
from kb.models import (
    MODELS,
    ORIGIN_BADGES,
    ORIGINS,
    CaseStudy,
    Challenge,
    Entity,
    PaperSection,
    Solution,
    Stage,
)

pytestmark = pytest.mark.slow
CORPUS = real_corpus()
ENTRIES = [e for model in MODELS for e in CORPUS.live(model)]
ADDITIONS = [e for e in ENTRIES if e.addition]
JA = load_catalog("ja")
EDITIONS = {"": lambda text: text, "ja/": lambda text: JA[text]}


ORIGIN_LABEL = re.compile(r'<span class="kb-origin kb-origin--(survey|kb)">([^<]*)</span>')


def page_of(site: Path, prefix: str, entity: Entity) -> str:
    return (site / prefix / entity.folder / entity.id / "index.html").read_text(encoding="utf-8")


def test_the_corpus_has_additions_of_every_kind_the_issue_asks_for() -> None:
    """A precondition of the tests below, so that none of them passes on an empty set."""
    kinds = {type(e) for e in ADDITIONS}
    assert {Stage, Challenge, CaseStudy, Solution} <= kinds, kinds


@pytest.mark.parametrize("prefix", list(EDITIONS))
def test_every_entry_page_states_its_origin_in_words(built_site: Path, prefix: str) -> None:
    words = EDITIONS[prefix]
    wrong = []
    for entity in ENTRIES:
        found = ORIGIN_LABEL.findall(page_of(built_site, prefix, entity))
        want = (entity.origin, words(ORIGINS[entity.origin]))
        if not found or found[0] != want:
            wrong.append((entity.folder, entity.id, found[:1]))
    assert not wrong


@pytest.mark.parametrize("prefix", list(EDITIONS))
def test_search_shows_each_entry_s_origin_as_a_tag(built_site: Path, prefix: str) -> None:
    index = json.loads((built_site / prefix / "search" / "search_index.json").read_text())
    docs = {d["location"]: d for d in index["docs"]}
    words = EDITIONS[prefix]
    for entity in ENTRIES:
        tags = docs[f"{entity.folder}/{entity.id}/"]["tags"]
        assert tags[1] == words(ORIGINS[entity.origin]), (entity.folder, entity.id, tags)
    # The theme's tag map gives the origin tags a class of their own (styled in kb.css).
    home = (built_site / prefix / "index.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r'<script id="__config"[^>]*>(.*?)</script>', home, re.S)[1])
    assert config["tags"] == {words(v): f"kb-origin-{k}" for k, v in ORIGINS.items()}


LISTINGS = {
    "challenges/index.html": Challenge,
    "case-studies/index.html": CaseStudy,
    "solutions/index.html": Solution,
    "stages/index.html": Stage,
}


@pytest.mark.parametrize("prefix", list(EDITIONS))
@pytest.mark.parametrize("listing", list(LISTINGS))
def test_every_listing_badges_exactly_the_additions_and_explains_the_badge(
    built_site: Path, prefix: str, listing: str
) -> None:
    html = (built_site / prefix / listing).read_text(encoding="utf-8")
    model = LISTINGS[listing]
    badge = EDITIONS[prefix](ORIGIN_BADGES["kb"])
    rows = re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>", html, flags=re.S)
    badged = {
        m.group(1)
        for row in rows
        if 'class="kb-badge"' in row and (m := re.search(r'href="(?:\.\./)?([a-z0-9-]+)/"', row))
    }
    assert badged == {e.id for e in CORPUS.live(model) if e.addition}
    assert f"<em>{badge}</em>" in html  # the legend names the badge


def test_the_filter_page_has_an_origin_facet_with_every_entry_s_origin(built_site: Path) -> None:
    for prefix, words in EDITIONS.items():
        index = json.loads((built_site / prefix / "assets" / "kb-facets.json").read_text())
        (facet,) = [f for f in index["facets"] if f["id"] == "origin"]
        assert facet["options"] == [{"id": k, "label": words(v)} for k, v in ORIGINS.items()]
        for item in index["items"]:
            model = {"challenges": Challenge, "case-studies": CaseStudy, "solutions": Solution}
            entity = CORPUS.get(model[item["values"]["collection"][0]], item["id"])
            assert item["values"]["origin"] == [entity.origin]
            assert ("badge" in item) == entity.addition


def test_exports_carry_each_entry_s_origin(built_site: Path) -> None:
    corpus = json.loads((built_site / "api" / "corpus.json").read_text())
    for model in MODELS:
        documents = {d["id"]: d for d in corpus["collections"][model.folder]}
        rows = list(
            csv.DictReader(io.StringIO((built_site / "api" / f"{model.folder}.csv").read_text()))
        )
        assert {r["id"]: r["origin"] for r in rows} == {e.id: e.origin for e in CORPUS.all(model)}
        for entity in CORPUS.all(model):
            assert documents[entity.id]["data"]["origin"] == entity.origin


def test_the_editorial_status_page_counts_both_origins(built_site: Path) -> None:
    html = (built_site / "editorial-status" / "index.html").read_text(encoding="utf-8")
    section = html.split('id="origin"', 1)[1].split("<h2", 1)[0]
    cells = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>", section)
    assert len(cells) == len(MODELS)
    for model, (label, survey, kb) in zip(MODELS, cells, strict=True):
        assert label == model.label
        live = CORPUS.live(model)
        assert (int(survey), int(kb)) == (
            sum(not e.addition for e in live),
            sum(e.addition for e in live),
        )
    for entity in ADDITIONS:  # each addition is listed, under its own sources' confidence
        assert f'href="../{entity.folder}/{entity.id}/"' in html.split('id="additions"', 1)[1]


def test_table_1_and_the_paper_s_sections_show_only_what_the_survey_says(
    built_site: Path,
) -> None:
    addition_links = {f"/{e.folder}/{e.id}/" for e in ADDITIONS}
    matrix = (built_site / "matrix" / "index.html").read_text(encoding="utf-8")
    views, band = matrix.split('id="beyond-table-1"', 1)
    band = band.split("<h2", 1)[0]
    assert not [link for link in addition_links if f"..{link}" in views]
    for challenge in CORPUS.live(Challenge):  # every addition beside Table 1, in its own band
        assert (f'href="../challenges/{challenge.id}/"' in band) == challenge.addition
    for section in CORPUS.live(PaperSection):
        html = (built_site / "paper" / section.id / "index.html").read_text(encoding="utf-8")
        article = html.split("<article", 1)[1].split("</article>", 1)[0]
        assert not [link for link in addition_links if f"..{link}" in article], section.id


def test_a_survey_challenge_keeps_additions_in_their_own_section(built_site: Path) -> None:
    found = 0
    for challenge in CORPUS.live(Challenge):
        if challenge.addition:
            continue
        html = page_of(built_site, "", challenge)
        before, beyond = html.split('id="beyond-the-survey"', 1)
        beyond = beyond.split("<h2", 1)[0]
        for model in (CaseStudy, Solution):
            for item in CORPUS.referrers(challenge, model, "challenges"):
                link = f'href="../../{item.folder}/{item.id}/"'
                assert (link in beyond) == item.addition, (challenge.id, item.id)
                assert (link in before) == (not item.addition), (challenge.id, item.id)
                found += item.addition
    assert found, "no survey challenge has an addition yet"


def test_a_challenge_added_beside_table_1_links_its_related_survey_challenges_both_ways(
    built_site: Path,
) -> None:
    added = [c for c in CORPUS.live(Challenge) if c.addition]
    assert all(len(c.related) >= 1 for c in added)
    for challenge in added:
        html = page_of(built_site, "", challenge)
        for other in CORPUS.targets(challenge, Challenge, "related"):
            assert f'href="../{other.id}/"' in html
            back = page_of(built_site, "", other)
            assert f'href="../{challenge.id}/"' in back, (other.id, challenge.id)


def test_an_addition_is_cited_as_ours_and_not_as_based_on_the_survey(built_site: Path) -> None:
    for entity in ADDITIONS:
        html = page_of(built_site, "", entity)
        ld: dict[str, Any] = json.loads(
            html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
        )
        assert "isBasedOn" not in ld, entity.id
        assert "An addition of this knowledge base, beyond the survey" in html
    survey = page_of(built_site, "", CORPUS.get(Challenge, "concept-drift"))
    assert '"isBasedOn"' in survey


@pytest.mark.browser
@pytest.mark.parametrize("prefix", list(EDITIONS))
def test_the_origin_facet_and_label_work_in_the_browser(
    page: Any, served_site_without_search: str, search_pages: Any, prefix: str
) -> None:
    words = EDITIONS[prefix]
    open_explore(page, f"{served_site_without_search}{prefix}explore/")
    checkbox(page, "origin", "kb").check()
    shown = listed(page)
    assert shown == {
        folder: {e.id for e in CORPUS.live(model) if e.addition}
        for folder, model in (
            ("challenges", Challenge),
            ("case-studies", CaseStudy),
            ("solutions", Solution),
        )
    }
    badges = page.eval_on_selector_all(
        ".kb-explore__results li", "els => els.map(e => e.querySelector('.kb-badge')?.textContent)"
    )
    assert set(badges) == {words(ORIGIN_BADGES["kb"])}
    assert "origin=kb" in page.url
    # Search: an addition's result carries its origin as a styled tag.
    addition = next(c for c in CORPUS.live(Challenge) if c.addition)
    corpus = real_translations("ja").corpus if prefix else CORPUS
    title = corpus.get(Challenge, addition.id).title
    searching = search_pages(prefix)
    results = search(searching, searching.locator("input.md-search__input"), title)
    assert results, title
    assert results[0]["href"].endswith(f"/challenges/{addition.id}/"), results[:3]
    assert words(ORIGINS["kb"]) in results[0]["tags"]
    style = searching.eval_on_selector(
        ".md-search-result__item .md-tag--kb-origin-kb", "e => getComputedStyle(e).color"
    )
    assert style
