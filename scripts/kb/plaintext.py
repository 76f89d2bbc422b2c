"""Corpus Markdown as plain text, for places that show no markup: link previews, feeds.

A chat's preview card prints a description as it is, so ``Concept drift means that `p(X, y)` ...``
would show its backticks. The text is rendered with Python-Markdown (the engine of the site) and
its words kept, so emphasis, code and links lose exactly their markup, as on the page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown

_ENGINE = markdown.Markdown()  # Python-Markdown's core syntax: what corpus prose may use


class _Text(HTMLParser):
    """Collects the text of an HTML fragment (character references decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(text: str) -> str:
    """The words of a Markdown text, on one line: no markup, no entities, single spaces.

    Raw HTML in corpus prose is shown literally on the site (see ``render.md_text``), so it is
    kept as text here too.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    parser = _Text()
    parser.feed(_ENGINE.reset().convert(escaped))
    parser.close()
    return " ".join("".join(parser.parts).split())


def first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of a text (for descriptions), cut at ``limit`` characters."""
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
