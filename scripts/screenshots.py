"""Screenshot one page of every page type of a built site: both editions, a laptop and a phone,
light and dark (``make shots`` writes them to build/shots/).

Usage: ``python scripts/screenshots.py SITE OUT [--data DIR] [--only TEXT]``

The page types come from the built site (kb.pagetypes), so a new page type gets its screenshot
without editing this file. The site is served on 127.0.0.1 the way a static host serves it (a
missing path gets the root 404.html), and each page is taken once its scripts say they are ready.
tests/test_layout.py opens the same tour (:func:`tour`, :func:`serve`, :func:`open_ready`).
Needs Playwright (the dev extra) and Debian's chromium.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import chromium
from kb.corpus import load_corpus
from kb.pagetypes import page_types

VIEWPORTS = {"laptop": (1366, 900), "phone": (390, 844)}
SCHEMES = ("light", "dark")
FACETS_TICKED = "explore, facets ticked"

# A page is ready when it has loaded, its fonts are in, every widget a script started says it is
# ready (#kb-explore and #kb-assess set data-state when they start and data-ready when done), and
# every section heading has its copy button (kb-permalink.js, run from Material's document$), and
# no transition is under way (Material fades the navigation tabs in: a box mid-way is no layout).
# A finite transition is finished at once rather than waited out: its end is the same state, and
# a phone tour waited 250 ms a page for the header's shadow.
READY = """() => {
  for (const a of document.getAnimations()) {
    const finite = a.effect.getComputedTiming().iterations !== Infinity;
    if (a.playState === "running" && finite) a.finish();
  }
  return document.readyState === "complete" &&
  document.fonts.status === "loaded" &&
  document.getAnimations().every((a) => a.playState !== "running" ||
    a.effect.getComputedTiming().iterations === Infinity) &&
  [...document.querySelectorAll("[data-state]")].every((e) => e.hasAttribute("data-ready")) &&
  (!document.documentElement.classList.contains("kb-js") ||
    [...document.querySelectorAll(".md-content .headerlink")].every(
      (link) => !link.parentElement.id || link.parentElement.querySelector(".kb-section-copy")));
}"""

# The filter page as a reader leaves it: the first option of the first two facets ticked (a
# phone shows facets closed, so each is opened first, as a reader would).
TICK_FACETS = """() => {
  const facets = [...document.querySelectorAll("#kb-explore details.kb-explore__facet")];
  for (const facet of facets.slice(0, 2)) {
    if (!facet.open) facet.querySelector("summary").click();
    facet.querySelector("input[type=checkbox]").click();
  }
  return facets.length;
}"""


@dataclass(frozen=True)
class Stop:
    """One page of the tour: its edition, its page type, and where it is."""

    edition: str
    kind: str
    path: str
    site: str = ""  # which served site (the key of the bases given to :func:`tour`)

    @property
    def name(self) -> str:
        """A file-name-safe label: ``ja-solutions-entry-tool``."""
        return re.sub(r"[^a-z0-9]+", "-", f"{self.edition} {self.kind}".lower()).strip("-")


def tour(site: Path, data: Path, label: str = "") -> list[Stop]:
    """Every page type of ``site`` (built from ``data``), one page each, both editions; the filter
    page also with facets ticked."""
    stops = []
    for edition, types in page_types(site, load_corpus(data)).items():
        for kind, path in types.items():
            stops.append(Stop(edition, kind, path, label))
            if kind == "explore":
                stops.append(Stop(edition, FACETS_TICKED, path, label))
    return stops


class StaticHost(SimpleHTTPRequestHandler):
    """Serves a folder as a static host does: a missing path gets the root 404.html, status 404."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        # A browser hangs up on a response it no longer wants (a page left mid-load): not an
        # error of the site, and its traceback was noise in the output.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().copyfile(source, outputfile)


# Asking for a sitemap with this header gets it as built, not the stand-in below (a test that
# rewrites the sitemap to the local address, to turn instant navigation on, reads it so).
WHOLE_SITEMAP = "X-KB-Whole-Sitemap"
EMPTY_SITEMAP = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


class ListsNoPage(SimpleHTTPRequestHandler):
    """Serves every sitemap.xml as one that lists no page.

    Material reads the sitemap on every full page load, only to choose which links to follow by
    instant navigation: the real site's is 434 KB, parsed twice on an English page (once more for
    the feed's link), and without it the layout passes take an eighth less CPU in chromium's
    renderer. On 127.0.0.1 the built
    sitemap matches no link anyway (its URLs name the site's own address), so a sitemap that
    lists nothing changes nothing a page shows or does there."""

    def send_head(self) -> Any:
        if not self.path.split("?")[0].endswith("/sitemap.xml") or self.headers[WHOLE_SITEMAP]:
            return super().send_head()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(EMPTY_SITEMAP)))
        self.end_headers()
        return io.BytesIO(EMPTY_SITEMAP)


class WithoutSearch(ListsNoPage, StaticHost):
    """A static host that has no search index: Material's search worker then has nothing to
    index on each page load (seconds of CPU for the Japanese index) that a picture or a layout
    check would wait for. Its sitemaps list no page (:class:`ListsNoPage`)."""

    def send_head(self) -> Any:
        if self.path.split("?")[0].endswith("/search/search_index.json"):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()


@contextlib.contextmanager
def serve(site: Path, search: bool = True) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) as a static host, with its search index or
    without it; yields its base URL."""
    host = StaticHost if search else WithoutSearch
    handler = functools.partial(host, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def open_ready(tab: Any, base: str, stop: Stop) -> Any:
    """Open ``stop`` in ``tab`` and wait until the page and its scripts are ready; returns the
    response of the load (None when there was none).

    The filter page with facets ticked is the plain one, already open, after the ticks."""
    response = None
    if stop.kind != FACETS_TICKED or tab.url != base + stop.path:
        response = tab.goto(base + stop.path, wait_until="load")
        tab.wait_for_function(READY, timeout=15000)
    if stop.kind == FACETS_TICKED:
        assert tab.evaluate(TICK_FACETS) >= 2, f"{stop.path}: the filter page has no facets"
        tab.wait_for_function("() => location.search.length > 1", timeout=5000)
    return response


def find_chromium() -> str:
    if found := chromium.find():
        return found
    raise SystemExit(f"chromium not found ({chromium.INSTALL})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site (make site writes site/)")
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument(
        "--data", type=Path, default=Path("data"), help="the corpus it was built from"
    )
    parser.add_argument("--only", default="", help="only page types whose file name contains this")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    stops = [s for s in tour(args.site, args.data) if args.only in s.name]
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.only:  # a page type that is gone leaves no stale picture behind
        for old in args.out.glob("*.png"):
            old.unlink()
    with serve(args.site, search=False) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=chromium.ARGS)
        for width_name, (width, height) in VIEWPORTS.items():
            for scheme in SCHEMES:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, color_scheme=scheme
                )
                tab = context.new_page()
                for stop in stops:
                    open_ready(tab, base, stop)
                    file = args.out / f"{stop.name}-{width_name}-{scheme}.png"
                    tab.screenshot(path=str(file), full_page=True)
                context.close()
        browser.close()
    print(f"{len(stops) * len(VIEWPORTS) * len(SCHEMES)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
