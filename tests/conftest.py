"""Shared fixtures: the project root, a miniature corpus, and one real site build per session."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini" / "data"
sys.path.insert(0, str(ROOT / "scripts"))

# The site's address comes from outside the repository too (set where the site is deployed):
# pinned like the build date, so golden files that hold absolute URLs do not depend on the shell.
os.environ["KB_SITE_URL"] = "https://kb.example.org/"
os.environ["KB_REPO_URL"] = "https://git.example.org/deploying-ml-kb"

from kb.cli import _site_info  # noqa: E402  (after the path to the package is set)

# Where the site under test says it lives: mkdocs.yml read as MkDocs reads it, KB_SITE_URL and
# KB_REPO_URL included, so the tests agree with the build whatever the environment sets.
SITE = _site_info()
SITE_URL = SITE.url
REPO_URL = SITE.repo_url or ""

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
# The build date (sitemap <lastmod>) is the one input outside the repository: pin it.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A writable copy of the miniature corpus, at ``tmp_path/data``."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    return data


_NOT_PROJECT = shutil.ignore_patterns(
    ".git", ".venv", "site", "build", "node_modules", "__pycache__", ".*_cache", "*.egg-info"
)


def copy_project(dest: Path) -> Path:
    """Copy the project (sources, data, config; no venv, output or caches) to ``dest``.

    Tests that must change the corpus or the config work on such a copy, never on the repo.
    """
    shutil.copytree(ROOT, dest, ignore=_NOT_PROJECT, dirs_exist_ok=True)
    return dest


def mkdocs_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """Build the English edition of ``project`` into ``site_dir`` as ``make site`` builds it: the
    docs tree (beside ``site_dir``), then a strict ``mkdocs build`` of it."""
    return site_build(project, site_dir, "--edition", "en")


def site_build(project: Path, site_dir: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Build every edition of ``project`` into ``site_dir`` as ``make site`` does: English at the
    root, Japanese under ``ja/``, in parallel, with one sitemap. The docs tree goes beside
    ``site_dir``, so builds in parallel never share one."""
    tree = site_dir.with_name(site_dir.name + "-tree")
    command = [sys.executable, "scripts/build.py", "site", "--out", str(site_dir)]
    return subprocess.run(
        [*command, "--tree", str(tree), *options],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, both editions, built once per test session (strict ``mkdocs build``s of
    the docs tree)."""
    site = tmp_path_factory.mktemp("built") / "site"
    result = site_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def served_site(built_site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 (a free port); yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file handler that keeps request logs out of the test output."""

    def log_message(self, format: str, *args: object) -> None:
        pass


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """Debian's chromium (never a browser downloaded by Playwright)."""
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian chromium driven by Playwright.

    Skipped with the reason when chromium is missing, unless KB_REQUIRE_BROWSER=1 (CI and
    ``make test-browser``), where a missing browser is a failure.
    """
    executable = find_chromium()
    if executable is None:
        message = "chromium not found (apt-get install chromium)"
        if os.environ.get("KB_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page (own context, so storage and history start empty)."""
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()
