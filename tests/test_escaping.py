"""Hostile text in the corpus never becomes markup: a copied corpus full of it is built with
MkDocs and every page, and the search index, is inspected as parsed HTML.

Hostile input that validation refuses (HTML in titles, javascript: links, images) is covered by
the golden cases in tests/cases/load/; here is everything validation lets through.
"""

from __future__ import annotations

import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import copy_project, mkdocs_build, once
from kb.excerpt import one_line

pytestmark = [pytest.mark.slow, pytest.mark.heavy]

MARK = "kbxss"
PROSE = (
    f'{MARK} <script>alert("{MARK}")</script> <img src=x onerror=alert("{MARK}")> '
    f'<a href="javascript:alert(1)">{MARK}</a> <b>{MARK}</b> " onmouseover="alert(1)" \' '
    "{{ 7*7 }} {% if true %}jinja{% endif %} "
    f'[ok](https://example.org/{MARK}){{: onclick="alert(1)" }} '
    f"*{MARK}* `<code>{MARK}</code>` &lt;script&gt; &amp; ]]> <!-- {MARK} -->"
)
PLAIN = (
    f'Drift " onmouseover="alert(1) {{{{ 7*7 }}}} [x](https://evil.example/{MARK}) '
    f"&lt;script&gt; & *{MARK}*"
)
# Elements that data must never add to a page (Material's own stay the same in number).
ACTIVE = {
    "script",
    "img",
    "iframe",
    "object",
    "embed",
    "style",
    "form",
    "input",
    "button",
    "textarea",
    "base",
    "link",
    "meta",
    "svg",
    "video",
    "audio",
    "source",
    "b",
}


class Page(HTMLParser):
    """Every element, attribute and text run of one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attrs: list[tuple[str, str, str]] = []  # (tag, name, value)
        self.text: list[str] = []
        self.script_bodies: list[str] = []
        self.json_ld: list[str] = []  # <script type="application/(ld+)json"> bodies: data, as JSON
        self.metas: list[dict[str, str]] = []  # the attributes of each <meta>
        self._in_script = False
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The feed link and the modified date depend on the repository's history, which a copy
        # without .git lacks: they are not from data.
        history = ("type", "application/atom+xml") in attrs or (
            "property",
            "article:modified_time",
        ) in attrs
        if not history:
            self.tags[tag] += 1
        self.attrs.extend((tag, name, value or "") for name, value in attrs)
        if tag == "meta":
            self.metas.append({name: value or "" for name, value in attrs})
        self._in_script = tag == "script"
        # JSON-LD, and the JSON data a page embeds for its script (the assessment page).
        json_types = {("type", "application/ld+json"), ("type", "application/json")}
        self._in_json_ld = self._in_script and bool(json_types & set(attrs))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld.append(data)
        else:
            (self.script_bodies if self._in_script else self.text).append(data)

    def handle_comment(self, data: str) -> None:
        assert MARK not in data, f"comment from data: {data!r}"


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def assert_inert(page: Page, where: str) -> None:
    """No event handler, no script URL, no data inside a script element."""
    for tag, name, value in page.attrs:
        assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
        if name in {"href", "src", "action", "formaction", "xlink:href"}:
            scheme = value.strip().lower().split(":", 1)[0]
            assert scheme not in {"javascript", "data", "vbscript"}, f"{where}: {name}={value!r}"
    for body in page.script_bodies:
        assert MARK not in body, f"{where}: data inside <script>: {body[:200]!r}"
    for body in page.json_ld:  # data belongs here, but only as JSON that cannot close the tag
        json.loads(body)
        assert "<" not in body, f"{where}: unescaped '<' in JSON-LD: {body[:200]!r}"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project with hostile text in one entry of each type, built strictly."""
    return once(tmp_path_factory, "hostile", build_hostile)


def build_hostile(folder: Path) -> Path:
    project = copy_project(folder / "project")
    edits = {
        "challenges/concept-drift": {"summary": PROSE, "in_production": PROSE, "aliases": [PLAIN]},
        "case-studies/airbnb-search-ranking": {
            "organisation": PLAIN,
            "lessons": PROSE,
            "figures": [PROSE[:290]],
        },
        "solutions/mlflow": {"summary": PROSE},
        "references/gama-2014": {"authors": [PLAIN], "venue": PLAIN, "summary": PROSE},
        "steps/updating": {"summary": PROSE},
        "stages/model-deployment": {"summary": PROSE},
    }
    for rel, fields in edits.items():
        path = project / "data" / f"{rel}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.update(fields, title=PLAIN)
        data["provenance"] = {"confidence": "unconfirmed", "note": f"{PROSE}\n\nAgain: {PROSE}"}
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = project.parent / "site"
    result = mkdocs_build(project, site)
    # The hostile text is all valid input: the build validates the corpus and checks the ledger,
    # and fails on any problem (test_site: broken data fails the build).
    assert result.returncode == 0, result.stderr
    return site


def test_hostile_text_adds_no_element_handler_or_script_url(
    hostile_site: Path, built_site: Path
) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 250
    for path in pages:
        rel = path.relative_to(hostile_site).as_posix()
        hostile = parse(path.read_text(encoding="utf-8"))
        assert_inert(hostile, rel)
        clean = parse((built_site / rel).read_text(encoding="utf-8"))
        for tag in ACTIVE:
            assert hostile.tags[tag] == clean.tags[tag], f"{rel}: <{tag}> from data"


def test_hostile_text_is_shown_literally(hostile_site: Path) -> None:
    page = parse((hostile_site / "challenges" / "concept-drift" / "index.html").read_text())
    text = "".join(page.text)
    assert f'<script>alert("{MARK}")</script>' in text
    assert "{{ 7*7 }}" in text
    assert "{% if true %}jinja{% endif %}" in text
    assert f"[x](https://evil.example/{MARK})" in text  # a title is never a link
    assert ' onmouseover="alert(1)' in text
    # The description (for search engines and link previews) is the first sentence, as plain text.
    described = [
        m["content"]
        for m in page.metas
        if m.get("name") in ("description", "twitter:description")
        or m.get("property") == "og:description"
    ]
    assert described == [one_line(PROSE)] * 3
    titled = [
        m["content"]
        for m in page.metas
        if m.get("property") == "og:title" or m.get("name") == "twitter:title"
    ]
    assert titled == [PLAIN, PLAIN]
    hrefs = [v for _t, n, v in page.attrs if n == "href"]
    assert f"https://example.org/{MARK}" in hrefs  # the one allowed kind of link
    assert not any("evil.example" in h for h in hrefs)


def test_search_index_holds_no_markup_from_data(hostile_site: Path) -> None:
    index = json.loads((hostile_site / "search" / "search_index.json").read_text())
    hits = [d for d in index["docs"] if MARK in d["title"] + d["text"]]
    assert len(hits) > 5
    for doc in hits:
        for field in ("title", "text"):
            fragment = parse(doc[field])
            assert_inert(fragment, f"search index {doc['location']} {field}")
            assert not ACTIVE & set(fragment.tags), (doc["location"], fragment.tags)
