"""Finding things: one-line summaries in every listing, where-am-I on entry pages, a matrix that
fits, a filter page that answers where the eye is, and search that understands practitioners.

HTML tests read the strict build of the real site; browser tests drive Debian's chromium against
it at a laptop size (1366x900) and a phone size (390x844). Expected summaries are the first
sentence of each entry's YAML summary; the search queries and the ranks they must reach are data
(tests/search_queries.yaml), written before the search was tuned.
"""

from __future__ import annotations

import base64
import contextlib
import html
import itertools
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINI, ROOT, copy_project, mkdocs_build, real_corpus
from find_helpers import (
    checkbox,
    found,
    found_each,
    open_explore,
    search,
    serve_sitemap_locally,
)
from kb.excerpt import first_sentence, one_line, plain
from kb.models import (
    CaseStudy,
    Challenge,
    Entity,
    Industry,
    PaperSection,
    Reference,
    Solution,
    Stage,
    Step,
)

CORPUS = real_corpus()
QUERIES = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8"))
VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


# The one-line summary ---------------------------------------------------------------------------


def test_one_line_is_the_first_sentence_without_markdown() -> None:
    assert plain(
        "A **b**, *c* and _d_ in `p(X, y)`, [a link](https://x.org) and <https://y.org>."
    ) == ("A b, c and d in p(X, y), a link and https://y.org.")
    assert plain(r"snake_case_name and \*literal\* stars") == "snake_case_name and *literal* stars"
    assert one_line("Kandel et al. interviewed analysts. Then more.") == (
        "Kandel et al. interviewed analysts."
    )
    assert one_line("A briefing on AIOps, i.e. DevOps for AI. Next.") == (
        "A briefing on AIOps, i.e. DevOps for AI."
    )
    assert one_line("Version 2.0 of it. Next.") == "Version 2.0 of it."
    assert first_sentence("一文目です。二文目です。") == "一文目です。"
    assert first_sentence("x" * 300, limit=10) == "x" * 9 + "…"
    assert one_line(None) == ""


# Listings: every row shows its summary -----------------------------------------------------------


