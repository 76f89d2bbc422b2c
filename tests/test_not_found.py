"""The 404 page: served at any depth (as GitHub Pages does), styled, and it offers a way on."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, SITE_URL, copy_project, mkdocs_build
from pages_host import pages_host

pytestmark = pytest.mark.slow


def not_found_links(html: str) -> list[str]:
    article = html.split('<div class="kb-404">', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a href="([^"]+)"', article)


def test_not_found_page_links_are_absolute_and_resolve(built_site: Path) -> None:
    html = (built_site / "404.html").read_text(encoding="utf-8")
    links = not_found_links(html)
    assert "/matrix/" in links
    assert "/challenges/" in links
    assert "/retired/" in links  # old IDs: the retired-entries index says where they went
    assert '<form class="kb-404__search" action="/" method="get"' in html
    # The matrix page comes from another feature; until it is built, it is the one allowed gap.
    allowed_missing = set() if (built_site / "matrix").is_dir() else {"/matrix/"}
    for href in links:
        assert href.startswith("/"), href  # relative links would break at depth
        if href not in allowed_missing:
            assert (built_site / href.lstrip("/") / "index.html").is_file(), href
    for asset in re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html):
        assert asset.startswith("/"), asset
        assert (built_site / asset.lstrip("/")).is_file(), asset


@pytest.fixture(scope="module")
def pages_site(built_site: Path) -> Iterator[str]:
    with pages_host(built_site) as base:
        yield base


@pytest.mark.browser
def test_not_found_page_at_depth_is_styled_and_its_search_finds_the_entry(
    page: Any, pages_site: str
) -> None:
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    response = page.goto(f"{pages_site}challenges/concept-drfit/")
    assert response.status == 404
    assert page.inner_text("article h1") == "Page not found"
    assert page.inner_text(".kb-404__path") == "/challenges/concept-drfit/"
    # Material's stylesheet loaded from the absolute path: the header is laid out, not raw HTML.
    assert page.eval_on_selector(".md-header", "e => getComputedStyle(e).position") == "sticky"
    assert failed == []
    assert [url for url in requests if not url.startswith((pages_site, "data:"))] == []
    hrefs = page.eval_on_selector_all(".kb-404 a", "els => els.map(e => e.href)")
    assert f"{pages_site}challenges/" in hrefs
    assert f"{pages_site}matrix/" in hrefs

    assert page.input_value("#kb-404-q") == "concept drfit"
    page.click(".kb-404__search button")
    page.wait_for_selector(".md-search-result__item")
    assert page.url.startswith(f"{pages_site}?q=concept")
    titles = page.eval_on_selector_all(
        ".md-search-result__item h1", "els => els.map(e => e.textContent)"
    )
    assert "Concept drift" in [t.strip() for t in titles]


def test_not_found_page_robots_and_sitemap_follow_a_subpath_site_url(tmp_path: Path) -> None:
    """The miniature corpus (the paths do not depend on it), at https://example.org/kb/."""
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "data")
    shutil.copytree(MINI, project / "data")
    config = project / "mkdocs.yml"
    text = re.sub(
        r"^site_url: .*$", "site_url: https://example.org/kb/", config.read_text(), flags=re.M
    )
    config.write_text(text)
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr

    html = (site / "404.html").read_text(encoding="utf-8")
    assert '<form class="kb-404__search" action="/kb/" method="get"' in html
    assert all(href.startswith("/kb/") for href in not_found_links(html))
    assert "/kb/challenges/" in not_found_links(html)
    assert '<link rel="stylesheet" href="/kb/assets/stylesheets/main.' in html
    assert "Sitemap: https://example.org/kb/sitemap.xml" in (site / "robots.txt").read_text()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/kb/challenges/data-discovery/</loc>" in sitemap
    assert SITE_URL not in sitemap


@pytest.mark.browser
def test_a_missing_japanese_address_gets_the_japanese_not_found_page(
    page: Any, pages_site: str
) -> None:
    """Hosts serve the root 404 page for every missing address: under /ja/ it hands over to the
    Japanese edition's, which shows the address that was followed and searches in Japanese."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{pages_site}ja/challenges/concept-drfit/")
    page.wait_for_url(f"{pages_site}ja/404.html#*")
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert page.inner_text(".kb-404__path") == "/ja/challenges/concept-drfit/"
    assert page.input_value("#kb-404-q") == "concept drfit"
    hrefs = page.eval_on_selector_all(".kb-404 a", "els => els.map(e => e.href)")
    assert f"{pages_site}ja/challenges/" in hrefs
    assert [url for url in requests if not url.startswith((pages_site, "data:"))] == []


def test_each_edition_has_its_own_not_found_page(built_site: Path) -> None:
    english = (built_site / "404.html").read_text(encoding="utf-8")
    japanese = (built_site / "ja" / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english
    assert '<html lang="ja"' in japanese
    assert "Page not found" in english
    assert "Page not found" not in japanese
    assert "/ja/challenges/" in not_found_links(japanese)
