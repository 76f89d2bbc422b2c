"""MkDocs kept warm between edits, for ``kb serve``: only the pages whose files changed are
rendered again.

``mkdocs serve`` rebuilds the whole site after every edit (about 4 s for the real corpus), and
its ``--dirty`` mode writes a search index of the changed pages only. Here the first build keeps
what it gathered (the files, the nav, the theme's environment, and every page's search entries);
after an edit of the tree, the pages whose Markdown changed are read, rendered and written
again (those open in a browser first), changed static files are copied, and the search index is
written whole from every page's entries. Anything else (a page added or removed, the
configuration, the theme, a title in the nav) is a full build, as ``mkdocs serve`` does.

The live-reload server is MkDocs' own, told which pages are open in a browser.

This is the one module of the package that imports MkDocs (only ``kb serve`` loads it); it uses
MkDocs 1.6's build steps (``mkdocs.commands.build``), which the exact pin in pyproject.toml keeps.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from mkdocs import utils
from mkdocs.commands.build import (
    _build_extra_template,
    _build_page,
    _build_theme_template,
    _populate_page,
)
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.kb")


class WarmMkDocs:
    """One edition's site in ``site_dir``, built from its engine configuration in the tree."""

    def __init__(self, config_file: Path, site_dir: Path, site_url: str) -> None:
        self.config_file, self.site_dir, self.site_url = config_file, site_dir, site_url
        self.entries: dict[str, list[dict[str, Any]]] = {}  # page -> its search entries
        self.state: tuple[MkDocsConfig, Files, Navigation, Any, Sequence[File]] | None = None

    def build(self) -> None:
        """A full build, as ``mkdocs build`` does it, keeping what it gathered."""
        self.state = None
        config = load_config(config_file=str(self.config_file), site_dir=str(self.site_dir))
        config.site_url = self.site_url
        config.plugins.on_startup(command="serve", dirty=False)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        pages = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for file in pages:
            if file.page is None:
                Page(None, file, config)
            assert file.page is not None
            _populate_page(file.page, config, files)
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(inclusion=InclusionLevel.is_in_serve)
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)
        self.entries = {}
        for file in pages:
            self._render(file, config, pages, nav, env)
        self._write_index(config, pages)
        self.state = (config, files, nav, env, pages)

    def update(
        self, changed: list[str], first: Collection[str] = ()
    ) -> tuple[int, Callable[[], int]]:
        """Bring the site up to date after the tree's files ``changed`` (paths relative to the
        edition's folder: ``docs/challenges/x.md``, ``mkdocs.yml``).

        The changed pages whose URL (``challenges/x/``; ``""`` for the home page) is in
        ``first``, the pages open in a browser, are rendered now (all of them when ``first`` is
        empty); the others, and the search index, by the function returned, which the caller
        runs once the browser has reloaded (Hugo's "fast render" does the same).

        Returns how many pages were rendered now (all of them after a full build, with nothing
        left to do) and that function, which returns how many it rendered."""
        if self.state is None or any(not path.startswith("docs/") for path in changed):
            self.build()
            return len(self.entries), _nothing
        config, files, nav, env, pages = self.state
        again = []
        for path in changed:
            file = files.get_file_from_path(path.removeprefix("docs/"))
            if file is None or file.abs_src_path is None or not Path(file.abs_src_path).is_file():
                self.build()  # a file added or removed: the nav and links may change
                return len(self.entries), _nothing
            if file.page is not None:
                again.append(file)
            else:
                file.copy_file()
        # Every page shows the nav, and so the title of each page in it: a new one is a full
        # build. Front matter names most titles (read, not rendered); the others need a render.
        in_nav = {id(page) for page in nav.pages}
        ready = set()
        for file in again:
            page = file.page
            assert page is not None
            if id(page) not in in_nav:
                continue
            title = page.title
            page.read_source(config)
            if "title" not in page.meta:
                _populate_page(page, config, files)
                ready.add(file.src_uri)
            if page.title != title:
                self.build()
                return len(self.entries), _nothing
        # With no page known to be open, every page is rendered before the browser reloads.
        now = [f for f in again if not first or (f.page is not None and f.page.url in first)]
        rest = [file for file in again if file not in now]

        def render(chosen: list[File]) -> None:
            for file in chosen:
                assert file.page is not None
                if file.src_uri not in ready:
                    _populate_page(file.page, config, files)
                self._render(file, config, pages, nav, env)

        def later() -> int:
            render(rest)
            self._write_index(config, pages)
            return len(rest)

        render(now)
        return len(now), later

    def _render(
        self, file: File, config: MkDocsConfig, pages: Sequence[File], nav: Navigation, env: Any
    ) -> None:
        """Write ``file``'s page, and keep the search entries its rendering added."""
        search = config.plugins.get("material/search")
        index = getattr(search, "search_index", None)
        if index is not None:
            index.entries = []
        assert file.page is not None
        _build_page(file.page, config, pages, nav, env)
        if index is not None:
            self.entries[file.src_uri] = index.entries

    def _write_index(self, config: MkDocsConfig, pages: Sequence[File]) -> None:
        """The search index of every page (in the order of a full build), then the other
        plugins' end of build."""
        search = config.plugins.get("material/search")
        index = getattr(search, "search_index", None)
        if index is not None:
            index.entries = [e for f in pages for e in self.entries.get(f.src_uri, [])]
        config.plugins.on_post_build(config=config)


class ViewingServer(LiveReloadServer):
    """MkDocs' live-reload server, which also knows the pages open in a browser: each holds a
    poll of ``/livereload/…`` open, sent with the page's address as its referrer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open: Counter[str] = Counter()
        self._open_lock = threading.Lock()

    def viewed(self) -> set[str]:
        """The site-relative URLs (``challenges/x/``; ``""`` for the home page) open now."""
        with self._open_lock:
            return set(self._open)

    def _serve_request(self, environ: dict[str, Any], start_response: Any) -> Any:
        referrer = environ.get("HTTP_REFERER", "")
        path = unquote(urlsplit(referrer).path)
        if not environ["PATH_INFO"].startswith("/livereload/") or not path.startswith(
            self.mount_path
        ):
            return super()._serve_request(environ, start_response)
        page = path[len(self.mount_path) :].removesuffix("index.html")
        with self._open_lock:
            self._open[page] += 1
        try:
            return super()._serve_request(environ, start_response)
        finally:
            with self._open_lock:
                self._open[page] -= 1
                if self._open[page] <= 0:
                    del self._open[page]


def _nothing() -> int:
    return 0
