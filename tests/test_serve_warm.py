"""``kb serve`` with MkDocs kept warm: after an edit only the changed pages are rendered again,
yet the site stays whole: the search index keeps every page (MkDocs' ``--dirty`` would write
the changed pages' entries only), and the open data follows the edit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import copy_project
from test_serve import free_port, wait_for

pytestmark = pytest.mark.slow


def index_of(url: str) -> list[dict[str, str]]:
    with urllib.request.urlopen(url + "search/search_index.json", timeout=10) as response:
        docs: list[dict[str, str]] = json.load(response)["docs"]
    return docs


def test_an_edit_renders_only_its_pages_and_keeps_search_and_open_data_whole(
    tmp_path: Path,
) -> None:
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
        before = index_of(url)
        data = project / "data" / "challenges" / "concept-drift.yaml"
        data.write_text(data.read_text().replace("title: Concept drift", "title: Concept shift"))
        assert wait_for(page, ">Concept shift<", 60), "the page was not regenerated"
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
    rendered = [line for line in log.read_text().splitlines() if "pages rendered" in line]
    assert len(rendered) == 1, rendered
    pages = int(rendered[0].split(", ")[1].split(" pages")[0])
    assert 0 < pages < 60, rendered[0]  # the pages that show the title, not all 320
