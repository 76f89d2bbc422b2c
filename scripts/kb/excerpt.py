"""Short plain-text forms of an entry's Markdown summary.

The *one-line summary* of an entry is the first sentence of its ``summary``, with the Markdown
taken out: index tables, the filter page and meta descriptions show it. It is derived, never
stored, so a translated summary gives a translated one-liner for free.
"""

from __future__ import annotations

import functools
import re

__all__ = ["first_sentence", "one_line", "plain"]

_IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # [text](target) -> text
_REFERENCE_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")  # [text][label] -> text
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")  # <https://x> -> https://x
_CODE = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|(?<!\w)__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(\*|(?<!\w)_)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_SET_ASIDE = re.compile(r"\x00(\d+)\x00")

# A sentence ends at . ! or ? followed by a space and a capital, a digit or a quote, unless the
# word before is an abbreviation ("et al. Smith" is rare; "e.g. Google" is not); 。 always ends.
_END = re.compile(r"[.!?](?=\s+[A-Z0-9\"\u201c\u2018'])|[.!?](?=\s*$)|\u3002")
_ABBREVIATIONS = re.compile(r"(?:\bet al|\be\.g|\bi\.e|\bcf|\bvs|\b[A-Z])\.$")


def plain(markdown: str) -> str:
    """Markdown as plain text on one line: links keep their text, code and emphasis lose marks."""
    # Escaped characters are set aside first, so "\\*" never opens an emphasis.
    escaped: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return f"\x00{len(escaped) - 1}\x00"

    text = _ESCAPE.sub(set_aside, " ".join(markdown.split()))
    text = _IMAGE_OR_LINK.sub(r"\1", text)
    text = _REFERENCE_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _CODE.sub(lambda m: m.group(2).strip(), text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\2", text)
    return _SET_ASIDE.sub(lambda m: escaped[int(m.group(1))], text)


def first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of a text, cut at ``limit`` characters (with an ellipsis)."""
    text = " ".join(text.split())
    sentence = text
    for match in _END.finditer(text):
        candidate = text[: match.end()]
        if not _ABBREVIATIONS.search(candidate):
            sentence = candidate
            break
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


@functools.lru_cache(maxsize=1 << 16)  # listings show the same summaries on many pages
def one_line(markdown: str | None, limit: int = 200) -> str:
    """An entry's one-line summary: the first sentence of its Markdown, as plain text."""
    return first_sentence(plain(markdown), limit) if markdown else ""
