"""Lifecycle in the generated pages: tombstones, live lists, redirect pages and permalinks."""

from __future__ import annotations

from pathlib import Path

from conftest import retire_and_rename
from kb.cite import Site
from kb.corpus import load_corpus
from kb.models import Challenge, Solution
from kb.permalinks import page_url, render_redirects
from kb.render import render_site


def test_retired_entry_keeps_a_tombstone_and_leaves_every_list(mini_data: Path) -> None:
    retire_and_rename(mini_data)
    corpus = load_corpus(mini_data)
    pages = render_site(corpus)
    tombstone = pages["challenges/country-level-regulations.md"]
    assert "search:\n  exclude: true\n" in tombstone.split("---")[1]
    assert "# Country-level regulations\n" in tombstone
    assert "It was merged into [Data discovery](data-discovery.md)." in tombstone
    assert "A test merge." in tombstone
    # Links to a section of the old page land on a paragraph pointing at the same section.
    assert "now [in Data discovery](data-discovery.md#solutions)\n{: #solutions }" in tombstone
    for path in ("index.md", "challenges/index.md", "steps/law.md", "steps/ethics.md"):
        assert "country-level-regulations.md" not in pages[path], path
    assert (
        "[Country-level regulations](challenges/country-level-regulations.md)"
        in (pages["retired.md"])
    )
    assert [c.id for c in corpus.live(Challenge)] == ["data-discovery"]
    assert [e.id for e in corpus.retired()] == ["country-level-regulations"]
    # Its own references no longer count as backlinks.
    merged = corpus.get(Challenge, "country-level-regulations")
    assert corpus.referrers(merged, Solution) == []


def test_retired_page_says_so_when_nothing_is_retired(mini_data: Path) -> None:
    assert "No entry has been retired yet." in render_site(load_corpus(mini_data))["retired.md"]


def test_permalink_is_absolute_with_a_site_url_and_relative_without(mini_data: Path) -> None:
    corpus = load_corpus(mini_data)
    page = render_site(corpus, Site("KB", "https://kb.example/base", "1.0"))["steps/law.md"]
    url = "https://kb.example/base/steps/law/"
    assert f"Permanent link: [{url}]({url}){{ .kb-permalink__url }}" in page
    page = render_site(corpus)["steps/law.md"]
    assert "Permanent link: [/steps/law/](law.md){ .kb-permalink__url }" in page


def test_redirect_pages_are_plain_html_that_keep_the_section(mini_data: Path) -> None:
    kept = mini_data / "challenges" / "data-discovery.yaml"
    kept.write_text(kept.read_text() + "redirect_from: [finding-data, steps/discovery]\n")
    corpus = load_corpus(mini_data)
    pages = render_redirects(corpus, site_url="https://kb.example/")
    assert sorted(pages) == ["challenges/finding-data/index.html", "steps/discovery/index.html"]
    html = pages["steps/discovery/index.html"]
    assert '<link rel="canonical" href="https://kb.example/challenges/data-discovery/">' in html
    assert '<meta http-equiv="refresh" content="0; url=../../challenges/data-discovery/">' in html
    assert 'location.replace("../../challenges/data-discovery/" + location.search' in html
    assert "location.hash" in html
    relative = render_redirects(corpus)["challenges/finding-data/index.html"]
    assert '<link rel="canonical" href="../data-discovery/">' in relative


def test_page_urls() -> None:
    assert page_url("index.md") == "/"
    assert page_url("challenges/index.md") == "/challenges/"
    assert page_url("challenges/concept-drift.md") == "/challenges/concept-drift/"
    assert page_url("retired.md") == "/retired/"
