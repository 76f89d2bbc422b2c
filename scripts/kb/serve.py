"""``kb serve``: one edition, rebuilt and reloaded in the browser after every edit.

The served site is built from the docs tree like ``make site``. After an edit of the sources
(the corpus, the hand-written pages, the theme, the configuration), the generator writes the
tree again, which changes only the files whose bytes changed, and the engine renders again only
what that touched:

- **MkDocs + Material** (the default): kept warm in this process (kb/warm.py), it renders the
  changed pages only and rewrites the whole search index from every page's entries; MkDocs' own
  live-reload server tells the browser to reload once the pages are written.
- **Zensical**: its own server (``zensical serve``) watches the tree and rebuilds what changed.

A failure (bad data, a broken ledger) is printed and leaves the tree, and so the served site,
as it was; the next good edit brings it up to date.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
)
from watchdog.observers import Observer

from kb.siteconfig import ENGINE_CONFIG, SOURCE_CONFIGS

POLL = 0.1
"""Seconds between two looks at the sources: an edit is seen within this."""

Regenerate = Callable[[bool], list[str] | None]
"""Writes the tree (with its open data, or keeping the open data it holds); returns the paths it
changed (relative to the tree), or None on failure."""


def snapshot(paths: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """``{file: (mtime, size)}`` of every file under ``paths`` (files or folders)."""
    found: dict[str, tuple[int, int]] = {}
    for top in paths:
        candidates = [top] if top.is_file() else top.rglob("*")
        for path in candidates:
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file() and "__pycache__" not in path.parts:
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def sources(root: Path, data: Path) -> list[Path]:
    """What the tree is made from, and so what an edit can change."""
    configs = [root / name for name in SOURCE_CONFIGS.values()]
    return [data, root / "docs", root / "overrides", *configs]


def watch(paths: list[Path], changed: Callable[[], object], running: Callable[[], bool]) -> None:
    """Call ``changed`` after each change of the files under ``paths``, while ``running()``."""
    seen = snapshot(paths)
    while running():
        time.sleep(POLL)
        now = snapshot(paths)
        if now != seen:
            seen = now
            changed()


def serve(
    sources: list[Path],
    tree: Path,
    edition: str,
    address: str,
    site_url: str,
    regenerate: Regenerate,
    *,
    engine: str = "mkdocs",
) -> int:
    """Serve ``edition`` of ``tree`` on ``address`` (its pages at ``site_url``'s path), writing
    the tree with ``regenerate`` first and after every change of ``sources``."""
    if regenerate(True) is None:
        return 1
    # Stopped like any server (a terminal's Ctrl-C, or SIGTERM): stop the engine's with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    config = tree / edition / ENGINE_CONFIG
    if engine == "zensical":
        return _serve_zensical(sources, config, address, regenerate)
    return _serve_mkdocs(sources, config, edition, address, site_url, regenerate)


def _serve_zensical(sources: list[Path], config: Path, address: str, regenerate: Regenerate) -> int:
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent)) or "zensical"
    server = subprocess.Popen([zensical, "serve", "-f", str(config), "-a", address])
    try:
        watch(sources, lambda: regenerate(True), lambda: server.poll() is None)
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait()
    return 0


def _serve_mkdocs(
    sources: list[Path],
    config: Path,
    edition: str,
    address: str,
    site_url: str,
    regenerate: Regenerate,
) -> int:
    import logging

    from kb.warm import ViewingServer, WarmMkDocs

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    host, port = address.rsplit(":", 1)
    site_dir = Path(tempfile.mkdtemp(prefix="kb-serve-"))
    mount = urlsplit(site_url).path or "/"
    warm = WarmMkDocs(config, site_dir, f"http://{host}:{port}{mount}")
    warm.build()
    prefix = f"{edition}/"
    busy = threading.Lock()  # one update of the tree and the site at a time
    log = logging.getLogger("mkdocs")

    def update(open_data: bool) -> tuple[int, int, Callable[[], int]] | None:
        changed = regenerate(open_data)
        if changed is None:
            return None
        mine = [path.removeprefix(prefix) for path in changed if path.startswith(prefix)]
        if any(not path.startswith(("en/", "ja/")) for path in changed):
            mine.append(ENGINE_CONFIG)  # the theme or the hook: build everything again
        if not mine:
            return 0, 0, lambda: 0
        now, later = warm.update(mine, server.viewed())
        return len(mine), now, later

    def open_data() -> None:
        """The open data (api/), once the browser shows the pages: nothing on a page waits
        for it, and it is a third of the generator's time."""
        with busy:
            done = update(True)
            if done:
                done[2]()
        if done and done[0]:
            log.info(f"open data: {done[0]} files of the tree changed")

    def rebuild() -> None:
        started, cpu = time.perf_counter(), time.process_time()
        busy.acquire()
        try:
            done = update(False)
        except BaseException:
            busy.release()
            raise
        if done is None:
            busy.release()
            raise RuntimeError("the sources have problems (above); the site is unchanged")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        log.info(
            f"{done[0]} files of the tree changed, {_pages(done[1])} rendered"
            f" before the reload: {seconds:.2f} s ({cpu:.2f} s of CPU)"
        )
        # The browser reloads once this returns; the other pages and the search index follow,
        # still holding the lock (the next edit waits for them), then the open data.
        threading.Thread(target=finish, args=(done[2],), daemon=True).start()

    def finish(later: Callable[[], int]) -> None:
        started = time.perf_counter()
        try:
            pages = later()
        except Exception as exc:  # a page MkDocs cannot render: said, as a rebuild's error is
            log.error(f"the other pages were not all rendered: {exc}")
            return
        finally:
            busy.release()
        log.info(f"{_pages(pages)} more rendered after it: {time.perf_counter() - started:.2f} s")
        open_data()

    server = ViewingServer(
        builder=rebuild,
        host=host,
        port=int(port),
        root=str(site_dir),
        mount_path=mount,
    )
    # The operating system's file events (inotify on Linux) instead of MkDocs' polling of every
    # watched file, which costs CPU all the time (a tenth of a second per look at the corpus)
    # and, with the GIL, slows the rebuild it waits for.
    server.observer = _EditObserver()
    server.build_delay = 0.02  # the editor has written the file; start at once
    server.error_handler = lambda code: _error_page(site_dir, code)
    for path in sources:
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()  # type: ignore[no-untyped-call]  # MkDocs 1.6 leaves it unannotated
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0


_EDITS = [
    FileModifiedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
]
"""The file events that are edits: inotify also reports files opened and closed unwritten, which
the generator itself does to every source it reads, and each would start another rebuild."""


class _EditObserver(Observer):  # type: ignore[misc,valid-type]  # a platform's class, by alias
    """The platform's file-event observer, told to report only edits (:data:`_EDITS`)."""

    def schedule(self, handler: Any, path: str, *, recursive: bool = False, **_: Any) -> Any:
        return super().schedule(handler, path, recursive=recursive, event_filter=_EDITS)


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def _error_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
