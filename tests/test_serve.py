"""``mkdocs serve`` regenerates pages when a data file changes (the live-reload promise)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import copy_project

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


def test_serve_rebuilds_a_page_after_its_yaml_changes(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/challenges/concept-drift/"
    try:
        assert wait_for(url, ">Concept drift<", 60), "mkdocs serve did not come up"
        data = project / "data" / "challenges" / "concept-drift.yaml"
        data.write_text(data.read_text().replace("title: Concept drift", "title: Concept shift"))
        assert wait_for(url, ">Concept shift<", 60), "the page was not regenerated"
    finally:
        server.terminate()
        server.wait(timeout=10)
