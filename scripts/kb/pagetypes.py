"""The page types of a built site, and one page of each: what the layout test and the screenshot
script (scripts/screenshots.py) open.

Derived from the built site itself, never from a list kept by hand, so a new page type is looked
at the day it is published: every page of ``sitemap.xml`` is classified (an entry page by its
collection, a solution or case study also by its kind, a retired entry as a tombstone; any other
page is a type of its own), and so is every HTML file the sitemap leaves out (the 404 page,
redirect pages, and anything else, which stays a type of its own).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from kb.corpus import Corpus
from kb.i18n import EDITIONS
from kb.models import MODELS, CaseStudy, Entity, Solution

_KINDED: tuple[type[Entity], ...] = (Solution, CaseStudy)
"""Collections whose kinds lay out differently (a tool has facts tables, a practice has none)."""

_LOC = re.compile(r"<loc>([^<]+)</loc>")
_REFRESH = re.compile(r'<meta http-equiv="refresh"', re.IGNORECASE)
_FOLDERS = {model.folder: model for model in MODELS}

NOT_FOUND = "not found"
REDIRECT = "redirect"
MISSING_PATH = "challenges/no-such-entry/"
"""A path the site does not have: where a representative 404 page is opened (at depth, as a host
serves it for any missing address)."""


def sitemap_paths(site: Path) -> list[str]:
    """The paths of ``site/sitemap.xml``, relative to the site's root ("" is the home page).

    The root is the shortest address listed: the English home page.
    """
    locs = _LOC.findall((site / "sitemap.xml").read_text(encoding="utf-8"))
    if not locs:
        raise ValueError(f"{site / 'sitemap.xml'} lists no page")
    root = min(locs, key=len)
    stray = [loc for loc in locs if not loc.startswith(root)]
    if stray:
        raise ValueError(f"{site / 'sitemap.xml'}: outside the root {root}: {stray[:3]}")
    return sorted(loc.removeprefix(root) for loc in locs)


def classify(path: str, corpus: Corpus) -> str:
    """The page type of a sitemap path within its edition (``challenges/concept-drift/``)."""
    parts = path.strip("/").split("/") if path else []
    model = _FOLDERS.get(parts[0]) if parts else None
    if not parts:
        return "home"
    if model and len(parts) == 1:
        return f"{model.folder} index"
    if model and len(parts) == 2 and parts[1] in corpus.entities[model.folder]:
        entity = corpus.get(model, parts[1])
        if entity.retired:
            return f"{model.folder} tombstone"
        kind = getattr(entity, "kind", None) if model in _KINDED else None
        return f"{model.folder} entry" + (f" ({kind})" if kind else "")
    return path.strip("/")


def _edition_of(path: str) -> tuple[str, str]:
    """``(edition code, path within the edition)``: ``ja/matrix/`` is ``("ja", "matrix/")``."""
    for edition in EDITIONS.values():
        if edition.prefix and path.startswith(edition.prefix):
            return edition.code, path.removeprefix(edition.prefix)
    return "en", path


def _html_paths(site: Path) -> Iterable[str]:
    """Every HTML page of ``site`` as a served path (``a/b/index.html`` is ``a/b/``)."""
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        yield rel.removesuffix("index.html")


def page_types(site: Path, corpus: Corpus) -> dict[str, dict[str, str]]:
    """``{edition code: {page type: path of one page of that type}}`` for a built ``site``.

    The representative of a type is its largest page (in bytes of HTML), the likeliest to
    overflow, so the choice follows the corpus. A 404 page is represented by a missing path at
    depth (:data:`MISSING_PATH`), which a host answers with it.
    """
    candidates: dict[tuple[str, str], list[tuple[int, str]]] = {}

    def add(code: str, kind: str, path: str, file: Path) -> None:
        size = file.stat().st_size if file.is_file() else 0
        candidates.setdefault((code, kind), []).append((-size, path))

    listed = set(sitemap_paths(site))
    for path in _html_paths(site):
        code, inner = _edition_of(path)
        file = site / path / "index.html" if not path or path.endswith("/") else site / path
        if path in listed:
            kind = classify(inner, corpus)
        elif inner == "404.html":
            kind, path = NOT_FOUND, EDITIONS[code].prefix + MISSING_PATH
        elif _REFRESH.search(file.read_text(encoding="utf-8")):
            kind = REDIRECT
        else:
            kind = f"unlisted {inner}"
        add(code, kind, path, file)
    types: dict[str, dict[str, str]] = {code: {} for code in EDITIONS}
    for (code, kind), found in sorted(candidates.items()):
        types[code][kind] = min(found)[1]
    return types
