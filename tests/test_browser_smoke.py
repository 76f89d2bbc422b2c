"""A real browser opens the served site: the home page renders and links to every stage, and
every page type starts after instant navigation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from find_helpers import serve_sitemap_locally
from kb.pagetypes import NOT_FOUND, REDIRECT
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from screenshots import FACETS_TICKED, READY, tour

pytestmark = pytest.mark.browser


def test_home_page_renders_in_chromium_and_links_every_stage(page: Any, served_site: str) -> None:
    page.goto(served_site)
    assert page.title().startswith("Deploying ML")
    hrefs = page.eval_on_selector_all("article a", "els => els.map(e => e.href)")
    for stage in ("data-management", "model-learning", "model-verification", "model-deployment"):
        assert f"{served_site}stages/{stage}/" in hrefs


# A click on a link to ``url`` from the page's content, as a reader's would be: Material's instant
# navigation takes it when its sitemap lists the page.
FOLLOW = """url => {
  const link = document.createElement("a");
  link.href = url;
  document.querySelector(".md-content").append(link);
  link.click();
}"""

NOT_READY = """() => [...document.querySelectorAll("[data-state]")]
  .filter(e => !e.hasAttribute("data-ready")).map(e => e.id || e.className)"""


def test_every_page_type_starts_after_instant_navigation(
    page: Any, built_site: Path, served_site_without_search: str
) -> None:
    """Where the site is deployed, Material swaps each page in without a reload (instant
    navigation), and every page's scripts must start then too: the assessment page did not (its
    JSON data ran as script), and no test saw it, since on 127.0.0.1 the built sitemap matches no
    link. Here the sitemap names this address; in each edition, from its home page, every page
    type is reached by a click in the same document, and each must be the page asked for, come
    without a reload, raise no error, and have every widget say it is ready."""
    base = served_site_without_search
    serve_sitemap_locally(page, base)
    where = [""]
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"{where[0]}: uncaught {error}"))
    skipped = {NOT_FOUND, REDIRECT, FACETS_TICKED}  # no page of the sitemap; the same page
    stops = [s for s in tour(built_site, ROOT / "data") if s.kind not in skipped]
    for edition in ("en", "ja"):
        page.goto(base + ("ja/" if edition == "ja" else ""))
        page.wait_for_load_state("networkidle")  # the sitemap is in: links are now intercepted
        page.evaluate("window.__kbSamePage = true")
        visited = [s for s in stops if s.edition == edition]
        assert len(visited) > 20, edition
        for stop in visited:
            where[0] = f"{edition} {stop.kind} (/{stop.path})"
            page.evaluate(FOLLOW, base + stop.path)
            page.wait_for_url(base + stop.path)
            try:
                page.wait_for_function(READY, timeout=10000)
            except PlaywrightTimeout:
                problems.append(f"{where[0]}: never ready: {page.evaluate(NOT_READY)}")
            if page.evaluate("window.__kbSamePage") is not True:
                problems.append(f"{where[0]}: reloaded, not swapped in")
                page.evaluate("window.__kbSamePage = true")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
