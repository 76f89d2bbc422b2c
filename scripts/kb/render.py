"""Turning a loaded corpus into Markdown pages, through Jinja templates.

``render_site`` returns ``{page path: markdown}``; it knows nothing of MkDocs, so the same pages can
be handed to any site engine or written to a folder by the CLI.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from kb import cite, models
from kb.assess import assess_pages
from kb.changes import changes_pages
from kb.cite import Site
from kb.compiled import CompiledTemplates
from kb.corpus import Corpus
from kb.excerpt import first_sentence, one_line
from kb.find import find_pages
from kb.history import History
from kb.i18n import N_, env_gettext, install_gettext
from kb.industries import industries_index_context, industry_context
from kb.linkformats import link_formats
from kb.models import (
    ORIGINS,
    CaseStudy,
    Challenge,
    Entity,
    Industry,
    PaperSection,
    Reference,
    Solution,
    Stage,
    Step,
)
from kb.permalinks import ROOT_SCHEME, served_url
from kb.tools import fact_counts, similar_tools, tool_pages, tool_row
from kb.translations import Language

_BLANK_RUNS = re.compile(r"\n{3,}")
_SECTION = re.compile(r"^## (.+?) \{ #([A-Za-z0-9_-]+)(?: [^}]*)? \}$", re.MULTILINE)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")
_PROSE_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("{", "&#123;"), ("}", "&#125;"))


SEARCH_BOOSTS: dict[str, float] = {
    # How search weighs a page against others that match as well (the front matter's
    # `search.boost`): the entries that say what a term is come first, then the evidence, then
    # the pages that list or mention it. Keys are collection folders, plus two kinds of page.
    "challenges": 4,
    "steps": 4,
    "solutions": 3,
    "stages": 3,
    "paper": 1,
    "case-studies": 1,
    "references": 0.3,
    "industries": 0.5,  # an industry page lists its case studies and their challenges
    "listing": 0.5,  # index pages, the matrix and the filter page
    "editorial": 0.2,  # the editorial status page, which names every unconfirmed entry
}

PLURALS: dict[type[Entity], str] = {
    Stage: N_("Stages"),
    Step: N_("Steps"),
    Challenge: N_("Challenges"),
    CaseStudy: N_("Case studies"),
    Solution: N_("Solutions"),
    Reference: N_("References"),
    PaperSection: N_("Paper sections"),
    Industry: N_("Industries"),
}
"""Each collection's name as a heading; templates translate it (``_(label)``)."""


def page_path(entity: Entity) -> str:
    """Where an entity's page lives: ``<collection>/<id>.md``, served at ``/<collection>/<id>/``."""
    return f"{entity.folder}/{entity.id}.md"


def md_escape(text: str) -> str:
    """Escape text so Markdown shows it literally (titles, names, table cells)."""
    # Python-Markdown has no backslash escape for '<': an entity is the only safe spelling.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def md_text(text: str) -> str:
    """Corpus prose as Markdown, with raw HTML neutralised so data can never inject markup.

    Braces become entities too: the ``attr_list`` extension would otherwise let
    ``[x](https://a.example){: onclick="..."}`` set any HTML attribute.
    """
    for char, entity in _PROSE_ENTITIES:
        text = text.replace(char, entity)
    return text


def html_attr(text: str) -> str:
    """Plain text for a page's front matter that the theme pastes into an HTML attribute.

    Material writes ``page.meta.description`` into ``<meta content="...">`` without escaping
    (MkDocs' theme environment has no autoescape), so it is escaped here, once.
    """
    return html.escape(" ".join(text.split()), quote=False).replace('"', "&quot;")


