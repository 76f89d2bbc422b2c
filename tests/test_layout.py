"""Layout of every page type, both editions, on a laptop (1366x900) and a phone (390x844).

The page types come from the built site (kb.pagetypes: every page of the sitemap classified,
plus the 404 page and redirect pages), and a small site where an entry was retired adds the
tombstone and a non-empty list of retired entries. On each page, in a real browser
(tests/layout_check.js):
- the document never scrolls sideways, and nothing in the header, the content or the footer
  sticks out of the viewport or is cut off by a box that cannot scroll: a wide table scrolls
  inside its own region;
- no two visible links, buttons, labels, summaries, form fields or headings overlap;
- text stays readable: no word split across lines, no Japanese squeezed to two characters a
  line (a column too narrow), no text upside down.
Every problem of every page is listed at once: page, viewport, and the elements with their text.
The same tours check that no page asks another host for anything, the phone tour checks each
page's language switcher (tests/test_editions.py says how), and the laptop tour runs axe on one
page of each type (tests/test_browser_quality.py says which, and how): a page is loaded once for
all of these.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, axe_script
from kb.pagetypes import NOT_FOUND, REDIRECT
from screenshots import FACETS_TICKED, VIEWPORTS, Stop, open_ready, serve, tour
from test_browser_quality import AXE_TYPES, axe_problems, axe_type, outside
from test_editions import switcher_problems

pytestmark = pytest.mark.slow

# What the brief of the layout test names; the derived tour must cover at least these, so a
# broken derivation (an empty sitemap, a fixture that retires nothing) cannot pass unseen.
REQUIRED = {
    "home",
    *(f"{folder} index" for folder in ("challenges", "case-studies", "solutions", "references")),
    *(f"{folder} index" for folder in ("stages", "steps", "industries", "paper")),
    "challenges entry",
    "case-studies entry (case-study)",
    "solutions entry (tool)",
    "solutions entry (practice)",
    "solutions entry (holistic-approach)",
    "references entry",
    "stages entry",
    "steps entry",
    "industries entry",
    "paper entry",
    "challenges tombstone",
    *("matrix", "explore", FACETS_TICKED, "tools", "assess", "about", "editorial-status"),
    *("changes", "retired", "contributing", REDIRECT, NOT_FOUND),
}

# Runs in the page (tests/layout_check.js says what it checks); returns every problem as text.
CHECK = (Path(__file__).parent / "layout_check.js").read_text(encoding="utf-8")


def layout_problems(tab: Any) -> list[str]:
    """Every layout problem of the page open in ``tab`` (see :data:`CHECK`)."""
    problems: list[str] = tab.evaluate(CHECK)
    return problems


@pytest.fixture(scope="module")
def stops(built_site: Path, lifecycle_project: Path) -> list[Stop]:
    """The real site's tour, and from the small site what only it has (its tombstones, its
    list of retired entries)."""
    real = tour(built_site, ROOT / "data", "real")
    known = {(s.edition, s.kind) for s in real}
    small = tour(lifecycle_project / "site", lifecycle_project / "data", "lifecycle")
    extra = [s for s in small if (s.edition, s.kind) not in known or s.kind == "retired"]
    return real + extra


@pytest.fixture(scope="module")
def bases(built_site: Path, lifecycle_project: Path) -> Iterator[dict[str, str]]:
    with (
        serve(built_site, search=False) as real,
        serve(lifecycle_project / "site", search=False) as small,
    ):
        yield {"real": real, "lifecycle": small}


def test_the_tour_covers_every_page_type_of_both_editions(stops: list[Stop]) -> None:
    for edition in ("en", "ja"):
        kinds = {s.kind for s in stops if s.edition == edition}
        assert kinds >= REQUIRED, f"{edition}: no page of {sorted(REQUIRED - kinds)}"


@pytest.mark.browser
@pytest.mark.heavy
@pytest.mark.parametrize("edition", ["en", "ja"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_page_scrolls_sideways_or_overlaps(
    browser: Any, stops: list[Stop], bases: dict[str, str], viewport: str, edition: str
) -> None:
    """The layout of every page type of one edition at one size, every problem listed at once.

    The same tour checks that each page comes with status 200 and asks no other host for
    anything; on a phone, that its language switcher leads to the same page in each edition
    (test_editions says how); on a laptop, it runs axe on one page of each type
    test_browser_quality names, light then dark. One load a page serves every check. (One test
    per edition and size, so that xdist can spread them.)"""
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.on("websocket", lambda socket: requests.append(socket.url))
    tab = context.new_page()
    found, axed = [], set()
    try:
        for stop in (s for s in stops if s.edition == edition):
            response = open_ready(tab, bases[stop.site], stop)
            where = f"{stop.edition} {stop.kind} (/{stop.path}), {viewport} {width}x{height}"
            if stop.kind != NOT_FOUND and response is not None and response.status != 200:
                found.append(f"{where}: status {response.status}")
            found += [f"{where}: {p}" for p in layout_problems(tab)]
            # (Facets ticked too: the filter page keeps them in the address, and the links must
            # follow it, or a copied link would lose them.)
            if viewport == "phone" and stop.kind != NOT_FOUND:
                found += [
                    f"{where}: {p}" for p in switcher_problems(tab, bases[stop.site], edition)
                ]
            kind = axe_type(stop.kind) if stop.site == "real" else None
            if viewport == "laptop" and kind and kind not in axed:
                axed.add(kind)
                tab.evaluate(axe_script())
                found += axe_problems(tab, where)
    finally:
        context.close()
    assert viewport != "laptop" or axed == AXE_TYPES, f"axe never ran on {AXE_TYPES - axed}"
    assert len(requests) > len(stops) // 2
    found += [f"request to another host: {u}" for u in outside(requests, *bases.values())]
    assert not found, f"{len(found)} problems:\n" + "\n".join(found)


# One page with one defect of each kind the check looks for, and one page with none.
DEFECTS = """<div class="md-content" style="width: 300px; font: 16px sans-serif">
<a href="#a" style="display: block">Overlapping link</a>
<a href="#b" style="display: block; margin-top: -1em">Other link</a>
<p style="width: 600px">A paragraph wider than the viewport</p>
<div style="overflow-x: hidden; width: 100px"><table><tr><td style="white-space: nowrap">
a wide table cut off without a scroll bar</td></tr></table></div>
<p style="width: 40px; overflow-wrap: anywhere">Interpretability</p>
<p lang="ja" style="width: 20px">データの散在</p>
<p style="transform: rotate(180deg)">Upside down</p>
</div>"""
CLEAN = """<div class="md-content" style="width: 300px; font: 16px sans-serif">
<h1>A heading</h1><p><a href="#a">One link</a> and <a href="#b">another</a>, on a line.</p>
<div style="overflow-x: auto"><table><tr><td style="white-space: nowrap">
a wide table that scrolls in its own region, as it should</td></tr></table></div>
<p lang="ja" style="writing-mode: vertical-rl">縦書き</p>
</div>"""


@pytest.mark.browser
def test_the_layout_check_finds_each_kind_of_defect(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_content(CLEAN)
    assert layout_problems(page) == []
    page.set_content(DEFECTS)
    found = "\n".join(layout_problems(page))
    for expected in (
        "the document scrolls sideways",
        "sticks out of the 390 px viewport",
        'overlap: <a> "Overlapping link" and <a> "Other link"',
        "cut off at 100 px without a scroll bar",
        'words split across lines (Interpretability): <p> "Interpretability"',
        'text squeezed to two characters a line: <p> "データの散在"',
        'text upside down: <p> "Upside down"',
    ):
        assert expected in found, f"{expected!r} not in:\n{found}"
