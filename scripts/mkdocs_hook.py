"""MkDocs hook: a thin adapter that adds the generated pages to the build, in memory.

All logic lives in the ``kb`` package, which imports nothing from MkDocs; moving to another site
engine means replacing this file (or running ``scripts/build.py build`` before it).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kb import CorpusError, load_corpus, render_site  # noqa: E402
from kb.diagnostics import format_diagnostics  # noqa: E402
from kb.find import find_assets  # noqa: E402

_pages: dict[str, str] = {}
_assets: dict[str, str] = {}  # generated static files (the filter page's JSON index)


def on_pre_build(config: MkDocsConfig, **kwargs: Any) -> None:
    """Load and render the corpus before MkDocs cleans site_dir, so bad data loses nothing."""
    root = Path(config.config_file_path).resolve().parent
    try:
        corpus = load_corpus(root / "data", root=root)
    except CorpusError as exc:
        raise PluginError("\n" + format_diagnostics(exc.diagnostics)) from None
    _pages.clear()
    _pages.update(render_site(corpus))
    _assets.clear()
    _assets.update(find_assets(corpus, directory_urls=config.use_directory_urls))


def on_files(files: Files, config: MkDocsConfig, **kwargs: Any) -> Files:
    """Add the generated pages; a hand-written page of the same path would be a conflict."""
    for path, markdown in _pages.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} clashes with a generated page: remove the file")
        files.append(File.generated(config, path, content=markdown))
    for path, text in _assets.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} clashes with a generated file: remove the file")
        files.append(File.generated(config, path, content=text))
    return files
