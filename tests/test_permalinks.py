"""Permalinks that never break, checked on built sites and in a real browser.

The ledger is read here with plain YAML and the built HTML is inspected directly, so these tests
do not trust the code that writes the ledger or the redirect pages.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINI, ROOT, SITE_URL, copy_project, mkdocs_build

LEDGER = yaml.safe_load((ROOT / "data" / "ledger.yaml").read_text(encoding="utf-8"))
REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


def html_at(site: Path, url: str) -> str:
    path = site / url.strip("/") / "index.html"
    assert path.is_file(), f"{url}: no page in the built site"
    return path.read_text(encoding="utf-8")


def resolve(site: Path, url: str) -> tuple[str, str]:
    """Follow a generated redirect (if the page is one): the final URL path and its HTML."""
    html = html_at(site, url)
    refresh = REFRESH.search(html)
    if refresh is None:
        return url, html
    target = posixpath.normpath(posixpath.join(url, refresh.group(1))) + "/"
    assert CANONICAL.search(html).group(1) == SITE_URL.rstrip("/") + target  # type: ignore[union-attr]
    return target, html_at(site, target)


@pytest.mark.slow
def test_every_ledger_url_and_anchor_resolves_in_the_built_site(built_site: Path) -> None:
    assert len(LEDGER) > 250
    redirects = 0
    for url, record in LEDGER.items():
        final, html = resolve(built_site, url)
        assert (final != url) == (record["kind"] == "redirect"), url
        redirects += final != url
        assert REFRESH.search(html) is None, f"{url}: redirects twice"
        for anchor in record.get("anchors", []):
            assert f'id="{anchor}"' in html, f"{url}#{anchor} is missing from {final}"
    assert redirects >= 1


@pytest.mark.slow
def test_entry_pages_show_an_absolute_permalink_from_site_url(built_site: Path) -> None:
    html = html_at(built_site, "/challenges/concept-drift/")
    url = f"{SITE_URL}challenges/concept-drift/"
    assert f'<a class="kb-permalink__url" href="{url}">{url}</a>' in html
    assert json.loads(entry_formats(html))["markdown"] == f"[Concept drift]({url})"
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    assert not [d for d in index["docs"] if "reStructuredText" in d["text"]]


FORMATS = re.compile(r'<button [^>]*class="[^"]*kb-copy-link[^"]*" data-kb-formats="([^"]*)"')


def entry_formats(html: str) -> str:
    """The JSON of an entry page's copy control ("Copy link" among the page actions)."""
    found = FORMATS.search(html)
    assert found is not None, "no copy control among the page actions"
    return unescape(found[1])


@pytest.mark.slow
def test_the_copy_control_sits_with_the_page_actions_above_the_title(built_site: Path) -> None:
    """Issue 20, finding 8: the formats were at the very foot of the page, after the citation and
    the provenance. The permanent link itself stays at the foot, under its anchor."""
    for url in ("/challenges/concept-drift/", "/ja/challenges/concept-drift/"):
        html = html_at(built_site, url)
        actions = html.index('<div class="kb-actions">')
        assert actions < html.index(FORMATS.search(html)[0]) < html.index("<h1"), url
        assert html.index("<h1") < html.index('id="cite"') < html.index('id="permalink"')
        assert "data-kb-copy=" not in html, url
        assert "kb-permalink__formats" not in html, url


