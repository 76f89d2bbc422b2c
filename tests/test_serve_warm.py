"""``kb serve`` with MkDocs kept warm: after an edit only the changed pages are rendered again,
those open in a browser first (the browser reloads then), the others just after; yet the site
stays whole: the search index keeps every page (MkDocs' ``--dirty`` would write the changed
pages' entries only), and the open data follows the edit."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import copy_project
from kb.cli import _project, _write_tree
from kb.siteconfig import ENGINE_CONFIG
from kb.warm import WarmMkDocs
from test_serve import fetch, free_port, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.heavy]


def index_of(url: str) -> list[dict[str, str]]:
    with urllib.request.urlopen(url + "search/search_index.json", timeout=10) as response:
        docs: list[dict[str, str]] = json.load(response)["docs"]
    return docs


def logged(log: Path, needle: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if needle in log.read_text():
            return True
        time.sleep(0.05)
    return False


def test_an_edit_renders_the_open_page_first_and_keeps_search_and_open_data_whole(
    tmp_path: Path,
) -> None:
    """``make serve`` (the English edition; tests/test_serve.py serves the Japanese one)."""
    project = copy_project(tmp_path / "project")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "scripts/build.py", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env={**os.environ, "KB_SITE_URL": url},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    page = f"{url}challenges/concept-drift/"
    try:
        assert wait_for(page, ">Concept drift<", 120), "kb serve did not come up"
        html = fetch(page) or ""
        assert f'<link rel="canonical" href="{page}">' in html
        before = index_of(url)
        # The page is open in a browser: it holds a poll of the live-reload server open, as
        # MkDocs' script in the page does, with the page as its referrer.
        epoch = re.search(r"livereload\((\d+), (\d+)\)", html)
        assert epoch, "no live-reload script in the served page"
        poll = urllib.request.Request(
            f"{url}livereload/{epoch[1]}/{epoch[2]}", headers={"Referer": page + "#references"}
        )
        reloaded: list[str] = []
        browser = threading.Thread(
            target=lambda: reloaded.append(urllib.request.urlopen(poll, timeout=90).read()),
            daemon=True,
        )
        browser.start()
        assert logged(log, f"Browser connected: {page}", 30)

        data = project / "data" / "challenges" / "concept-drift.yaml"
        data.write_text(data.read_text().replace("title: Concept drift", "title: Concept shift"))
        browser.join(60)
        assert reloaded, "the browser was not told to reload"
        assert ">Concept shift<" in (fetch(page) or ""), "the open page is not new on reload"
        # The other pages that show the title follow, then the whole search index.
        assert wait_for(f"{url}challenges/", ">Concept shift<", 60), "the listing is stale"
        assert logged(log, "more rendered after it", 30)
        after = index_of(url)
        assert len(after) == len(before) > 1000  # every page's entries, not the changed ones'
        assert {d["location"] for d in after} == {d["location"] for d in before}
        titles = {d["location"]: d["title"] for d in after}
        assert titles["challenges/concept-drift/"] == "Concept shift"
        # The open data is written just after the pages.
        api = f"{url}api/challenges/concept-drift.json"
        assert wait_for(api, '"title": "Concept shift"', 30), "the open data was not updated"
    finally:
        server.terminate()
        server.wait()
    text = log.read_text()
    first = re.findall(r"(\d+) files of the tree changed, (\d+) pages? rendered before the", text)
    later = re.findall(r"(\d+) pages? more rendered after it", text)
    assert len(first) == len(later) == 1, text[-3000:]
    assert first[0][1] == "1", first  # the open page alone before the reload
    assert 20 < int(later[0]) < 60, later  # then the pages that show the title, not all 480


def test_the_warm_site_renders_the_pages_asked_first_and_the_rest_when_told(
    tmp_path: Path, mini_data: Path
) -> None:
    """WarmMkDocs.update at the level of its files: the pages named first are written before
    it returns, the others (and the search index) only by the function it returns; with no page
    named, every page is written before it returns."""
    project = _project(mini_data, editions=("en",))
    tree, site = tmp_path / "tree", tmp_path / "site"
    known: dict[str, bytes] = {}
    assert _write_tree(project, tree, known) is not None
    warm = WarmMkDocs(tree / "en" / ENGINE_CONFIG, site, "https://kb.example.org/")
    warm.build()
    source = mini_data / "challenges" / "data-discovery.yaml"
    original = source.read_text()
    own, listing = site / "challenges/data-discovery/index.html", site / "challenges/index.html"
    index = site / "search/search_index.json"

    def edit(title: str) -> list[str]:
        source.write_text(original.replace("title: Data discovery", f"title: {title}"))
        written = _write_tree(project, tree, known, open_data=False)
        assert written is not None
        return [path.removeprefix("en/") for path in written[1] if path.startswith("en/")]

    changed = edit("Data finding")
    assert "docs/challenges/index.md" in changed
    now, later = warm.update(changed, {"challenges/data-discovery/", "about/"})
    assert now == 1
    assert ">Data finding<" in own.read_text()
    assert ">Data finding<" not in listing.read_text()
    assert "Data finding" not in index.read_text()
    assert later() == len([p for p in changed if p.endswith(".md")]) - 1
    assert ">Data finding<" in listing.read_text()
    assert '"title":"Data finding"' in index.read_text().replace(": ", ":")

    changed = edit("Data search")
    now, later = warm.update(changed, set())
    assert now == len([p for p in changed if p.endswith(".md")]) > 1
    assert ">Data search<" in listing.read_text()
    assert later() == 0
    assert '"title":"Data search"' in index.read_text().replace(": ", ":")
