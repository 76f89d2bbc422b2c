"""The interface strings of the Japanese edition: the catalog, and pages rendered through it.

The catalog (``kb/locales/ja.yaml``) must hold exactly the strings the templates, the theme
overrides and the code mark for translation, each translated with its placeholders and markup
intact. Pages rendered with it must show the translations, labels defined in code included, and
keep every section anchor of the English page. Python functions that word text themselves take a
``gettext``; given the catalog's, they speak Japanese, and given none, English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import kb.i18n
import kb.render
import pytest
from conftest import ROOT, real_corpus, retire_and_rename
from kb.cite import Site, cite_text, json_ld
from kb.corpus import load_corpus
from kb.find import COLLECTIONS, SOLUTION_KINDS, TYPE_LABELS, facet_index
from kb.history import History
from kb.i18n import gettext_functions, load_catalog, python_strings, template_strings
from kb.linkformats import link_formats
from kb.models import (
    CONFIDENCES,
    MODELS,
    RETIRED_STATUSES,
    SOURCE_KINDS,
    TOOL_KINDS,
    Challenge,
)
from kb.permalinks import render_redirects
from kb.render import make_env, render_site, sections_of

CATALOG = load_catalog("ja")  # raises on a placeholder left, a lost %(name)s or a folded line
JA, _ = gettext_functions(CATALOG)
CORPUS = real_corpus()
SITE = Site("Deploying ML KB", "https://kb.example/", "1.0")
LATIN = re.compile(r"[A-Za-z]")

# Markup a translation must carry over unchanged in number: links, code, bold, tags, {names}.
MARKUP = {
    "Markdown link": re.compile(r"\]\("),
    "code span": re.compile(r"`"),
    "bold": re.compile(r"\*\*"),
    "HTML tag": re.compile(r"<[a-z/][^>]*>"),
    "script placeholder": re.compile(r"\{\w+\}"),
}


def rendered_with(catalog: dict[str, str], data: Path | None = None) -> dict[str, str]:
    """Every generated page, rendered with ``catalog`` installed in the templates' environment."""
    install = kb.i18n.install_gettext
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kb.render, "install_gettext", lambda env, _=None: install(env, catalog))
        corpus = load_corpus(data) if data else CORPUS
        return render_site(corpus, SITE, History(unavailable="not-read"))


@pytest.fixture(scope="module")
def japanese() -> dict[str, str]:
    return rendered_with(CATALOG)


@pytest.fixture(scope="module")
def english() -> dict[str, str]:
    return render_site(CORPUS, SITE, History(unavailable="not-read"))


def entity_pages() -> Iterator[str]:
    for model in MODELS:
        for entity in CORPUS.live(model):
            yield f"{entity.folder}/{entity.id}.md"


# The catalog -----------------------------------------------------------------------------------


def test_catalog_holds_exactly_the_strings_marked_for_translation() -> None:
    wanted = template_strings(make_env(), [ROOT / "scripts/kb/templates", ROOT / "overrides"])
    wanted |= python_strings(ROOT / "scripts/kb")
    missing = sorted(set(wanted) - set(CATALOG))
    unused = sorted(set(CATALOG) - set(wanted))
    assert not missing, f"not in kb/locales/ja.yaml (run `kb strings ja`): {missing}"
    assert not unused, f"kb/locales/ja.yaml holds strings nothing uses: {unused}"


@pytest.mark.parametrize("kind", list(MARKUP))
def test_every_translation_keeps_the_markup_of_its_english(kind: str) -> None:
    pattern = MARKUP[kind]
    lost = [
        english
        for english, japanese in CATALOG.items()
        if len(pattern.findall(english)) != len(pattern.findall(japanese))
        or (
            kind == "HTML tag"
            and sorted(pattern.findall(english)) != sorted(pattern.findall(japanese))
        )
    ]
    assert not lost, f"{kind} changed in the translation of: {lost}"


def test_translations_are_japanese_where_the_english_is_words() -> None:
    kept = {"ID", "URL", "null"}  # names that stay as they are in Japanese
    same = [e for e, j in CATALOG.items() if e == j and e not in kept]
    assert not same, f"left in English: {same}"
    # A phrase of two words or more comes out in Japanese script ("、" alone stands for " and ").
    untranslated = [
        english
        for english, japanese in CATALOG.items()
        if len(re.findall(r"[A-Za-z]{2,}", re.sub(r"%\(\w+\)s|\{\w+\}|<[^>]*>", "", english))) > 1
        and not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", japanese)
    ]
    assert not untranslated, untranslated
    assert CATALOG["en"] == "ja"  # the assessment report's <html lang>


# Pages rendered with the catalog ---------------------------------------------------------------


def test_japanese_pages_keep_every_section_anchor_and_translate_its_heading(
    japanese: dict[str, str], english: dict[str, str]
) -> None:
    for path in entity_pages():
        ja_sections, en_sections = sections_of(japanese[path]), sections_of(english[path])
        assert [a for _, a in ja_sections] == [a for _, a in en_sections], path
        for (ja_heading, anchor), (en_heading, _) in zip(ja_sections, en_sections, strict=True):
            if en_heading in CATALOG:  # the other headings are data (an industry's title)
                assert ja_heading == CATALOG[en_heading], (path, anchor)
                assert not LATIN.search(ja_heading), (path, anchor, ja_heading)


