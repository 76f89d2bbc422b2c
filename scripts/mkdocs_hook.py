"""MkDocs hook: only what MkDocs cannot get from the docs tree's files and configuration.

The pages, open data, redirects, assets, edit links, breadcrumbs, the page in every edition and
the interface strings are all in the tree that ``kb build`` writes (``build/tree/``, see
``kb/tree.py``), so any engine builds the same site from it; tests/test_engine_tree.py builds
the tree with and without this hook and lists every difference.

What is left, and why it cannot move:

- **An entry page lights up its listing's tab.** Entry pages are kept out of the nav (a full nav
  is O(n²) in size), so MkDocs gives them no place in it. Material highlights a tab, and opens
  its section in the sidebar, from the ``active`` flag of MkDocs' nav objects, which MkDocs sets
  only along the path of a page that is in the nav; no front matter or configuration sets it.
  The page names its listing (``kb_nav`` in its front matter); the flag is set while the page is
  rendered, and cleared once it is written.
- **Compiled templates are kept** (``kb/compiled.py``): MkDocs has no setting for Jinja's
  bytecode cache, and compiling Material's templates was a quarter of a small build. Without
  the ``kb`` package (the tree built on its own), templates are compiled as before.
- **A guard at the repository's root.** ``mkdocs.yml`` there is the source configuration: its
  pages are generated into the tree first. Building it directly would give a site of the
  hand-written pages only, so the hook stops such a build and says what to run instead.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

_highlighted: list[Page] = []  # the nav page an entry page lights up while it is rendered


def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    """Refuse the source configuration: only the tree's (which says its edition) is a site."""
    if "kb_edition_prefix" not in config.extra:
        raise PluginError(
            f"{config.config_file_path} is the source configuration: its pages are generated "
            "first. Run `make site` (or `make serve`), or build the tree that `make build` "
            "writes: mkdocs build -f build/tree/en/mkdocs.yml"
        )
    return config


def on_env(env: Any, config: MkDocsConfig, files: Any) -> Any:
    """Keep Material's compiled templates for the next build (only speed depends on it)."""
    try:
        from kb.compiled import CompiledTemplates
    except ImportError:
        return env
    env.bytecode_cache = CompiledTemplates()
    return env


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    """Light up the listing an entry page belongs to (``kb_nav``), with its parent sections."""
    wanted = page.meta.get("kb_nav")
    for listing in nav.pages if wanted else []:
        if listing.file.src_uri == wanted and listing is not page:
            listing.active = True  # MkDocs marks its parent sections active too
            _highlighted.append(listing)
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Undo :func:`on_page_context` once the page is written."""
    while _highlighted:
        _highlighted.pop().active = False
    return output
