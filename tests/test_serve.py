"""``kb serve`` (make serve) regenerates pages when a data file changes (live reload)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import MINI, copy_project

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, needle: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and needle in body:
            return True
        time.sleep(0.3)
    return False


# A Japanese translation for the miniature corpus: its fingerprint matches no English text, so
# the page says the translation is behind (never an error) and shows this title.
TRANSLATION = """id: data-discovery
source_fingerprint: "0000000000000000"
title: データディスカバリー
"""


# The English edition (make serve) is served in tests/test_serve_warm.py, which checks more.
@pytest.mark.parametrize(
    ("code", "edition", "path", "before", "after"),
    [
        # As `make serve-ja` runs it: the edition's own address, so it is served under /ja/.
        (
            "ja",
            "ja/",
            "ja/challenges/data-discovery.yaml",
            "データディスカバリー",
            "データの発見",
        ),
    ],
    ids=["ja"],
)
def test_serve_rebuilds_a_page_after_its_yaml_changes(
    tmp_path: Path, code: str, edition: str, path: str, before: str, after: str
) -> None:
    """On the miniature corpus with one Japanese translation: what is served, and what an edit
    regenerates, does not depend on the corpus's size (the English test serves the real one)."""
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "data")
    shutil.copytree(MINI, project / "data")
    (project / "data" / path).parent.mkdir(parents=True)
    (project / "data" / path).write_text(TRANSLATION, encoding="utf-8")
    port = free_port()
    address = f"http://127.0.0.1:{port}/{edition}"
    server = subprocess.Popen(
        [sys.executable, "scripts/build.py", "serve", "--edition", code, "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "KB_SITE_URL": address},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"{address}challenges/data-discovery/"
    try:
        assert wait_for(url, f">{before}<", 180), "mkdocs serve did not come up"
        assert f'<link rel="canonical" href="{url}">' in (fetch(url) or "")
        data = project / "data" / path
        data.write_text(data.read_text().replace(f"title: {before}", f"title: {after}"))
        assert wait_for(url, f">{after}<", 180), "the page was not regenerated"
    finally:
        server.terminate()
        server.wait(timeout=10)
