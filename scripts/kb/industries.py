"""Industries: each industry's case studies by stage, and the overview heatmaps.

The heatmaps count case studies (industries x stages, and challenges x industries); every
non-empty cell links to the view of the filter page (``explore.md``) that lists exactly the
case studies it counts. A cell therefore counts with the filter page's own rule: a case study
is at a stage when one of its challenges is, in a version of the survey that discusses it.
Nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from kb.corpus import Corpus
from kb.models import CaseStudy, Challenge, Entity, Industry, Stage, Step

EXPLORE = "explore.md"
"""The filter page, whose query string (``?industry=...&stage=...``) selects a view."""

LEVELS = ((0, 0), (1, 1), (2, 2), (3, 3), (5, 4))
"""(smallest count, shading level): 0, 1, 2, 3 to 4, 5 or more."""


@dataclass(frozen=True)
class Cell:
    """One count of a heatmap, with its shading level and the filter view it stands for."""

    count: int
    query: str  # "?collection=...&industry=...", empty when the count is 0

    @property
    def level(self) -> int:
        """Shading level, 0 to 4; the count itself is always printed beside it."""
        return max(level for low, level in LEVELS if self.count >= low)


@dataclass(frozen=True)
class Row:
    """A row of a heatmap: what it is about, and one cell per column."""

    head: Industry | Challenge
    cells: list[Cell]
    total: Cell | None = None
    stage: Stage | None = None  # the stage a challenge row sits under


@dataclass(frozen=True)
class Heatmap:
    """Rows and the entities that head its columns."""

    columns: list[Stage] | list[Industry]
    rows: list[Row]


def explore_query(**facets: str) -> str:
    """The filter page's query string for the given facets, in a stable order."""
    return "?" + urlencode({"collection": "case-studies", **facets})


def cases_of(corpus: Corpus, industry: Industry) -> list[CaseStudy]:
    """Live case studies that list ``industry`` (first or not), by title."""
    cases = corpus.referrers(industry, CaseStudy, "industries")
    return sorted(cases, key=lambda c: c.title.lower())


def stages_of(corpus: Corpus, case: CaseStudy) -> set[str]:
    """Stage IDs where the filter page places a case: its challenges' Table 1 steps, in the
    versions of the survey that discuss the case."""
    found = set()
    for challenge in corpus.targets(case, Challenge, "challenges"):
        for version in case.versions:
            step_id = getattr(challenge.placements, version, None)
            if step_id:
                found.add(corpus.get(Step, step_id).stage)
    return found


def industries_in_use(corpus: Corpus) -> list[Industry]:
    """Live industries with at least one live case study, in display order."""
    return [i for i in corpus.live(Industry) if cases_of(corpus, i)]


def stage_heatmap(corpus: Corpus) -> Heatmap:
    """Industries (rows) x stages (columns): how many of the industry's case studies reach it."""
    stages = corpus.live(Stage)
    rows = []
    for industry in industries_in_use(corpus):
        cases = cases_of(corpus, industry)
        placed = [stages_of(corpus, c) for c in cases]
        cells = []
        for stage in stages:
            n = sum(stage.id in p for p in placed)
            cells.append(Cell(n, explore_query(industry=industry.id, stage=stage.id) if n else ""))
        rows.append(
            Row(industry, cells, total=Cell(len(cases), explore_query(industry=industry.id)))
        )
    return Heatmap(stages, rows)


def challenge_heatmap(corpus: Corpus) -> Heatmap:
    """Challenges (rows, by stage and step) x industries (columns): case studies per pair.

    Challenges no case study illustrates are left out (the challenge list says why each has none).
    """
    industries = industries_in_use(corpus)
    rows = []
    for stage in corpus.live(Stage):
        for step in corpus.steps_of(stage):
            for challenge in corpus.challenges_of(step):
                cases = corpus.referrers(challenge, CaseStudy, "challenges")
                if not cases:
                    continue
                cells = []
                for industry in industries:
                    n = sum(industry.id in c.industries for c in cases)
                    query = explore_query(industry=industry.id, challenge=challenge.id)
                    cells.append(Cell(n, query if n else ""))
                total = Cell(len(cases), explore_query(challenge=challenge.id))
                rows.append(Row(challenge, cells, total=total, stage=stage))
    return Heatmap(industries, rows)


def industries_index_context(corpus: Corpus) -> dict[str, Any]:
    """The overview page: both heatmaps and the list of industries."""
    return {
        "stage_map": stage_heatmap(corpus),
        "challenge_map": challenge_heatmap(corpus),
        "counts": {i.id: len(cases_of(corpus, i)) for i in corpus.live(Industry)},
        "explore": EXPLORE,
        "levels": LEVELS,
    }


def industry_context(corpus: Corpus, item: Entity) -> dict[str, Any]:
    """One industry's page: its case studies, each with its challenges grouped by stage, and
    the same challenges seen the other way round (stage, challenge, case studies)."""
    assert isinstance(item, Industry)
    cases = cases_of(corpus, item)
    stages = corpus.live(Stage)
    titles = {i.id: i for i in corpus.all(Industry)}
    entries = []
    by_challenge: dict[str, list[CaseStudy]] = {}
    for case in cases:
        challenges = corpus.targets(case, Challenge, "challenges")
        grouped = [
            (stage, [c for c in challenges if corpus.stage_of(c).id == stage.id])
            for stage in stages
        ]
        others = [titles[i] for i in case.industries if i != item.id]
        entries.append((case, [g for g in grouped if g[1]], others))
        for c in challenges:
            by_challenge.setdefault(c.id, []).append(case)
    by_stage = []
    for stage in stages:
        rows = [
            (c, by_challenge[c.id])
            for step in corpus.steps_of(stage)
            for c in corpus.challenges_of(step)
            if c.id in by_challenge
        ]
        if rows:
            by_stage.append((stage, rows))
    return {
        "entries": entries,
        "by_stage": by_stage,
        "challenge_count": len(by_challenge),
        "explore": EXPLORE,
        "explore_query": explore_query(industry=item.id),
    }
