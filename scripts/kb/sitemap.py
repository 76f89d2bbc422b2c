"""One sitemap for every edition: each page once per language, with its ``hreflang`` alternates.

Each edition is built on its own (``/`` and ``/ja/``) and writes its own ``sitemap.xml``;
:func:`merge_sitemaps` joins them into the site's single sitemap, where every URL lists its
counterparts in the other languages (and ``x-default``, the English page), as search engines
expect of a multilingual site. Pure text in, text out: nothing here reads files or the clock.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from kb.i18n import EDITIONS, SOURCE_LANGUAGE

_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def read_sitemap(text: str) -> dict[str, str | None]:
    """``{URL: lastmod or None}`` of a sitemap, in its order."""
    root = ET.fromstring(text)
    found: dict[str, str | None] = {}
    for url in root.iterfind("sm:url", _NS):
        loc = url.findtext("sm:loc", default="", namespaces=_NS).strip()
        found[loc] = url.findtext("sm:lastmod", default=None, namespaces=_NS)
    return found


def merge_sitemaps(site_url: str, sitemaps: dict[str, str]) -> str:
    """The sitemap of the whole site from each edition's own (``{language code: XML}``)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    pages: dict[str, dict[str, str | None]] = {}  # path under an edition -> {code: lastmod}
    urls: dict[tuple[str, str], str] = {}
    for code, text in sitemaps.items():
        root = base + EDITIONS[code].prefix
        for url, lastmod in read_sitemap(text).items():
            if not url.startswith(root):
                raise ValueError(f"{url} is not under {root} (the {code} edition's address)")
            path = url.removeprefix(root)
            pages.setdefault(path, {})[code] = lastmod
            urls[(code, path)] = url
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for code in sitemaps:
        for path, editions in pages.items():
            if code not in editions:
                continue
            lines += ["  <url>", f"    <loc>{escape(urls[(code, path)])}</loc>"]
            if editions[code]:
                lines.append(f"    <lastmod>{escape(editions[code] or '')}</lastmod>")
            if len(editions) > 1:
                for other in sitemaps:
                    if other in editions:
                        href = quoteattr(urls[(other, path)])
                        lines.append(
                            f'    <xhtml:link rel="alternate" hreflang="{other}" href={href}/>'
                        )
                if SOURCE_LANGUAGE in editions:
                    href = quoteattr(urls[(SOURCE_LANGUAGE, path)])
                    lines.append(
                        f'    <xhtml:link rel="alternate" hreflang="x-default" href={href}/>'
                    )
            lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
