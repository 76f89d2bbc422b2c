"""Finding entries by phase: the workflow matrix page and the facet index of the filter page.

``find_pages`` renders the matrix (``matrix.md``) with the shared Jinja environment;
``find_assets`` returns the static JSON index (``assets/kb-facets.json``) that the filter page's
script reads. Both are pure functions of the corpus, so the MkDocs hook and the CLI emit the same
files. Nothing here imports MkDocs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2

from kb.corpus import Corpus
from kb.excerpt import one_line
from kb.i18n import N_, untranslated
from kb.models import (
    ORIGIN_BADGES,
    ORIGINS,
    VERSIONS,
    CaseStudy,
    Challenge,
    Entity,
    Industry,
    Solution,
    Stage,
    Step,
)

FACETS_PATH = "assets/kb-facets.json"
"""Where the facet index is served, relative to the site root."""

FACETS_SCRIPT_PATH = "assets/kb-facets.js"
"""The same index as a script, in the offline bundle only: a page opened from disk (file://)
cannot fetch() a file beside it, but it can load a <script> that sets ``window.kbFacets``."""

SOLUTION_KINDS: dict[str, str] = {
    "tool": N_("Tools"),
    "practice": N_("Practices"),
    "holistic-approach": N_("Holistic approaches"),
}

COLLECTIONS: dict[str, str] = {
    "challenges": N_("Challenges"),
    "case-studies": N_("Case studies"),
    "solutions": N_("Solutions"),
}

TYPE_LABELS: dict[str, str] = {
    "challenges": N_("Challenge"),
    "case-studies": N_("Case study"),
    "tool": N_("Tool"),
    "practice": N_("Practice"),
    "holistic-approach": N_("Holistic approach"),
}
"""What a result is, as the filter page shows it beside the title (a solution says its kind)."""


@dataclass(frozen=True)
class MatrixEntry:
    """One challenge in one cell of the matrix, with the evidence behind it in that version."""

    challenge: Challenge
    cases: int

    @property
    def level(self) -> int:
        """Evidence level used for shading: 0, 1, 2, or 3 for three or more case studies."""
        return min(self.cases, 3)


@dataclass(frozen=True)
class MatrixColumn:
    """A step (a column of the matrix) and the challenges that version lists under it."""

    step: Step
    entries: list[MatrixEntry]


@dataclass(frozen=True)
class MatrixGroup:
    """A stage and its steps: a group of columns."""

    stage: Stage
    columns: list[MatrixColumn]


@dataclass(frozen=True)
class Matrix:
    """Table 1 of one version of the survey, as stages (column groups) of steps (columns)."""

    version: str
    label: str
    groups: list[MatrixGroup]

    @property
    def anchor(self) -> str:
        """The section anchor of this version's table: ``arxiv-2020`` or ``acm-2022``."""
        return self.version.replace("_", "-")

    @property
    def challenges(self) -> list[Challenge]:
        """Every challenge in the table, column by column."""
        return [e.challenge for g in self.groups for col in g.columns for e in col.entries]


def cases_in(corpus: Corpus, challenge: Challenge, version: str) -> list[CaseStudy]:
    """The case studies for ``challenge`` that ``version`` of the survey discusses."""
    return [
        cs for cs in corpus.referrers(challenge, CaseStudy, "challenges") if version in cs.versions
    ]


def matrices(corpus: Corpus) -> list[Matrix]:
    """One matrix per version, newest first; a version's table has only the steps it has."""
    result = []
    for version, label in reversed(VERSIONS.items()):
        groups = []
        for stage in corpus.live(Stage):
            columns = [
                MatrixColumn(
                    step,
                    [
                        MatrixEntry(c, len(cases_in(corpus, c, version)))
                        for c in corpus.challenges_of(step, version)
                    ],
                )
                for step in corpus.steps_of(stage)
                if getattr(step.sections, version, None) is not None
            ]
            if columns:
                groups.append(MatrixGroup(stage, columns))
        result.append(Matrix(version, label, groups))
    return result


def additions_matrix(corpus: Corpus) -> list[MatrixGroup]:
    """The challenges this knowledge base adds, beside Table 1 and apart from it: the areas it
    adds (every step, even an empty one), then survey steps under which it places an addition.
    Each counts every case study recorded for it (an addition is in no version of the survey)."""
    groups = []
    for stage in corpus.live(Stage):
        columns = [
            MatrixColumn(
                step,
                [
                    MatrixEntry(c, len(corpus.referrers(c, CaseStudy, "challenges")))
                    for c in corpus.challenges_of(step)
                    if c.addition
                ],
            )
            for step in corpus.steps_of(stage)
        ]
        columns = [col for col in columns if stage.addition or col.entries]
        if columns:
            groups.append(MatrixGroup(stage, columns))
    return groups


def version_changes(corpus: Corpus) -> list[tuple[Challenge, Step | None, Step | None]]:
    """Challenges whose Table 1 step differs between the versions: (challenge, 2020, 2022)."""
    old, new = VERSIONS  # oldest first
    changes = []
    for c in corpus.live(Challenge):
        before, after = getattr(c.placements, old, None), getattr(c.placements, new, None)
        if before != after:
            changes.append(
                (
                    c,
                    corpus.get(Step, before) if before else None,
                    corpus.get(Step, after) if after else None,
                )
            )
    return sorted(changes, key=lambda t: t[0].title.lower())


def find_pages(corpus: Corpus, env: jinja2.Environment) -> dict[str, str]:
    """The generated pages of this feature, keyed by path under ``docs/``."""
    return {
        "matrix.md": env.get_template("matrix.md.j2").render(
            here="matrix.md",
            corpus=corpus,
            matrices=matrices(corpus),
            additions=additions_matrix(corpus),
            changes=version_changes(corpus),
        ),
        "explore.md": env.get_template("explore.md.j2").render(
            here="explore.md", corpus=corpus, FACETS_PATH=FACETS_PATH
        ),
    }


def find_assets(
    corpus: Corpus,
    *,
    directory_urls: bool = True,
    gettext: Callable[[str], str] = untranslated,
    offline: bool = False,
) -> dict[str, str]:
    """Static files of this feature, keyed by path under the site root; ``gettext`` words the
    labels of the index in the edition's language. ``offline`` adds the index as a script."""
    index = facet_index(corpus, directory_urls=directory_urls, gettext=gettext)
    text = json.dumps(index, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assets = {FACETS_PATH: text + "\n"}
    if offline:
        assets[FACETS_SCRIPT_PATH] = f"window.kbFacets = {text};\n"
    return assets


def _url(entity: Entity, directory_urls: bool) -> str:
    """An entity's URL relative to the site root, as MkDocs writes it."""
    return (
        f"{entity.folder}/{entity.id}/" if directory_urls else f"{entity.folder}/{entity.id}.html"
    )


ADDITION = "kb"
"""The "version" of an addition's placement: none of the survey's, so no version facet finds it."""


def _placement(corpus: Corpus, version: str, step: Step) -> dict[str, str]:
    """One (version, stage, step-or-aspect) placement; the joint facets match one of these."""
    stage = corpus.get(Stage, step.stage)
    return {
        "version": version,
        "stage": stage.id,
        ("aspect" if stage.cross_cutting else "step"): step.id,
    }


def facet_index(
    corpus: Corpus, *, directory_urls: bool = True, gettext: Callable[[str], str] = untranslated
) -> dict[str, Any]:
    """The filter page's data: facet definitions and every challenge, case study and solution.

    Facets marked ``joint`` describe a placement (version, stage, step or aspect): an item matches
    when one of its placements satisfies all of them together, so "Ethics in ACM 2022" does not
    match a challenge that moved from Ethics to Law. Other facets are plain value sets. A
    challenge's industries are those of its case studies; its solution types, those of the
    solutions that address it. Each item carries ``type``, the label the page shows beside it.
    Labels, hints and the words of ``type``, ``where`` and ``detail`` go through ``gettext``;
    titles are data (a translated corpus brings its own).
    """
    _ = gettext
    stages = corpus.live(Stage)
    steps = [s for st in stages for s in corpus.steps_of(st)]
    cross = {st.id for st in stages if st.cross_cutting}
    order = {s.id: i for i, s in enumerate(steps)}
    challenges = sorted(
        corpus.live(Challenge),
        key=lambda c: (order[corpus.step_of(c).id], c.title.lower()),
    )
    used = {i for cs in corpus.live(CaseStudy) for i in cs.industries}
    industries = [i for i in corpus.live(Industry) if i.id in used]
    titles = {i.id: i.title for i in corpus.live(Industry)}

    def options(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"id": k, "label": v} for k, v in pairs]

    def labels(found: dict[str, str]) -> list[tuple[str, str]]:
        return [(k, _(v)) for k, v in found.items()]

    facets = [
        {"id": "collection", "label": _("Collection"), "options": options(labels(COLLECTIONS))},
        {
            "id": "origin",
            "label": _("Origin"),
            "hint": _(
                "From the survey, or added by this knowledge base beyond it, with its own sources."
            ),
            "options": options(labels(ORIGINS)),
        },
        {
            "id": "version",
            "label": _("Paper version"),
            "joint": True,
            "options": options(list(VERSIONS.items())),
        },
        {
            "id": "stage",
            "label": _("Stage"),
            "joint": True,
            "options": options([(s.id, s.title) for s in stages]),
        },
        {
            "id": "step",
            "label": _("Step"),
            "joint": True,
            "options": options([(s.id, s.title) for s in steps if s.stage not in cross]),
        },
        {
            "id": "aspect",
            "label": _("Cross-cutting aspect"),
            "joint": True,
            "options": options([(s.id, s.title) for s in steps if s.stage in cross]),
        },
        {
            "id": "industry",
            "label": _("Industry"),
            "hint": _(
                "A case study matches each of its industries; a challenge, the industries of "
                "its case studies."
            ),
            "options": options([(i.id, i.title) for i in industries]),
        },
        {
            "id": "solution",
            "label": _("Solution type"),
            "hint": _(
                "A solution matches its own kind; a challenge, the kinds of the solutions "
                "that address it."
            ),
            "options": options(labels(SOLUTION_KINDS)),
        },
        {
            "id": "challenge",
            "label": _("Challenge"),
            "hint": _(
                "A challenge matches itself; a case study, the challenges it illustrates; a "
                "solution, those it addresses."
            ),
            "options": options([(c.id, c.title) for c in challenges]),
        },
    ]

    items: list[dict[str, Any]] = []
    for c in challenges:
        step, stage = corpus.step_of(c), corpus.stage_of(c)
        cases = corpus.referrers(c, CaseStudy, "challenges")
        solutions = corpus.referrers(c, Solution, "challenges")
        items.append(
            {
                "id": c.id,
                "title": c.title,
                "summary": one_line(c.summary),
                **_badge(c, _),
                "url": _url(c, directory_urls),
                "where": f"{stage.title} \u203a {step.title}",  # Stage > Step, with U+203A
                "type": _(TYPE_LABELS["challenges"]),
                "detail": _count(_, len(cases), _CASES),
                "values": {
                    "collection": ["challenges"],
                    "origin": [c.origin],
                    "industry": sorted({i for cs in cases for i in cs.industries}),
                    "solution": sorted({s.kind for s in solutions}),
                    "challenge": [c.id],
                },
                # An addition sits at its own step in no version of the survey ("kb"): the stage
                # and step facets find it, a version never does.
                "placements": [
                    _placement(corpus, v, corpus.get(Step, getattr(c.placements, v)))
                    for v in c.placements.versions()
                ]
                if c.placements
                else [_placement(corpus, ADDITION, corpus.step_of(c))],
            }
        )
    for cs in sorted(corpus.live(CaseStudy), key=lambda x: x.title.lower()):
        placements: dict[tuple[str, str], dict[str, str]] = {}
        for c in corpus.targets(cs, Challenge, "challenges"):
            for v in cs.versions:
                placed = getattr(c.placements, v, None)
                if placed:
                    placements[(v, placed)] = _placement(corpus, v, corpus.get(Step, placed))
            if cs.addition:  # at its challenges' steps, in no version of the survey
                placements[(ADDITION, c.home_step)] = _placement(
                    corpus, ADDITION, corpus.step_of(c)
                )
        items.append(
            {
                "id": cs.id,
                "title": cs.title,
                "summary": one_line(cs.summary),
                **_badge(cs, _),
                "url": _url(cs, directory_urls),
                "type": _(TYPE_LABELS["case-studies"]),
                "where": _(", ").join(titles[i] for i in cs.industries),
                "detail": cs.organisation,
                "values": {
                    "collection": ["case-studies"],
                    "origin": [cs.origin],
                    "industry": list(cs.industries),
                    "challenge": list(cs.challenges),
                },
                "placements": [placements[k] for k in sorted(placements, key=_version_first)],
            }
        )
    for sol in sorted(corpus.live(Solution), key=lambda x: (x.kind, x.title.lower())):
        targets = corpus.targets(sol, Step, "steps")
        items.append(
            {
                "id": sol.id,
                "title": sol.title,
                "summary": one_line(sol.summary),
                **_badge(sol, _),
                "url": _url(sol, directory_urls),
                "type": _(TYPE_LABELS[sol.kind]),
                "where": _(", ").join(step.title for step in targets),
                "detail": _count(_, len(sol.challenges), _CHALLENGES),
                "values": {
                    "collection": ["solutions"],
                    "origin": [sol.origin],
                    "solution": [sol.kind],
                    "challenge": list(sol.challenges),
                },
                # A solution is not tied to a version's Table 1: it sits at its steps in every
                # version of the survey that names it.
                "placements": [
                    _placement(corpus, v, step)
                    for v in [*VERSIONS, ADDITION]
                    if v in sol.versions or (v == ADDITION and sol.addition)
                    for step in targets
                ],
            }
        )
    return {"facets": facets, "items": items}


def _badge(entity: Entity, gettext: Callable[[str], str]) -> dict[str, str]:
    """An addition's badge on the filter page, in words; the survey's entries carry none."""
    if not entity.addition:
        return {}
    return {"badge": gettext(ORIGIN_BADGES["kb"]), "origin_label": gettext(ORIGINS["kb"])}


def _version_first(key: tuple[str, str]) -> tuple[int, str]:
    order = [*VERSIONS, ADDITION]
    return (order.index(key[0]), key[1])


_CASES = (N_("%(num)s case study"), N_("%(num)s case studies"))
_CHALLENGES = (N_("%(num)s challenge"), N_("%(num)s challenges"))


def _count(gettext: Callable[[str], str], n: int, forms: tuple[str, str]) -> str:
    """``n`` and its noun, singular or plural (the forms templates pass to ``ngettext``)."""
    return gettext(forms[0] if n == 1 else forms[1]) % {"num": n}
