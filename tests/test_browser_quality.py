"""In a real browser, over one page of every type in each edition and colour scheme: axe-core
finds no serious or critical accessibility issue, and pages make no request beyond the local
server."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, axe_script, real_corpus
from kb.models import MODELS
from kb.render import render_site
from screenshots import READY

pytestmark = pytest.mark.browser

CORPUS = real_corpus()
SOURCES = set(render_site(CORPUS)) | {
    p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")
}


def url_of(source: str) -> str:
    """The served URL (relative to the site root) of a page source such as ``a/b.md``."""
    stem = source.removesuffix(".md").removesuffix("index").rstrip("/")
    return f"{stem}/" if stem else ""


# One page of each entry type, the home page and every collection index, plus the matrix, the
# filter page and the assessment page when this branch has them.
ENTRY_PAGES = [f"{m.folder}/{CORPUS.all(m)[0].id}/" for m in MODELS]
INDEX_PAGES = [f"{m.folder}/" for m in MODELS]
EXTRA_PAGES = [
    url_of(source)
    for name in ("matrix", "explore", "assess", "about", "tools")
    for source in (f"{name}.md", f"{name}/index.md")
    if source in SOURCES
]
PAGES = ["", *INDEX_PAGES, *ENTRY_PAGES, *EXTRA_PAGES]
PAGES += [f"ja/{rel}" for rel in PAGES]  # the Japanese edition: the same pages under ja/


# The dark scheme as Material's palette toggle sets it: one attribute on the body (both palettes
# share their primary and accent colours). Then every transition it starts is brought to its end,
# or axe would measure a colour half-way (finished at once: the end state is the same as waited
# for).
TO_DARK = """async () => {
  document.body.setAttribute("data-md-color-scheme", "slate");
  for (let i = 0; i < 5; i++) {
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const running = document.getAnimations().filter(a => a.playState === "running" &&
      a.effect.getComputedTiming().iterations !== Infinity);
    if (!running.length) break;
    running.forEach(a => a.finish());
  }
}"""
ALL = {"resultTypes": ["violations"]}  # the other result types without their elements
CONTRAST = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "rule", "values": ["color-contrast"]},
}


def serious(results: dict[str, Any], where: str) -> list[str]:
    assert results["passes"], f"{where}: axe ran no check"
    return [
        f"{where} {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("edition", ["en", "ja"])
def test_every_page_type_passes_axe_and_requests_nothing_but_the_local_server(
    browser: Any, served_site: str, served_site_without_search: str, edition: str
) -> None:
    """One pass over the pages of an edition in one tab: axe finds no serious or critical issue
    in the light or the dark colour scheme, and no page asks another host for anything. Every
    problem of every page is listed at once. (A pass per edition, so that xdist can spread them.)

    The colour scheme changes colours only (Material sets one attribute; the DOM is the same):
    each page runs every axe rule in light, then switches to dark in place and runs the one rule
    colours can break, contrast. A page opened in a dark browser must come up dark by itself: the
    home page is checked so. (axe calls a contrast of exactly 1:1 "incomplete", not a violation:
    text the colour of its background may be meant to be hidden.)

    The pages come from a host whose search index holds no document (the index costs seconds of
    CPU a page and changes nothing axe reads); the pass then searches the real site, so that
    what search loads (its worker, its index and, in Japanese, a segmenter) is checked too."""
    script = axe_script()
    found: list[str] = []
    requests: list[str] = []
    context = browser.new_context(color_scheme="light")
    context.add_init_script(script)  # sent to the browser once, not once a page
    context.on("request", lambda request: requests.append(request.url))
    context.on("websocket", lambda socket: requests.append(socket.url))
    tab = context.new_page()
    pages = [rel for rel in PAGES if rel.startswith("ja/") == (edition == "ja")]
    assert len(pages) > 20
    for rel in pages:
        response = tab.goto(served_site_without_search + rel)
        assert response is not None
        assert response.ok, f"{rel}: {response.status}"
        # As a reader sees it: the filter page's list, for one, is drawn after the load event.
        tab.wait_for_function(READY, timeout=15000)
        found += serious(tab.evaluate("o => axe.run(document, o)", ALL), f"{rel or 'home'}: light")
        tab.evaluate(TO_DARK)
        found += serious(
            tab.evaluate("o => axe.run(document, o)", CONTRAST), f"{rel or 'home'}: dark"
        )

    prefix, query = ("ja/", "ドリフト") if edition == "ja" else ("", "drift")
    tab.goto(served_site + prefix)
    tab.click("label.md-search__icon, .md-search__input", timeout=5000)
    tab.fill(".md-search__input", query)
    tab.press(".md-search__input", "End")
    tab.wait_for_selector(".md-search-result__item", timeout=10000)
    tab.wait_for_load_state("networkidle")
    assert f"{served_site}{prefix}search/search_index.json" in requests
    if edition == "ja":
        assert f"{served_site}ja/assets/javascripts/lunr/tinyseg.js" in requests
    context.close()

    dark = browser.new_context(color_scheme="dark")
    dark.add_init_script(script)
    dark.on("request", lambda request: requests.append(request.url))
    tab = dark.new_page()
    tab.goto(served_site_without_search + prefix)
    assert tab.evaluate("document.body.dataset.mdColorScheme") == "slate"
    found += serious(
        tab.evaluate("o => axe.run(document, o)", CONTRAST), f"{prefix or 'home'}: opened dark"
    )
    dark.close()

    local = {urlsplit(served_site).netloc, urlsplit(served_site_without_search).netloc}
    assert len(requests) > 20
    outside = [u for u in requests if urlsplit(u).scheme not in {"data", "blob"}]
    outside = [u for u in outside if urlsplit(u).netloc not in local]
    assert found + outside == []
