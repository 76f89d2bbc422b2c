"""Links of the built site, checked independently of MkDocs' own validation.

linkchecker crawls the served site for broken pages and files; anchors are checked here by
parsing every page (linkchecker's AnchorCheck re-fetches a page per fragment and takes ~25 s;
``make linkcheck`` runs it in full).
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import linkcheck
import pytest
from lxml import etree

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def linkchecker() -> None:
    if shutil.which("linkchecker") is None:
        message = "linkchecker not found (apt-get install linkchecker)"
        if os.environ.get("KB_REQUIRE_BROWSER") == "1":  # CI: the external tools must be there
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.heavy
@pytest.mark.usefixtures("linkchecker")
def test_linkchecker_finds_no_broken_link_in_the_built_site(built_site: Path) -> None:
    result = linkcheck.check(built_site)
    assert result.returncode == 0, result.stdout
    checked = re.search(
        r"(\d+) links? in \d+ URLs checked\. 0 warnings found\. 0 errors found\.", result.stdout
    )
    assert checked, result.stdout[-2000:]
    assert int(checked.group(1)) > 500  # it crawled the whole site, not just the home page


@pytest.mark.usefixtures("linkchecker")
def test_linkchecker_reports_a_broken_link_and_anchor(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="here.html">ok</a> <a href="gone/">gone</a> <a href="here.html#nowhere">x</a>'
    )
    (tmp_path / "here.html").write_text('<h2 id="somewhere">Here</h2>')
    result = linkcheck.check(tmp_path, anchors=True)
    assert result.returncode == 1
    assert "1 warning found. 1 error found." in result.stdout
    assert "Anchor `nowhere'" in result.stdout


@dataclass
class Anchors:
    """The ids of one page (and the names of its ``<a>``) and the href of each of its links."""

    ids: set[str]
    hrefs: list[str]


# libxml2's HTML parser (lxml): the site is well-formed HTML, and reading its ~950 pages with
# html.parser took seconds of CPU. (Hostile markup is read by html.parser in test_escaping.)
PARSER = etree.HTMLParser(encoding="utf-8")


def read_pages(site: Path) -> dict[str, Anchors]:
    pages = {}
    for path in site.rglob("*.html"):
        root = etree.fromstring(path.read_bytes(), PARSER)
        ids = {str(v) for v in root.xpath("//@id | //a/@name") if v}
        hrefs = [str(v) for v in root.xpath("//a/@href")]
        pages[path.relative_to(site).as_posix()] = Anchors(ids, hrefs)
    return pages


def broken_internal_links(site: Path, pages: dict[str, Anchors] | None = None) -> list[str]:
    """``page: href`` for each internal link whose file or #anchor does not exist (``pages``:
    the site's pages as :func:`read_pages` reads them, when the caller has read them already)."""
    pages = read_pages(site) if pages is None else pages
    broken = []
    for name, page in sorted(pages.items()):
        for href in page.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            base = "" if parts.path.startswith("/") else posixpath.dirname(name)  # 404.html
            target = posixpath.normpath(posixpath.join(base, unquote(parts.path).lstrip("/")))
            if parts.path == "":
                target = name
            elif parts.path.endswith("/") or (site / target).is_dir():
                target = posixpath.join(target, "index.html").removeprefix("./")
            if (
                target.startswith("../")
                or not (site / target).is_file()
                or (
                    parts.fragment
                    and target.endswith(".html")
                    and unquote(parts.fragment) not in pages[target].ids
                )
            ):
                broken.append(f"{name}: {href}")
    return broken


def test_every_internal_link_and_anchor_resolves(built_site: Path) -> None:
    pages = read_pages(built_site)  # once: parsing ~950 pages costs about a second
    assert sum(len(p.hrefs) for p in pages.values()) > 5000
    assert broken_internal_links(built_site, pages) == []


def test_the_anchor_check_reports_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="x">X</h2><a href="../b/">b</a>')
    (tmp_path / "index.html").write_text(
        '<a href="a/#x">ok</a><a href="a/#y">y</a><a href="#top">t</a>'
    )
    assert broken_internal_links(tmp_path) == [
        "a/index.html: ../b/",
        "index.html: a/#y",
        "index.html: #top",
    ]
