"""MkDocs hook: a thin adapter that adds the generated pages to the build, in memory.

All logic lives in the ``kb`` package, which imports nothing from MkDocs; moving to another site
engine means replacing this file (or running ``scripts/build.py build`` before it).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kb import CorpusError, load_corpus, render_site
from kb.assess import assess_files
from kb.changes import FEED_PATH, changes_feed
from kb.cite import Site, edit_branch, project_version
from kb.diagnostics import format_diagnostics
from kb.export import export_files
from kb.find import find_assets
from kb.history import read_history
from kb.i18n import (
    EDITIONS,
    LANGUAGES,
    SOURCE_LANGUAGE,
    Edition,
    env_gettext,
    install_gettext,
    load_catalog,
)
from kb.ledger import ledger_problems
from kb.models import ORIGINS
from kb.permalinks import (
    alternates,
    page_url,
    render_moves,
    render_redirects,
    resolve_root_links,
)
from kb.render import make_env, page_sources
from kb.translations import load_language

VENDORED_SHIM = "assets/vendor/iframe-worker-shim.js"
_pages: dict[str, str] = {}
_data_files: dict[str, bytes] = {}  # api/: JSON, CSV, JSON Schema (assessment's too), BibTeX
_redirects: dict[str, str] = {}  # static HTML redirect pages, from redirect_from
_sources: dict[str, str] = {}  # page path -> the YAML file it comes from
_assets: dict[str, str] = {}  # generated static files (the filter page's JSON index)
_highlighted: list[Page] = []  # the nav page an entry page lights up while it is rendered


def edition_of(config: MkDocsConfig) -> Edition:
    """The edition a configuration builds: the theme's language (mkdocs.ja.yml sets ``ja``)."""
    return EDITIONS.get(config.theme["language"], EDITIONS[SOURCE_LANGUAGE])


def offline_build(config: MkDocsConfig) -> bool:
    """Whether this build is the offline bundle (Material's offline plugin switched on)."""
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)


def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    """Another edition lives under the site's address plus its prefix (``…/ja/``)."""
    edition = edition_of(config)
    # The offline plugin (make offline) loads its file:// Worker shim from unpkg.com; ours is
    # vendored, so the bundle, like the site, requests nothing from another host.
    config.extra["polyfills"] = [
        VENDORED_SHIM if "iframe-worker" in url else url
        for url in config.extra.get("polyfills") or []
    ]
    # Search results show each entry's tags; its origin tag gets a class of its own (md-tag--…)
    # through Material's tag map, in the edition's words.
    gettext = env_gettext(make_env(load_catalog(edition.code) if edition.prefix else None))
    config.extra["tags"] = {gettext(label): f"kb-origin-{key}" for key, label in ORIGINS.items()}
    url = config.site_url or ""
    if edition.prefix and url.endswith("/" + edition.prefix):
        # `mkdocs serve` mounts the site at its address's path, read before any hook runs, so
        # `make serve-ja` gives the edition's own address (…/ja/); the root is what precedes it.
        config.extra["kb_root_url"] = url.removesuffix(edition.prefix)
    else:
        config.extra["kb_root_url"] = url
        if edition.prefix and url:
            config.site_url = url.rstrip("/") + "/" + edition.prefix
    return config


def on_pre_build(config: MkDocsConfig, **kwargs: Any) -> None:
    """Load and render the corpus before MkDocs cleans site_dir, so bad data loses nothing."""
    root = Path(config.config_file_path).resolve().parent
    edition = edition_of(config)
    try:
        english = load_corpus(root / "data", root=root)
        # Every edition loads every language: the open data (English edition) carries them all.
        languages = {code: load_language(code, root / "data", english, root) for code in LANGUAGES}
    except CorpusError as exc:
        raise PluginError("\n" + format_diagnostics(exc.diagnostics)) from None
    language = languages.get(edition.code)
    corpus = language.corpus if language else english
    site = Site(
        config.site_name,
        config.site_url or "/",
        project_version(root),
        repo_url=config.repo_url,
        branch=edit_branch(config.edit_uri),
        root=config.extra["kb_root_url"] or "/",
        language=edition.code,
    )
    history = read_history(root)  # one `git log`; a copy without .git says history is unavailable
    pages = render_site(corpus, site, history, language, languages)
    # Every URL and anchor of data/ledger.yaml must still resolve (and no ID may be reused).
    problems = ledger_problems(corpus, pages, root / "data", root, edition.prefix)
    if problems:
        raise PluginError("\n" + format_diagnostics(problems))
    env = make_env(language.catalog if language else None)
    _pages.clear()
    _pages.update(pages)
    _data_files.clear()
    if not edition.prefix:  # open data is published once, at the site's root
        _data_files.update(export_files(english, site, languages))
        _data_files.update(assess_files(site))
    _redirects.clear()
    _redirects.update(
        render_redirects(
            corpus,
            site_url=config.site_url,
            site_name=config.site_name,
            gettext=env_gettext(env),
            language=edition.code,
        )
    )
    if not edition.prefix:  # moved hand-written pages only ever existed in English
        moves = config.extra.get("moved_pages") or {}
        _redirects.update(render_moves(moves, site_url=config.site_url))
    _sources.clear()
    _sources.update(page_sources(corpus, language))
    _assets.clear()
    _assets.update(
        find_assets(
            corpus,
            directory_urls=config.use_directory_urls,
            gettext=env_gettext(env),
            offline=offline_build(config),
        )
    )
    feed = changes_feed(corpus, history, env, site)
    _assets.update(feed)
    # main.html links the feed from every page's head, when there is one.
    config.extra["changes_feed"] = FEED_PATH if feed else None


