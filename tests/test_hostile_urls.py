"""Hostile addresses (issue 20, findings 2 and 5): no path, query string or fragment makes a page
run script, link to a script, or break a script that reads the address.

Every script of the site that reads the address is listed in READERS, and a test fails when one
that is not listed appears. Each is fed ``javascript:``, ``data:`` and ``vbscript:`` URLs,
malformed percent escapes, very long values and markup, on representative pages of both editions
served by a host that answers a missing path with the 404 page, as GitHub Pages does. On every
page: no uncaught error, no dialog, every link's target is http(s) (and those built from the
address stay on the site), nothing of the address became markup; the 404 page still shows the
missing address as text and offers its last part as a search. One browser context, many
navigations.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from pages_host import pages_host

pytestmark = pytest.mark.slow

# Every script that reads the address (location, its parts, document.URL, URLSearchParams), and
# what it reads it for. The pages below feed each of them; a vendored one says why it is exempt.
READERS: dict[str, str] = {
    "docs/assets/javascripts/kb-address.js": "every page: same-page fragments and history steps",
    "docs/assets/javascripts/kb-language.js": "every page: the language links, from the path",
    "docs/assets/javascripts/kb-matrix.js": "every page: the matrix view the fragment names",
    "docs/assets/javascripts/kb-permalink.js": "every page: section links, from the page's URL",
    "docs/assets/javascripts/kb-explore.js": "filter page: the ticked boxes, from the query",
    "docs/assets/javascripts/kb-assess.js": "assessment page: a share link, from the fragment",
    "overrides/404.html": "404 page: the missing path, or the fragment of a hand-over",
    "scripts/kb/permalinks.py": "redirect pages: carry the query string and fragment over",
}
EXEMPT = {
    # Material's offline shim (iframe-worker), vendored: it reads only location.protocol, to run
    # from file://, and never decodes the address nor builds a link from it.
    "docs/assets/vendor/iframe-worker-shim.js",
}
READS_ADDRESS = re.compile(
    r"\blocation\b|document\.(?:URL|documentURI|baseURI)|URLSearchParams|\.(?:hash|pathname)\b"
)
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)


def address_readers() -> set[str]:
    """Files of ours whose scripts read the address: JavaScript files whole, and the inline
    scripts of templates, pages and the Python that writes HTML."""
    found = set()
    for top in ("docs", "overrides", "scripts"):
        for path in (ROOT / top).rglob("*"):
            if path.suffix not in {".js", ".html", ".j2", ".md", ".py"} or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            scripts = [text] if path.suffix == ".js" else SCRIPT.findall(text)
            if any(READS_ADDRESS.search(script) for script in scripts):
                found.add(path.relative_to(ROOT).as_posix())
    return found


def test_every_script_that_reads_the_address_is_listed() -> None:
    found = address_readers()
    unlisted = found - set(READERS) - EXEMPT
    assert not unlisted, (
        f"{sorted(unlisted)} read the address: list them in READERS and feed them hostile "
        "addresses below"
    )
    assert set(READERS) | EXEMPT == found, "a listed script no longer reads the address"


# The hostile values -------------------------------------------------------------------------

SCRIPT_URLS = (
    "javascript:alert(document.domain)//",
    "data:text/html,<script>alert(2)</script>",
    "vbscript:msgbox(3)",
)
MALFORMED = ("%E0%A4%A", "%", "%zz")
MARKUP = '"><img src=x onerror=alert(4)>'
FRAGMENTS = (*SCRIPT_URLS, *MALFORMED, MARKUP, "x-" * 2000, '\\"]')
LONG_PATH = "a" * 3000


def share(document: dict[str, Any]) -> str:
    """The fragment of a share link of the assessment page for ``document``."""
    text = json.dumps(document, ensure_ascii=False).encode()
    return "#assessment=" + base64.urlsafe_b64encode(text).decode().rstrip("=")


def assessment(link: str | None = None, note: str = "") -> dict[str, Any]:
    entry: dict[str, Any] = {"status": "facing", "note": note}
    if link is not None:
        entry["link"] = link
    return {
        "format": "deploying-ml-kb-assessment",
        "format_version": 1,
        "corpus": {"version": "0.1.0", "data_sha256": "0" * 64},
        "table_version": "acm_2022",
        "challenges": {"concept-drift": entry},
    }


def redirect_page() -> str:
    """A published address that is a redirect (an old ID), from the URL ledger."""
    ledger = yaml.safe_load((ROOT / "data" / "ledger.yaml").read_text(encoding="utf-8"))
    return next(url for url, entry in ledger.items() if entry["kind"] == "redirect")


@dataclass
class Case:
    """One navigation: the address, what to wait for, and what the 404 page must show."""

    url: str
    load: bool = True  # a page load; else only the fragment changes, as typed in the address bar
    ready: str | None = None
    shown: str | None = None  # the 404 page's missing address, as text
    words: str | None = None  # the start of the 404 page's search box
    handed: bool = False  # the root 404 page hands a missing /ja/ address to ja/404.html
    moved: str | None = None  # a redirect page's own path, which the browser must leave
    readers: set[str] = field(default_factory=set)


EVERY_PAGE = {
    "docs/assets/javascripts/kb-address.js",
    "docs/assets/javascripts/kb-language.js",
    "docs/assets/javascripts/kb-matrix.js",
    "docs/assets/javascripts/kb-permalink.js",
}
EXPLORE_QUERY = (
    "?stage=model-deployment&stage=javascript:alert(1)&industry=%E0%A4%A&collection=%25"
    "&collection=%&aspect=%22%3E%3Cimg%20src=x%20onerror=alert(5)%3E&challenge=" + "z" * 2000
)
MISSING = (  # a missing path, the address the 404 page shows, the start of its search
    (SCRIPT_URLS[0], SCRIPT_URLS[0], "javascript:alert(document domain)"),
    ("challenges/concept-drfit%E0%A4%A/", "challenges/concept-drfit%E0%A4%A/", "concept drfit"),
    (f"challenges/{MARKUP}/", f"challenges/{MARKUP}/", MARKUP),
    (f"{LONG_PATH}/", f"{LONG_PATH}/", "a" * 100),
    (SCRIPT_URLS[1], SCRIPT_URLS[1], "script"),
    (SCRIPT_URLS[2] + "/", SCRIPT_URLS[2] + "/", SCRIPT_URLS[2]),
    ("challenges/concept-drfit%/", "challenges/concept-drfit%/", "concept drfit"),
    ("challenges/concept-drfit%zz/", "challenges/concept-drfit%zz/", "concept drfit"),
)


def cases() -> Iterator[Case]:
    """Every navigation, both editions: the English one gets every value, the Japanese one (the
    same scripts, its own prefix and 404 hand-over) the first few."""
    for edition in ("", "ja/"):
        english = not edition
        pages = [
            (f"{edition}challenges/concept-drift/", None, set()),
            (f"{edition}matrix/", None, set()),
            (
                f"{edition}explore/{EXPLORE_QUERY}",
                "#kb-explore[data-ready]",
                {"docs/assets/javascripts/kb-explore.js"},
            ),
        ]
        for path, ready, readers in pages:
            for i, fragment in enumerate(FRAGMENTS):
                yield Case(
                    path + "#" + fragment, load=i == 0, ready=ready, readers=EVERY_PAGE | readers
                )
        shares = [
            share(assessment(link="https://example.org/x")),
            share(assessment(link="javascript:alert(6)", note=MARKUP)),
            "#assessment=%E0%A4%A",
            "#assessment=%",
            "#assessment=" + MARKUP,
        ]
        for fragment in shares if english else shares[1:3]:
            yield Case(
                f"{edition}assess/{fragment}",
                ready="#kb-assess[data-ready=true]",
                readers=EVERY_PAGE | {"docs/assets/javascripts/kb-assess.js"},
            )
        missing = EVERY_PAGE | {"overrides/404.html"}
        for path, shown, words in MISSING if english else MISSING[:4]:
            yield Case(
                f"{edition}{path}",
                shown=f"/{edition}{shown}",
                words=words,
                handed=not english,
                readers=missing,
            )
        # A fragment of the reader's own is not the missing address.
        yield Case(
            f"{edition}challenges/concept-drfit/#%E0%A4%A",
            handed=not english,
            shown=f"/{edition}challenges/concept-drfit/",
            words="concept drfit",
            readers=missing,
        )
        old = edition + redirect_page().lstrip("/").removeprefix(edition)
        yield Case(
            f"{old}?q=%E0%A4%A&x={MARKUP}#%E0%A4%A",
            moved="/" + old,
            readers={"scripts/kb/permalinks.py"},
        )


def test_every_listed_reader_is_fed_hostile_addresses() -> None:
    fed = set().union(*(case.readers for case in cases()))
    assert fed == set(READERS)


# In the browser --------------------------------------------------------------------------------

# The page's scripts have run: the language links (relative in the HTML) were rewritten from the
# address, to absolute URLs, once Material's bundle had run.
SETTLED = """
() => {
  const links = [...document.querySelectorAll("a[data-kb-lang]")];
  return links.length > 0 && links.every(a => /^[a-z][a-z0-9+.-]*:/i.test(a.getAttribute("href")));
}
"""

# Links whose target is http(s); those a script builds from the address stay on the site; and
# nothing of the address turned into markup.
INSPECT = """
() => {
  const bad = [];
  for (const a of document.querySelectorAll("a[href]")) {
    const url = new URL(a.href);
    const built = a.matches("a[data-kb-lang], .kb-404 a, .kb-explore__results a, .kb-assess a");
    if (!["http:", "https:"].includes(url.protocol) || (built && url.origin !== location.origin)) {
      bad.push(a.outerHTML.slice(0, 200));
    }
  }
  for (const e of document.querySelectorAll("img[src='x'], [onerror]")) bad.push(e.outerHTML);
  return bad;
}
"""

NOT_FOUND = """
() => {
  const path = document.querySelector(".kb-404__path");
  return {shown: path.textContent, elements: path.children.length,
          words: document.getElementById("kb-404-q").value};
}
"""


@pytest.fixture(scope="module")
def pages_site(built_site: Path) -> Iterator[str]:
    with pages_host(built_site, search=False) as base:
        yield base


@pytest.mark.browser
@pytest.mark.heavy
def test_hostile_addresses_run_no_script_and_break_no_page(browser: Any, pages_site: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    where = [""]
    page.on("pageerror", lambda error: problems.append(f"{where[0]}: uncaught {error}"))
    page.on(
        "dialog",
        lambda dialog: (
            problems.append(f"{where[0]}: dialog {dialog.message!r}"),
            dialog.dismiss(),
        ),
    )
    visited = 0
    previous = ""
    for case in cases():
        where[0] = case.url[:120]
        if case.load:
            page.goto(pages_site + case.url)
            if case.url.split("#")[0] == previous:  # goto only changed the fragment
                page.reload()
            previous = case.url.split("#")[0]
        else:  # the page may have tidied its address (the filter page's query): keep it
            page.goto(page.url.split("#")[0] + "#" + case.url.split("#", 1)[1])
        visited += 1
        if case.handed:
            page.wait_for_url(f"{pages_site}**/404.html#**")
        if case.moved:
            page.wait_for_url(lambda url, old=case.moved: old not in url)
            if not page.url.startswith(pages_site) or "%E0%A4%A" not in page.url:
                problems.append(f"{where[0]}: the redirect went to {page.url[:120]}")
        if case.ready:
            page.wait_for_selector(case.ready)
        page.wait_for_function(SETTLED)
        problems += [f"{where[0]}: {bad}" for bad in page.evaluate(INSPECT)]
        if case.shown is not None:
            found = page.evaluate(NOT_FOUND)
            if found["shown"] != case.shown or found["elements"]:
                problems.append(f"{where[0]}: shows {found['shown'][:120]!r} as the address")
            if not found["words"].startswith(case.words or "\0"):
                problems.append(f"{where[0]}: searches for {found['words'][:120]!r}")
    context.close()
    assert visited > 50
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_choosing_a_language_on_a_hostile_404_page_stays_on_the_site(
    browser: Any, pages_site: str
) -> None:
    """Finding 2: /javascript:alert(document.domain)// on a host that serves 404.html; open the
    language menu and choose English."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in SCRIPT_URLS:
        page.goto(pages_site + path)
        page.wait_for_function(SETTLED)
        hrefs = page.eval_on_selector_all("a[data-kb-lang]", "els => els.map(e => e.href)")
        assert all(href.startswith(pages_site) for href in hrefs), hrefs
        page.hover(".md-header__option .md-select")
        with page.expect_navigation():
            page.click('a[data-kb-lang="en"]')
        assert page.url.startswith(pages_site)
        assert page.evaluate("location.protocol") == "http:"
    assert dialogs == []
    context.close()
