"""Permanent addresses: page URLs, and the redirect pages generated from ``redirect_from``.

A redirect page is plain HTML (a canonical link, a meta refresh, and a line of JavaScript that
keeps the ``#section`` of the incoming link), so it works on any static host and beside any site
engine. It knows nothing of MkDocs: the hook adds the pages to the build as static files.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable

from kb.corpus import Corpus
from kb.excerpt import one_line
from kb.i18n import EDITIONS, Edition, untranslated
from kb.lifecycle import redirect_url, url_of
from kb.models import Entity

__all__ = [
    "page_url",
    "redirect_targets",
    "render_moves",
    "render_redirects",
    "served_url",
    "url_of",
]


def page_url(path: str) -> str:
    """The URL path a generated page is served at: ``challenges/x.md`` -> ``/challenges/x/``."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
    else:
        stem += "/"
    return "/" + stem.lstrip("/")


def served_url(path: str, *, directory_urls: bool = True) -> str:
    """Where an engine serves the page at ``path`` (``challenges/x.md``), relative to its
    edition's root: ``challenges/x/``, or ``challenges/x.html`` in the offline bundle."""
    url = page_url(path).lstrip("/")
    if directory_urls:
        return url
    if url == "" or path.endswith("index.md"):
        return url + "index.html"
    return url.rstrip("/") + ".html"


def redirect_targets(corpus: Corpus) -> dict[str, Entity]:
    """``{redirect URL path: the entity it leads to}``, for every ``redirect_from`` value."""
    found = {
        redirect_url(entity, source): entity
        for folder in corpus.entities.values()
        for entity in folder.values()
        for source in entity.redirect_from
    }
    return dict(sorted(found.items()))


def render_redirects(
    corpus: Corpus,
    *,
    site_url: str | None = None,
    site_name: str | None = None,
    gettext: Callable[[str], str] = untranslated,
    language: str = "en",
) -> dict[str, str]:
    """``{output path: HTML}`` of every redirect page, e.g. ``challenges/old/index.html``.

    Links are relative, so the site works under any base path; the canonical link is absolute
    when ``site_url`` is known. Chat apps do not follow the redirect, so the page also carries
    the link-preview tags of the page it leads to: an old link pasted in a chat unfurls as the new.
    ``gettext`` words the page's title and sentence in the edition's ``language``.
    """
    pages = {}
    for url, target in redirect_targets(corpus).items():
        here = url.strip("/") + "/index.html"
        target_url = url_of(target.folder, target.id)
        href = posixpath.relpath(target_url.strip("/"), url.strip("/")) + "/"
        canonical = site_url.rstrip("/") + target_url if site_url else href
        title = html.escape(target.title)
        pages[here] = _REDIRECT.format(
            **_moved(gettext, title, href),
            lang=language,
            preview=_PREVIEW.format(
                locale=EDITIONS[language].locale,
                title=title,
                description=html.escape(one_line(target.summary or target.title)),
                site_name=html.escape(site_name or ""),
                canonical=html.escape(canonical),
            ),
            href=html.escape(href),
            canonical=html.escape(canonical),
            # </script> cannot occur in a JSON string of a relative slug path, but escape anyway.
            script_href=json.dumps(href).replace("</", "<\\/"),
        )
    return pages


def render_moves(
    moves: dict[str, str],
    *,
    site_url: str | None = None,
    gettext: Callable[[str], str] = untranslated,
) -> dict[str, str]:
    """``{output path: HTML}`` of a redirect page for each moved hand-written page.

    ``moves`` maps the old URL path to the new one, both relative to the site root
    (``{"tags/": "matrix/"}``): a hand-written page that is merged into another keeps its address.
    """
    pages = {}
    for old, new in sorted(moves.items()):
        here = old.strip("/") + "/index.html"
        href = posixpath.relpath(new.strip("/") or ".", old.strip("/")) + "/"
        canonical = site_url.rstrip("/") + "/" + new.lstrip("/") if site_url else href
        pages[here] = _REDIRECT.format(
            **_moved(gettext, html.escape(new), href),
            lang="en",  # moved hand-written pages only ever existed in English
            preview="",  # a moved hand-written page: its new title is not known here
            href=html.escape(href),
            canonical=html.escape(canonical),
            script_href=json.dumps(href).replace("</", "<\\/"),
        )
    return pages


