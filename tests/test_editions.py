"""The Japanese edition beside the English one: every page in both, linked both ways, searchable.

All checks read the real site built once per session (``built_site``: both editions, as
``make site`` builds them) or serve it (``served_site``).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    MINI,
    ROOT,
    SITE_URL,
    copy_project,
    once,
    real_corpus,
    real_translations,
    site_build,
)
from find_helpers import open_explore, search_each
from kb.corpus import load_corpus
from kb.i18n import load_catalog
from kb.models import RETIRED_STATUSES, Challenge, Reference
from kb.translations import fingerprint
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CORPUS = real_corpus()
JA = real_translations("ja")
SITEMAP = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

pytestmark = pytest.mark.slow


def pages_of(site: Path) -> set[str]:
    """Every page of one edition's folder, as its path (``challenges/x/``), redirects excluded."""
    found = set()
    for path in site.rglob("index.html"):
        rel = path.parent.relative_to(site).as_posix()
        if rel == "ja" or rel.startswith(("ja/", "api/")):
            continue
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8")[:2000]:
            continue  # a redirect page (a renamed entry, a moved page), not a page of its own
        found.add("" if rel == "." else rel + "/")
    return found


def test_every_english_page_has_a_japanese_counterpart_and_back(built_site: Path) -> None:
    english, japanese = pages_of(built_site), pages_of(built_site / "ja")
    assert len(english) > 300
    assert english - japanese == set(), "English pages without a Japanese one"
    assert japanese - english == set(), "Japanese pages without an English one"


def test_the_sitemap_lists_both_editions_each_page_with_its_alternates(built_site: Path) -> None:
    root = ET.parse(built_site / "sitemap.xml").getroot()
    urls = {}
    for url in root.iterfind("sm:url", SITEMAP):
        loc = url.findtext("sm:loc", namespaces=SITEMAP) or ""
        links = {link.get("hreflang"): link.get("href") for link in url.iterfind("x:link", SITEMAP)}
        urls[loc] = links
    english = [u for u in urls if not u.startswith(SITE_URL + "ja/")]
    japanese = [u for u in urls if u.startswith(SITE_URL + "ja/")]
    assert len(english) == len(japanese) > 300
    for loc in english:
        twin = SITE_URL + "ja/" + loc.removeprefix(SITE_URL)
        assert urls[loc] == {"en": loc, "ja": twin, "x-default": loc}, loc
        assert urls[twin] == {"en": loc, "ja": twin, "x-default": loc}, twin
    # The edition's own sitemap stays too (Material's instant navigation reads it).
    assert (built_site / "ja" / "sitemap.xml").is_file()


