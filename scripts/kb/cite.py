"""How others identify and cite an entry: stable URLs, BibTeX, a text citation, JSON-LD.

Everything here is a pure function of one entity and the :class:`Site` it is published on; the
renderer uses it for the "Cite this entry" sections and the JSON-LD in each page's head, the
exporter for the ``api/`` files. Nothing here reads files except :func:`project_version`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.i18n import untranslated
from kb.models import COLLECTION_NAMES, CaseStudy, Entity, PaperSection, Reference, Solution

AUTHOR = "The Deploying ML KB contributors"
"""Who the knowledge base is credited to (also the author in CITATION.cff)."""

SURVEY: dict[str, Any] = {
    "title": "Challenges in Deploying Machine Learning: a Survey of Case Studies",
    "authors": ["Andrei Paleyes", "Raoul-Gabriel Urma", "Neil D. Lawrence"],
    "journal": "ACM Computing Surveys",
    "volume": 55,
    "issue": 6,
    "article": 114,
    "year": 2022,
    "doi": "10.1145/3533378",
}
"""The survey every entry is based on (its ACM version; CITATION.cff lists the same)."""


@dataclass(frozen=True)
class Site:
    """Where the knowledge base is published, and which version of it this build is."""

    name: str
    url: str
    version: str
    repo_url: str | None = None  # where the sources are browsed, e.g. https://github.com/o/r
    branch: str = "main"  # the published branch (the one edit links open)
    root: str = ""  # the site's root when this is another edition (…/ja/): open data lives there
    language: str = "en"  # the edition's language

    def __post_init__(self) -> None:
        if not self.url.endswith("/"):
            object.__setattr__(self, "url", self.url + "/")
        if not self.root:
            object.__setattr__(self, "root", self.url)
        elif not self.root.endswith("/"):
            object.__setattr__(self, "root", self.root + "/")
        if self.repo_url:
            object.__setattr__(self, "repo_url", self.repo_url.rstrip("/"))

    def history_url(self, path: str) -> str | None:
        """The repository host's page listing the commits that changed ``path``."""
        return f"{self.repo_url}/commits/{self.branch}/{path}" if self.repo_url else None

    def commit_url(self, sha: str) -> str | None:
        """The repository host's page of one commit."""
        return f"{self.repo_url}/commit/{sha}" if self.repo_url else None

    def page_url(self, entity: Entity) -> str:
        """The permanent URL of an entity's page: ``<site>/<collection>/<id>/``."""
        return f"{self.url}{entity.folder}/{entity.id}/"

    def api_url(self, entity: Entity) -> str:
        """The URL of an entity's JSON document (one for every edition, at the site's root)."""
        return self.root + api_path(entity)

    def schema_url(self, name: str) -> str:
        """The URL of a published JSON Schema file, e.g. ``corpus.schema.json``."""
        return f"{self.root}api/schema/{name}"


def edit_branch(edit_uri: str | None) -> str:
    """The branch named by an ``edit_uri`` such as ``edit/main/`` (GitLab: ``-/edit/main/``)."""
    match = re.match(r"(?:-/)?(?:edit|blob)/([^/]+)/", edit_uri or "")
    return match.group(1) if match else "main"


def api_path(entity: Entity) -> str:
    """Where an entity's JSON document lives in the site: ``api/<collection>/<id>.json``."""
    return f"api/{entity.folder}/{entity.id}.json"


def project_version(root: Path) -> str:
    """The project version declared in ``pyproject.toml`` (the version of every export)."""
    with (root / "pyproject.toml").open("rb") as handle:
        version: str = tomllib.load(handle)["project"]["version"]
    return version


# BibTeX ------------------------------------------------------------------------------------

_BIB_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_BIB_REPLACE = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_PARTICLES = {"van", "von", "de", "der", "den", "di", "da", "du", "la", "le", "del"}


def bib_escape(text: str) -> str:
    """Escape BibTeX/LaTeX special characters in a field value."""
    return _BIB_SPECIAL.sub(lambda m: _BIB_REPLACE.get(m[0], "\\" + m[0]), " ".join(text.split()))


def bib_name(name: str) -> str:
    """One author for BibTeX: ``et al.`` becomes ``others``; corporate names are braced.

    A name counts as corporate (kept whole, never split into first and last names) when it is
    a single word, starts with "The", holds digits or brackets, or has a lower-case word that
    is not a name particle such as "van" or "de".
    """
    if name.strip().rstrip(".").lower() in {"et al", "others"}:
        return "others"
    words = name.split()
    corporate = (
        len(words) == 1
        or words[0] == "The"
        or any(c.isdigit() or c in "()&" for c in name)
        or any(w[0].islower() and w not in _PARTICLES for w in words)
    )
    return "{" + bib_escape(name) + "}" if corporate else bib_escape(name)


def _bib_entry(kind: str, key: str, fields: list[tuple[str, str | None]]) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def bibtex(ref: Reference) -> str:
    """The BibTeX entry of a reference, keyed by its ID.

    The corpus records the venue as free text (a journal, a conference with pages, a publisher),
    so only books and reports get a specific entry type; every other work is ``@misc`` with the
    venue as ``howpublished``, which every bibliography style prints without guessing.
    """
    kind = {"book": "book", "report": "techreport"}.get(ref.kind, "misc") if ref.venue else "misc"
    venue_field = {"book": "publisher", "techreport": "institution"}.get(kind, "howpublished")
    return _bib_entry(
        kind,
        ref.id,
        [
            ("author", " and ".join(bib_name(a) for a in ref.authors)),
            ("title", "{" + bib_escape(ref.title) + "}"),
            (venue_field, bib_escape(ref.venue) if ref.venue else None),
            ("year", str(ref.year) if ref.year else None),
            ("doi", ref.doi),
            ("url", ref.url),
        ],
    )


