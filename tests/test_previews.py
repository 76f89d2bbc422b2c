"""Link previews: every page of the built site carries Open Graph and Twitter card metadata that
chat and wiki tools (Slack, Teams, Confluence, Notion, Discord, LinkedIn) turn into a card.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
import yaml
from conftest import ROOT, SITE_URL, real_corpus
from kb.excerpt import one_line
from kb.i18n import install_gettext

pytestmark = pytest.mark.slow
CORPUS = real_corpus()
SITE_NAME = "Deploying ML — Challenges Knowledge Base"
SITE_NAME_JA = "Deploying ML — 機械学習デプロイの課題ナレッジベース"
SLACK_WINDOW = 32 * 1024  # Slack reads the first 32 KB of a page for its tags


class Head(HTMLParser):
    """The ``<meta>`` properties of a page, its canonical link, and where the tags sit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.last_line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        key = values.get("property") or values.get("name")
        if tag == "meta" and key and "content" in values:
            self.meta.setdefault(key, []).append(values["content"])
            if key.startswith(("og:", "twitter:")):
                self.last_line = max(self.last_line, self.getpos()[0])
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical.append(values.get("href", ""))


def head_of(path: Path) -> tuple[Head, str]:
    """The page's ``<head>`` read as a link preview reads it (the body holds no preview tag, and
    parsing ~1,500 whole pages cost seconds); and the whole page's text."""
    html = path.read_text(encoding="utf-8")
    parser = Head()
    parser.feed(html.partition("</head>")[0])
    parser.close()
    return parser, html


def one(head: Head, key: str) -> str:
    values = head.meta.get(key, [])
    assert len(values) == 1, (key, values)
    return values[0]


class ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml with its tags left unresolved."""


ConfigLoader.add_multi_constructor("!", lambda *_: None)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=ConfigLoader)
MOVED = {f"{old.strip('/')}/index.html" for old in CONFIG["extra"].get("moved_pages") or {}}


def pages(site: Path) -> list[Path]:
    """Every page a link can point at: not the 404 page (it answers any missing URL), nor the
    redirects left at the old address of a moved hand-written page (they name no title)."""
    found = [p for p in site.rglob("*.html") if p.name != "404.html"]
    return sorted(p for p in found if p.relative_to(site).as_posix() not in MOVED)


def is_plain(text: str) -> bool:
    """No Markdown or HTML left in a preview text."""
    return not re.search(r"`|\*\*|\]\(|<[a-zA-Z/]|&[a-z]+;|\{ *[#.:]", text)


def test_every_page_has_open_graph_metadata_whose_url_is_its_canonical_url(
    built_site: Path,
) -> None:
    checked = 0
    for path in pages(built_site):
        head, html = head_of(path)
        where = path.relative_to(built_site).as_posix()
        assert len(head.canonical) == 1, where
        assert one(head, "og:url") == head.canonical[0], where
        assert head.canonical[0].startswith(SITE_URL), where
        assert one(head, "og:type") in ("website", "article"), where
        title, description = one(head, "og:title"), one(head, "og:description")
        assert title.strip(), where
        assert is_plain(title), (where, title)
        assert description.strip(), where
        assert is_plain(description), (where, description)
        assert len(description) <= 300, where  # Teams shows ~200 characters, Slack ~300
        assert one(head, "og:site_name") == (SITE_NAME_JA if where.startswith("ja/") else SITE_NAME)
        assert re.fullmatch(r"[a-z]{2}_[A-Z]{2}", one(head, "og:locale")), where
        # Teams prefers the Twitter tags when both exist: they must say the same.
        assert one(head, "twitter:card") == "summary"
        assert one(head, "twitter:title") == title
        assert one(head, "twitter:description") == description
        # Slack reads the first 32 KB only: the tags come early in <head>.
        lines = html.splitlines(keepends=True)
        assert len("".join(lines[: head.last_line]).encode()) < SLACK_WINDOW, where
        checked += 1
    assert checked > 290


def test_entry_pages_preview_as_articles_with_a_plain_summary(built_site: Path) -> None:
    for folder in CORPUS.entities.values():
        for entity in folder.values():
            if entity.retired:
                continue
            head, _ = head_of(built_site / entity.folder / entity.id / "index.html")
            assert one(head, "og:type") == "article"
            assert one(head, "og:title") == entity.title
            expected = one_line(entity.summary or entity.title)
            assert one(head, "og:description") == expected
            assert one(head, "description") == expected


def test_a_summary_with_code_previews_without_backticks(built_site: Path) -> None:
    summary = CORPUS.entities["challenges"]["concept-drift"].summary
    assert "`p(X, y)`" in summary  # the case the issue found
    head, _ = head_of(built_site / "challenges" / "concept-drift" / "index.html")
    assert "the joint distribution p(X, y) linking" in one(head, "og:description")


def test_redirect_pages_preview_as_the_page_they_lead_to(built_site: Path) -> None:
    path = built_site / "challenges" / "hardware-aware-optimisation" / "index.html"
    head, _ = head_of(path)
    target = CORPUS.entities["challenges"]["hardware-aware-optimization"]
    assert one(head, "og:url") == f"{SITE_URL}challenges/hardware-aware-optimization/"
    assert one(head, "og:title") == target.title
    assert one(head, "og:description") == one_line(target.summary)
    assert one(head, "og:site_name") == SITE_NAME


def render_head(language: str, alternate: list[dict[str, str]] | None = None) -> str:
    env = jinja2.Environment(
        loader=jinja2.DictLoader(
            {
                "base.html": "<head>{% block site_meta %}{% endblock %}</head>",
                "main.html": (ROOT / "overrides" / "main.html").read_text(),
            }
        )
    )
    install_gettext(env)
    env.filters["url"] = lambda path: path  # MkDocs' theme filter
    return env.get_template("main.html").render(
        page={"meta": {"title": "T & <U>"}, "canonical_url": "https://kb.example/x/"},
        config={
            "site_name": "KB",
            "site_description": "D",
            "theme": {"language": language},
            "extra": {"alternate": alternate} if alternate else {},
        },
    )


def test_the_locale_follows_the_theme_language_and_its_editions() -> None:
    english = render_head("en")
    assert '<meta property="og:locale" content="en_US">' in english
    assert "og:locale:alternate" not in english  # no other edition is configured
    assert '<meta property="og:title" content="T &amp; &lt;U&gt;">' in english
    editions = [{"lang": "en", "link": "/"}, {"lang": "ja", "link": "/ja/"}]
    japanese = render_head("ja", editions)
    assert '<meta property="og:locale" content="ja_JP">' in japanese
    assert '<meta property="og:locale:alternate" content="en_US">' in japanese
    assert '<meta property="og:locale:alternate" content="ja_JP">' not in japanese
