"""Find by phase: the workflow matrix, the filter page and its JSON index, tuned search, tags.

HTML-level tests read the strict build of the real site; browser tests drive Debian's chromium
against it over HTTP. Expectations are computed here from the corpus, not from kb.find.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from conftest import ROOT, real_corpus, real_translations
from find_helpers import (
    checkbox,
    found_each,
    listed,
    open_explore,
    search_each,
    serve_sitemap_locally,
)
from kb.corpus import load_corpus
from kb.find import FACETS_PATH, FACETS_SCRIPT_PATH, facet_index, find_assets
from kb.i18n import gettext_functions, load_catalog
from kb.models import ORIGINS, SOURCE_KINDS, VERSIONS, CaseStudy, Challenge, Solution, Stage, Step

CORPUS = real_corpus()
JA = real_translations("ja")
CHALLENGES = CORPUS.all(Challenge)
STAGES = [s for s in CORPUS.all(Stage) if s.origin == "survey"]  # Table 1's stages


# Expectations, straight from the corpus --------------------------------------------------------


def step_in(challenge: Challenge, version: str) -> Step | None:
    if challenge.addition:  # in no version of Table 1
        return None
    placed = getattr(challenge.placements, version)
    return CORPUS.get(Step, placed) if placed else None


def listed_in(version: str) -> set[str]:
    return {c.id for c in CHALLENGES if step_in(c, version)}


def case_count(challenge: Challenge, version: str) -> int:
    return sum(
        version in cs.versions for cs in CORPUS.referrers(challenge, CaseStudy, "challenges")
    )


def placements(entry: Challenge | CaseStudy | Solution) -> list[tuple[str, Step]]:
    """(version, step) pairs: a challenge's Table 1 steps; a case's, via its challenges; a
    solution's steps, in each version that names it. An addition is in no version of the survey
    ("kb"): a challenge at its own step, a case at its challenges' steps, a solution at its steps.
    """
    if isinstance(entry, Challenge):
        if entry.addition:
            return [("kb", CORPUS.step_of(entry))]
        return [(v, s) for v in VERSIONS if (s := step_in(entry, v))]
    if isinstance(entry, Solution):
        versions = ["kb"] if entry.addition else [v for v in VERSIONS if v in entry.versions]
        return [(v, CORPUS.get(Step, s)) for v in versions for s in entry.steps]
    if entry.addition:
        return [("kb", CORPUS.step_of(c)) for c in CORPUS.targets(entry, Challenge, "challenges")]
    return [
        (v, s)
        for c in CORPUS.targets(entry, Challenge, "challenges")
        for v in entry.versions
        if (s := step_in(c, v))
    ]


def expected(**want: set[str]) -> dict[str, set[str]]:
    """Entries matching a filter: ``version``/``stage``/``step`` must hold for one placement."""
    out: dict[str, set[str]] = {"challenges": set(), "case-studies": set(), "solutions": set()}
    for entry in [*CHALLENGES, *CORPUS.all(CaseStudy), *CORPUS.all(Solution)]:
        if "collection" in want and entry.folder not in want["collection"]:
            continue
        if "industry" in want:
            cases = (
                [entry]
                if isinstance(entry, CaseStudy)
                else CORPUS.referrers(entry, CaseStudy, "challenges")
                if isinstance(entry, Challenge)
                else []
            )
            if not {i for cs in cases for i in cs.industries} & want["industry"]:
                continue
        if any(
            ("version" not in want or v in want["version"])
            and ("stage" not in want or s.stage in want["stage"])
            and ("step" not in want or s.id in want["step"])
            and ("aspect" not in want or s.id in want["aspect"])
            for v, s in placements(entry)
        ):
            out[entry.folder].add(entry.id)
    return out


# The generator ---------------------------------------------------------------------------------


def test_facet_index_places_a_moved_challenge_per_version() -> None:
    index = facet_index(CORPUS)
    item = next(i for i in index["items"] if i["id"] == "country-level-regulations")
    assert item["placements"] == [
        {"version": "arxiv_2020", "stage": "cross-cutting-aspects", "aspect": "ethics"},
        {"version": "acm_2022", "stage": "cross-cutting-aspects", "aspect": "law"},
    ]
    ids = [(i["values"]["collection"][0], i["id"]) for i in index["items"]]
    assert (
        len(ids)
        == len(set(ids))
        == len(CHALLENGES) + len(CORPUS.all(CaseStudy)) + len(CORPUS.all(Solution))
    )


def test_facet_index_is_deterministic_and_follows_the_url_style() -> None:
    first = find_assets(CORPUS)[FACETS_PATH]
    assert first == find_assets(load_corpus(ROOT / "data"))[FACETS_PATH]
    assert '"url":"challenges/concept-drift/"' in first
    flat = find_assets(CORPUS, directory_urls=False)[FACETS_PATH]
    assert '"url":"challenges/concept-drift.html"' in flat


def test_only_the_offline_bundle_carries_the_index_as_a_script_too() -> None:
    assert FACETS_SCRIPT_PATH not in find_assets(CORPUS)  # the hosted site fetches the JSON
    offline = find_assets(CORPUS, directory_urls=False, offline=True)
    script = offline[FACETS_SCRIPT_PATH]
    assert script.startswith("window.kbFacets = ")
    assert script.endswith(";\n")
    payload = script.removeprefix("window.kbFacets = ").removesuffix(";\n")
    assert json.loads(payload) == json.loads(offline[FACETS_PATH])


def test_cli_build_writes_the_facet_index_beside_the_pages(mini_data: Path, tmp_path: Path) -> None:
    from kb.cli import main

    # The miniature corpus: what is written does not depend on the corpus's size.
    out = tmp_path / "out"
    assert main(["--data", str(mini_data), "build", "--out", str(out)]) == 0
    docs = out / "en" / "docs"
    assert (docs / "matrix.md").is_file()
    assert json.loads((docs / FACETS_PATH).read_text())["items"]


# The matrix as HTML ----------------------------------------------------------------------------


class MatrixParser(HTMLParser):
    """Reads every matrix view (``section.kb-matrix-view``): its stage and step headings, and the
    challenges listed under each step."""

    def __init__(self) -> None:
        super().__init__()
        self.views: list[dict[str, Any]] = []
        self.heading: dict[str, Any] | None = None
        self.item: dict[str, Any] | None = None
        self.inside = False  # a view holds no other <section>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "section" and "kb-matrix-view" in classes:
            self.views.append({"version": a["data-version"], "id": a["id"], "stages": []})
            self.inside = True
        elif not self.inside:
            return
        elif "kb-matrix__stage-title" in classes or "kb-matrix__step-title" in classes:
            level = a.get("aria-level")
            self.heading = {"level": level, "role": a.get("role"), "href": None, "text": ""}
            if "kb-matrix__stage-title" in classes:
                self.views[-1]["stages"].append({**self.heading, "steps": []})
                self.heading = self.views[-1]["stages"][-1]
            else:
                steps = self.views[-1]["stages"][-1]["steps"]
                steps.append({**self.heading, "items": []})
                self.heading = steps[-1]
        elif tag == "li" and self.views[-1]["stages"]:
            self.item = {"class": a.get("class"), "href": None, "text": ""}
            self.views[-1]["stages"][-1]["steps"][-1]["items"].append(self.item)
        elif tag == "a":
            target = self.heading if self.heading is not None else self.item
            if target is not None and target["href"] is None:
                target["href"] = a.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.heading = None
        elif tag == "li":
            self.item = None
        elif tag == "section":
            self.inside = False

    def handle_data(self, data: str) -> None:
        for target in (self.heading, self.item):
            if target is not None:
                target["text"] += data


@pytest.fixture(scope="module")
def matrix_views(built_site: Path) -> list[dict[str, Any]]:
    parser = MatrixParser()
    parser.feed((built_site / "matrix" / "index.html").read_text(encoding="utf-8"))
    return parser.views


def test_matrix_has_one_view_per_version_with_stage_and_step_headings(
    matrix_views: list[dict[str, Any]],
) -> None:
    # The newest version last: without JavaScript, CSS shows the last view by default.
    assert [v["version"] for v in matrix_views] == ["arxiv_2020", "acm_2022"]
    assert [v["id"] for v in matrix_views] == ["arxiv-2020", "acm-2022"]  # the ledger's anchors
    for view in matrix_views:
        version = view["version"]
        assert [s["href"] for s in view["stages"]] == [f"../stages/{s.id}/" for s in STAGES]
        for stage, group in zip(STAGES, view["stages"], strict=True):
            assert (group["role"], group["level"]) == ("heading", "3")
            steps = [s for s in CORPUS.steps_of(stage) if getattr(s.sections, version)]
            assert [h["href"] for h in group["steps"]] == [f"../steps/{s.id}/" for s in steps]
            assert all((h["role"], h["level"]) == ("heading", "4") for h in group["steps"])


def test_matrix_lists_every_challenge_of_each_version_under_its_step_with_its_evidence(
    matrix_views: list[dict[str, Any]],
) -> None:
    for view in matrix_views:
        version = view["version"]
        seen = []
        for group in view["stages"]:
            for step in group["steps"]:
                step_id = step["href"].split("/")[-2]
                for item in step["items"]:
                    challenge = CORPUS.get(Challenge, item["href"].split("/")[-2])
                    assert item["href"] == f"../challenges/{challenge.id}/"
                    assert getattr(challenge.placements, version) == step_id
                    n = case_count(challenge, version)
                    assert item["text"].endswith(f"{n} case stud{'y' if n == 1 else 'ies'}")
                    assert item["class"] == f"kb-evidence-{min(n, 3)}"
                    seen.append(challenge.id)
        assert sorted(seen) == sorted(listed_in(version)), version


def test_moved_challenge_sits_under_ethics_in_2020_and_law_in_2022(
    matrix_views: list[dict[str, Any]],
) -> None:
    where = {}
    for view in matrix_views:
        for group in view["stages"]:
            for step in group["steps"]:
                for item in step["items"]:
                    if item["href"].endswith("/country-level-regulations/"):
                        where[view["version"]] = step["text"]
    assert where == {"arxiv_2020": "Ethics", "acm_2022": "Law"}


def test_each_matrix_view_links_the_other_versions_and_print_shows_them_all(
    built_site: Path,
) -> None:
    html = (built_site / "matrix" / "index.html").read_text(encoding="utf-8")
    for version, label in VERSIONS.items():
        anchor = version.replace("_", "-")
        assert html.count(f'<a href="#{anchor}">{label}</a>') == len(VERSIONS) - 1
        assert f'<strong aria-current="true">{label}</strong>' in html
    css = (built_site / "assets" / "stylesheets" / "kb-find.css").read_text()
    print_css = css[css.index("@media print") :]
    assert ".md-typeset .kb-matrix-view { display: block !important;" in print_css


def test_home_and_nav_link_the_matrix_and_the_filter_page(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="matrix/"' in home
    assert 'href="explore/"' in home
    nav = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="../matrix/"' in nav
    assert 'href="../explore/"' in nav


# Search and tags as HTML -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def search_index(built_site: Path) -> dict[str, Any]:
    index: dict[str, Any] = json.loads((built_site / "search" / "search_index.json").read_text())
    return index


def test_every_entry_is_indexed_under_its_title(search_index: dict[str, Any]) -> None:
    pages = {d["location"]: d for d in search_index["docs"] if "#" not in d["location"]}
    for folder in CORPUS.entities.values():
        for entry in folder.values():
            doc = pages[f"{entry.folder}/{entry.id}/"]
            # A paper section's heading carries its number: "3. Data management".
            assert re.sub(r"^\d+\. ", "", html.unescape(doc["title"])) == entry.title


def test_challenge_entries_carry_type_stage_and_step_tags_id_and_key_terms(
    search_index: dict[str, Any],
) -> None:
    docs = {d["location"]: d for d in search_index["docs"]}
    fields = search_index["config"]["fields"]
    assert fields["title"]["boost"] > fields["tags"]["boost"] > fields["text"]["boost"]
    for c in CHALLENGES:
        # The page's first section is its search excerpt: kind, summary, then ID and key terms.
        page = docs[f"challenges/{c.id}/"]
        step, stage = CORPUS.step_of(c), CORPUS.stage_of(c)
        assert page["tags"] == ["Challenge", ORIGINS[c.origin], stage.title, step.title]
        assert page["boost"] > 1
        first = page["text"]
        assert first.startswith(f"<p>Challenge · {stage.title} \u203a {step.title}</p> <p>")
        assert "Confidence" not in first
        assert f"<code>{c.id}</code>" in first
        for term in [*c.keywords, *c.aliases]:
            assert term in first.replace("&amp;", "&"), term


def test_entries_outrank_the_pages_that_list_or_mention_them(
    search_index: dict[str, Any],
) -> None:
    boosts = {d["location"]: d.get("boost", 1) for d in search_index["docs"]}
    entry = min(
        boosts[f"{f}/{e}/"]
        for f in ("challenges", "steps", "solutions")
        for e in CORPUS.entities[f]
    )
    mentions = [f"case-studies/{e}/" for e in CORPUS.entities["case-studies"]]
    mentions += [f"references/{e}/" for e in CORPUS.entities["references"]]
    mentions += ["editorial-status/", "challenges/", "matrix/", "explore/", ""]
    assert all(boosts[m] < entry for m in mentions if m in boosts)
    # Listings repeat every entry's title and summary: they are left out of the index.
    matrix = " ".join(
        d["text"] for d in search_index["docs"] if d["location"].startswith("matrix/")
    )
    assert "Data discovery" not in matrix


def edition_indexes(built_site: Path) -> list[tuple[str, Any, Any, list[dict[str, Any]]]]:
    """(prefix, corpus, gettext, index docs) of each edition."""
    japanese, _ = gettext_functions(load_catalog("ja"))
    return [
        (prefix, corpus, gettext, json.loads((built_site / prefix / path).read_text())["docs"])
        for prefix, corpus, gettext in (("", CORPUS, str), ("ja/", JA.corpus, japanese))
        for path in ["search/search_index.json"]
    ]


def index_text(doc: dict[str, Any]) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", doc["text"]))


def test_search_index_leaves_out_where_each_tool_fact_was_read(built_site: Path) -> None:
    """A tool's facts say where each was read ("package registry", "release page"), with notes
    on the source and dates: words of no tool's subject, which made its page answer "model
    registry" or "canary release". Search keeps a fact's value (kind, licence, maintainer) and
    leaves out its source, note, reason for being unknown, and the dates and links."""
    found = {}
    for prefix, corpus, gettext, docs in edition_indexes(built_site):
        texts = {d["location"]: index_text(d) for d in docs}
        tools = [t for t in corpus.live(Solution) if t.tool]
        assert len(tools) > 10
        # A source as the page shows it, "(package registry)"; the labels of dates and versions.
        bookkeeping = {
            gettext(" (%(text)s)").strip() % {"text": gettext(label)}
            for label in SOURCE_KINDS.values()
        }
        for label in ("**Latest release seen:** ", "**Appeared:** "):
            bookkeeping.add(gettext(label).replace("**", "").strip())
        for tool in tools:
            assert tool.tool is not None
            for name in ("kind", "licence", "maintainer", "homepage", "documentation"):
                fact = getattr(tool.tool, name)
                for said in (fact.note, fact.unknown):
                    if said:
                        bookkeeping.add(" ".join(html.unescape(said).split()))
        for location, text in texts.items():
            if location.startswith(("solutions/", "tools/")):
                words = " ".join(text.split())
                for phrase in bookkeeping:
                    if phrase in words:
                        found.setdefault(prefix + location, []).append(phrase)
        # The values stay: a reader may look for a licence or a maintainer.
        dvc = " ".join(texts["solutions/dvc/#comparison"].split())
        assert "Apache-2.0" in dvc
        assert "Iterative" in dvc
    assert found == {}


def test_search_excerpts_of_tables_keep_their_cells_apart(built_site: Path) -> None:
    """The index holds a table's text without its markup, so cells and the lines a <br> parts
    came out glued ("UpdatingReuse of code and modelsContinuous delivery"). No title of a step,
    stage, challenge or solution may run straight into a challenge's title, in any excerpt."""
    glued = {}
    for prefix, corpus, _, docs in edition_indexes(built_site):
        kinds = (Step, Stage, Challenge, Solution)
        titles = sorted({e.title for k in kinds for e in corpus.live(k)}, key=len, reverse=True)
        after = re.compile("|".join(re.escape(c.title) for c in corpus.live(Challenge)))
        for doc in docs:
            text = index_text(doc)
            for title in titles:
                start = text.find(title)
                while start >= 0:
                    follows = after.match(text, start + len(title))
                    if follows:
                        glued.setdefault(prefix + doc["location"], []).append(
                            title + follows.group(0)
                        )
                    start = text.find(title, start + 1)
        coverage = {d["location"]: index_text(d) for d in docs}["tools/#coverage"]
        assert " · " in coverage  # the comparison's table is indexed, cells apart
    assert glued == {}


