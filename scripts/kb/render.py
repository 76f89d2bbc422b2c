"""Turning a loaded corpus into Markdown pages, through Jinja templates.

``render_site`` returns ``{page path: markdown}``; it knows nothing of MkDocs, so the same pages can
be handed to any site engine or written to a folder by the CLI.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from kb import models
from kb.corpus import Corpus
from kb.models import CaseStudy, Challenge, Entity, Reference, Solution, Stage, Step

_BLANK_RUNS = re.compile(r"\n{3,}")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")
_PROSE_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("{", "&#123;"), ("}", "&#125;"))


def page_path(entity: Entity) -> str:
    """Where an entity's page lives: ``<collection>/<id>.md`` (served at ``/<collection>/<id>/``)."""
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


def relative(target: str, here: str) -> str:
    """The relative link from page ``here`` to page ``target`` (both ``.md`` paths)."""
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def link_to(entity: Entity, here: str, anchor: str = "") -> str:
    """A Markdown link to an entity's page, relative to the page being rendered."""
    target = relative(page_path(entity), here) + (f"#{anchor}" if anchor else "")
    return f"[{md_escape(entity.title)}]({target})"


def make_env() -> jinja2.Environment:
    """The Jinja environment: strict about undefined names, Markdown output (no autoescape)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kb", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # we emit Markdown; escaping is explicit (md_escape, md_text)
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        link=link_to, md_escape=md_escape, md=md_text, rel=relative, html_attr=html_attr
    )
    env.globals.update(
        VERSIONS=models.VERSIONS,
        CONFIDENCES=models.CONFIDENCES,
        INDUSTRIES=models.INDUSTRIES,
        page_path=page_path,
    )
    return env


def render_site(corpus: Corpus) -> dict[str, str]:
    """Every generated page of the site, keyed by its path under ``docs/``."""
    env = make_env()
    pages: dict[str, str] = {}

    def emit(path: str, template: str, **context: Any) -> None:
        text = env.get_template(template).render(here=path, corpus=corpus, **context)
        # Templates stay readable with blank lines around blocks; collapse the runs they leave.
        pages[path] = _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"

    emit("index.md", "home.md.j2", stages=corpus.all(Stage))
    for model, template in _ENTITY_TEMPLATES.items():
        items = corpus.all(model)
        emit(
            f"{model.folder}/index.md",
            f"{model.folder}-index.md.j2",
            items=items,
            **_index_context(corpus, model),
        )
        for item in items:
            emit(
                page_path(item),
                template,
                item=item,
                source=corpus.path_of(item),
                **_CONTEXT[model](corpus, item),
            )
    return dict(sorted(pages.items()))


def page_sources(corpus: Corpus) -> dict[str, str]:
    """``{page path: data file}`` for every entity page (for "edit this page" links)."""
    return {
        page_path(entity): corpus.path_of(entity)
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


def _index_context(corpus: Corpus, model: type[Entity]) -> dict[str, Any]:
    """Groupings for a collection's index page."""
    stages = corpus.all(Stage)
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
                for c in corpus.all(Challenge)
            },
        }
    if model is CaseStudy:
        cases = corpus.all(CaseStudy)
        return {
            "groups": [
                (industry, [c for c in cases if c.industry == industry])
                for industry in models.INDUSTRIES
                if any(c.industry == industry for c in cases)
            ]
        }
    if model is Solution:
        solutions = corpus.all(Solution)
        kinds = ("tool", "practice", "holistic-approach")
        return {"groups": [(k, [s for s in solutions if s.kind == k]) for k in kinds]}
    if model is Reference:
        return {}
    raise AssertionError(model)


def _challenge_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    assert isinstance(item, Challenge)
    return {
        "step": corpus.step_of(item),
        "stage": corpus.stage_of(item),
        "placements": [
            (version, corpus.get(Step, getattr(item.placements, version)))
            for version in item.placements.versions()
        ],
        "case_studies": corpus.referrers(item, CaseStudy, "challenges"),
        "solutions": corpus.referrers(item, Solution, "challenges"),
        "related": corpus.related_challenges(item),
        "references": corpus.targets(item, Reference, "references"),
    }


def _stage_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    assert isinstance(item, Stage)
    steps = corpus.steps_of(item)
    return {"steps": [(step, corpus.challenges_of(step)) for step in steps]}


def _step_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    assert isinstance(item, Step)
    return {
        "stage": corpus.get(Stage, item.stage),
        "rows": [
            (c, [_step_or_none(corpus, getattr(c.placements, v)) for v in models.VERSIONS])
            for c in corpus.challenges_ever_under(item)
        ],
        "solutions": corpus.referrers(item, Solution, "steps"),
    }


def _step_or_none(corpus: Corpus, step_id: str | None) -> Step | None:
    return corpus.get(Step, step_id) if step_id else None


def _case_study_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    assert isinstance(item, CaseStudy)
    challenges = corpus.targets(item, Challenge, "challenges")
    return {
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
    }


def _reference_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    assert isinstance(item, Reference)
    return {
        "cited_by": [
            (model.label, corpus.referrers(item, model))
            for model in (Challenge, CaseStudy, Solution)
            if corpus.referrers(item, model)
        ],
    }


_CONTEXT: dict[type[Entity], Callable[[Corpus, Entity], dict[str, Any]]] = {
    Stage: _stage_context,
    Step: _step_context,
    Challenge: _challenge_context,
    CaseStudy: _case_study_context,
    Solution: _solution_context,
    Reference: _reference_context,
}

_ENTITY_TEMPLATES: dict[type[Entity], str] = {
    Stage: "stage.md.j2",
    Step: "step.md.j2",
    Challenge: "challenge.md.j2",
    CaseStudy: "case-study.md.j2",
    Solution: "solution.md.j2",
    Reference: "reference.md.j2",
}