@functools.lru_cache(maxsize=1 << 16)  # pages link thousands of times, mostly to few pages
def relative(target: str, here: str) -> str:
    """The relative link from page ``here`` to page ``target`` (both ``.md`` paths)."""
    start = posixpath.dirname(here)
    if ".." in target or ".." in start or target.startswith("/") or start.startswith("/"):
        return posixpath.relpath(target, start or ".")
    # posixpath.relpath, without its two calls to os.getcwd: pages link thousands of times.
    parts = [p for p in target.split("/") if p not in ("", ".")]
    base = [p for p in start.split("/") if p not in ("", ".")]
    common = 0
    while common < min(len(parts), len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


def sections_of(markdown: str) -> list[tuple[str, str]]:
    """The sections of a page: ``(heading, anchor)`` of every H2 with an explicit ``{ #id }``.

    These anchors are part of an entry's permanent address (the URL ledger lists them).
    """
    return [(m.group(1), m.group(2)) for m in _SECTION.finditer(markdown)]


def link_to(entity: Entity, here: str, anchor: str = "", *, language: str = "en") -> str:
    """A Markdown link to an entity's page, relative to the page being rendered (written in
    ``language``: a title in another language, such as a reference's, is marked with its own)."""
    target = relative(page_path(entity), here) + (f"#{anchor}" if anchor else "")
    return f"[{title_in(entity, language)}]({target})"


def title_in(entity: Entity, language: str) -> str:
    """An entity's title as Markdown on a page in ``language``."""
    title = md_escape(entity.title)
    own = getattr(entity, "title_language", language)
    return title if own == language else f'<span lang="{own}">{title}</span>'


@jinja2.pass_environment
def _link(env: jinja2.Environment, entity: Entity, here: str, anchor: str = "") -> str:
    return link_to(entity, here, anchor, language=str(env.globals.get("LANG", "en")))


@jinja2.pass_environment
def _title(env: jinja2.Environment, entity: Entity) -> str:
    return title_in(entity, str(env.globals.get("LANG", "en")))


def _in_page_language(function: Callable[..., str | dict[str, Any]]) -> Callable[..., Any]:
    """``function`` as a filter that words its text with the environment's gettext."""

    @jinja2.pass_environment
    def translated(env: jinja2.Environment, *args: Any, **kwargs: Any) -> Any:
        return function(*args, gettext=env_gettext(env), **kwargs)

    return translated


def data_link(path: str, here: str) -> str:
    """A link from a page of another edition to open data, which lives at the site's root."""
    return ROOT_SCHEME + path


_COMPILED = CompiledTemplates()  # shared by every environment, and by the next process


def make_env(catalog: Mapping[str, str] | None = None) -> jinja2.Environment:
    """The Jinja environment: strict about undefined names, Markdown output (no autoescape)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kb", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # we emit Markdown; escaping is explicit (md_escape, md_text)
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_COMPILED,
    )
    env.add_extension("jinja2.ext.do")  # {% do rows.append(...) %} builds table rows
    install_gettext(env, catalog)  # every string a reader sees goes through _() (kb/i18n.py)
    env.filters.update(
        link=_link,
        title_in=_title,
        md_escape=md_escape,
        md=md_text,
        rel=relative,
        first_sentence=first_sentence,
        one_line=one_line,
        html_attr=html_attr,
        link_formats=_in_page_language(link_formats),
    )
    env.filters.update(
        bibtex=cite.bibtex,
        entry_bibtex=cite.entry_bibtex,
        cite_text=_in_page_language(cite.cite_text),
        jsonld=_in_page_language(cite.json_ld),
    )
    env.globals.update(
        VERSIONS=models.VERSIONS,
        CONFIDENCES=models.CONFIDENCES,
        KB_CONFIDENCES=models.KB_CONFIDENCES,
        ORIGINS=models.ORIGINS,
        ORIGIN_BADGES=models.ORIGIN_BADGES,
        TOOL_KINDS=models.TOOL_KINDS,
        SOURCE_KINDS=models.SOURCE_KINDS,
        page_path=page_path,
        api_path=cite.api_path,
        SITE=None,
        COUNTS={},
        SEARCH_BOOSTS=SEARCH_BOOSTS,
        RETIRED_STATUSES=models.RETIRED_STATUSES,
        CASE_KINDS=models.CASE_KINDS,
        COLLECTION_NAMES=models.COLLECTION_NAMES,
        SITE_URL=None,
        served=served_url,
    )
    return env


def render_site(
    corpus: Corpus,
    site: Site | None = None,
    history: History | None = None,
    language: Language | None = None,
    languages: Mapping[str, Language] | None = None,
    *,
    directory_urls: bool = True,
) -> dict[str, str]:
    """Every generated page of the site, keyed by its path under ``docs/``.

    With ``site``, entry pages also get a "Cite this entry" section, a link to their JSON
    document, schema.org JSON-LD (``jsonld`` in the front matter, printed by the theme) and
    absolute permalinks to copy; without it, permalinks are relative. ``history`` (read by
    :func:`kb.history.read_history`) dates each entry and fills the Changes page; without it,
    pages say that the history is unavailable. With ``language`` (another edition), ``corpus`` is
    its localized corpus, and the same templates render in that language. ``languages`` (every
    other edition) tell the editorial-status page which translations are behind. Without
    ``directory_urls`` (the offline bundle), breadcrumbs in the front matter lead to ``.html``
    files.
    """
    history = history or History(unavailable="not-read")
    env = make_env(language.catalog if language else None)
    env.globals["LANG"] = language.edition.code if language else "en"
    env.globals["LANGUAGE"] = language
    # Open data is published once, at the site's root: another edition links it across editions.
    env.filters["data"] = (
        (lambda path, here: ROOT_SCHEME + path)
        if language
        else (lambda path, here: relative(path, here))
    )
    env.globals["SITE"] = site
    env.globals["SITE_URL"] = site.url if site else None
    env.globals["COUNTS"] = _listing_counts(corpus)
    # A case study's industries, primary first (templates list them beside the case).
    env.globals["industries_of"] = lambda case: corpus.targets(case, Industry, "industries")
    # Where the engine serves a page, from the edition's root (a breadcrumb's link).
    env.globals["served"] = lambda path: served_url(path, directory_urls=directory_urls)
    pages: dict[str, str] = {}

    def render(path: str, template: str, **context: Any) -> str:
        text = env.get_template(template).render(here=path, corpus=corpus, **context)
        # Templates stay readable with blank lines around blocks; collapse the runs they leave.
        return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"

    def emit(path: str, template: str, **context: Any) -> None:
        pages[path] = render(path, template, **context)

    emit("index.md", "home.md.j2", stages=corpus.live(Stage), paper=corpus.live(PaperSection))
    status = [
        (other.edition.name, other.translations.outstanding(corpus))
        for other in (languages or {}).values()
    ]
    emit(
        "editorial-status.md",
        "editorial-status.md.j2",
        translation_status=status,
        **_editorial_context(corpus),
    )
    for model, template in _ENTITY_TEMPLATES.items():
        emit(
            f"{model.folder}/index.md",
            f"{model.folder}-index.md.j2",
            items=corpus.live(model),
            **_index_context(corpus, model),
        )
        for item in corpus.all(model):
            context = dict(
                item=item,
                source=corpus.path_of(item),
                history=history.for_page(page_sources_of(corpus, item, language)),
                **_CONTEXT[model](corpus, item),
            )
            if not item.retired:
                emit(page_path(item), template, **context)
                continue
            # A tombstone keeps the old page's section anchors, each pointing somewhere useful.
            former = sections_of(render(page_path(item), template, **context))
            emit(
                page_path(item),
                "tombstone.md.j2",
                item=item,
                source=corpus.path_of(item),
                history=context["history"],
                successors=[corpus.get(model, i) for i in item.replaced_by],
                sections=former,
            )
    emit("retired.md", "retired.md.j2", retired=corpus.retired())
    generated = (
        find_pages(corpus, env) | tool_pages(corpus, env) | changes_pages(corpus, history, env)
    )
    for path, text in generated.items():
        pages[path] = _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"
    for path, text in assess_pages(corpus, env, site).items():
        pages[path] = _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"
    return dict(sorted(pages.items()))


def page_sources_of(corpus: Corpus, entity: Entity, language: Language | None = None) -> list[str]:
    """The data files an entity's page is built from (its history is theirs), root-relative:
    its YAML file, and in another edition its translation too."""
    translation = language.source_of(entity) if language else None
    return [corpus.path_of(entity), *([translation] if translation else [])]


def page_sources(corpus: Corpus, language: Language | None = None) -> dict[str, str]:
    """``{page path: data file}`` for every entity page (for "edit this page" links): in
    another edition, the translation where there is one, since that is what its reader fixes."""
    return {
        page_path(entity): (language and language.source_of(entity)) or corpus.path_of(entity)
        for folder in corpus.entities.values()
        for entity in folder.values()
    }


def write_pages(pages: dict[str, str], out_dir: Path) -> list[str]:
    """Write pages under ``out_dir``, touching only files whose content changed.

    Files that are no longer generated are removed, so the folder mirrors the corpus exactly.

    Returns:
        The paths written (changed or new), relative to ``out_dir``.
    """
    written = []
    for rel, text in pages.items():
        path = out_dir / rel
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(rel)
    if out_dir.is_dir():
        for path in sorted(out_dir.rglob("*.md")):
            if path.relative_to(out_dir).as_posix() not in pages:
                path.unlink()
    return written


def _listing_counts(corpus: Corpus) -> dict[str, dict[str, int]]:
    """``{challenge id: {"cases": n, "solutions": n}}``, for the columns of listing tables."""
    return {
        c.id: {
            "cases": len(corpus.referrers(c, CaseStudy, "challenges")),
            "solutions": len(corpus.referrers(c, Solution, "challenges")),
        }
        for c in corpus.live(Challenge)
    }


def _index_context(corpus: Corpus, model: type[Entity]) -> dict[str, Any]:
    """Groupings for a collection's index page."""
    stages = corpus.live(Stage)
    if model in (Stage, Step):
        return {"groups": [(stage, corpus.steps_of(stage)) for stage in stages]}
    if model is Challenge:
        return {
            "groups": [
                (stage, [(step, corpus.challenges_of(step)) for step in corpus.steps_of(stage)])
                for stage in stages
            ],
            "case_counts": {
                c.id: len(corpus.referrers(c, CaseStudy, "challenges"))
                for c in corpus.live(Challenge)
            },
        }
    if model is CaseStudy:
        # A case study with several industries is listed under each of them.
        cases = corpus.live(CaseStudy)
        return {
            "groups": [
                (industry, [c for c in cases if industry.id in c.industries])
                for industry in corpus.live(Industry)
                if any(industry.id in c.industries for c in cases)
            ]
        }
    if model is Industry:
        return industries_index_context(corpus)
    if model is Solution:
        solutions = corpus.live(Solution)
        kinds = ("tool", "practice", "holistic-approach")
        return {"groups": [(k, [s for s in solutions if s.kind == k]) for k in kinds]}
    if model in (Reference, PaperSection):
        return {}
    raise AssertionError(model)


def _challenge_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    assert isinstance(item, Challenge)
    cases = corpus.referrers(item, CaseStudy, "challenges")
    solutions = corpus.referrers(item, Solution, "challenges")
    if item.addition:
        return {
            "step": corpus.step_of(item),
            "stage": corpus.stage_of(item),
            "placements": [],
            "case_studies": cases,
            "solutions": solutions,
            "related": corpus.related_challenges(item),
            "added": None,
            "references": corpus.targets(item, Reference, "references"),
        }
    # A survey challenge's page shows what the survey says; what this knowledge base adds to it
    # (case studies, solutions, the additions that name it as related) is kept apart.
    return {
        "step": corpus.step_of(item),
        "stage": corpus.stage_of(item),
        "placements": [
            (version, corpus.get(Step, getattr(item.placements, version)))
            for version in (item.placements.versions() if item.placements else [])
        ],
        "case_studies": [c for c in cases if not c.addition],
        "solutions": [s for s in solutions if not s.addition],
        "related": corpus.related_challenges(item, origin="survey"),
        "added": {
            "case_studies": [c for c in cases if c.addition],
            "solutions": [s for s in solutions if s.addition],
            "challenges": [c for c in corpus.related_challenges(item) if c.addition],
        },
        "references": corpus.targets(item, Reference, "references"),
    }


def _stage_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    assert isinstance(item, Stage)
    steps = corpus.steps_of(item)
    ids = {step.id for step in steps}
    solutions = [s for s in corpus.live(Solution) if ids & set(s.steps)]
    # On a survey stage, what the survey places there first; additions apart (see _step_context).
    return {
        "steps": [
            (step, [c for c in corpus.challenges_of(step) if c.origin == item.origin])
            for step in steps
        ],
        "added": [
            c for step in steps for c in corpus.challenges_of(step) if c.origin != item.origin
        ],
        "solutions": [s for s in solutions if s.origin == item.origin],
        "added_solutions": [s for s in solutions if s.origin != item.origin],
    }


def _step_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    assert isinstance(item, Step)
    under = corpus.challenges_ever_under(item)
    solutions = corpus.referrers(item, Solution, "steps")
    # A survey step's page lists what Table 1 places there; additions placed under it or
    # targeting it are listed apart, so the survey's account reads as the survey gives it.
    return {
        "stage": corpus.get(Stage, item.stage),
        "rows": [
            (c, [_step_or_none(corpus, getattr(c.placements, v, None)) for v in models.VERSIONS])
            for c in under
            if c.origin == item.origin
        ],
        "added": [c for c in under if c.origin != item.origin],
        "solutions": [s for s in solutions if s.origin == item.origin],
        "added_solutions": [s for s in solutions if s.origin != item.origin],
    }


def _step_or_none(corpus: Corpus, step_id: str | None) -> Step | None:
    return corpus.get(Step, step_id) if step_id else None


def _case_study_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    assert isinstance(item, CaseStudy)
    challenges = corpus.targets(item, Challenge, "challenges")
    numbers: dict[str, list[str]] = {v: [] for v in item.versions}
    for challenge in challenges:
        for version in item.versions:
            step_id = getattr(challenge.placements, version, None)
            number = getattr(corpus.get(Step, step_id).sections, version) if step_id else None
            if number and number not in numbers[version]:
                numbers[version].append(number)
    return {
        "section_numbers": {v: sorted(n) for v, n in numbers.items() if n},
        "challenges": [(c, corpus.step_of(c), corpus.stage_of(c)) for c in challenges],
        "source_ref": corpus.get(Reference, item.source) if item.source else None,
        "references": corpus.targets(item, Reference, "references"),
    }


def _solution_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    assert isinstance(item, Solution)
    return {
        "steps": corpus.targets(item, Step, "steps"),
        "challenges": corpus.targets(item, Challenge, "challenges"),
        "references": corpus.targets(item, Reference, "references"),
        # Every solution page has the same sections (its anchors must not depend on its kind).
        "row": tool_row(corpus, item),
        "similar": similar_tools(corpus, item),
        "stages": corpus.live(Stage),
    }


def _reference_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    assert isinstance(item, Reference)
    return {
        "cited_by": [
            (PLURALS[model], corpus.referrers(item, model))
            for model in (PaperSection, Challenge, CaseStudy, Solution)
            if corpus.referrers(item, model)
        ],
    }


def _paper_section_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    assert isinstance(item, PaperSection)
    # A section of the survey lists only what the survey holds: never an addition.
    stage = corpus.get(Stage, item.stage) if item.stage else None
    steps = corpus.steps_of(stage) if stage else []

    def survey_challenges(step: Step) -> list[Challenge]:
        return [c for c in corpus.challenges_of(step) if not c.addition]

    challenges = [c for step in steps for c in survey_challenges(step)]
    cases: dict[str, CaseStudy] = {}
    for challenge in challenges:
        for case in corpus.referrers(challenge, CaseStudy, "challenges"):
            if not case.addition:
                cases.setdefault(case.id, case)
    solutions = [
        s
        for s in corpus.live(Solution)
        if not s.addition
        and (s.kind in item.solution_kinds or (stage and set(s.steps) & {st.id for st in steps}))
    ]
    return {
        "stage": stage,
        "steps": [(step, survey_challenges(step)) for step in steps],
        "case_studies": sorted(cases.values(), key=lambda c: c.id),
        "solutions": solutions,
        "references": corpus.targets(item, Reference, "references"),
    }


def _editorial_context(corpus: Corpus) -> dict[str, Any]:
    """Entries not yet confirmed against the paper's text, grouped by paper section."""
    levels = ("unconfirmed", "single-source", "corroborated")
    groups: dict[str, dict[str, list[Entity]]] = {}
    models_ = (Stage, Step, Challenge, CaseStudy, Solution, Reference, PaperSection, Industry)
    additions: dict[str, list[Entity]] = {level: [] for level in levels}
    for model in models_:
        for entity in corpus.live(model):
            if entity.addition:  # checked against its own sources, not the paper: listed apart
                additions[entity.provenance.confidence].append(entity)
                continue
            if entity.provenance.confidence == "paper":
                continue
            section = corpus.paper_section_of(entity)
            key = section.id if section else ""
            groups.setdefault(key, {level: [] for level in levels})
            groups[key][entity.provenance.confidence].append(entity)
    ordered: list[tuple[PaperSection | None, dict[str, list[Entity]]]] = [
        (s, groups[s.id]) for s in corpus.live(PaperSection) if s.id in groups
    ]
    if "" in groups:
        ordered.append((None, groups[""]))
    counts = {
        model.label: {
            level: sum(
                e.provenance.confidence == level for e in corpus.live(model) if not e.addition
            )
            for level in (*levels, "paper")
        }
        for model in models_
    }
    origins = {
        model.label: {
            origin: sum(e.origin == origin for e in corpus.live(model)) for origin in ORIGINS
        }
        for model in models_
    }
    return {
        "groups": ordered,
        "additions": additions,
        "origins": origins,
        "levels": levels,
        "counts": counts,
        "unsourced_cases": [c for c in corpus.live(CaseStudy) if c.source is None],
        "unidentified_refs": [r for r in corpus.live(Reference) if not (r.doi or r.url)],
        "unsourced_solutions": [
            s
            for s in corpus.live(Solution)
            if not (s.tool and s.tool.homepage.known)
            and not any(r.doi or r.url for r in corpus.targets(s, Reference, "references"))
        ],
        "tool_facts": [(s, *fact_counts(corpus)[s.id]) for s in corpus.live(Solution) if s.tool],
    }


_CONTEXT: dict[type[Entity], Callable[[Corpus, Entity], dict[str, Any]]] = {
    Stage: _stage_context,
    Step: _step_context,
    Challenge: _challenge_context,
    CaseStudy: _case_study_context,
    Solution: _solution_context,
    Reference: _reference_context,
    PaperSection: _paper_section_context,
    Industry: industry_context,
}

_ENTITY_TEMPLATES: dict[type[Entity], str] = {
    Stage: "stage.md.j2",
    Step: "step.md.j2",
    Challenge: "challenge.md.j2",
    CaseStudy: "case-study.md.j2",
    Solution: "solution.md.j2",
    Reference: "reference.md.j2",
    PaperSection: "paper-section.md.j2",
    Industry: "industry.md.j2",
}
