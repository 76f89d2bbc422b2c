"""Industries and tools: heatmap counts, industry pages, the tools comparison, tool facts, and the
exact filter view behind every heatmap and tool cell (in chromium).

Expectations are computed here from the corpus, never from kb.industries or kb.tools.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from conftest import real_corpus
from find_helpers import RESULT_ROWS
from kb.models import CaseStudy, Challenge, Industry, Solution, Stage, Step

CORPUS = real_corpus()
CASES = CORPUS.live(CaseStudy)
TOOLS = [s for s in CORPUS.live(Solution) if s.kind == "tool"]
IN_USE = [i for i in CORPUS.live(Industry) if any(i.id in c.industries for c in CASES)]
FACTS = ("kind", "licence", "maintainer", "homepage", "documentation", "first_release")
FACTS += ("latest_release",)


def cases_of(industry: str) -> set[str]:
    return {c.id for c in CASES if industry in c.industries}


def stages_reached(case: CaseStudy) -> set[str]:
    """The filter page's rule: a case is at a stage when one of its challenges is, in a version
    of the survey that discusses the case."""
    found = set()
    for challenge_id in case.challenges:
        challenge = CORPUS.get(Challenge, challenge_id)
        for version in case.versions:
            step = getattr(challenge.placements, version)
            if step:
                found.add(CORPUS.get(Step, step).stage)
    return found


def view(**ids: set[str]) -> dict[str, set[str]]:
    return {"challenges": set(), "case-studies": set(), "solutions": set(), **ids}


class Cells(HTMLParser):
    """Every ``td`` with ``data-*`` attributes: its attributes, text and links; grouped by the
    ``data-heatmap`` or class of its table, and the ``data-tool`` of its row."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, Any]] = []
        self.table = ""
        self.row: dict[str, str | None] = {}
        self.cell: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.table = a.get("data-heatmap") or a.get("class") or ""
        elif tag == "tr":
            self.row = a
        elif tag == "td" and any(k.startswith("data-") for k in a):
            self.cell = {"table": self.table, "tool": self.row.get("data-tool"), **a}
            self.cell |= {"text": "", "links": []}
            self.cells.append(self.cell)
        elif tag == "a" and self.cell is not None:
            self.cell["links"].append(a.get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell["text"] += data


def cells_of(site: Path, rel: str) -> list[dict[str, Any]]:
    parser = Cells()
    parser.feed((site / rel / "index.html").read_text(encoding="utf-8"))
    return parser.cells


def explore_link(cell: dict[str, Any]) -> str | None:
    found = [h for h in cell["links"] if "explore/" in h]
    assert len(found) <= 1, cell
    return found[0] if found else None


def expected_view(cell: dict[str, Any]) -> dict[str, set[str]]:
    """What the filter view behind a cell must list, from the corpus."""
    if cell["table"] == "stages":
        cases = cases_of(cell["data-industry"])
        if "data-stage" in cell:
            stage = cell["data-stage"]
            cases = {c.id for c in CASES if c.id in cases and stage in stages_reached(c)}
        return view(**{"case-studies": cases})
    if cell["table"] == "challenges":
        cases = {c.id for c in CASES if cell["data-challenge"] in c.challenges}
        if "data-industry" in cell:
            cases &= cases_of(cell["data-industry"])
        return view(**{"case-studies": cases})
    tool = CORPUS.get(Solution, cell["tool"])
    stage = cell["data-stage"]
    challenges = {
        c for c in tool.challenges if CORPUS.stage_of(CORPUS.get(Challenge, c)).id == stage
    }
    return view(challenges=challenges)


def linked_cells(site: Path) -> list[tuple[str, dict[str, Any]]]:
    """(page, cell) for every heatmap and tool cell of the two overview pages."""
    return [
        (page, cell)
        for page in ("industries", "tools")
        for cell in cells_of(site, page)
        if cell["table"] in ("stages", "challenges", "kb-tools__coverage")
    ]


# Heatmaps as HTML -------------------------------------------------------------------------------


def test_stage_heatmap_counts_equal_the_corpus(built_site: Path) -> None:
    cells = [c for c in cells_of(built_site, "industries") if c["table"] == "stages"]
    stages = [s.id for s in CORPUS.live(Stage)]
    grid = {(c["data-industry"], c.get("data-stage")): c for c in cells}
    assert set(grid) == {(i.id, s) for i in IN_USE for s in [*stages, None]}
    for (industry, stage), cell in grid.items():
        count = len(expected_view(cell)["case-studies"])
        assert cell["data-count"] == str(count) == cell["text"].strip(), (industry, stage)
        assert (explore_link(cell) is None) == (count == 0), (industry, stage)
    healthcare = grid[("healthcare", None)]
    assert int(healthcare["data-count"]) == len(cases_of("healthcare"))
    assert {"healthcare-ml-poisoning-attacks", "warfarin-dosing-poisoning"} <= cases_of(
        "healthcare"
    )


def test_challenge_heatmap_counts_equal_the_corpus(built_site: Path) -> None:
    cells = [c for c in cells_of(built_site, "industries") if c["table"] == "challenges"]
    grid = {(c.get("data-industry"), c["data-challenge"]): c for c in cells}
    illustrated = {ch for c in CASES for ch in c.challenges}
    assert set(grid) == {(i, c) for i in [*(i.id for i in IN_USE), None] for c in illustrated}
    for key, cell in grid.items():
        count = len(expected_view(cell)["case-studies"])
        assert cell["data-count"] == str(count) == cell["text"].strip(), key
        assert (explore_link(cell) is None) == (count == 0), key
    assert grid[("healthcare", "data-poisoning")]["data-count"] == "2"


def test_heatmap_shading_repeats_the_count_and_never_replaces_it(built_site: Path) -> None:
    cells = [c for c in cells_of(built_site, "industries") if "kb-heat-total" not in c["class"]]
    levels: dict[int, set[int]] = {}
    for cell in cells:
        level = int(re.fullmatch(r"kb-heat-(\d)", cell["class"])[1])  # type: ignore[index]
        levels.setdefault(int(cell["data-count"]), set()).add(level)
    assert levels[0] == {0}
    ordered = sorted(levels.items())
    assert all(len(lv) == 1 for _, lv in ordered), ordered  # one shade per count
    shades = [lv.pop() for _, lv in ordered]
    assert shades == sorted(shades)  # deeper as counts grow
    assert shades[-1] > shades[1] > 0


# Industry pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("industry", IN_USE, ids=lambda i: i.id)
def test_industry_page_lists_its_case_studies_with_their_challenges(
    built_site: Path, industry: Industry
) -> None:
    html = (built_site / "industries" / industry.id / "index.html").read_text(encoding="utf-8")
    section = html.split('id="case-studies"')[1].split('id="challenges"')[0]
    for case_id in cases_of(industry.id):
        case = CORPUS.get(CaseStudy, case_id)
        block = section.split(f'href="../../case-studies/{case_id}/"')[1].split("<h3")[0]
        for challenge in case.challenges:
            assert f'href="../../challenges/{challenge}/"' in block, (case_id, challenge)
        stages = {CORPUS.stage_of(CORPUS.get(Challenge, c)).title for c in case.challenges}
        assert all(f"<strong>{s}:</strong>" in block for s in stages), case_id
    assert section.count("<h3") == len(cases_of(industry.id))


def test_healthcare_page_answers_the_question_poisoning_cases_included(built_site: Path) -> None:
    html = (built_site / "industries" / "healthcare" / "index.html").read_text(encoding="utf-8")
    for case in ("healthcare-ml-poisoning-attacks", "warfarin-dosing-poisoning"):
        block = html.split(f'href="../../case-studies/{case}/"')[1].split("<h3")[0]
        assert 'href="../../challenges/data-poisoning/"' in block
        assert 'href="../security-research/"' in block  # "also filed under"
    case = (built_site / "case-studies" / "warfarin-dosing-poisoning" / "index.html").read_text()
    assert 'href="../../industries/security-research/"' in case
    assert 'href="../../industries/healthcare/"' in case


# The tools comparison ---------------------------------------------------------------------------


def test_tools_table_has_every_tool_with_its_steps_and_challenges_by_stage(
    built_site: Path,
) -> None:
    cells = [c for c in cells_of(built_site, "tools") if c["table"] == "kb-tools__coverage"]
    stages = CORPUS.live(Stage)
    assert {(c["tool"], c["data-stage"]) for c in cells} == {
        (t.id, s.id) for t in TOOLS for s in stages
    }
    for cell in cells:
        tool = CORPUS.get(Solution, cell["tool"])
        challenges = expected_view(cell)["challenges"]
        linked = {h.rstrip("/").split("/")[-1] for h in cell["links"] if "/challenges/" in h}
        assert linked == challenges, (tool.id, cell["data-stage"])
        steps = [CORPUS.get(Step, s) for s in tool.steps]
        for step in steps:
            assert (step.title in cell["text"]) == (step.stage == cell["data-stage"]), step.id
        assert (explore_link(cell) is None) == (not challenges)


def test_tools_facts_cite_their_sources_or_say_why_unknown(built_site: Path) -> None:
    html = (built_site / "tools" / "index.html").read_text(encoding="utf-8")
    facts_table = html.split('class="kb-tools__facts"')[1].split("</table>")[0]
    rows = dict(re.findall(r'<tr data-tool="([^"]+)">(.*?)</tr>', facts_table, re.S))
    assert set(rows) == {t.id for t in TOOLS}
    for tool in TOOLS:
        assert tool.tool is not None
        row = rows[tool.id]
        for name in FACTS:
            fact = getattr(tool.tool, name)
            if fact.known:
                assert f'href="{fact.source}"' in row.replace("&amp;", "&"), (tool.id, name)
            else:
                assert fact.unknown.replace("'", "&#39;") in row or fact.unknown in row
        assert row.count("<em>unknown</em>") == sum(not getattr(tool.tool, n).known for n in FACTS)


@pytest.mark.parametrize("tool", CORPUS.live(Solution), ids=lambda t: t.id)
def test_solution_page_shows_its_row_and_the_tools_sharing_its_challenges(
    built_site: Path, tool: Solution
) -> None:
    html = (built_site / "solutions" / tool.id / "index.html").read_text(encoding="utf-8")
    assert f'<tr data-tool="{tool.id}">' in html
    similar = html.split('id="similar-tools"')[1].split("<h2")[0]
    others = {t.id for t in TOOLS if t.id != tool.id and set(t.challenges) & set(tool.challenges)}
    assert set(re.findall(r'href="\.\./([^/"]+)/"', similar)) == others


def test_every_list_of_solutions_says_what_each_one_is(built_site: Path) -> None:
    labels = {"tool": "tool", "practice": "practice", "holistic-approach": "holistic approach"}
    pages = [
        *(f"challenges/{c.id}" for c in CORPUS.live(Challenge)),
        *(f"steps/{s.id}" for s in CORPUS.live(Step)),
        *(f"stages/{s.id}" for s in CORPUS.live(Stage)),
        "solutions",
    ]
    seen = 0
    for rel in pages:
        html = (built_site / rel / "index.html").read_text(encoding="utf-8")
        if rel == "solutions":
            part, prefix = html.split("<article")[1], r"(?:\./)?"
        else:
            part, prefix = html.split('id="solutions"')[1].split('id="cite"')[0], r"[./]*solutions/"
        links = re.findall(rf'href="{prefix}([a-z0-9-]+)/">[^<]*</a>( \(([a-z ]+)\))?', part)
        for target, _, kind in links:
            assert kind == labels[CORPUS.get(Solution, target).kind], (rel, target)
            seen += 1
    assert seen > 100


# In the browser: every cell opens exactly its entries --------------------------------------------

# The filter page's own script (kb-explore.js) run once per cell's address, in one loaded filter
# page: the result list it builds for each address is what a reader sees after clicking that cell
# (two real clicks below prove the cells' links lead there).
FILTER_EACH = """
async ([urls, rows, script]) => {
  const code = await (await fetch(script)).text();
  const root = document.getElementById("kb-explore");
  const out = {};
  for (const url of urls) {
    history.replaceState(null, "", url);
    for (const child of [...root.children]) {
      if (child.id !== "kb-explore-fallback") child.remove();
    }
    delete root.dataset.state;
    delete root.dataset.ready;
    const ready = new Promise((resolve, reject) => {
      const seen = new MutationObserver(() => {
        const failed = root.querySelector("[role=alert]");
        if (root.dataset.ready || failed) {
          seen.disconnect();
          if (failed) reject(new Error(url + ": " + failed.textContent));
          else resolve();
        }
      });
      seen.observe(root, { attributes: true, childList: true });
    });
    (0, eval)(code);  // starts on the address now in the location bar
    await ready;
    out[url] = [...root.querySelectorAll(rows)].map((li) => [li.dataset.collection, li.dataset.id]);
  }
  return out;
}
"""


def shown(items: list[list[str]]) -> dict[str, set[str]]:
    got = view()
    for collection, entry_id in items:
        got[collection].add(entry_id)
    return got


@pytest.mark.browser
def test_every_heatmap_and_tool_cell_opens_exactly_its_entries(
    page: Any, served_site_without_search: str, built_site: Path
) -> None:
    wanted: dict[str, dict[str, set[str]]] = {}
    first: dict[str, tuple[str, str]] = {}  # a cell of each page, to click
    for rel, cell in linked_cells(built_site):
        href = explore_link(cell)
        if href is None:
            continue
        url = urljoin(f"{served_site_without_search}{rel}/", href)
        assert urlsplit(url).path == "/explore/", url
        assert dict(parse_qsl(urlsplit(url).query)).get("collection")
        wanted.setdefault(url, expected_view(cell))
        first.setdefault(rel, (href, url))
    assert len(wanted) > 150
    assert sorted(first) == ["industries", "tools"]
    script = f"{served_site_without_search}assets/javascripts/kb-explore.js"
    page.goto(f"{served_site_without_search}explore/")
    page.wait_for_selector("#kb-explore[data-ready]")
    views = page.evaluate(FILTER_EACH, [sorted(wanted), RESULT_ROWS, script])
    assert sorted(views) == sorted(wanted)
    for url, expected in wanted.items():
        assert shown(views[url]) == expected, url
    # Clicking a cell opens that view: one heatmap cell and one tool cell.
    for rel, (href, url) in first.items():
        page.goto(f"{served_site_without_search}{rel}/")
        # The page's scripts may have made the link absolute already.
        page.locator(f'td a[href="{href}"], td a[href="{url}"]').first.click()
        page.wait_for_url(url)
        page.wait_for_selector("#kb-explore[data-ready]")
        rows = page.eval_on_selector_all(
            RESULT_ROWS, "els => els.map(e => [e.dataset.collection, e.dataset.id])"
        )
        assert shown(rows) == wanted[url], url


# The data ---------------------------------------------------------------------------------------


def test_a_second_industry_is_explained_in_the_case_provenance() -> None:
    several = [c for c in CASES if len(c.industries) > 1]
    assert {c.id for c in several} >= {
        "healthcare-ml-poisoning-attacks",
        "warfarin-dosing-poisoning",
    }
    for case in several:
        note = (case.provenance.note or "").lower()
        for industry in case.industries[1:]:
            assert CORPUS.get(Industry, industry).title.lower() in note, (case.id, industry)


def test_every_tool_records_every_fact_and_nothing_else_does() -> None:
    for solution in CORPUS.all(Solution):
        assert (solution.tool is not None) == (solution.kind == "tool"), solution.id
    for tool in TOOLS:
        assert tool.tool is not None
        assert tuple(type(tool.tool).model_fields) == FACTS
        for name in FACTS:
            fact = getattr(tool.tool, name)
            assert (fact.value is not None) == fact.known == (fact.unknown is None)
            assert bool(fact.source and fact.source_kind) == fact.known, (tool.id, name)
