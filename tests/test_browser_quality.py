"""In a real browser, over one page of every type in each edition and colour scheme: axe-core
finds no serious or critical accessibility issue, and pages make no request beyond the local
server."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import ROOT
from kb.corpus import load_corpus
from kb.models import MODELS
from kb.render import render_site

pytestmark = pytest.mark.browser

CORPUS = load_corpus(ROOT / "data")
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


@pytest.mark.parametrize("edition", ["en", "ja"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_type_passes_axe_and_requests_nothing_but_the_local_server(
    browser: Any, served_site: str, served_site_without_search: str, scheme: str, edition: str
) -> None:
    """One pass over the pages of an edition in one tab, in one colour scheme: axe finds no
    serious or critical issue, and no page asks another host for anything. Every problem of
    every page is listed at once. (Four passes, so that xdist can spread them.)

    The colour scheme changes colours only (Material sets one attribute; the DOM is the same), so
    the light pass runs every axe rule and the dark pass the one rule colours can break:
    contrast. The pages come from a host whose search index holds no document (the index costs
    seconds of CPU a page and changes nothing axe reads); the light pass then searches the real
    site, so that what search loads (its worker, its index and, in Japanese, a segmenter)
    is checked too."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if scheme == "dark":
        options["runOnly"] = {"type": "rule", "values": ["color-contrast"]}
    found = []
    requests: list[str] = []
    context = browser.new_context(color_scheme=scheme)
    context.on("request", lambda request: requests.append(request.url))
    context.on("websocket", lambda socket: requests.append(socket.url))
    tab = context.new_page()
    pages = [rel for rel in PAGES if rel.startswith("ja/") == (edition == "ja")]
    assert len(pages) > 20
    for rel in pages:
        response = tab.goto(served_site_without_search + rel)
        assert response is not None
        assert response.ok, f"{rel}: {response.status}"
        results = axe.run(tab, options=options).response
        assert results["passes"], f"{rel}: axe ran no check"
        found += [
            f"{rel or 'home'}: {scheme} {v['id']} ({v['impact']}): "
            f"{[n['target'] for n in v['nodes']][:5]}"
            for v in results["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
    if scheme == "light":
        prefix, query = ("ja/", "ドリフト") if edition == "ja" else ("", "drift")
        tab.goto(served_site + prefix)
        tab.click("label.md-search__icon, .md-search__input", timeout=5000)
        tab.fill(".md-search__input", query)
        tab.press(".md-search__input", "End")
        tab.wait_for_selector(".md-search-result__item", timeout=10000)
        tab.wait_for_load_state("networkidle")
        index = f"{served_site}{prefix}search/search_index.json"
        assert index in requests
        if edition == "ja":
            assert f"{served_site}ja/assets/javascripts/lunr/tinyseg.js" in requests
    context.close()

    local = {urlsplit(served_site).netloc, urlsplit(served_site_without_search).netloc}
    assert len(requests) > 20
    outside = [u for u in requests if urlsplit(u).scheme not in {"data", "blob"}]
    outside = [u for u in outside if urlsplit(u).netloc not in local]
    assert found + outside == []
