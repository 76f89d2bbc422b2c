"""Generator of the Deploying ML knowledge base: YAML corpus in, Markdown pages out.

The pipeline runs one way: models -> sources -> corpus -> render -> cli (or the MkDocs hook).

The names below are imported when first used: the MkDocs hook imports ``kb.compiled`` in every
build, which must not load the whole pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.corpus import Corpus, load_corpus
    from kb.diagnostics import CorpusError, Diagnostic
    from kb.render import render_site, write_pages

__all__ = ["Corpus", "CorpusError", "Diagnostic", "load_corpus", "render_site", "write_pages"]

_MODULE_OF = {
    "Corpus": "kb.corpus",
    "load_corpus": "kb.corpus",
    "CorpusError": "kb.diagnostics",
    "Diagnostic": "kb.diagnostics",
    "render_site": "kb.render",
    "write_pages": "kb.render",
}


def __getattr__(name: str) -> Any:
    if name in _MODULE_OF:
        return getattr(importlib.import_module(_MODULE_OF[name]), name)
    raise AttributeError(f"module 'kb' has no attribute {name!r}")
