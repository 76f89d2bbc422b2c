"""Tools: the comparison page of the survey's tools and services, and each tool's own row.

A row says, stage by stage, which workflow steps a tool helps with and which challenges it
addresses; each non-empty cell links to the view of the filter page (``explore.md``) that lists
exactly those challenges. The facts (kind, licence, maintainer, links, first and latest release)
come from the solution's ``tool`` field, each with its source or the reason it is unknown.
Nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import jinja2

from kb.corpus import Corpus
from kb.models import Challenge, Solution, Stage, Step

TOOLS_PAGE = "tools.md"
"""The comparison page, served at ``/tools/``."""

EXPLORE = "explore.md"


@dataclass(frozen=True)
class Coverage:
    """What a tool covers within one stage."""

    stage: Stage
    steps: list[Step]
    challenges: list[Challenge]

    @property
    def query(self) -> str:
        """The filter page's query string that lists exactly ``challenges`` ("" if none)."""
        if not self.challenges:
            return ""
        pairs = [("collection", "challenges")] + [("challenge", c.id) for c in self.challenges]
        return "?" + urlencode(pairs)


@dataclass(frozen=True)
class ToolRow:
    """One tool and its coverage, one cell per stage."""

    tool: Solution
    cells: list[Coverage]


def tools(corpus: Corpus) -> list[Solution]:
    """Live solutions of kind ``tool``, by title."""
    found = [s for s in corpus.live(Solution) if s.kind == "tool"]
    return sorted(found, key=lambda s: s.title.lower())


def tool_row(corpus: Corpus, tool: Solution) -> ToolRow:
    """A solution's coverage (a tool's, on the comparison page): per stage, its steps there and
    the challenges it addresses there."""
    steps = corpus.targets(tool, Step, "steps")
    challenges = corpus.targets(tool, Challenge, "challenges")
    cells = [
        Coverage(
            stage,
            [s for s in steps if s.stage == stage.id],
            [c for c in challenges if corpus.stage_of(c).id == stage.id],
        )
        for stage in corpus.live(Stage)
    ]
    return ToolRow(tool, cells)


def similar_tools(corpus: Corpus, solution: Solution) -> list[tuple[Solution, list[Challenge]]]:
    """Tools (other than ``solution``) that address one of its challenges, most shared first."""
    mine = set(solution.challenges)
    found = []
    for other in tools(corpus):
        shared = [c for c in corpus.targets(other, Challenge, "challenges") if c.id in mine]
        if other.id != solution.id and shared:
            found.append((other, shared))
    return sorted(found, key=lambda pair: (-len(pair[1]), pair[0].title.lower()))


def tool_pages(corpus: Corpus, env: jinja2.Environment) -> dict[str, str]:
    """The comparison page, keyed by its path under ``docs/``."""
    rows = [tool_row(corpus, t) for t in tools(corpus)]
    text = env.get_template("tools.md.j2").render(
        here=TOOLS_PAGE,
        corpus=corpus,
        rows=rows,
        stages=corpus.live(Stage),
        explore=EXPLORE,
    )
    return {TOOLS_PAGE: text}


def fact_counts(corpus: Corpus) -> dict[str, tuple[int, int]]:
    """``{tool ID: (sourced facts, unknown facts)}``, for the page and the editorial report."""
    counts = {}
    for tool in tools(corpus):
        assert tool.tool is not None  # the model requires facts on every tool
        facts = [getattr(tool.tool, name) for name in type(tool.tool).model_fields]
        known = sum(f.known for f in facts)
        counts[tool.id] = (known, len(facts) - known)
    return counts
