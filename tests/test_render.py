"""Rendering: links, backlinks, escaping and determinism of the generated Markdown."""

from __future__ import annotations

from pathlib import Path

from kb.corpus import load_corpus
from kb.render import html_attr, md_escape, md_text, relative, render_site, write_pages


def test_every_entity_gets_a_page_and_every_collection_an_index(mini_data: Path) -> None:
    pages = render_site(load_corpus(mini_data))
    assert "index.md" in pages
    for folder in ("stages", "steps", "challenges", "case-studies", "solutions", "references"):
        assert f"{folder}/index.md" in pages
        for path in (mini_data / folder).glob("*.yaml"):
            assert f"{folder}/{path.stem}.md" in pages


def test_challenge_page_links_stage_step_and_backlinks(mini_data: Path) -> None:
    page = render_site(load_corpus(mini_data))["challenges/country-level-regulations.md"]
    stage = "[Cross-cutting aspects](../stages/cross-cutting-aspects.md)"
    assert f"Challenge · {stage} \u203a [Law](../steps/law.md)" in page
    assert "| arXiv 2020 | [Ethics](../steps/ethics.md) | §7.1 |" in page
    assert "| ACM 2022 | [Law](../steps/law.md) | §7.2 |" in page
    assert "[Data-oriented architectures](../solutions/data-oriented-architectures.md)" in page
    assert "The survey gives no case study for this challenge." in page


def test_reference_page_lists_what_cites_it(mini_data: Path) -> None:
    page = render_site(load_corpus(mini_data))["references/lin-2013.md"]
    assert "[Twitter's scattered service data](../case-studies/twitter-data-dispersion.md)" in page
    assert "[Data-oriented architectures](../solutions/data-oriented-architectures.md)" in page


def test_rendering_is_deterministic(mini_data: Path) -> None:
    assert render_site(load_corpus(mini_data)) == render_site(load_corpus(mini_data))


def test_write_pages_only_touches_changed_files(tmp_path: Path, mini_data: Path) -> None:
    pages = render_site(load_corpus(mini_data))
    out = tmp_path / "pages"
    assert sorted(write_pages(pages, out)) == sorted(pages)
    assert write_pages(pages, out) == []
    (out / "stale.md").write_text("old")
    changed = dict(pages, **{"index.md": pages["index.md"] + "x\n"})
    assert write_pages(changed, out) == ["index.md"]
    assert not (out / "stale.md").exists()


def test_escaping_helpers() -> None:
    assert md_escape("a*b_[c]<d>|e & f") == r"a\*b\_\[c\]&lt;d&gt;\|e &amp; f"
    assert md_text("<script>alert(1)</script> & co {: onclick=x }") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co &#123;: onclick=x &#125;"
    )
    assert html_attr('a "quoted" <b>\n & more') == "a &quot;quoted&quot; &lt;b&gt; &amp; more"
    assert relative("steps/law.md", "challenges/x.md") == "../steps/law.md"
    assert relative("challenges/y.md", "challenges/x.md") == "y.md"
