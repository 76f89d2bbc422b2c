"""Check the links of a built site with linkchecker, served over HTTP on 127.0.0.1.

Usage: ``python scripts/linkcheck.py SITE [--anchors] [--external]``

linkchecker needs HTTP (not file://) to check anchors in directory-URL pages. It allows more
than 10 requests a second only to a server that sends a ``LinkChecker`` header, which the
server here does; without it, checking the site takes minutes instead of seconds.
External URLs are checked only with ``--external`` (needs the network; never in CI).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# A static server ignores a query: explore/?stage=… is the filter page explore/, which linkchecker
# would otherwise fetch and parse again for each of its ~130 links from each edition's pages (a
# fifth of its time). Those links are checked for syntax only; explore/ itself is checked (the
# nav links it), and tests/test_industries_tools.py opens every heatmap and tool cell's view.
# One checking thread: linkchecker's work is Python under one lock, so more threads only contend
# for it (four took 30 s and 28 s of CPU on the real site; one takes 23 s and 21 s).
CONFIG = """\
[checking]
maxrequestspersecond=1000
threads=1
[filtering]
ignore=^http://127\\.0\\.0\\.1:\\d+/(ja/)?explore/\\?
"""


class _Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("LinkChecker", "local test server")  # lifts the 10 requests/s limit
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        # linkchecker hangs up once it has read what it needs of a large file: the rest is not
        # wanted, and a traceback for it was noise in the report.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().copyfile(source, outputfile)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on a free port of 127.0.0.1; yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def check(
    site: Path, *, anchors: bool = False, external: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run linkchecker over the served site; exit status 1 means broken links (or anchors)."""
    executable = shutil.which("linkchecker")
    if executable is None:
        raise FileNotFoundError("linkchecker not found (apt-get install linkchecker)")
    with tempfile.TemporaryDirectory() as tmp, serve(site) as url:
        config = Path(tmp) / "linkcheckerrc"
        config.write_text(CONFIG + ("[AnchorCheck]\n" if anchors else ""), encoding="utf-8")
        command = [executable, "--no-status", "--config", str(config)]
        command += ["--check-extern"] if external else []
        return subprocess.run([*command, url], capture_output=True, text=True, check=False)


def main(argv: list[str] | None = None) -> int:
    """Command line: check a site folder, print linkchecker's report, return its status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="built site folder, e.g. site/")
    parser.add_argument("--anchors", action="store_true", help="also check #anchors (slower)")
    parser.add_argument("--external", action="store_true", help="also check external URLs")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no index.html (build the site first: make site)", file=sys.stderr)
        return 1
    try:
        result = check(args.site, anchors=args.anchors, external=args.external)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
