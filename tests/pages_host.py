"""A static host that answers a missing path with the site's 404.html and status 404, as GitHub
Pages (and nginx with ``error_page 404 /404.html``) do: the 404 page's scripts then read any
address a link can hold."""

from __future__ import annotations

from contextlib import AbstractContextManager
from http import HTTPStatus
from pathlib import Path

from conftest import QuietHandler, static_host


class PagesHandler(QuietHandler):
    """Like GitHub Pages: a missing path gets the site's 404.html with status 404."""

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


def pages_host(site: Path, *, search: bool = True) -> AbstractContextManager[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) like GitHub Pages; yields its base URL. Without
    ``search``, its search indexes hold no document (see ``served_site_without_search``)."""
    return static_host(site, PagesHandler, search=search)
