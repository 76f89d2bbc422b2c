"""The docs tree (``kb build``): what it holds, how it is written, and that MkDocs builds the same
HTML from it with and without our hook, every difference listed with its reason."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
import yaml
from conftest import ROOT
from jinja2 import nodes
from kb.i18n import load_catalog, theme_strings
from kb.tree import write_tree

# Tree files -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tree(built_site: Path) -> Path:
    """The tree of the real corpus, as ``kb build`` writes it: the one the session's site build
    wrote beside the site (``kb site`` writes its tree with the same function, then builds it;
    writing another cost seconds)."""
    return built_site.with_name(built_site.name + "-tree")


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    return dict(yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n")))


def test_every_page_carries_its_frame_in_its_front_matter(tree: Path) -> None:
    """Hand-written and generated pages alike: the page in each edition, and the edit link."""
    repo = "https://git.example.org/deploying-ml-kb/edit/main/"
    about = front_matter(tree / "ja" / "docs" / "about.md")
    assert about["kb_edit"] == repo + "docs/ja/about.md"
    assert about["kb_alternates"] == [
        {
            "name": "English",
            "lang": "en",
            "prefix": "",
            "link": "https://kb.example.org/about/",
            "href": "../../about/",
        },
        {
            "name": "日本語",
            "lang": "ja",
            "prefix": "ja/",
            "link": "https://kb.example.org/ja/about/",
            "href": "./",
        },
    ]
    entry = front_matter(tree / "en" / "docs" / "challenges" / "concept-drift.md")
    assert entry["kb_edit"] == repo + "data/challenges/concept-drift.yaml"
    assert entry["kb_crumbs"][0] == {"title": "Challenges", "url": "challenges/"}  # type: ignore[index]
    assert front_matter(tree / "en" / "docs" / "matrix.md")["kb_edit"] == ""  # generated


def test_links_to_another_edition_are_resolved_in_the_tree(tree: Path) -> None:
    page = (tree / "ja" / "docs" / "challenges" / "concept-drift.md").read_text(encoding="utf-8")
    assert "kb-root:" not in page
    assert '<a href="../../../api/challenges/concept-drift.json">' in page


def test_the_engine_config_holds_each_edition_and_its_strings(tree: Path) -> None:
    config = yaml.safe_load((tree / "ja" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_url"] == "https://kb.example.org/ja/"
    assert config["theme"]["language"] == "ja"
    assert config["theme"]["custom_dir"] == "../overrides"
    assert config["docs_dir"] == "docs"
    assert config["hooks"] == ["../hooks/mkdocs_hook.py"]
    catalog = load_catalog("ja")
    strings = theme_strings(ROOT / "overrides")
    assert strings, "the theme reads its strings from the configuration"
    assert config["extra"]["kb_text"] == {text: catalog[text] for text in strings}
    english = yaml.safe_load((tree / "en" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert english["extra"]["kb_text"] == {text: text for text in strings}


def test_theme_templates_call_no_gettext() -> None:
    """MiniJinja (Zensical) has no ``_()``: the theme reads ``t["..."]`` from the configuration."""
    env = jinja2.Environment()
    calls = [
        f"{path.relative_to(ROOT)}:{call.lineno}"
        for path in sorted((ROOT / "overrides").rglob("*.html"))
        for call in env.parse(path.read_text(encoding="utf-8")).find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name in ("_", "gettext", "ngettext")
    ]
    assert calls == []


def test_write_tree_writes_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    files = {"en/mkdocs.yml": b"a", "en/docs/x.md": b"x", "en/docs/old/y.md": b"y"}
    assert write_tree(files, tmp_path) == sorted(files, key=list(files).index)
    (tmp_path / "en" / "site").mkdir()  # what an engine writes beside the tree stays
    (tmp_path / "en" / "site" / "index.html").write_text("built")
    before = (tmp_path / "en" / "docs" / "x.md").stat().st_mtime_ns
    del files["en/docs/old/y.md"]
    files["en/mkdocs.yml"] = b"b"
    assert write_tree(files, tmp_path) == ["en/mkdocs.yml", "en/docs/old/y.md"]
    assert (tmp_path / "en" / "docs" / "x.md").stat().st_mtime_ns == before
    assert not (tmp_path / "en" / "docs" / "old").exists()
    assert (tmp_path / "en" / "site" / "index.html").read_text() == "built"
    assert write_tree(files, tmp_path) == []


def test_the_source_config_is_not_built_directly(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "is the source configuration" in result.stderr
    assert "Traceback" not in result.stderr


# With and without the hook -----------------------------------------------------------------------

# The region of a page that the hook may change: Material's tabs and the primary sidebar (the
# navigation), from the tabs to the secondary sidebar (the table of contents).
NAV_START, NAV_END = '<nav class="md-tabs"', '<div class="md-sidebar md-sidebar--secondary"'


def outside_navigation(html: str) -> str:
    return html[: html.index(NAV_START)] + html[html.index(NAV_END) :]


def entry_page(markdown: str) -> bool:
    return "\nkb_nav: " in markdown.split("\n---\n", 1)[0]


ALLOWED: dict[str, tuple[Callable[[str], bool], Callable[[str], str]]] = {
    # reason: (which pages, by their Markdown; the part of the page that must stay identical)
    "entry pages (kb_nav): the hook lights up their listing's tab and sidebar section, as "
    "MkDocs sets a nav item active only along the path of a page in the nav": (
        entry_page,
        outside_navigation,
    ),
}


def markdown_of(docs: Path, html: str) -> str:
    """The Markdown a page was built from (``x/index.html`` from ``x.md`` or ``x/index.md``)."""
    stem = html.removesuffix("index.html").rstrip("/")
    for candidate in (f"{stem}.md", f"{stem}/index.md" if stem else "index.md"):
        if (docs / candidate).is_file():
            return (docs / candidate).read_text(encoding="utf-8")
    return ""  # a theme template (404.html)


@pytest.mark.slow
@pytest.mark.heavy
def test_the_tree_builds_the_same_html_without_the_hook(built_site: Path, tmp_path: Path) -> None:
    """Every HTML page of both editions, built from the same tree with and without the hook, is
    identical, but for the differences of the allow-list, each with its reason; and each reason
    covers exactly the pages it names."""
    tree = built_site.with_name(built_site.name + "-tree")  # where site_build wrote it
    builds = {}
    for code in ("en", "ja"):
        config = yaml.safe_load((tree / code / "mkdocs.yml").read_text(encoding="utf-8"))
        assert config.pop("hooks") == ["../hooks/mkdocs_hook.py"]
        (tree / code / "no-hook.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        out = tmp_path / code
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"]
        command += ["-f", str(tree / code / "no-hook.yml"), "-d", str(out)]
        builds[code] = (out, subprocess.Popen(command, stderr=subprocess.PIPE, text=True))
    differing: dict[str, set[str]] = {reason: set() for reason in ALLOWED}
    covered: dict[str, set[str]] = {reason: set() for reason in ALLOWED}
    unexplained = []
    for code, (out, process) in builds.items():
        assert process.wait() == 0, process.stderr.read() if process.stderr else ""
        with_hook = built_site / ("ja" if code == "ja" else "")
        pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
        assert len(pages) > 300
        for rel in pages:
            mine, theirs = (with_hook / rel).read_text(), (out / rel).read_text()
            markdown = markdown_of(tree / code / "docs", rel)
            name = f"{code}:{rel}"
            for reason, (applies, _) in ALLOWED.items():
                if applies(markdown):
                    covered[reason].add(name)
            if mine == theirs:
                continue
            reasons = [
                r
                for r, (applies, kept) in ALLOWED.items()
                if applies(markdown) and kept(mine) == kept(theirs)
            ]
            if reasons:
                differing[reasons[0]].add(name)
            else:
                unexplained.append(name)
    assert unexplained == [], "pages that differ without the hook, for no listed reason"
    for reason in ALLOWED:
        assert differing[reason] == covered[reason], reason