class Listing(HTMLParser):
    """The rows of every ``.kb-listing`` table: the first link of each row and each cell's text."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # > 0 inside a .kb-listing
        self.rows: list[dict[str, Any]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and "kb-listing" in (a.get("class") or "").split():
            self.depth = 1
        elif not self.depth:
            return
        elif tag == "div":
            self.depth += 1
        elif tag == "tr" and self.rows is not None:
            self.rows.append({"href": None, "cells": [], "labels": []})
        elif tag == "td":
            self.cell = []
            self.rows[-1]["cells"].append(self.cell)
            self.rows[-1]["labels"].append(a.get("data-label"))
        elif tag == "a" and self.cell is not None and self.rows[-1]["href"] is None:
            self.rows[-1]["href"] = a.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth -= 1
        elif tag == "td":
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def listing_rows(site: Path, url: str) -> list[dict[str, Any]]:
    parser = Listing()
    parser.feed((site / url / "index.html").read_text(encoding="utf-8"))
    rows = [r for r in parser.rows if r["cells"]]
    for row in rows:
        row["cells"] = [html.unescape("".join(c)).strip() for c in row["cells"]]
    return rows


def entry_of(href: str, url: str) -> Entity:
    """The entry a link of the page at ``url`` leads to."""
    folder, entry_id = posixpath.normpath(posixpath.join(url, href)).split("/")[-2:]
    return CORPUS.entities[folder][entry_id]


def markdown_marks_out(text: str) -> str:
    """The YAML summaries use only code spans and emphasis: take their marks out."""
    return re.sub(r"[`*]", "", " ".join(text.split()))


LISTINGS: dict[str, list[Entity]] = {
    "challenges": list(CORPUS.live(Challenge)),
    "case-studies": list(CORPUS.live(CaseStudy)),
    "solutions": list(CORPUS.live(Solution)),
    "references": list(CORPUS.live(Reference)),
    "stages": list(CORPUS.live(Stage)),
    "steps": list(CORPUS.live(Step)),
    "paper": list(CORPUS.live(PaperSection)),
}
# A stage's or step's table lists the challenges of its own origin; additions placed under a
# survey step are listed apart, below it.
for stage in CORPUS.live(Stage):
    LISTINGS[f"stages/{stage.id}"] = [
        c
        for step in CORPUS.steps_of(stage)
        for c in CORPUS.challenges_of(step)
        if c.origin == stage.origin
    ]
for step in CORPUS.live(Step):
    LISTINGS[f"steps/{step.id}"] = [
        c for c in CORPUS.challenges_ever_under(step) if c.origin == step.origin
    ]


@pytest.mark.parametrize("url", sorted(LISTINGS), ids=str)
def test_every_listing_row_shows_the_entry_and_its_one_line_summary(
    built_site: Path, url: str
) -> None:
    rows = listing_rows(built_site, url)
    entries = [entry_of(r["href"], url) for r in rows]
    # A case study of several industries is listed under each of them.
    assert {e.id for e in entries} == {e.id for e in LISTINGS[url]}
    for row, entry in zip(rows, entries, strict=True):
        assert row["cells"][0].startswith(entry.title)  # a solution adds its kind
        if entry.summary:
            # The summary's first sentence, without Markdown (an ellipsis past 200 characters).
            shown = row["cells"][1]
            assert markdown_marks_out(entry.summary).startswith(shown.removesuffix("…"))
            assert shown.endswith((".", "!", "?", "…")), shown
        else:
            assert row["cells"][1] == "—"
        assert all(row["labels"]), "every cell names its column for the phone layout"


def test_challenge_listings_count_case_studies_and_solutions(built_site: Path) -> None:
    rows = {entry_of(r["href"], "challenges").id: r for r in listing_rows(built_site, "challenges")}
    for c in CORPUS.live(Challenge):
        cases = len(CORPUS.referrers(c, CaseStudy, "challenges"))
        solutions = len(CORPUS.referrers(c, Solution, "challenges"))
        step = CORPUS.step_of(c)
        assert rows[c.id]["cells"][2].startswith(step.title)
        assert rows[c.id]["cells"][3:] == [str(cases), str(solutions)], c.id


# Where am I: breadcrumbs and the active tab ------------------------------------------------------


def crumbs_and_tab(page_html: str) -> tuple[list[tuple[str, str]], str]:
    path = page_html.split('<nav class="md-path"', 1)[1].split("</nav>", 1)[0]
    crumbs = [
        (href, html.unescape(text.strip()))
        for href, text in re.findall(
            r'<a href="([^"]*)" class="md-path__link">\s*<span class="md-ellipsis">\s*([^<]*)',
            path,
        )
    ]
    tab = re.search(
        r'<li class="md-tabs__item md-tabs__item--active">\s*<a [^>]*>\s*([^<]*?)\s*</a>',
        page_html,
    )
    return crumbs, tab[1] if tab else ""


def where(entry: Entity) -> tuple[list[tuple[str, str]], str]:
    """The breadcrumb (after Home) and the tab an entry page should show."""
    here = f"{entry.folder}/{entry.id}"

    def crumb(target: str, title: str) -> tuple[str, str]:
        return posixpath.relpath(target, here) + "/", title

    if entry.retired:
        return [crumb("retired", "Retired entries")], "Contribute"
    if isinstance(entry, Challenge):
        stage, step = CORPUS.stage_of(entry), CORPUS.step_of(entry)
        return [
            crumb("challenges", "Challenges"),
            crumb(f"stages/{stage.id}", stage.title),
            crumb(f"steps/{step.id}", step.title),
        ], "Challenges"
    if isinstance(entry, Step):
        stage = CORPUS.get(Stage, entry.stage)
        return [crumb("stages", "Workflow stages"), crumb(f"stages/{stage.id}", stage.title)], (
            "Challenges"
        )
    if isinstance(entry, Industry):
        return [crumb("case-studies", "Case studies"), crumb("industries", "Industries")], (
            "Case studies"
        )
    listing, tab = {
        Stage: ("Workflow stages", "Challenges"),
        CaseStudy: ("Case studies", "Case studies"),
        Solution: ("Solutions", "Solutions"),
        Reference: ("References", "The survey"),
        PaperSection: ("The survey", "The survey"),
    }[type(entry)]
    return [crumb(entry.folder, listing)], tab


ENTRIES = [e for folder in CORPUS.entities.values() for e in folder.values()]


def test_every_entry_page_shows_its_breadcrumb_and_lights_up_its_tab(built_site: Path) -> None:
    wrong = {}
    for entry in ENTRIES:
        page_html = (built_site / entry.folder / entry.id / "index.html").read_text("utf-8")
        crumbs, tab = crumbs_and_tab(page_html)
        if crumbs[:1] != [("../..", "Home")] or (crumbs[1:], tab) != where(entry):
            wrong[f"{entry.folder}/{entry.id}"] = (crumbs, tab)
    assert wrong == {}


def test_nav_pages_keep_their_own_breadcrumb_and_tab(built_site: Path) -> None:
    page_html = (built_site / "matrix" / "index.html").read_text(encoding="utf-8")
    crumbs, tab = crumbs_and_tab(page_html)
    assert [text for _, text in crumbs] == ["Home", "Challenges"]
    assert tab == "Challenges"


def test_a_moved_page_that_comes_back_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "data")  # the miniature corpus: the check does not depend on it
    shutil.copytree(MINI, project / "data")
    (project / "docs" / "tags.md").write_text("# Tags\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "moved_pages: tags/ is still a page; its redirect would replace it" in result.stderr


# In the browser: the matrix -----------------------------------------------------------------------

VISIBLE_CHALLENGES = """
() => [...document.querySelectorAll(".kb-matrix-view li a")]
  .filter(a => a.offsetParent !== null)
  .map(a => { const r = a.getBoundingClientRect(); return [a.href, r.left, r.right]; })