def _moved(gettext: Callable[[str], str], title: str, href: str) -> dict[str, str]:
    """The redirect page's title and sentence; ``title`` is HTML already, as the page's."""
    link = f'<a href="{html.escape(href)}">{title}</a>'
    return {
        "moved_title": html.escape(gettext("Moved: %(title)s"), quote=False) % {"title": title},
        "moved_text": html.escape(gettext("This page has moved to %(link)s."), quote=False)
        % {"link": link},
    }


# Link-preview tags of the entry a redirect leads to (chat apps do not follow the redirect).
_PREVIEW = """\
<meta property="og:type" content="website">
<meta property="og:site_name" content="{site_name}">
<meta property="og:title" content="{title}">
<meta property="og:description" content="{description}">
<meta property="og:url" content="{canonical}">
<meta property="og:locale" content="{locale}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="{title}">
<meta name="twitter:description" content="{description}">
"""

_REDIRECT = """\
<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{moved_title}</title>
<link rel="canonical" href="{canonical}">
<meta name="robots" content="noindex">
{preview}<script>location.replace({script_href} + location.search + location.hash)</script>
<meta http-equiv="refresh" content="0; url={href}">
</head>
<body>
<p>{moved_text}</p>
</body>
</html>
"""


# Links across editions ----------------------------------------------------------------------

ROOT_SCHEME = "kb-root:"
"""Templates write a link to a page or file of another edition as ``kb-root:<path from the
site root>`` (``kb-root:api/challenges/x.json`` from a Japanese page): MkDocs checks only links
inside the edition it builds, so these are resolved to relative links once the page is written."""

_ROOT_HREF = re.compile(r'href="kb-root:([^"#?]*)([^"]*)"')


def root_href(target: str, page: str, prefix: str, *, directory_urls: bool = True) -> str:
    """The relative link from a page of an edition to ``target``, a path from the site root.

    Args:
        target: ``challenges/x/`` (a page: trailing slash or empty for the home page) or a file.
        page: the page's URL within its edition, as MkDocs gives it (``challenges/y/``,
            ``challenges/y.html``, or empty for the home page).
        prefix: the edition's path under the site root (``ja/``; empty for English).
        directory_urls: False where pages are ``.html`` files (the offline bundle).
    """
    is_page = target == "" or target.endswith("/")
    if is_page and not directory_urls:
        target = target.rstrip("/") + ".html" if target else "index.html"
        is_page = False
    here = prefix + page
    folder = here if here.endswith("/") or not here else posixpath.dirname(here)
    link = posixpath.relpath(target or ".", folder or ".")
    if link == ".":
        return "./"
    return link + "/" if is_page else link


def resolve_root_links(html_text: str, page: str, prefix: str, *, directory_urls: bool) -> str:
    """Every ``kb-root:`` link of a written page, made relative to where the page is served."""
    return _ROOT_HREF.sub(
        lambda m: (
            'href="'
            + html.escape(root_href(m.group(1), page, prefix, directory_urls=directory_urls))
            + m.group(2)
            + '"'
        ),
        html_text,
    )


def alternates(
    page: str, edition: Edition, root_url: str, *, directory_urls: bool = True
) -> list[dict[str, str]]:
    """The page in every edition, for the language switcher and the ``hreflang`` links.

    Each gives the language's own ``name``, its ``lang`` code, ``link`` (the absolute URL, for
    ``<link rel="alternate">``) and ``href`` (relative, so switching works from the offline
    bundle too). Every page exists in every edition at the same path (tests hold to that).
    """
    if page == "404.html":
        path = page
    elif page.endswith(".html"):  # the offline bundle: challenges/x.html -> challenges/x/
        stem = page.removesuffix(".html")
        path = "" if stem == "index" else stem.removesuffix("/index") + "/"
    else:
        path = page
    found = []
    for other in EDITIONS.values():
        target = other.prefix + path
        href = root_href(target, page, edition.prefix, directory_urls=directory_urls)
        link = root_url.rstrip("/") + "/" + target if root_url else href
        found.append(
            {
                "name": other.name,
                "lang": other.code,
                "prefix": other.prefix,
                "link": link,
                "href": href,
            }
        )
    return found
