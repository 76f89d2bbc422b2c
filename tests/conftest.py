"""Shared fixtures: the project root, a miniature corpus, and one real site build per session."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
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

import chromium  # noqa: E402
from kb.cli import _site_info  # noqa: E402  (after the path to the package is set)
from kb.corpus import Corpus, load_corpus  # noqa: E402
from kb.translations import Language, load_language  # noqa: E402
from screenshots import ListsNoPage  # noqa: E402

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


@functools.cache
def real_corpus() -> Corpus:
    """The real corpus, loaded once per process (each test module used to load its own; tests
    only read it)."""
    return load_corpus(ROOT / "data")


@functools.cache
def real_translations(language: str) -> Language:
    """The real corpus's translations into ``language``, loaded once per process."""
    return load_language(language, ROOT / "data", real_corpus(), ROOT)


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


# Builds shared by the whole session --------------------------------------------------------------
#
# pytest-xdist runs one process per CPU, and session or module fixtures are per process: each
# worker would build the real site (and every module's special site) again. The builds below are
# made once per session, in a folder every worker sees, under a file lock: the first worker to ask
# builds, the others wait for the same result (and fail with the same message when it failed).


def shared_root(factory: pytest.TempPathFactory) -> Path:
    """The session's temporary folder that every xdist worker shares (each has its own below)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(path: Path, mode: int = fcntl.LOCK_EX) -> Iterator[None]:
    with path.open("a") as lock:
        fcntl.flock(lock, mode)
        yield


def once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Path]) -> Path:
    """``make(folder)`` run once per session whatever the worker; returns what it returned.

    ``make`` writes only inside the empty ``folder`` it is given; its result is read-only to
    tests. A failure is recorded and repeated to every worker that asks.
    """
    root = shared_root(factory)
    folder = root / f"once-{name}"
    with _locked(root / f"once-{name}.lock"):
        if (folder / ".failed").exists():
            pytest.fail((folder / ".failed").read_text(encoding="utf-8"), pytrace=False)
        if (folder / ".made").exists():
            return Path((folder / ".made").read_text(encoding="utf-8"))
        folder.mkdir()
        try:
            made = make(folder)
        except BaseException as error:
            (folder / ".failed").write_text(f"{name}: {error}", encoding="utf-8")
            raise
        (folder / ".made").write_text(str(made), encoding="utf-8")
        return made


def retire_and_rename(data: Path) -> None:
    """In the mini corpus: merge one challenge into the other, which also takes an old ID."""
    merged = data / "challenges" / "country-level-regulations.yaml"
    merged.write_text(
        merged.read_text()
        + "status: merged\nreplaced_by: [data-discovery]\nretired_reason: A test merge.\n"
    )
    solution = data / "solutions" / "data-oriented-architectures.yaml"
    solution.write_text(solution.read_text().replace(", country-level-regulations]", "]"))
    kept = data / "challenges" / "data-discovery.yaml"
    kept.write_text(kept.read_text() + "redirect_from: [finding-data]\n")


@pytest.fixture(scope="session")
def lifecycle_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of the miniature corpus with one challenge merged into another (which keeps an
    old ID), both editions built once per session into its ``site/``: the only site with a
    tombstone and retired entries to list (the real corpus has none yet)."""
    return once(tmp_path_factory, "lifecycle", _build_lifecycle)


def _build_lifecycle(folder: Path) -> Path:
    project = copy_project(folder / "project")
    shutil.rmtree(project / "data")
    shutil.copytree(MINI, project / "data")
    retire_and_rename(project / "data")
    result = site_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project


class BackgroundBuild:
    """The real site's build, started in the background as soon as a worker has collected a test
    that needs it (unit tests run meanwhile), by whichever worker gets there first; the wrapper
    process holds a lock until the build is over, so every worker can wait for it."""

    WRAPPER = (
        "import subprocess, sys, pathlib; folder = pathlib.Path(sys.argv[1]); "
        "r = subprocess.run(sys.argv[2:], capture_output=True, text=True); "
        "(folder / 'stderr').write_text(r.stderr); "
        "(folder / 'rc.tmp').write_text(str(r.returncode)); "
        "(folder / 'rc.tmp').rename(folder / 'rc')"
    )

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def folder(self, factory: pytest.TempPathFactory) -> Path:
        return shared_root(factory) / "built"

    def start(self, factory: pytest.TempPathFactory) -> None:
        folder = self.folder(factory)
        with _locked(shared_root(factory) / "built.lock"):
            if folder.exists():
                return
            folder.mkdir()
            with (folder / "running").open("w") as running:
                fcntl.flock(running, fcntl.LOCK_EX)  # held by the wrapper until it exits
                argv = [sys.executable, "scripts/build.py", "site", "--out", str(folder / "site")]
                argv += ["--tree", str(folder / "site-tree")]  # as site_build: never build/tree
                self.process = subprocess.Popen(
                    [sys.executable, "-c", self.WRAPPER, str(folder), *argv],
                    cwd=ROOT,
                    pass_fds=[running.fileno()],
                )

    def wait(self, factory: pytest.TempPathFactory) -> Path:
        self.start(factory)
        folder = self.folder(factory)
        with _locked(folder / "running", fcntl.LOCK_SH):
            pass
        if not (folder / "rc").exists():
            pytest.fail("the site build was stopped before it finished", pytrace=False)
        returncode = (folder / "rc").read_text(encoding="utf-8")
        assert returncode == "0", (folder / "stderr").read_text(encoding="utf-8")
        return folder / "site"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait()