def on_env(env: jinja2.Environment, config: MkDocsConfig, **kwargs: Any) -> jinja2.Environment:
    """Theme templates translate through kb.i18n too (``_()`` in overrides/), like our pages."""
    edition = edition_of(config)
    install_gettext(env, load_catalog(edition.code) if edition.prefix else None)
    return env


def on_files(files: Files, config: MkDocsConfig, **kwargs: Any) -> Files:
    """Add the generated pages; a hand-written page of the same path would be a conflict.

    Another edition has its own docs folder (``docs/ja/``) for its hand-written pages, and shares
    the English one's assets (scripts, styles, vendored files).
    """
    if edition_of(config).prefix:
        shared = Path(config.config_file_path).resolve().parent / "docs"
        for asset in sorted((shared / "assets").rglob("*")):
            path = asset.relative_to(shared).as_posix()
            if asset.is_file() and files.get_file_from_path(path) is None:
                files.append(File(path, str(shared), config.site_dir, config.use_directory_urls))
    for path, markdown in _pages.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} clashes with a generated page: remove the file")
        file = File.generated(config, path, content=markdown)
        file.edit_uri = _sources.get(path)  # "edit this page" opens the entry's YAML file
        files.append(file)
    for path, content in _data_files.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} clashes with a generated data file: remove the file")
        files.append(File.generated(config, path, content=content))
    for path, html in _redirects.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} clashes with a generated redirect: remove the file")
        files.append(File.generated(config, path, content=html))
    served = {page_url(f.src_uri).lstrip("/") for f in files.documentation_pages()}
    for old, new in (config.extra.get("moved_pages") or {}).items():
        if old in served:
            raise PluginError(f"moved_pages: {old} is still a page; its redirect would replace it")
        if new not in served:
            raise PluginError(f"moved_pages: {old} leads to {new}, which is not a page")
    for path, text in _assets.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} clashes with a generated file: remove the file")
        files.append(File.generated(config, path, content=text))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Turn the page paths of an entry's breadcrumb (``kb_crumbs``) into URLs for the theme."""
    for crumb in page.meta.get("kb_crumbs") or []:
        target = files.get_file_from_path(crumb["page"])
        if target is None:
            raise PluginError(f"{page.file.src_uri}: breadcrumb to missing page {crumb['page']}")
        crumb["url"] = target.url
    return markdown


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    """The page in every edition (the language switcher and ``hreflang`` links); and, as entry
    pages are not in the nav, the listing they belong to (``kb_nav``) lit up instead, so the
    theme highlights its tab and shows its section in the sidebar."""
    config.extra["alternate"] = alternates(
        page.url,
        edition_of(config),
        config.extra["kb_root_url"],
        directory_urls=config.use_directory_urls,
    )
    wanted = page.meta.get("kb_nav")
    for listing in nav.pages if wanted else []:
        if listing.file.src_uri == wanted and listing is not page:
            listing.active = True  # MkDocs marks its parent sections active too
            _highlighted.append(listing)
    return context


def on_pre_template(
    template: jinja2.Template, template_name: str, config: MkDocsConfig, **kwargs: Any
) -> jinja2.Template:
    """The 404 page is a theme template, not a page: give it its own alternates (the other
    editions' 404 pages), not those of the last page built, and the editions' prefixes, so the
    English 404 page can hand a missing /ja/ address to the Japanese one."""
    if template_name == "404.html":
        edition = edition_of(config)
        config.extra["alternate"] = alternates(
            "404.html",
            edition,
            config.extra["kb_root_url"],
            directory_urls=config.use_directory_urls,
        )
        config.extra["kb_other_editions"] = [e.prefix for e in EDITIONS.values() if e.prefix]
        config.extra["kb_edition_prefix"] = edition.prefix
    return template


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Undo :func:`on_page_context` once the page is written; resolve links to other editions."""
    while _highlighted:
        _highlighted.pop().active = False
    return resolve_root_links(
        output, page.url, edition_of(config).prefix, directory_urls=config.use_directory_urls
    )