"""


SHOWN_VIEWS = """
() => [...document.querySelectorAll(".kb-matrix-view")]
  .filter(e => e.offsetParent !== null).map(e => e.id)
"""


def assert_view(page: Any, anchor: str) -> None:
    """Exactly one matrix view is shown, the one of ``anchor`` (a click may apply a moment after
    the address changes)."""
    with contextlib.suppress(Exception):  # the assertion below says what is shown instead
        page.wait_for_function(
            f"() => ({SHOWN_VIEWS.strip()})().join() === {anchor!r}", timeout=5000
        )
    assert page.evaluate(SHOWN_VIEWS) == [anchor]


@pytest.mark.browser
@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_matrix_challenge_fits_the_width_of_the_screen(
    browser: Any, served_site_without_search: str, size: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    for anchor, version in (("", "acm-2022"), ("#arxiv-2020", "arxiv-2020")):
        page.goto(f"{served_site_without_search}matrix/{anchor}")
        assert_view(page, version)
        width = page.evaluate("window.innerWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        links = page.evaluate(VISIBLE_CHALLENGES)
        placed = "arxiv_2020" if version == "arxiv-2020" else "acm_2022"
        assert len(links) == sum(
            not c.addition and bool(getattr(c.placements, placed)) for c in CORPUS.live(Challenge)
        )
        # The band of additions beyond Table 1 must fit as well.
        added = page.evaluate(VISIBLE_CHALLENGES.replace(".kb-matrix-view", ".kb-matrix-additions"))
        assert len(added) == sum(c.addition for c in CORPUS.live(Challenge))
        outside = [href for href, left, right in links + added if left < 0 or right > width]
        assert outside == []
        if size == "laptop":  # every stage side by side, the cross-cutting aspects included
            tops = page.eval_on_selector_all(
                f"#{version} .kb-matrix__stage",
                "els => els.map(e => e.getBoundingClientRect().top)",
            )
            table_1 = [s for s in CORPUS.live(Stage) if s.origin == "survey"]  # the matrix's
            assert len(tops) == len(table_1)
            assert max(tops) - min(tops) < 1
    context.close()


@pytest.mark.browser
def test_the_version_switch_works_with_and_without_javascript(
    browser: Any, served_site_without_search: str
) -> None:
    for javascript in (True, False):
        context = browser.new_context(java_script_enabled=javascript)
        page = context.new_page()
        page.goto(f"{served_site_without_search}matrix/")
        assert_view(page, "acm-2022")
        page.locator("#acm-2022 .kb-versions a", has_text="arXiv 2020").click()
        page.wait_for_url("**/matrix/#arxiv-2020")
        assert_view(page, "arxiv-2020")
        page.locator("#arxiv-2020 .kb-versions a", has_text="ACM 2022").click()
        page.wait_for_url("**/matrix/#acm-2022")
        assert_view(page, "acm-2022")
        page.goto(f"{served_site_without_search}matrix/#changes")
        assert_view(page, "acm-2022")
        context.close()


# In the browser: the filter page ------------------------------------------------------------------

IN_VIEW = """
el => { const r = el.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }
"""


@pytest.mark.browser
@pytest.mark.parametrize("size", VIEWPORTS)
def test_ticking_a_facet_changes_what_is_in_view(
    browser: Any, served_site_without_search: str, size: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    open_explore(page, f"{served_site_without_search}explore/")
    status = page.locator(".kb-explore__count")
    results = page.locator(".kb-explore__results > li")
    assert results.first.evaluate(IN_VIEW), "results start in the first screen"
    facets = page.eval_on_selector_all(
        "#kb-explore details[data-facet]",
        "els => els.map(e => [e.dataset.facet, e.querySelector('input').value])",
    )
    assert len(facets) >= 7
    for facet, option in facets:
        box = checkbox(page, facet, option)
        details = page.locator(f'#kb-explore details[data-facet="{facet}"]')
        if not details.evaluate("d => d.open"):
            details.locator("summary").click()  # a phone shows facets folded
        box.scroll_into_view_if_needed()
        before = status.text_content()
        box.check()
        assert status.text_content() != before, (facet, option)
        assert status.evaluate(IN_VIEW), f"{size}: the count is out of view after {facet}"
        if size == "laptop":  # the results sit beside the facets, wherever the box is
            shown = results.evaluate_all(f"els => els.some({IN_VIEW.strip()})")
            assert shown, f"no result in view after {facet}"
        else:  # right below the one open facet, whichever box was ticked
            assert results.first.evaluate(BELOW_THE_BAR), f"phone: no result in view after {facet}"
        box.uncheck()
    context.close()


# The first result's title line shows between the sticky bar and the bottom of the screen.
BELOW_THE_BAR = """
el => { const bar = document.querySelector(".kb-explore__bar");
        if (!el || !bar) return false;
        const r = el.getBoundingClientRect();
        return r.top >= bar.getBoundingClientRect().bottom - 1 && r.top + 24 <= innerHeight; }