BUILD = BackgroundBuild()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The heavy tests first (a build or a browser tour of their own), then the long ones (a
    browser, the site), the short ones last. xdist hands tests out in this order, two at a time
    (``pytest_configure``): a worker that has finished its share takes the next test, and many
    short tests at the end let both workers finish at about the same time, instead of one left
    alone with a long test while the other idles.

    Among the heavy tests, the first of each module come first (each module builds its own site
    once: two workers would otherwise wait for the same build), and those that do not wait for
    the session's build before those that do."""
    rank: dict[str, int] = {}
    heavy_seen: dict[str, int] = {}
    for item in items:
        names = {m.name for m in item.iter_markers()} | set(getattr(item, "fixturenames", ()))
        if "heavy" in names:
            module = item.nodeid.split("::")[0]
            heavy_seen[module] = heavy_seen.get(module, 0) + 1
            rank[item.nodeid] = heavy_seen[module]
        elif LONG & names:
            rank[item.nodeid] = 1_000
        else:
            rank[item.nodeid] = 2_000
    items.sort(
        key=lambda item: (
            (
                rank[item.nodeid],
                "built_site" in getattr(item, "fixturenames", ()),
            )
            if rank[item.nodeid] < 1_000
            else (rank[item.nodeid], False)
        )
    )


def pytest_configure(config: pytest.Config) -> None:
    # xdist's load scheduling sends a quarter of each worker's share at once: a worker then holds
    # a long queue that the other cannot take over at the end. Two at a time keeps the order.
    if getattr(config.option, "maxschedchunk", 0) is None:
        config.option.maxschedchunk = 2


LONG = {"browser", "slow", "built_site", "page"}


def pytest_collection_finish(session: pytest.Session) -> None:
    if any("built_site" in getattr(item, "fixturenames", ()) for item in session.items):
        BUILD.start(session.config._tmp_path_factory)  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Another worker may still wait for the build: stop it only when the run is over for all.
    if exitstatus == pytest.ExitCode.INTERRUPTED or not os.environ.get("PYTEST_XDIST_WORKER"):
        BUILD.stop()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, both editions (strict ``mkdocs build``s of the docs tree), built once per
    test session."""
    return BUILD.wait(tmp_path_factory)


@pytest.fixture(scope="session")
def served_site(built_site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 (a free port); yields its base URL."""
    with static_host(built_site) as base:
        yield base


@pytest.fixture(scope="session")
def served_site_without_search(built_site: Path) -> Iterator[str]:
    """The built site with a search index that holds no document, for tests that never search.

    Material's worker fetches and builds the whole index on every full page load: 1.7 s of CPU
    on a Japanese page, 0.3 s on an English one, which the suite paid on hundreds of loads. The
    pages themselves are the same bytes; a test that did search here would find nothing. Its
    sitemaps list no page, which changes nothing here (screenshots.ListsNoPage)."""
    with static_host(built_site, search=False) as base:
        yield base


@contextmanager
def static_host(
    site: Path, handler: type[QuietHandler] | None = None, *, search: bool = True
) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) with ``handler``; without ``search``, every
    search index it serves keeps its configuration and loses its documents, and every sitemap
    lists no page."""
    base = handler or QuietHandler
    if not search:  # and its sitemaps list no page: see screenshots.ListsNoPage
        base = type(f"{base.__name__}WithoutSearch", (ListsNoPage, base), {"search_index": False})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(base, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@functools.lru_cache(maxsize=16)
def _without_documents(index: Path, mtime_ns: int) -> bytes:
    """``index`` (a search_index.json) with its configuration and no document; made once per
    file and version (parsing a whole index again on every page load cost seconds of CPU)."""
    config = json.loads(index.read_bytes())["config"]
    return json.dumps({"config": config, "docs": []}).encode()


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file handler that keeps request logs out of the test output."""

    search_index = True  # False: search indexes are served without their documents

    def send_head(self) -> Any:
        if self.search_index or not self.path.split("?")[0].endswith("/search_index.json"):
            return super().send_head()
        path = Path(self.translate_path(self.path.split("?")[0]))
        if not path.is_file():
            return super().send_head()
        body = _without_documents(path, path.stat().st_mtime_ns)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        # A browser hangs up on a response it no longer wants (a page left mid-load): not an
        # error of the site, and its traceback was noise in the test output.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().copyfile(source, outputfile)


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


@functools.cache
def axe_script() -> str:
    """axe-core's source (tests/vendor/axe-core/), to inject into a page: it defines ``axe``."""
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian chromium driven by Playwright.

    Skipped with the reason when chromium is missing, unless KB_REQUIRE_BROWSER=1 (CI and
    ``make test-browser``), where a missing browser is a failure.
    """
    executable = chromium.find()
    if executable is None:
        message = f"chromium not found ({chromium.INSTALL})"
        if os.environ.get("KB_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=chromium.ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page (own context, so storage and history start empty)."""
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def search_pages(browser: Any, served_site: str) -> Iterator[Callable[[str], Any]]:
    """``search_pages(prefix)``: the page of one edition ("" or "ja/") of the served site with its
    search open (:func:`find_helpers.open_search`), opened on first use and kept for the session.

    Material builds the whole search index on every full page load (1-2 s of CPU for the
    Japanese one), so every search test of a worker shares one page per edition; each query is
    put in the box and its own answer awaited, so no test reads another's results."""
    from find_helpers import open_search

    opened: dict[str, Any] = {}

    def page_of(prefix: str) -> Any:
        if prefix not in opened:
            tab = browser.new_context().new_page()
            open_search(tab, served_site + prefix)
            opened[prefix] = tab
        return opened[prefix]

    yield page_of
    for tab in opened.values():
        tab.context.close()
