"""A second engine: Zensical 0.0.73 builds both editions from the same docs tree as MkDocs.

One Zensical build per edition per session (module fixture), from a copy of the tree that the
session's MkDocs build wrote (``built_site``), so the two sites come from identical files. The
checks: every URL of the ledger exists, every page has MkDocs' title, internal links resolve,
and search (Zensical's own UI and index) finds each challenge by its title in both editions.
What Zensical cannot do yet is listed, with reasons, in ENGINES.md; the production build stays
on MkDocs + Material until that list is empty.
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from conftest import ROOT, QuietHandler, once, real_corpus, real_translations
from kb.ledger import read_ledger
from kb.models import Challenge
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = [pytest.mark.engine, pytest.mark.heavy]

ZENSICAL = shutil.which("zensical", path=str(Path(sys.executable).parent))


def zensical_build(tree: Path, code: str, out: Path) -> subprocess.Popen[str]:
    """Start a strict Zensical build (a missing page or anchor fails it) of ``code``'s folder of
    ``tree`` (a copy: Zensical writes its site and cache beside the configuration) into ``out``."""
    config = yaml.safe_load((tree / code / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_dir"] = os.path.relpath(out, tree / code)
    (tree / code / "zensical.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert ZENSICAL is not None
    return subprocess.Popen(
        [ZENSICAL, "build", "--clean", "--strict", "-f", str(tree / code / "zensical.yml")],
        cwd=tree / code,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ | {"NO_COLOR": "1"},
    )


@pytest.fixture(scope="module")
def zensical_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both editions built by Zensical (English at the root, Japanese under ``ja/``), once per
    session."""
    if ZENSICAL is None:
        pytest.skip("zensical is not installed (pip install -e '.[engines]')")
    tree = built_site.with_name(built_site.name + "-tree")  # where site_build wrote it

    def build(work: Path) -> Path:
        for part in ("en", "ja", "overrides"):
            shutil.copytree(tree / part, work / part)
        running = {code: zensical_build(work, code, work / code / "site") for code in ("en", "ja")}
        for code, process in running.items():
            output, _ = process.communicate()
            assert process.returncode == 0, f"zensical build of {code} failed:\n{output[-4000:]}"
        site = work / "en" / "site"
        (work / "ja" / "site").rename(site / "ja")
        return site

    return once(tmp_path_factory, "zensical", build)  # once per session, whichever worker asks


def pages_of(site: Path) -> dict[str, Path]:
    """``{URL path: file}`` of every HTML page (``/challenges/x/``, ``/404.html``)."""
    found = {}
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        found["/" + rel.removesuffix("index.html")] = path
    return found


def title_of(path: Path) -> str:
    match = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.DOTALL)
    return html.unescape(match[1].strip()) if match else ""


def test_every_ledger_url_exists(zensical_site: Path) -> None:
    """Every published address still answers: a page (with its anchors) or a redirect."""
    ledger, _ = read_ledger(ROOT / "data" / "ledger.yaml", "data/ledger.yaml")
    missing = []
    for url, record in ledger.items():
        page = zensical_site / url.lstrip("/") / "index.html"
        if not page.is_file():
            missing.append(url)
            continue
        text = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue  # a redirect: anchors are the target's
        missing += [f"{url}#{a}" for a in record.anchors or () if f'id="{a}"' not in text]
    assert len(ledger) > 600
    assert missing == []


def test_every_page_has_the_title_mkdocs_gives_it(built_site: Path, zensical_site: Path) -> None:
    mkdocs, zensical = pages_of(built_site), pages_of(zensical_site)
    assert sorted(zensical) == sorted(mkdocs)
    different = {
        url: (title_of(mkdocs[url]), title_of(zensical[url]))
        for url in mkdocs
        if title_of(mkdocs[url]) != title_of(zensical[url])
    }
    assert different == {}


HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"')


def test_internal_links_resolve(zensical_site: Path) -> None:
    """Every link of every page to a file of the site leads to one that exists."""
    base = "http://site.invalid/"
    broken = set()
    for url, path in pages_of(zensical_site).items():
        for href in HREF.findall(path.read_text(encoding="utf-8")):
            target = urlsplit(urljoin(base + url.lstrip("/"), html.unescape(href)))
            if target.netloc != "site.invalid" or target.scheme not in ("http", ""):
                continue
            file = zensical_site / unquote(target.path).lstrip("/")
            if not (file.is_file() or (file / "index.html").is_file()):
                broken.add(f"{url} -> {href}")
    assert sorted(broken) == []


@pytest.fixture(scope="module")
def zensical_served(zensical_site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(zensical_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# Zensical's search dialog lives in a shadow root (Playwright's CSS locators pierce it): a
# combobox, and the results as options whose links carry the query (``…/?h=<query>#section``).
SEARCH_BOX = "input[role=combobox]"
FINDS = """([query, page]) => {
  const host = [...document.querySelectorAll("body *")].find((e) => e.shadowRoot);
  const root = host && host.shadowRoot;
  const marker = new URLSearchParams({h: query}).toString();
  const links = root ? [...root.querySelectorAll("[role=listbox] a[role=option]")] : [];
  return links.some((a) => a.href.split("#")[0] === page + "?" + marker);
}"""
WAIT_MS = 5_000
"""How long a query may take to list the page: results arrive in batches (the first ones can
lack it for a moment on a loaded machine), and "no results" shows before the worker answers,
so only the page's own link, or this long without it, ends the wait."""


def open_dialog(page: Any, base: str) -> None:
    page.goto(base)
    page.click(".md-search__button")
    page.wait_for_selector(SEARCH_BOX)


def finds(page: Any, query: str, url: str) -> bool:
    """Whether ``query`` typed into the open dialog lists the page at ``url`` (a result for
    the page itself, not one of its sections)."""
    page.fill(SEARCH_BOX, query)
    try:
        page.wait_for_function(FINDS, arg=[query, url], timeout=WAIT_MS, polling=50)
    except PlaywrightTimeout:
        return False
    return True


@pytest.mark.browser
def test_search_finds_each_challenge_by_its_title(page: Any, zensical_served: str) -> None:
    """In chromium, one page per edition: Zensical's own search dialog, each challenge's title
    typed in, and the challenge among the results it lists; no request leaves the site (theme
    fonts are off, as for Material)."""
    corpus = real_corpus()  # loaded once per worker, as every module that reads it
    japanese = real_translations("ja").corpus
    missed: dict[str, list[str]] = {"en": [], "ja": []}
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for code, edition in (("en", corpus), ("ja", japanese)):
        base = zensical_served + ("ja/" if code == "ja" else "")
        open_dialog(page, base)
        for challenge in corpus.live(Challenge):
            title = edition.entities["challenges"][challenge.id].title
            if not finds(page, title, f"{base}challenges/{challenge.id}/"):
                missed[code].append(challenge.id)
    assert missed == {"en": [], "ja": []}
    assert [url for url in requests if not url.startswith((zensical_served, "data:"))] == []