def survey_citation() -> str:
    """The survey in one line of plain text."""
    authors = SURVEY["authors"]
    return (
        f"{', '.join(authors[:-1])} and {authors[-1]}. {SURVEY['title']}. {SURVEY['journal']} "
        f"{SURVEY['volume']}({SURVEY['issue']}), article {SURVEY['article']}, {SURVEY['year']}. "
        f"doi:{SURVEY['doi']}"
    )


def cite_text(entity: Entity, site: Site, gettext: Callable[[str], str] = untranslated) -> str:
    """A plain-text citation of an entry of the knowledge base, in ``gettext``'s language.

    The survey keeps its own (English) citation, as every reference keeps its original title.
    An addition of the knowledge base is not based on the survey, and its citation says so.
    """
    pattern = (
        gettext(
            '%(author)s. "%(title)s" (%(kind)s). %(site)s, version %(version)s. %(url)s. '
            "An addition of this knowledge base, beyond the survey."
        )
        if entity.addition
        else gettext(
            '%(author)s. "%(title)s" (%(kind)s). %(site)s, version %(version)s. %(url)s. '
            "Based on: %(survey)s."
        )
    )
    return pattern % {
        "author": AUTHOR,
        "title": entity.title,
        "kind": gettext(entity.label).lower(),
        "site": site.name,
        "version": site.version,
        "url": site.page_url(entity),
        "survey": survey_citation(),
    }


def entry_bibtex(entity: Entity, site: Site) -> str:
    """A BibTeX ``@misc`` entry for an entry of the knowledge base."""
    return _bib_entry(
        "misc",
        f"kb-{entity.folder}-{entity.id}",
        [
            ("author", "{" + bib_escape(AUTHOR) + "}"),
            ("title", "{" + bib_escape(entity.title) + "}"),
            ("howpublished", bib_escape(f"{site.name}, version {site.version}")),
            ("url", site.page_url(entity)),
            (
                "note",
                bib_escape(
                    "An addition of this knowledge base, beyond the survey"
                    if entity.addition
                    else f"Based on: {survey_citation()}"
                ),
            ),
        ],
    )


# JSON-LD (schema.org) ----------------------------------------------------------------------

_REFERENCE_TYPES = {
    "paper": "ScholarlyArticle",
    "preprint": "ScholarlyArticle",
    "article": "Article",
    "book": "Book",
    "report": "Report",
    "blog": "BlogPosting",
}


def survey_json_ld() -> dict[str, Any]:
    """The survey as a schema.org ScholarlyArticle (the work every entry is based on)."""
    return {
        "@type": "ScholarlyArticle",
        "@id": f"https://doi.org/{SURVEY['doi']}",
        "name": SURVEY["title"],
        "author": [{"@type": "Person", "name": name} for name in SURVEY["authors"]],
        "datePublished": str(SURVEY["year"]),
        "isPartOf": {"@type": "Periodical", "name": SURVEY["journal"]},
    }


def json_ld(
    entity: Entity,
    site: Site,
    modified: str | None = None,
    gettext: Callable[[str], str] = untranslated,
) -> dict[str, Any]:
    """The schema.org description of an entry, for a ``<script type="application/ld+json">``.

    Stages, steps, challenges and solutions are terms of the knowledge base (``DefinedTerm``);
    case studies are ``CreativeWork``, paper sections a ``CreativeWork`` that is part of the
    survey; references are described as the work they are. ``modified`` (RFC 3339, from the
    repository's history) is when the entry's data last changed; ``gettext`` names the term set
    in the page's language.
    """
    url = site.page_url(entity)
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@id": url,
        "url": url,
        "name": entity.title,
        "identifier": entity.id,
        "inLanguage": site.language,
    }
    if entity.summary:
        doc["description"] = entity.summary
    if modified:
        doc["dateModified"] = modified
    if isinstance(entity, Reference):
        doc["@type"] = _REFERENCE_TYPES.get(entity.kind, "CreativeWork")
        doc["author"] = [a for a in entity.authors if bib_name(a) != "others"]
        if entity.year:
            doc["datePublished"] = str(entity.year)
        same = [f"https://doi.org/{entity.doi}"] if entity.doi else []
        same += [entity.url] if entity.url else []
        if same:
            doc["sameAs"] = same
        return doc
    if isinstance(entity, PaperSection):
        doc["@type"] = "CreativeWork"
        doc["isPartOf"] = survey_json_ld()
        return doc
    if not entity.addition:  # an addition is this knowledge base's own, with its own sources
        doc["isBasedOn"] = survey_json_ld()
    if isinstance(entity, CaseStudy):
        doc["@type"] = "CreativeWork"
        doc["about"] = [{"@id": f"{site.url}challenges/{c}/"} for c in entity.challenges]
        cited = ([entity.source] if entity.source else []) + entity.references
        if cited:
            doc["citation"] = [{"@id": f"{site.url}references/{r}/"} for r in cited]
        return doc
    doc["@type"] = "DefinedTerm"
    doc["termCode"] = entity.id
    doc["inDefinedTermSet"] = {
        "@type": "DefinedTermSet",
        "@id": f"{site.url}{entity.folder}/",
        "name": gettext("%(site)s: %(collection)s")
        % {"site": site.name, "collection": gettext(COLLECTION_NAMES[entity.folder])},
    }
    if isinstance(entity, Solution) and entity.tool and entity.tool.homepage.known:
        doc["sameAs"] = [entity.tool.homepage.value]
    cited = getattr(entity, "references", [])
    if entity.addition and cited:  # the sources an addition rests on, in place of the survey
        doc["citation"] = [{"@id": f"{site.url}references/{r}/"} for r in cited]
    return doc
