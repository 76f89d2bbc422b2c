"""MkDocs hook for hosting: ``robots.txt`` from ``site_url``, "edit" links for hand-written pages.

Kept apart from ``mkdocs_hook.py`` (the corpus adapter): nothing here knows about the corpus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files


def robots_txt(site_url: str | None) -> str:
    """Allow every crawler, and point them at the sitemap when the site knows its own URL."""
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines += ["", f"Sitemap: {site_url.rstrip('/')}/sitemap.xml"]
    return "\n".join(lines) + "\n"


def on_files(files: Files, config: MkDocsConfig, **kwargs: Any) -> Files:
    """Point hand-written pages' edit links at ``docs/<path>``; add ``robots.txt``."""
    root = Path(config.config_file_path).resolve().parent
    docs = Path(config.docs_dir).resolve().relative_to(root).as_posix()
    for file in files.documentation_pages():
        if file.generated_by is None:  # generated pages set their own (see mkdocs_hook.py)
            file.edit_uri = f"{docs}/{file.src_uri}"
    # robots.txt belongs at the site's root: the English edition's (another edition is a folder).
    english = config.theme["language"] == "en"
    if english and files.get_file_from_path("robots.txt") is None:
        files.append(File.generated(config, "robots.txt", content=robots_txt(config.site_url)))
    return files
