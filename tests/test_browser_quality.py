"""In a real browser: pages make no request beyond the local server, and axe-core finds no
serious or critical accessibility issue (light and dark colour schemes)."""

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


def test_pages_of_every_type_request_nothing_but_the_local_server(
    page: Any, served_site: str
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: requests.append(socket.url))
    for prefix, query in (("ja/", "ドリフト"), ("", "drift")):
        for rel in ["", "challenges/", *ENTRY_PAGES]:
            page.goto(served_site + prefix + rel, wait_until="networkidle")
        # Search loads its worker and index lazily (and in Japanese a segmenter): use it too.
        page.click("label.md-search__icon, .md-search__input", timeout=5000)
        page.fill(".md-search__input", query)
        page.press(".md-search__input", "End")
        page.wait_for_selector(".md-search-result__item", timeout=10000)
        page.wait_for_load_state("networkidle")

    local = urlsplit(served_site).netloc
    assert any(u.endswith("/ja/search/search_index.json") for u in requests)
    assert any(u.endswith("/search/search_index.json") and "/ja/" not in u for u in requests)
    assert any(u.endswith("/ja/assets/javascripts/lunr/tinyseg.js") for u in requests)
    assert len(requests) > 20
    outside = [u for u in requests if urlsplit(u).scheme not in {"data", "blob"}]
    outside = [u for u in outside if urlsplit(u).netloc != local]
    assert outside == []


@pytest.mark.parametrize("edition", ["en", "ja"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_issue(
    browser: Any, served_site: str, scheme: str, edition: str
) -> None:
    """One axe pass over the pages of an edition in one tab, in one colour scheme: every problem
    of every page is listed at once. (Four passes, so that xdist can spread them.)

    The colour scheme changes colours only (Material sets one attribute; the DOM is the same), so
    the light pass runs every rule and the dark pass the one rule colours can break: contrast."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if scheme == "dark":
        options["runOnly"] = {"type": "rule", "values": ["color-contrast"]}
    found = []
    context = browser.new_context(color_scheme=scheme)
    tab = context.new_page()
    pages = [rel for rel in PAGES if rel.startswith("ja/") == (edition == "ja")]
    assert len(pages) > 20
    for rel in pages:
        response = tab.goto(served_site + rel)
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
    context.close()
    assert found == []