def test_tags_page_now_redirects_to_the_matrix(built_site: Path) -> None:
    html = (built_site / "tags" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../matrix/">' in html
    assert 'location.replace("../matrix/" + location.search + location.hash)' in html


def test_facet_index_is_served_and_matches_the_generator(built_site: Path) -> None:
    served = (built_site / FACETS_PATH).read_text(encoding="utf-8")
    assert served == find_assets(CORPUS)[FACETS_PATH]
    explore = (built_site / "explore" / "index.html").read_text(encoding="utf-8")
    assert 'href="../assets/kb-facets.json" id="kb-facets-link"' in explore


# In the browser: search --------------------------------------------------------------------------


@pytest.mark.browser
def test_searching_each_challenge_title_ranks_it_first_with_its_stage_and_step(
    search_pages: Any, served_site: str
) -> None:
    wrong = {}
    titles = [c.title for c in CHALLENGES]
    for c, results in zip(CHALLENGES, search_each(search_pages(""), titles), strict=True):
        first = results[0] if results else {}
        want = {
            "href": f"{served_site}challenges/{c.id}/",
            "title": c.title,
            "tags": [
                "Challenge",
                ORIGINS[c.origin],
                CORPUS.stage_of(c).title,
                CORPUS.step_of(c).title,
            ],
        }
        if first != want:
            wrong[c.title] = first
    assert wrong == {}


@pytest.mark.browser
def test_searching_each_challenge_id_or_alias_ranks_it_first(
    search_pages: Any, served_site: str
) -> None:
    queries = [(query, c.id) for c in CHALLENGES for query in [c.id, *c.aliases]]
    wrong = {}
    answers = search_each(search_pages(""), [query for query, _ in queries])
    for (query, challenge), results in zip(queries, answers, strict=True):
        if not results or results[0]["href"] != f"{served_site}challenges/{challenge}/":
            wrong[query] = results[:1]
    assert wrong == {}


@pytest.mark.browser
@pytest.mark.heavy
def test_searching_a_key_term_finds_the_challenge_on_every_word(search_pages: Any) -> None:
    terms = [(term, c.id) for c in CHALLENGES for term in c.keywords]
    answers = found_each(search_pages(""), [term for term, _ in terms])
    missing = [
        (term, challenge)
        for (term, challenge), pages in zip(terms, answers, strict=True)
        if (f"challenges/{challenge}/", True) not in [tuple(g) for g in pages]
    ]
    assert len(terms) > 200
    assert missing == []


# In the browser: the filter page -----------------------------------------------------------------


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


@pytest.mark.browser
def test_every_stage_filter_shows_exactly_that_stages_entries(
    page: Any, served_site_without_search: str
) -> None:
    open_explore(page, f"{served_site_without_search}explore/")
    everything = listed(page)
    assert everything == expected()
    for stage in STAGES:
        checkbox(page, "stage", stage.id).check()
        assert listed(page) == expected(stage={stage.id}), stage.id
        assert query_of(page.url) == [("stage", stage.id)]
        challenges = {c.id for c in CHALLENGES if CORPUS.stage_of(c).id == stage.id}
        assert listed(page)["challenges"] == challenges
        checkbox(page, "stage", stage.id).uncheck()
    assert listed(page) == everything
    assert query_of(page.url) == []


@pytest.mark.browser
def test_facets_combine_on_one_placement_and_options_of_a_facet_add_up(
    page: Any, served_site_without_search: str
) -> None:
    open_explore(page, f"{served_site_without_search}explore/")
    for facet, option in [
        ("collection", "challenges"),
        ("aspect", "ethics"),
        ("version", "arxiv_2020"),
    ]:
        checkbox(page, facet, option).check()
    in_2020 = expected(collection={"challenges"}, aspect={"ethics"}, version={"arxiv_2020"})
    assert listed(page) == in_2020
    assert "country-level-regulations" in in_2020["challenges"]
    assert query_of(page.url) == [
        ("collection", "challenges"),
        ("version", "arxiv_2020"),
        ("aspect", "ethics"),
    ]
    checkbox(page, "version", "arxiv_2020").uncheck()
    checkbox(page, "version", "acm_2022").check()
    in_2022 = listed(page)
    assert in_2022 == expected(collection={"challenges"}, aspect={"ethics"}, version={"acm_2022"})
    assert "country-level-regulations" not in in_2022["challenges"]  # it moved to Law
    checkbox(page, "aspect", "law").check()
    both = expected(collection={"challenges"}, aspect={"ethics", "law"}, version={"acm_2022"})
    assert listed(page) == both
    assert both["challenges"] > in_2022["challenges"]
    status = page.locator(".kb-explore__count")
    assert status.get_attribute("aria-live") == "polite"
    assert status.text_content().startswith(f"{len(both['challenges'])} results")


@pytest.mark.browser
def test_a_filtered_url_reproduces_its_view_on_a_fresh_load(
    browser: Any, served_site_without_search: str
) -> None:
    clicked = browser.new_context().new_page()
    open_explore(clicked, f"{served_site_without_search}explore/")
    for facet, option in [
        ("stage", "model-deployment"),
        ("industry", "finance"),
        ("industry", "science"),
    ]:
        checkbox(clicked, facet, option).check()
    view, url = listed(clicked), clicked.url
    assert view == expected(stage={"model-deployment"}, industry={"finance", "science"})
    assert view["challenges"]
    assert view["case-studies"]

    fresh = browser.new_context().new_page()
    open_explore(fresh, url)
    assert listed(fresh) == view
    assert fresh.url == url
    ticked = fresh.eval_on_selector_all(
        "#kb-explore input:checked", "els => els.map(e => [e.name, e.value])"
    )
    assert ticked == [
        ["stage", "model-deployment"],
        ["industry", "finance"],
        ["industry", "science"],
    ]
    clicked.context.close()
    fresh.context.close()


@pytest.mark.browser
def test_a_hand_written_url_works_in_any_order_and_ignores_unknown_values(
    page: Any, served_site_without_search: str
) -> None:
    open_explore(
        page,
        f"{served_site_without_search}explore/?version=acm_2022&stage=model-deployment&stage=nope",
    )
    assert listed(page) == expected(stage={"model-deployment"}, version={"acm_2022"})
    assert query_of(page.url) == [("version", "acm_2022"), ("stage", "model-deployment")]


@pytest.mark.browser
def test_filter_page_starts_after_instant_navigation(
    page: Any, served_site_without_search: str
) -> None:
    serve_sitemap_locally(page, served_site_without_search)
    page.goto(served_site_without_search)
    page.wait_for_load_state("networkidle")  # the sitemap is in: links are now intercepted
    page.evaluate("window.__kbSamePage = true")
    page.locator(".md-tabs__link", has_text="Challenges").click()
    page.wait_for_url("**/challenges/")
    page.locator(".md-sidebar--primary .md-nav__link", has_text="Filter").click()
    page.wait_for_selector("#kb-explore[data-ready]")
    assert page.evaluate("window.__kbSamePage") is True, "navigation was not instant"
    checkbox(page, "collection", "case-studies").check()
    assert listed(page) == expected(collection={"case-studies"})


# In the browser: walking the matrix --------------------------------------------------------------


@pytest.mark.browser
def test_walking_the_matrix_reaches_every_challenge_of_each_version(
    page: Any, served_site_without_search: str
) -> None:
    page.goto(f"{served_site_without_search}matrix/")
    targets = set()
    for version in VERSIONS:
        hrefs = page.eval_on_selector_all(
            f'section.kb-matrix-view[data-version="{version}"] li a', "els => els.map(e => e.href)"
        )
        ids = [h.rstrip("/").split("/")[-1] for h in hrefs]
        assert sorted(ids) == sorted(listed_in(version)), version
        targets.update(hrefs)
    for href in sorted(targets):
        assert href == urljoin(
            served_site_without_search, f"challenges/{href.rstrip('/').split('/')[-1]}/"
        )
        response = page.request.get(href)
        assert response.ok, href
