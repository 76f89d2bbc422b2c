"""Problems found in the corpus, as data: one ``path:line:col: message`` each."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

PLACEHOLDER = "FILL IN"
"""How every value a generated skeleton leaves to fill begins (``kb new``, ``kb translate``,
``kb strings``); ``check`` reports any left."""


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place in one file (paths are relative to the project root)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class CorpusError(Exception):
    """The corpus has problems; carries every diagnostic, sorted by place."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics))
        super().__init__(format_diagnostics(self.diagnostics))


def format_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    """All diagnostics, one per line, followed by a count."""
    items = sorted(set(diagnostics))
    lines = [str(d) for d in items]
    lines.append(f"{len(items)} problem{'s' if len(items) != 1 else ''} found in the corpus.")
    return "\n".join(lines)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``(did you mean 'x'?)`` hint, or an empty string when nothing is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