def test_labels_defined_in_code_are_shown_translated(japanese: dict[str, str]) -> None:
    labels = {
        *CONFIDENCES.values(),
        *TOOL_KINDS.values(),
        *(m.label for m in MODELS),
        *SOURCE_KINDS.values(),
        *RETIRED_STATUSES.values(),
    }
    for label in labels:
        assert label in CATALOG, label
    shown = "\n".join(japanese.values())
    # Labels of several words (a one-word label such as "Platform" also occurs in titles).
    for label in [v for v in (*CONFIDENCES.values(), *TOOL_KINDS.values()) if " " in v]:
        assert label not in shown, f"{label!r} is shown in English"
        assert CATALOG[label] in shown, label
    editorial = japanese["editorial-status.md"]
    for model in MODELS:
        assert f"| {CATALOG[model.label]} |" in editorial, model.label
    # Each tool fact names the kind of page it was read on, in Japanese brackets.
    assert f"（[{CATALOG['documentation']}](" in japanese["tools.md"]  # noqa: RUF001


def test_a_japanese_tombstone_says_where_the_entry_went(mini_data: Path) -> None:
    retire_and_rename(mini_data)
    english = render_site(load_corpus(mini_data), SITE, History(unavailable="not-read"))
    pages = rendered_with(CATALOG, mini_data)
    tombstone = pages["challenges/country-level-regulations.md"]
    assert "[Data discovery](data-discovery.md)に統合された。" in tombstone
    assert "現在は[Data discoveryの該当箇所](data-discovery.md#solutions)\n{: #solutions }" in (
        tombstone
    )
    # Its former sections keep their English anchors and come back translated.
    former = re.findall(r"^\*\*(.+?)\*\*.*\n\{: #([\w-]+) \}", tombstone, re.MULTILINE)
    old = english["challenges/country-level-regulations.md"]
    assert [a for _, a in former] == re.findall(r"^\{: #([\w-]+) \}", old, re.MULTILINE)
    assert all(not LATIN.search(heading) for heading, _ in former), former
    assert "| 課題 | 統合 |" in pages["retired.md"]


def test_a_merged_entry_is_never_called_deprecated_in_japanese(mini_data: Path) -> None:
    """廃止 means deprecated: a merged entry's tombstone says 統合 and calls the list of every
    retired entry 旧エントリ, not 廃止されたエントリ."""
    retire_and_rename(mini_data)
    pages = rendered_with(CATALOG, mini_data)
    tombstone = pages["challenges/country-level-regulations.md"]
    assert '!!! warning "統合：この課題は現在使われていない"' in tombstone  # noqa: RUF001
    assert f"description: {json.dumps('旧課題：A test merge.')}" in tombstone  # noqa: RUF001
    # Its labels end in a full-width colon ("{: #id }" is Markdown, not text).
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff\uff09\u300d*]:(?! #)", tombstone)
    assert "[旧エントリの一覧](../retired.md)" in tombstone
    assert "廃止" not in tombstone
    assert "# 旧エントリ\n" in pages["retired.md"]


# Python functions that word text themselves ----------------------------------------------------


def test_the_filter_index_speaks_the_gettext_it_is_given() -> None:
    index = facet_index(CORPUS, gettext=JA)
    assert facet_index(CORPUS) == facet_index(CORPUS, gettext=kb.i18n.untranslated)
    words = {facet["id"]: facet for facet in index["facets"]}
    for facet in index["facets"]:
        assert not LATIN.search(facet["label"]), facet["label"]
        assert not LATIN.search(facet.get("hint", "")), facet["hint"]
    assert [o["label"] for o in words["collection"]["options"]] == [
        CATALOG[v] for v in COLLECTIONS.values()
    ]
    assert [o["label"] for o in words["solution"]["options"]] == [
        CATALOG[v] for v in SOLUTION_KINDS.values()
    ]
    by_id = {item["id"]: item for item in index["items"]}
    drift = by_id["concept-drift"]
    assert drift["type"] == CATALOG[TYPE_LABELS["challenges"]]
    assert re.fullmatch(r"事例\d+件", drift["detail"]), drift["detail"]
    english = {item["id"]: item for item in facet_index(CORPUS)["items"]}
    assert re.fullmatch(r"\d+ case stud(y|ies)", english["concept-drift"]["detail"])


def test_citations_and_redirects_speak_the_gettext_they_are_given(mini_data: Path) -> None:
    drift = CORPUS.get(Challenge, "concept-drift")
    url = SITE.page_url(drift)
    named = "「Concept drift」（課題）"  # noqa: RUF001 (Japanese brackets)
    assert named in cite_text(drift, SITE, JA)
    assert '"Concept drift" (challenge)' in cite_text(drift, SITE)
    citation = link_formats(drift.title, url, drift.label, SITE.name, JA)["citation"]
    assert citation == f"{named}、{SITE.name}、{url}"
    term_set = json_ld(drift, SITE, gettext=JA)["inDefinedTermSet"]["name"]
    assert term_set == f"{SITE.name}：課題"  # noqa: RUF001
    assert json_ld(drift, SITE)["inDefinedTermSet"]["name"] == f"{SITE.name}: challenges"
    kept = mini_data / "challenges" / "data-discovery.yaml"
    kept.write_text(kept.read_text() + "redirect_from: [finding-data]\n")
    corpus = load_corpus(mini_data)
    page = render_redirects(corpus, gettext=JA)["challenges/finding-data/index.html"]
    assert "<title>移動：Data discovery</title>" in page  # noqa: RUF001
    assert '<p>このページは<a href="../data-discovery/">Data discovery</a>に移動した。</p>' in page
    english = render_redirects(corpus)["challenges/finding-data/index.html"]
    assert '<p>This page has moved to <a href="../data-discovery/">Data discovery</a>.</p>' in (
        english
    )