@pytest.mark.parametrize(
    "rel", ["", "challenges/concept-drift/", "matrix/", "about/", "references/lin-2013/"]
)
def test_each_edition_has_its_language_canonical_url_and_hreflang_pair(
    built_site: Path, rel: str
) -> None:
    for prefix, lang in (("", "en"), ("ja/", "ja")):
        html = (built_site / prefix / rel / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html
        assert f'<link rel="canonical" href="{SITE_URL}{prefix}{rel}">' in html
        assert f'<link rel="alternate" href="{SITE_URL}{rel}" hreflang="en">' in html
        assert f'<link rel="alternate" href="{SITE_URL}ja/{rel}" hreflang="ja">' in html
        locale = {"en": "en_US", "ja": "ja_JP"}
        assert f'<meta property="og:locale" content="{locale[lang]}">' in html
        other = "ja" if lang == "en" else "en"
        assert f'<meta property="og:locale:alternate" content="{locale[other]}">' in html


def test_japanese_pages_are_written_in_japanese(built_site: Path) -> None:
    for challenge in CORPUS.live(Challenge):
        html = (built_site / "ja" / "challenges" / challenge.id / "index.html").read_text()
        title = JA.corpus.entities["challenges"][challenge.id].title
        assert f"<title>{title} - " in html
        assert JAPANESE.search(title), title
        # The English term, once, so a reader can match the paper.
        assert html.count(challenge.title) >= 1


class EnglishText(HTMLParser):
    """The text a page marks as English (inside an element with ``lang="en"``)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(("lang", "en") in attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if any(self.stack[1:]):  # the <html> element of a Japanese page says "ja"
            self.found.append(data)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def english_text(path: Path) -> str:
    parser = EnglishText()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.found)


def test_english_on_a_japanese_page_is_marked_as_english(built_site: Path) -> None:
    """Screen readers read it in English, and the browser picks a Latin font for it."""
    ja = built_site / "ja"
    for challenge in CORPUS.live(Challenge):
        marked = english_text(ja / "challenges" / challenge.id / "index.html")
        # The English term under the heading, and the English key terms search finds.
        assert marked.count(challenge.title) >= 2, challenge.id
        assert all(t.lower() in marked.lower() for t in challenge.keywords), challenge.id
    paper = "Challenges in Deploying Machine Learning: a Survey of Case Studies"
    assert paper in english_text(ja / "index.html")
    assert paper in english_text(ja / "about" / "index.html")
    assert "Propose a case study" in english_text(ja / "contributing" / "index.html")
    changes = (ja / "changes" / "index.html").read_text(encoding="utf-8")
    subjects = re.findall(r'<p class="kb-change"><strong>(.*?)</strong>', changes)
    assert subjects
    assert all(s.startswith('<span lang="en">') for s in subjects)
    # The English edition needs no such marks in its text.
    for page in ("challenges/concept-drift", "changes"):
        assert '<span lang="en">' not in (built_site / page / "index.html").read_text()


def test_a_reference_title_is_marked_with_its_own_language_where_the_page_differs(
    built_site: Path,
) -> None:
    """A reference keeps its original title, so a page in another language marks it (the
    English titles on Japanese pages, the German guideline on both editions)."""
    from html import escape

    references = CORPUS.live(Reference)
    assert {r.title_language for r in references} == {"en", "de"}
    for prefix, page_language in (("", "en"), ("ja/", "ja")):
        listing = (built_site / prefix / "references" / "index.html").read_text(encoding="utf-8")
        for ref in references:
            title = escape(ref.title, quote=False)
            marked = f'<a href="{ref.id}/"><span lang="{ref.title_language}">{title}</span></a>'
            plain = f'<a href="{ref.id}/">{title}</a>'
            expected, unexpected = (
                (plain, marked) if ref.title_language == page_language else (marked, plain)
            )
            assert expected in listing, (prefix, ref.id)
            assert unexpected not in listing, (prefix, ref.id)
        heading = (built_site / prefix / "references" / "vdi-guidelines" / "index.html").read_text(
            encoding="utf-8"
        )
        assert re.search(r'<h1 id="[^"]+"><span lang="de">VDI 3714: Einsatz', heading), prefix


def test_open_data_is_published_once_and_carries_the_japanese_text(built_site: Path) -> None:
    assert not (built_site / "ja" / "api").exists()
    import json

    entry = json.loads((built_site / "api/challenges/concept-drift.json").read_text())
    ja = entry["translations"]["ja"]
    assert ja["state"] == "translated"
    assert ja["url"] == f"{SITE_URL}ja/challenges/concept-drift/"
    assert ja["text"]["title"] == JA.corpus.entities["challenges"]["concept-drift"].title
    html = (built_site / "ja/challenges/concept-drift/index.html").read_text()
    assert 'href="../../../api/challenges/concept-drift.json"' in html


# The switcher's links once kb-language.js has computed them from the address: it writes each
# href as an absolute URL (the page's own markup holds relative ones, right without the script).
SWITCHER_LINKS = """
() => Object.fromEntries([...document.querySelectorAll(".md-header__option a[data-kb-lang]")]
  .map(a => [a.getAttribute("hreflang"), a.getAttribute("href")]))
"""
COMPUTED = f"""
() => (links => links.length === 2 && links.every(h => /^https?:/.test(h)))(
  Object.values(({SWITCHER_LINKS.strip()})()))
"""


def switcher_problems(tab: Any, base: str, edition: str) -> list[str]:
    """What is wrong with the language switcher of the page open in ``tab`` (served from
    ``base``, in ``edition``): the page must be in its edition's language, and the switcher's
    links, as the script computes them from the address, must lead to this page in English and
    in Japanese, query included (the section is added on click: the round trip below).

    The layout tour (tests/test_layout.py) asks this of every page type of both editions, on
    the page it has loaded anyway."""
    address = tab.url.removeprefix(base).removeprefix("ja/").split("#")[0]
    want = {"en": base + address, "ja": base + "ja/" + address}
    with contextlib.suppress(PlaywrightTimeout):  # the comparison says what is there
        tab.wait_for_function(COMPUTED, timeout=3000)
    found = {
        "lang": tab.evaluate("document.documentElement.lang"),
        "links": tab.evaluate(SWITCHER_LINKS),
    }
    if found != {"lang": edition, "links": want}:
        return [f"language switcher: {found}, not {{'lang': {edition!r}, 'links': {want}}}"]
    return []


@pytest.mark.browser
@pytest.mark.parametrize(
    "rel", ["", "challenges/concept-drift/#references", "explore/?stage=model-deployment"]
)
def test_the_language_switcher_round_trips_keeping_the_section(
    page: Any, served_site_without_search: str, rel: str
) -> None:
    base = served_site_without_search
    page.goto(base + rel)
    assert page.evaluate("document.documentElement.lang") == "en"
    switch_language(page, "ja")
    assert page.url == base + "ja/" + rel
    switch_language(page, "en")
    assert page.url == base + rel


def switch_language(page: Any, lang: str) -> None:
    """Open the header's language menu and pick ``lang``, as a reader does."""
    page.hover(".md-header__option .md-select")
    page.click(f".md-header__option .md-select__link[hreflang={lang}]")
    page.wait_for_function(f"document.documentElement?.lang === '{lang}'")


@pytest.mark.browser
def test_a_japanese_query_for_each_challenge_title_ranks_it_first(
    search_pages: Any, served_site: str
) -> None:
    challenges = CORPUS.live(Challenge)
    titles = [JA.corpus.entities["challenges"][c.id].title for c in challenges]
    wrong = {}
    for challenge, title, results in zip(
        challenges, titles, search_each(search_pages("ja/"), titles), strict=True
    ):
        first = results[0]["href"] if results else None
        if first != f"{served_site}ja/challenges/{challenge.id}/":
            wrong[title] = [r["title"] for r in results[:3]]
    assert wrong == {}


MIXED_QUERIES = {
    "ドリフト検知": "challenges/concept-drift/",  # katakana + kanji, no space
    "データのばらつき": None,  # hiragana in the middle: finds something, no error
    "ポイズニング": "challenges/data-poisoning/",
    "説明可能性": "challenges/explainability-score/",
    "GDPR": None,  # an acronym on the Japanese site
    "BERT": "case-studies/bert-training-cost/",
    "concept-drift": "challenges/concept-drift/",  # an ID
    "concept drift": "challenges/concept-drift/",  # the English term
}


@pytest.mark.browser
def test_japanese_search_understands_mixed_scripts_and_english(
    search_pages: Any, served_site: str
) -> None:
    """Each query finds something, and the expected page among its first five results."""
    queries = list(MIXED_QUERIES)
    wrong = {}
    for query, results in zip(queries, search_each(search_pages("ja/"), queries), strict=True):
        expected = MIXED_QUERIES[query]
        first = [r["href"] for r in results[:5]]
        if not results or (expected and f"{served_site}ja/{expected}" not in first):
            wrong[query] = (expected, [r["title"] for r in results[:5]])
    assert wrong == {}


# The Japanese wording of the interface and the data -------------------------------------------


class JapaneseText(HTMLParser):
    """The text of a page's content (``<article>``), without code, scripts, text marked as
    English (``lang="en"``) or hidden from the reader."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, bool]] = []
        self.skipping = 0
        self.article = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        a = dict(attrs)
        skip = tag in ("code", "pre", "script", "style") or "hidden" in a
        skip = skip or (a.get("lang") or "").startswith("en")
        self.open.append((tag, skip))
        self.skipping += skip
        self.article += tag == "article"

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            name, skip = self.open.pop()
            self.skipping -= skip
            self.article -= name == "article"
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.article and not self.skipping:
            self.text.append(data)


def japanese_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    # Only the article is read: the parser would skip the rest anyway, at a cost (the frame
    # around it, navigation included, is most of each page).
    start, end = html.find("<article"), html.rfind("</article>")
    parser = JapaneseText()
    parser.feed(html[start : end + len("</article>")] if 0 <= start < end else html)
    return "".join(parser.text)


def test_japanese_pages_write_labels_with_a_full_width_colon_and_confidence_in_words(
    built_site: Path,
) -> None:
    """A Japanese label ends in a full-width colon (the glossary's rule), never in ":"; a
    confidence level is given in words (論文の単一の要約のみ), never as its YAML code."""
    pages = [*(built_site / "ja").rglob("index.html"), built_site / "ja" / "404.html"]
    ascii_colon, codes = {}, {}
    for path in pages:
        text = japanese_text(path)
        where = path.relative_to(built_site).as_posix()
        found = re.findall(r"[\u3040-\u30ff\u4e00-\u9fff\uff09\u300d][ \t]*:(?!//)", text)
        if found:
            ascii_colon[where] = found[:3]
        found = re.findall(r"\b(?:corroborated|single-source|unconfirmed)\b", text)
        if found:
            codes[where] = found[:3]
    assert len(pages) > 300
    assert ascii_colon == {}
    assert codes == {}
    drift = japanese_text(built_site / "ja" / "challenges" / "concept-drift" / "index.html")
    assert "確度：論文の独立した複数の要約で一致。論文本文ではまだ確認されていない" in drift  # noqa: RUF001
    assert "キーワード：ドリフト、モデルドリフト" in drift  # noqa: RUF001


def test_japanese_screens_keep_to_the_plain_style() -> None:
    """The pages are written in である調: the interface strings too (the 404 page, the
    assessment's messages and import errors), so no screen mixes it with です・ます."""
    polite = re.compile(r"(?:です|ます|ました|ません|でした|ください)(?:[。、\uff1a\uff1f」]|$)")
    catalog = load_catalog("ja")
    assert {e: j for e, j in catalog.items() if polite.search(j)} == {}


def test_japanese_statuses_and_retired_words_are_distinct() -> None:
    """直面中 and 注視中 are states (the assessment); 廃止 is "deprecated" only: a merged entry
    is 統合, a split one 分割, and what covers all three says 旧エントリ or 使われなくなった."""
    catalog = load_catalog("ja")
    assert (catalog["Facing"], catalog["Watching"]) == ("直面中", "注視中")
    assert [catalog[RETIRED_STATUSES[s]] for s in ("deprecated", "merged", "split")] == [
        "廃止",
        "統合",
        "分割",
    ]
    assert catalog["Retired entries"] == "旧エントリ"
    # A string about retired entries in general may name 廃止 only beside 統合 and 分割.
    general = {
        english: japanese
        for english, japanese in catalog.items()
        if re.search(r"\bretired\b", english, re.I)
        and not re.search(r"deprecated|withdrawn", english)
        and "廃止" in japanese
        and not ("統合" in japanese and "分割" in japanese)
    }
    assert general == {}


JA_DATA = sorted((ROOT / "data" / "ja").rglob("*.yaml"))


def test_japanese_data_writes_large_figures_with_man_and_no_translated_phrasing() -> None:
    """The glossary: large numbers as 150万, not $50k, 1.6M, 110M or 1.5B, nor 626,155 (a
    model's name such as GA2M is no number); and
    the phrasing the review found translated (出荷, ライブの, 合成のAPI呼び出し) is gone."""
    english_notation = re.compile(
        r"\$\s?\d|(?<![A-Za-z])\d(?:\.\d+)?\s?[kKMB](?![A-Za-z])|\d{1,3}(?:,\d{3}){1,}"
    )
    found = {}
    for path in JA_DATA:
        text = path.read_text(encoding="utf-8")
        body = re.sub(r"(?m)^(source_fingerprint|id):.*$", "", text)
        numbers = [
            n for n in english_notation.findall(body) if not re.fullmatch(r"\d,\d{3}", n)
        ]  # 6,743: below 万, written with a comma as the glossary's 1,000 is
        phrases = [p for p in ("出荷", "ライブの", "ライブ・", "合成のAPI") if p in body]
        if numbers or phrases:
            found[path.relative_to(ROOT).as_posix()] = numbers + phrases
    assert len(JA_DATA) > 300
    assert found == {}


def test_the_glossary_holds_the_terms_the_review_missed() -> None:
    glossary = (ROOT / "data" / "ja" / "README.md").read_text(encoding="utf-8")
    rows = {
        row.split("|")[1].strip()
        for row in glossary.splitlines()
        if row.startswith("| ") and not row.startswith("| English")
    }
    for term in ("confidence score", "live", "ship", "variant", "author list"):
        assert any(re.search(rf"\b{term}\b", row) for row in rows), term


@pytest.fixture(scope="module")
def behind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Japanese edition of the miniature corpus where translations are behind the English:
    one is stale (written for another English text), one leaves a field untranslated, and one
    entry has none. What a page says of it does not depend on the corpus's size."""
    return once(tmp_path_factory, "behind", build_behind)


def build_behind(folder: Path) -> Path:
    project = copy_project(folder / "project")
    shutil.rmtree(project / "data")
    shutil.copytree(MINI, project / "data")
    corpus = load_corpus(project / "data")
    translations = project / "data" / "ja" / "challenges"
    translations.mkdir(parents=True)
    (translations / "data-discovery.yaml").write_text(  # stale: the English has moved on
        'id: data-discovery\nsource_fingerprint: "0000000000000000"\n'
        "title: データディスカバリー\nsummary: どんなデータがどこにあるかを知ること。\n",
        encoding="utf-8",
    )
    regulations = corpus.get(Challenge, "country-level-regulations")
    (translations / "country-level-regulations.yaml").write_text(  # partial: no summary
        f"id: {regulations.id}\nsource_fingerprint: {fingerprint(regulations)}\n"
        "title: 国ごとの規制\nprovenance:\n  note: ACM版で倫理から法へ移された。\n",
        encoding="utf-8",
    )
    site = project / "site"
    result = site_build(project, site, "--edition", "ja")  # the tests read the Japanese pages
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.parametrize(
    ("entry", "english_text"),
    [
        ("challenges/data-discovery", None),  # stale: the Japanese text stays, with the notice
        ("case-studies/twitter-data-dispersion", "Twitter"),  # missing: the English, and notice
        ("challenges/country-level-regulations", None),  # partial: one field in English
    ],
)
def test_a_translation_behind_the_english_says_so_and_links_it(
    behind: Path, entry: str, english_text: str | None
) -> None:
    html = (behind / "ja" / entry / "index.html").read_text()
    notice = re.search(r'<div class="admonition [^"]*kb-translation[^"]*">(.*?)</div>', html, re.S)
    assert notice, entry
    assert JAPANESE.search(notice.group(1))
    assert f'href="../../../{entry}/"' in notice.group(1)
    if english_text:  # the untranslated entry shows its English title as the page's heading
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        assert heading
        assert english_text in heading.group(1)
    status = (behind / "ja" / "editorial-status" / "index.html").read_text()
    assert f'href="../{entry}/"' in status


def test_the_english_edition_shows_no_translation_notice(built_site: Path) -> None:
    for path in (built_site / "challenges").rglob("index.html"):
        assert "kb-translation" not in path.read_text(encoding="utf-8")


def test_ledger_holds_every_japanese_url(built_site: Path) -> None:
    ledger = (ROOT / "data" / "ledger.yaml").read_text(encoding="utf-8")
    for rel in pages_of(built_site / "ja"):
        if rel.startswith(("about/", "contributing/")) or rel == "":
            continue  # hand-written pages are not generated from data
        assert f"/ja/{rel}:" in ledger, rel


@pytest.mark.browser
def test_the_filter_page_counts_in_the_editions_language(
    page: Any, served_site_without_search: str
) -> None:
    said = {}
    for prefix in ("", "ja/"):
        open_explore(
            page, f"{served_site_without_search}{prefix}explore/"
        )  # the count is built after the fetch
        page.wait_for_function("document.querySelector('.kb-explore__count')?.textContent")
        said[prefix] = page.locator(".kb-explore__count").text_content()
    english = re.fullmatch(
        r"(\d+) results \(Challenges: (\d+) · Case studies: (\d+) · Solutions: (\d+)\)", said[""]
    )
    assert english, said[""]
    total, challenges, cases, solutions = english.groups()
    japanese = f"{total}件（課題{challenges}件・事例{cases}件・解決策{solutions}件）"  # noqa: RUF001
    assert said["ja/"] == japanese
