"""Generator of the Deploying ML knowledge base: YAML corpus in, Markdown pages out.

The pipeline runs one way: models -> sources -> corpus -> render -> cli (or the MkDocs hook).
"""

from kb.corpus import Corpus, load_corpus
from kb.diagnostics import CorpusError, Diagnostic
from kb.render import render_site, write_pages

__all__ = ["Corpus", "CorpusError", "Diagnostic", "load_corpus", "render_site", "write_pages"]
