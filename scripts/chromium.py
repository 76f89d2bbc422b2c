"""Debian's chromium for the tests, the screenshots and the benchmark (never a browser downloaded
by Playwright).

The headless shell (Debian's ``chromium-headless-shell``) comes first: the same Blink without the
desktop browser around it, it needs about 30 % less CPU a page, and on two cores the suite is
CPU-bound. The full browser is the fallback.
"""

from __future__ import annotations

import shutil

NAMES = ("chromium-headless-shell", "chromium", "chromium-browser")
INSTALL = "apt-get install chromium-headless-shell"

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find() -> str | None:
    """The path of the first chromium found, or None."""
    for name in NAMES:
        if found := shutil.which(name):
            return found
    return None
