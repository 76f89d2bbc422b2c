"""A link to an entry in the markup each wiki, chat or editor wants, its title kept intact.

The build writes these strings into each entry page (JSON in the ``data-kb-formats`` of its
"Copy link" button, read by ``kb-permalink.js``), so the browser only copies them, and every format
is tested by parsing it back with a library for that markup. A section's link is made in the
browser, by a line-for-line port of these functions in ``kb-permalink.js`` that
``tests/test_linkformats.py`` holds to them. A title is escaped only as far as its characters
need: plain titles stay readable.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import quote

from kb.i18n import untranslated

FORMATS = ("url", "markdown", "html", "asciidoc", "rst", "mediawiki", "citation")
"""Every format, in the order the copy control offers them."""

# Characters a URL may keep in every format below; anything else is percent-encoded.
_URL_SAFE = "/:?#[]@!$&'*+,;=%~-._"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")  # "&amp;" would otherwise show as "&"
_MD_TAG = re.compile(r"<(?=[A-Za-z/!?$])")  # "<b>" would otherwise be raw HTML
_ADOC_PLAIN = re.compile(r"[^\W_]+(?:[ ,.:;?!/\u2013\u2014-][^\W_]*)*", re.UNICODE)
_ADOC_REPLACED = ("--", "...", "->")  # AsciiDoc turns these into dashes, ellipses and arrows
_WIKI_PLAIN = re.compile(r"[^\W_]+(?:[ ,.:;?!/()\"\u2013\u2014'-][^\W_]*)*", re.UNICODE)


def link_url(url: str) -> str:
    """``url`` with spaces, brackets of the markups and quotes percent-encoded."""
    return quote(url, safe=_URL_SAFE.replace("[]", "").replace("'", ""))


def markdown_link(title: str, url: str) -> str:
    """``[title](url)``, with Markdown's inline syntax in the title escaped."""
    text = _MD_TAG.sub("&lt;", _MD_ENTITY.sub("&amp;", _MD_SPECIAL.sub(r"\\\1", title)))
    return f"[{text}]({link_url(url).replace('(', '%28').replace(')', '%29')})"


def html_link(title: str, url: str) -> str:
    """``<a href="url">title</a>``: pasted as a link by rich-text editors."""
    return f'<a href="{html.escape(link_url(url))}">{html.escape(title, quote=False)}</a>'


def asciidoc_link(title: str, url: str) -> str:
    """``link:url[title]``; a title with markup characters goes through a passthrough."""
    plain = _ADOC_PLAIN.fullmatch(title) and not any(r in title for r in _ADOC_REPLACED)
    text = title if plain else "+++" + html.escape(title, quote=False) + "+++"
    return f"link:{link_url(url)}[{text}]"


def rst_link(title: str, url: str) -> str:
    """An anonymous hyperlink reference, `` `title <url>`__ `` (no target name to clash)."""
    text = title.replace("\\", "\\\\").replace("`", "\\`").replace("<", "\\<")
    target = link_url(url).replace("<", "%3C").replace(">", "%3E")
    if target.endswith("_"):  # <name_> would be a reference to another target
        target = target[:-1] + "\\_"
    return f"`{text} <{target}>`__"


def mediawiki_link(title: str, url: str) -> str:
    """An external link, ``[url title]``; a title with wiki markup is wrapped in nowiki."""
    plain = _WIKI_PLAIN.fullmatch(title) and "''" not in title
    text = title if plain else "<nowiki>" + html.escape(title, quote=False) + "</nowiki>"
    return f"[{link_url(url)} {text}]"


def citation_line(
    title: str, url: str, label: str, site_name: str, gettext: Callable[[str], str] = untranslated
) -> str:
    """A one-line reference for prose: ``“Title” (challenge). In: Site. URL``.

    ``label`` is the entry's English label (``Challenge``); ``gettext`` words the line.
    """
    pattern = gettext("\u201c%(title)s\u201d (%(kind)s). In: %(site)s. %(url)s")
    return pattern % {
        "title": title,
        "kind": gettext(label).lower(),
        "site": site_name,
        "url": url,
    }


def link_formats(
    title: str, url: str, label: str, site_name: str, gettext: Callable[[str], str] = untranslated
) -> dict[str, str]:
    """Every format of a link to ``url`` titled ``title``, keyed as in :data:`FORMATS`.

    Only the citation has words of its own, in ``gettext``'s language.
    """
    return {
        "url": url,
        "markdown": markdown_link(title, url),
        "html": html_link(title, url),
        "asciidoc": asciidoc_link(title, url),
        "rst": rst_link(title, url),
        "mediawiki": mediawiki_link(title, url),
        "citation": citation_line(title, url, label, site_name, gettext),
    }
