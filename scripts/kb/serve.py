"""``kb serve``: one edition, rebuilt and reloaded in the browser after every edit.

The served site is built from the docs tree like ``make site``: the generator writes the tree
(only the files whose bytes changed), and MkDocs' own server (``mkdocs serve``, with live reload)
watches the tree and re-renders the site. This module watches the sources (the corpus, the
hand-written pages, the theme, the configuration) and writes the tree again when one changes;
a failure is printed and leaves the tree, and so the served site, as it was.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from kb.siteconfig import ENGINE_CONFIG, SOURCE_CONFIGS

POLL = 0.2
"""Seconds between two looks at the sources: an edit is seen within this."""


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


def serve(
    root: Path,
    data: Path,
    tree: Path,
    edition: str,
    address: str,
    regenerate: Callable[[], bool],
) -> int:
    """Serve ``edition`` of ``tree`` on ``address``; call ``regenerate`` (which writes the tree
    and says whether it succeeded) first and after every change of the sources."""
    if not regenerate():
        return 1
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--livereload",
            "-f",
            str(tree / edition / ENGINE_CONFIG),
            "-a",
            address,
        ],
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
    )
    # Stopped like any server (a terminal's Ctrl-C, or SIGTERM): stop MkDocs' with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    watched = sources(root, data)
    seen = snapshot(watched)
    try:
        while server.poll() is None:
            time.sleep(POLL)
            now = snapshot(watched)
            if now != seen:
                seen = now
                regenerate()
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait()
    return 0
