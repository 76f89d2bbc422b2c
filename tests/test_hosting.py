"""Hosting: the sitemap lists exactly the live pages, with canonical URLs; robots.txt; edit links.

All checks read the real site built once per session (``built_site``).
"""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import REPO_URL, ROOT, SITE_URL, real_corpus
from kb.render import page_path, render_site

pytestmark = pytest.mark.slow
CORPUS = real_corpus()
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def url_of(page: str) -> str:
    """The public URL of a page path under docs/ (directory URLs: ``a/b.md`` -> ``a/b/``)."""
    stem = page.removesuffix(".md")
    stem = "" if stem == "index" else stem.removesuffix("/index")
    return SITE_URL + (f"{stem}/" if stem else "")


def html_of(site: Path, url: str) -> str:
    return (site / url.removeprefix(SITE_URL) / "index.html").read_text(encoding="utf-8")


def sitemap_urls(site: Path) -> list[str]:
    root = ET.parse(site / "sitemap.xml").getroot()
    return [loc.text or "" for loc in root.iterfind("sm:url/sm:loc", SITEMAP_NS)]


def entry_pages() -> dict[str, str]:
    """``{page path: data file}`` of every live entry of the corpus."""
    return {page_path(e): CORPUS.path_of(e) for f in CORPUS.entities.values() for e in f.values()}


def test_sitemap_lists_every_live_entry_and_every_other_page_exactly_once(built_site: Path) -> None:
    urls = sitemap_urls(built_site)
    assert len(urls) == len(set(urls)), "a page is listed twice"
    entries = {url_of(p) for p in entry_pages()}
    assert len(entries) == sum(len(f) for f in CORPUS.entities.values())
    assert entries - set(urls) == set(), "live entries missing from the sitemap"
    generated = {url_of(p) for p in render_site(CORPUS)}  # entries, indexes, other pages
    hand_written = {
        url_of(p.relative_to(ROOT / "docs").as_posix())
        for p in (ROOT / "docs").rglob("*.md")
        if not p.relative_to(ROOT / "docs").as_posix().startswith("ja/")
    }
    english = generated | hand_written
    # The Japanese edition has the same pages under ja/ (tests/test_editions.py checks them).
    japanese = {SITE_URL + "ja/" + u.removeprefix(SITE_URL) for u in english}
    assert set(urls) == english | japanese
    assert SITE_URL in urls  # the home page


def test_sitemap_lists_every_live_page_of_the_ledger_and_no_redirect(built_site: Path) -> None:
    ledger = yaml.safe_load((ROOT / "data" / "ledger.yaml").read_text(encoding="utf-8"))
    urls = set(sitemap_urls(built_site))
    live = {SITE_URL + u.lstrip("/") for u, r in ledger.items() if r["kind"] in ("entry", "index")}
    redirects = {SITE_URL + u.lstrip("/") for u, r in ledger.items() if r["kind"] == "redirect"}
    assert len(live) >= 280
    assert live - urls == set(), "ledger pages missing from the sitemap"
    assert redirects
    assert redirects & urls == set(), "a redirect is listed in the sitemap"


def test_every_sitemap_page_declares_its_sitemap_url_as_canonical(built_site: Path) -> None:
    for url in sitemap_urls(built_site):
        canonical = re.findall(r'<link rel="canonical" href="([^"]+)"', html_of(built_site, url))
        assert canonical == [url]


def test_robots_txt_allows_crawling_and_names_the_sitemap(built_site: Path) -> None:
    robots = (built_site / "robots.txt").read_text(encoding="utf-8")
    assert robots.splitlines()[:2] == ["User-agent: *", "Allow: /"]
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots.splitlines()
    assert (built_site / "sitemap.xml").is_file()


def edit_links(html: str) -> list[tuple[str, str]]:
    """``(href, label)`` of the page's edit buttons (overrides/partials/actions.html)."""
    return [
        (html_lib.unescape(href), re.sub(r"<[^>]+>|\s+", " ", label).strip())
        for href, label in re.findall(r'<a href="([^"]+)"[^>]* rel="edit">(.*?)</a>', html, re.S)
    ]


def report_links(html: str) -> list[tuple[str, str]]:
    """``(href, label)`` of the page's "Report an error" buttons."""
    return [
        (html_lib.unescape(href), re.sub(r"<[^>]+>|\s+", " ", label).strip())
        for href, label in re.findall(
            r'<a href="([^"]+/issues/new\?[^"]*)"[^>]*>(.*?)</a>', html, re.S
        )
    ]


def test_every_entry_page_has_a_labelled_edit_button_for_its_yaml_file(built_site: Path) -> None:
    edit = f"{REPO_URL.rstrip('/')}/edit/main/"
    for page, data_file in entry_pages().items():
        links = edit_links(html_of(built_site, url_of(page)))
        assert links == [(edit + data_file, "Edit this entry")], page
        assert (ROOT / data_file).is_file()
        assert data_file == f"data/{page.removesuffix('.md')}.yaml"


def test_every_entry_page_reports_errors_to_the_form_with_its_id_filled_in(
    built_site: Path,
) -> None:
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/report-error.yml").read_text())
    field_ids = {item.get("id") for item in form["body"]}
    for page in entry_pages():
        entity = next(
            e for f in CORPUS.entities.values() for e in f.values() if page_path(e) == page
        )
        links = report_links(html_of(built_site, url_of(page)))
        if entity.retired:  # a tombstone: nothing left to correct
            assert links == [], page
            continue
        assert len(links) == 1, page
        href, label = links[0]
        assert label == "Report an error"
        url = urlsplit(href)
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{REPO_URL.rstrip('/')}/issues/new"
        query = parse_qs(url.query)
        assert query["template"] == ["report-error.yml"]
        assert query["entry"] == [f"{entity.folder}/{entity.id}"]
        assert set(query) - {"template", "title"} <= field_ids, "prefills a field the form lacks"


def test_hand_written_pages_link_to_their_markdown_and_generated_indexes_have_no_edit_link(
    built_site: Path,
) -> None:
    edit = f"{REPO_URL.rstrip('/')}/edit/main/"
    about = html_of(built_site, url_of("about.md"))
    assert edit_links(about) == [(edit + "docs/about.md", "Edit this page")]
    assert report_links(about) == []
    # Index pages come from templates, not from one file a contributor should edit.
    for page in ("index.md", "challenges/index.md"):
        html = html_of(built_site, url_of(page))
        assert edit_links(html) == []
        assert report_links(html) == []