"""


@pytest.mark.browser
def test_show_the_results_leads_to_them_on_a_phone(
    browser: Any, served_site_without_search: str
) -> None:
    """With instant navigation on, as where the site is deployed: the jump link is followed."""
    context = browser.new_context(viewport=VIEWPORTS["phone"], has_touch=True, is_mobile=True)
    page = context.new_page()
    serve_sitemap_locally(page, served_site_without_search)
    open_explore(
        page, f"{served_site_without_search}explore/?industry=finance"
    )  # a long facet open
    first = page.locator(".kb-explore__results > li").first
    assert not first.evaluate(BELOW_THE_BAR), "the first result starts in view: nothing to test"
    page.locator(".kb-explore__jump").tap()
    page.wait_for_url("**/explore/?industry=finance#kb-explore-results")
    page.wait_for_function(f"() => ({BELOW_THE_BAR.strip()})({FIRST_RESULT})", timeout=5000)
    assert page.evaluate("document.querySelectorAll('#kb-explore .kb-explore__form').length") == 1
    context.close()


FIRST_RESULT = "document.querySelector('.kb-explore__results > li')"


@pytest.mark.browser
def test_a_skip_link_takes_the_keyboard_past_the_filters(
    browser: Any, served_site_without_search: str
) -> None:
    """On a laptop the results sit beside the filters; from the top of the page the keyboard
    reaches the first result through a skip link, not through every checkbox."""
    context = browser.new_context(viewport=VIEWPORTS["laptop"])
    page = context.new_page()
    serve_sitemap_locally(page, served_site_without_search)
    open_explore(page, f"{served_site_without_search}explore/")
    skip = page.locator(".kb-explore__jump")
    hidden = skip.bounding_box()
    assert hidden is None or hidden["width"] <= 1, "the skip link shows only when focused"
    for _ in range(40):
        page.keyboard.press("Tab")
        if skip.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("no skip link to the results within 40 Tab presses from the top")
    assert skip.bounding_box()["width"] > 40, "the focused skip link is visible"
    assert skip.evaluate(IN_VIEW)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.wait_for_function(f"() => document.activeElement === {FIRST_RESULT}.querySelector('a')")
    assert page.evaluate(f"() => ({BELOW_THE_BAR.strip()})({FIRST_RESULT})")
    context.close()


FOCUSABLE = (
    ".kb-explore__bar :is(a, button):not(:disabled), .kb-explore__form :is(summary, input),"
    " .kb-explore__results > li:first-child a"
)


# The controls to check, kept in the page (window.__kbControls) so that each step below is one
# round trip: those of ``indexes`` among the matches of ``selector``, or with ``kinds`` the first
# of each kind among them; returns how many.
CONTROLS = """
([selector, indexes, kinds]) => {
  const all = document.querySelectorAll(selector);
  const seen = new Set();
  window.__kbControls = indexes.map((i) => all[i]).filter((e) => {
    const kind = e.tagName + (e.closest("li") ? " li" : "");
    if (kinds && seen.has(kind)) return false;
    seen.add(kind);
    return true;
  });
  return window.__kbControls.length;
}
"""

# Control ``first`` at the top of the middle half of the screen (clear of the sticky header and
# bar), as near as its scrolling boxes go, nothing focused; then the box, with a margin for the
# focus ring in whole pixels of the viewport, of it and of each control after it that lies in
# that middle half.
PLACE = """
(first) => {
  const controls = window.__kbControls;
  const box = (e) => {
    const r = e.getBoundingClientRect();
    const x = Math.max(Math.floor(r.left) - 6, 0), y = Math.max(Math.floor(r.top) - 6, 0);
    const right = Math.min(Math.ceil(r.right) + 6, innerWidth);
    const bottom = Math.min(Math.ceil(r.bottom) + 6, innerHeight);
    return { x, y, width: right - x, height: bottom - y };
  };
  const e = controls[first];
  e.scrollIntoView({ block: "center" });
  let off = e.getBoundingClientRect().top - innerHeight / 4 - 8;
  for (let up = e.parentElement; up && Math.abs(off) > 1; up = up.parentElement) {
    const scroller = up === document.body ? document.scrollingElement : up;
    const before = scroller.scrollTop;
    scroller.scrollTop += off;
    off -= scroller.scrollTop - before;
  }
  if (document.activeElement) document.activeElement.blur();
  const boxes = [box(e)];
  for (const next of controls.slice(first + 1)) {
    const b = box(next);
    if (b.y < innerHeight / 4 || b.y + b.height > innerHeight * 3 / 4) break;
    boxes.push(b);
  }
  return boxes;
}
"""

# Whether each clip (a PNG, base64) shows the same pixels as its box of the screenshot taken
# with nothing focused.
SAME_PIXELS = """
async ([screen, clips]) => {
  const pixels = async (png) => {
    const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
    const image = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    return context;
  };
  const unfocused = await pixels(screen);
  const same = [];
  for (const [box, png] of clips) {
    const a = unfocused.getImageData(box.x, box.y, box.width, box.height).data;
    const b = (await pixels(png)).getImageData(0, 0, box.width, box.height).data;
    same.push(a.length === b.length && a.every((value, i) => value === b[i]));
  }
  return same;
}
"""


# The indexes of the elements of a selector that are on screen, as Playwright's is_visible()
# decides (a box that is not empty, and not visibility: hidden), in one call instead of one each.
VISIBLE = """
selector => [...document.querySelectorAll(selector)].flatMap((element, i) => {
  const box = element.getBoundingClientRect();
  const hidden = getComputedStyle(element).visibility === "hidden";
  return box.width > 0 && box.height > 0 && !hidden ? [i] : [];
})
"""


def unchanged_by_focus(page: Any) -> list[str]:
    """The controls (:data:`CONTROLS`) that look the same focused as unfocused.

    One screenshot with nothing focused serves every control in the middle of the screen at once;
    each control is then focused in turn (the page does not scroll) and its box shot alone. The
    first control of each screen is also shot unfocused, which must match that screen: else the
    boxes are misplaced and every comparison would differ, whatever the focus looked like."""
    unchanged = []
    done, total = 0, page.evaluate("window.__kbControls.length")
    while done < total:
        boxes = page.evaluate(PLACE, done)
        scrolled = page.evaluate("[scrollX, scrollY]")
        screen = page.screenshot(animations="disabled")
        clips = [(boxes[0], page.screenshot(clip=boxes[0], animations="disabled"))]
        for i, box in enumerate(boxes, done):
            page.evaluate("i => window.__kbControls[i].focus({ preventScroll: true })", i)
            clips.append((box, page.screenshot(clip=box, animations="disabled")))
        assert page.evaluate("[scrollX, scrollY]") == scrolled, "focusing scrolled the page"
        encoded = [(box, base64.b64encode(png).decode()) for box, png in clips]
        same = page.evaluate(SAME_PIXELS, [base64.b64encode(screen).decode(), encoded])
        assert same[0], "the screenshot and a clip of it disagree: the comparison is blind"
        for i, alike in enumerate(same[1:], done):
            if alike:
                unchanged.append(
                    page.evaluate("i => window.__kbControls[i].outerHTML.slice(0, 60)", i)
                )
        done += len(boxes)
    return unchanged


@pytest.mark.browser
@pytest.mark.heavy
@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_control_of_the_filter_page_shows_keyboard_focus(
    browser: Any, served_site_without_search: str, size: str
) -> None:
    """axe cannot see a missing focus indicator: compare each control focused and unfocused.

    Every control at laptop size; on a phone (the same style rules) one control of each kind.
    """
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    # A case study first: its result also links the challenges it illustrates.
    open_explore(
        page, f"{served_site_without_search}explore/?collection=case-studies&industry=finance"
    )
    page.eval_on_selector_all("#kb-explore details", "els => els.forEach(d => { d.open = true; })")
    page.keyboard.press("Tab")  # focus from the keyboard, as :focus-visible expects
    visible = page.evaluate(VISIBLE, FOCUSABLE)
    assert page.evaluate(CONTROLS, [FOCUSABLE, visible, False]) > 50
    if size == "phone":
        # link and button of the bar, summary, checkbox, result link
        assert page.evaluate(CONTROLS, [FOCUSABLE, visible, True]) >= 4
    assert unchanged_by_focus(page) == []
    context.close()


# In the browser: one click to the deployment challenges and what each means -----------------------


@pytest.mark.browser
@pytest.mark.parametrize("size", VIEWPORTS)
def test_one_click_from_home_lists_deployment_challenges_with_their_meaning(
    browser: Any, served_site_without_search: str, size: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    page.goto(served_site_without_search)
    stage = CORPUS.get(Stage, "model-deployment")
    page.locator("#model-deployment + p a", has_text=stage.title).click()
    page.wait_for_url(f"**/stages/{stage.id}/")
    rows = page.locator(".kb-listing tbody tr")
    challenges = [c for step in CORPUS.steps_of(stage) for c in CORPUS.challenges_of(step)]
    assert rows.count() == len(challenges)
    width = page.evaluate("window.innerWidth")
    for row, challenge in zip(rows.all(), challenges, strict=True):
        cells = row.locator("td")
        assert cells.nth(0).inner_text().strip() == challenge.title
        summary = cells.nth(1)
        assert summary.inner_text().strip() == one_line(challenge.summary)
        box = summary.bounding_box()
        assert box["width"] > 100
        assert 0 <= box["x"] <= box["x"] + box["width"] <= width
    context.close()


# In the browser: concept and abbreviation queries -------------------------------------------------


EDITION_OF = {"japanese": "ja/"}
"""The edition each group of queries is searched in (the English one by default)."""


@pytest.mark.browser
@pytest.mark.parametrize("group", sorted(set(QUERIES) - {"stray_words"}))
def test_concept_and_abbreviation_queries_reach_their_ranks(search_pages: Any, group: str) -> None:
    page = search_pages(EDITION_OF.get(group, ""))
    cases = QUERIES[group]
    missed = {}
    for case, answer in zip(cases, found_each(page, [c["query"] for c in cases]), strict=True):
        pages = [p for p, _ in answer]
        rank = pages.index(case["expect"]) + 1 if case["expect"] in pages else None
        if rank is None or rank > case["rank"]:
            missed[case["query"]] = (rank, pages[:3])
    assert missed == {}


@pytest.mark.browser
def test_a_multi_word_query_lists_pages_matching_every_word_first(search_pages: Any) -> None:
    queries = ["model monitoring", "data drift", "adversarial attack", "legal compliance"]
    wrong = {}
    for query, answer in zip(queries, found_each(search_pages(""), queries), strict=True):
        matched = [every for _, every in answer]
        if not matched or not matched[0]:
            wrong[query] = "the first result does not match every word"
        elif any(later and not earlier for earlier, later in itertools.pairwise(matched)):
            wrong[query] = f"a page matching every word follows one that does not: {matched}"
    assert wrong == {}


@pytest.mark.browser
def test_no_tool_page_ranks_on_a_word_of_its_facts_alone(search_pages: Any) -> None:
    """A tool page's facts section ("By workflow stage": its row of the comparison, then its
    facts) holds words about where facts were read; a query must not find a tool page among its
    first results on such a word alone (tests/search_queries.yaml, stray_words)."""
    page = search_pages("")
    box = page.locator("input.md-search__input")
    tools = {f"solutions/{t.id}/" for t in CORPUS.live(Solution) if t.kind == "tool"}
    stray = {}
    for case in QUERIES["stray_words"]:
        search(page, box, case["query"])
        for rank, group in enumerate(found(page)[: case["rank"]], 1):
            if group["page"] not in tools:
                continue
            facts = group["page"] + "#comparison"
            elsewhere = {t for at, terms in group["sections"].items() if at != facts for t in terms}
            only_there = set(group["sections"].get(facts, [])) - elsewhere
            if only_there:
                stray[case["query"]] = (rank, group["page"], sorted(only_there))
    assert stray == {}