def check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(project / "scripts" / "build.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )


RENAMED = (
    "/challenges/country-level-regulations/ was published but nothing serves it now: "
    "data/challenges/country-level-regulations.yaml is gone. Keep the file and retire the entry "
    "(status: deprecated, merged or split), or, if it was renamed, add "
    "'country-level-regulations' to redirect_from in the entry that replaces it"
)
REMOVED = "/solutions/data-oriented-architectures/ was published but nothing serves it now"


@pytest.mark.slow
@pytest.mark.heavy
def test_guard_fails_the_build_on_a_renamed_and_a_removed_entry_until_fixed(
    tmp_path: Path,
) -> None:
    """On the miniature corpus, with the ledger its site publishes (the guard does not depend on
    the corpus's size): a challenge renamed and a solution deleted fail kb check and the build,
    every broken promise listed; keeping the old ID and retiring the solution mend both."""
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "data")
    shutil.copytree(MINI, project / "data")
    data = project / "data"
    ledger = subprocess.run(
        [sys.executable, str(project / "scripts" / "build.py"), "ledger"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ledger.returncode == 0, ledger.stderr
    records = yaml.safe_load((data / "ledger.yaml").read_text(encoding="utf-8"))
    assert "/solutions/data-oriented-architectures/" in str(records)
    # Rename a challenge (and the references to it), and delete a solution.
    old = data / "challenges" / "country-level-regulations.yaml"
    new = data / "challenges" / "regulations-by-country.yaml"
    new.write_text(
        old.read_text().replace("id: country-level-regulations", "id: regulations-by-country")
    )
    old.unlink()
    solution = data / "solutions" / "data-oriented-architectures.yaml"
    solution_text = solution.read_text()
    solution.unlink()

    result = check(project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"data/ledger\.yaml:\d+:1: " + re.escape(RENAMED), lines[0]), lines
    assert re.fullmatch(r"data/ledger\.yaml:\d+:1: " + re.escape(REMOVED) + ": .*", lines[1])
    assert lines[2:] == ["2 problems found in the corpus."]
    built = mkdocs_build(project, tmp_path / "broken-site")
    assert built.returncode == 1
    assert "Traceback" not in built.stderr
    assert lines[0] in built.stderr
    assert lines[1] in built.stderr

    # Fix: the renamed entry keeps its old ID as an alias; the removed one becomes a tombstone.
    new.write_text(new.read_text() + "redirect_from: [country-level-regulations]\n")
    solution.write_text(
        solution_text.replace("country-level-regulations", "regulations-by-country")
        + "status: deprecated\nretired_reason: Withdrawn for this test.\n"
    )
    result = check(project)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    built = mkdocs_build(project, site)
    assert built.returncode == 0, built.stderr

    final, html = resolve(site, "/challenges/country-level-regulations/")
    assert final == "/challenges/regulations-by-country/"
    assert 'id="references"' in html
    tombstone = html_at(site, "/solutions/data-oriented-architectures/")
    assert "Data-oriented architectures" in tombstone
    assert "Withdrawn for this test." in tombstone
    promised = records["/solutions/data-oriented-architectures/"]["anchors"]
    assert promised
    assert [a for a in promised if f'id="{a}"' not in tombstone] == []
    assert "data-oriented-architectures/" not in html_at(site, "/solutions/")
    assert "solutions/data-oriented-architectures/" in html_at(site, "/retired/")
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert not [d for d in index["docs"] if "data-oriented-architectures" in d["location"]]
    assert [d for d in index["docs"] if "regulations-by-country" in d["location"]]


@pytest.mark.browser
def test_redirect_keeps_the_section_in_a_real_browser(
    page: Any, served_site_without_search: str
) -> None:
    page.goto(f"{served_site_without_search}challenges/hardware-aware-optimisation/#solutions")
    page.wait_for_url(
        f"{served_site_without_search}challenges/hardware-aware-optimization/#solutions"
    )
    assert page.title().startswith("Hardware-aware optimization")
    assert page.locator("#solutions").is_visible()


@pytest.mark.browser
def test_redirect_works_without_javascript(browser: Any, served_site_without_search: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{served_site_without_search}challenges/hardware-aware-optimisation/")
        tab.wait_for_url(f"{served_site_without_search}challenges/hardware-aware-optimization/")
        # Without JavaScript the URL stays readable and the copy buttons stay out of the way.
        assert tab.locator(".kb-permalink__url").is_visible()
        assert tab.locator(".kb-copy-link").count() == 1
        assert not tab.locator(".kb-copy-link").is_visible()
    finally:
        context.close()


@pytest.mark.browser
def test_copy_control_puts_each_format_of_the_link_on_the_clipboard(
    page: Any, served_site_without_search: str
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{served_site_without_search}challenges/concept-drift/")
    url = f"{SITE_URL}challenges/concept-drift/"
    opener = page.get_by_role("button", name="Copy link", exact=True)
    formats = json.loads(opener.get_attribute("data-kb-formats"))
    box = opener.bounding_box()
    assert box is not None
    assert box["y"] < page.locator("h1").bounding_box()["y"]
    # One click: the bare link, said in the row of formats that opens below the page actions.
    opener.click()
    panel = page.locator("#kb-copy-entry")
    status = panel.locator(".kb-copy__status")
    page.wait_for_function(
        "() => document.querySelector('#kb-copy-entry .kb-copy__status')?.textContent"
    )
    assert page.evaluate(CLIPBOARD) == {"text/plain": url}
    assert status.inner_text() == f"Copied: {url}"
    assert opener.get_attribute("aria-expanded") == "true"
    copied = {}
    buttons = {
        "Link": "url",
        "Markdown": "markdown",
        "Rich link": "html",
        "AsciiDoc": "asciidoc",
        "reStructuredText": "rst",
        "MediaWiki": "mediawiki",
        "Citation": "citation",
    }
    assert panel.locator("button").all_inner_texts() == list(buttons)
    for name, key in buttons.items():
        status.evaluate("e => { e.textContent = ''; }")
        panel.get_by_role("button", name=name, exact=True).click()
        page.wait_for_function(
            "() => document.querySelector('#kb-copy-entry .kb-copy__status').textContent"
        )
        copied[key] = page.evaluate(CLIPBOARD)
        assert status.inner_text() == f"Copied: {formats[key]}"
    for key in ("url", "markdown", "asciidoc", "rst", "mediawiki", "citation"):
        assert copied[key] == {"text/plain": formats[key]}, key
    # A rich link: HTML for editors that take it, the bare URL for those that do not.
    assert copied["html"]["text/plain"] == url
    assert f'<a href="{url}">Concept drift</a>' in copied["html"]["text/html"]
    assert formats["url"] == url
    assert formats["markdown"] == f"[Concept drift]({url})"
    assert formats["citation"] == (
        f"“Concept drift” (challenge). In: Deploying ML — Challenges Knowledge Base. {url}"
    )
    page.keyboard.press("Escape")
    assert panel.count() == 0
    assert opener.get_attribute("aria-expanded") == "false"
    assert opener.evaluate("e => e === document.activeElement")


# Every type on the clipboard, as {MIME type: text}.
CLIPBOARD = """async () => {
  const found = {};
  for (const item of await navigator.clipboard.read())
    for (const type of item.types) found[type] = await (await item.getType(type)).text();
  return found;
}"""
