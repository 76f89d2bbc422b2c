"""The corpus schema, declared once: one pydantic model per folder of ``data/``.

Everything else derives from these models: validation of the YAML files, the exported JSON
Schema in ``data/schema/``, reference checks and backlinks (through :class:`RefTo` markers on
fields). This module imports nothing from the rest of the package.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)


def N_(message: str) -> str:
    """Mark a label for translation where it is defined; it is translated where it is shown.

    The marker of :func:`kb.i18n.N_` (``kb strings`` finds both), repeated here so that this
    module imports nothing from the rest of the package.
    """
    return message


Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80),
    Field(description="A kebab-case ID: lower-case letters, digits and single hyphens."),
]

Version = Literal["arxiv_2020", "acm_2022"]
"""The two versions of the survey: arXiv 2011.09926 v1 (2020) and ACM Computing Surveys (2022)."""

VERSIONS: dict[str, str] = {
    "arxiv_2020": "arXiv 2020",
    "acm_2022": "ACM 2022",
}

Confidence = Literal["paper", "corroborated", "single-source", "unconfirmed"]
"""How well a fact is confirmed; mirrors the FACTS.md tags [paper], [2+], [1] and [unconfirmed]."""

CONFIDENCES: dict[str, str] = {
    "paper": N_("Seen in the paper's own text"),
    "corroborated": N_("Two or more independent summaries of the paper agree"),
    "single-source": N_("One summary of the paper"),
    "unconfirmed": N_("Not confirmed by any source; to be checked against the paper"),
}

Origin = Literal["survey", "kb"]
"""Where an entry comes from: the survey itself, or an addition of this knowledge base."""

ORIGINS: dict[str, str] = {
    "survey": N_("From the survey"),
    "kb": N_("Added by this knowledge base"),
}

ORIGIN_BADGES: dict[str, str] = {
    "survey": N_("Survey"),
    "kb": N_("Addition"),
}
"""The short form of :data:`ORIGINS`, for badges in listings (each listing explains them)."""

KB_CONFIDENCES: dict[str, str] = {
    "corroborated": N_("Two or more of the cited sources agree"),
    "single-source": N_("One cited source"),
    "unconfirmed": N_("Not yet confirmed by a cited source"),
}
"""What a confidence level says of an addition, which is checked against its own sources (an
addition is never in the paper, so ``paper`` is not one of them)."""

SectionNumber = Annotated[
    str,
    StringConstraints(pattern=r"^[1-9][0-9]?(?:\.[1-9][0-9]?)?$"),
    Field(description='A section number of the paper, quoted in YAML: "3" or "3.1".'),
]

# Prose may link out, but only to web and mail addresses: a ``javascript:`` or ``data:`` target
# would run in the reader's browser. Images are refused outright (the site shows no data images).
_INLINE_TARGET = re.compile(r"\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)")  # [text](target), ![alt](...)
_DEFINED_TARGET = re.compile(r"\[[^\]\n]*\]:\s*<?([^\s>]*)")  # [label]: target, at any depth
_SAFE_TARGET = re.compile(r"^(?:https?://|mailto:)[^\s<>\"'`\\]+$")
_TAG = re.compile(r"<[^<>]*>?|>")


def check_prose(text: str) -> str:
    """Refuse Markdown that could make a page load or run something: images, unsafe links."""
    if "![" in text:
        raise ValueError(
            "images are not allowed in prose (describe the figure in words, or link to it)"
        )
    for match in [*_INLINE_TARGET.finditer(text), *_DEFINED_TARGET.finditer(text)]:
        if not _SAFE_TARGET.match(match.group(1)):
            raise ValueError(
                f"link target {match.group(1)!r} is not allowed (prose may link only to "
                "http://, https:// or mailto: addresses)"
            )
    return text


def check_plain(text: str) -> str:
    """Refuse angle brackets in plain-text fields: titles and names are never HTML."""
    if found := _TAG.search(text):
        raise ValueError(
            f"plain text may not contain '<' or '>' (found {found.group(0)!r}); "
            "HTML is never rendered from data"
        )
    return text


Markdown = Annotated[
    str,
    StringConstraints(min_length=1, max_length=4000),
    AfterValidator(check_prose),
    Field(description="Markdown text, written in our own words. Raw HTML is not rendered."),
]

Status = Literal["active", "deprecated", "merged", "split"]
"""An entry's lifecycle: every status but ``active`` retires it (rules: docs/contributing.md)."""

RETIRED_STATUSES: dict[str, str] = {
    "deprecated": N_("Deprecated"),
    "merged": N_("Merged"),
    "split": N_("Split"),
}

RedirectSource = Annotated[
    str,
    StringConstraints(pattern=r"^(?:[a-z-]+/)?[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120),
    Field(
        description="A former ID or another spelling, in this collection ('old-id') or in "
        "another one ('case-studies/old-id')."
    ),
]

PlainText = Annotated[str, AfterValidator(check_plain)]
"""Text shown as-is (titles, names): no Markdown, no HTML."""

URL_CHARS = r"[^\s<>\"'`\[\]{}\\]+"  # no characters that could end a Markdown link or start HTML


@dataclass(frozen=True)
class RefTo:
    """Marks a field as holding the ID (or IDs) of entities in ``data/<folder>/``.

    A reference to the entity's own collection may never point at the entity itself; with
    ``acyclic=True`` (chains such as "replaced by") it may not loop back to it either.
    """

    folder: str
    acyclic: bool = False


@dataclass(frozen=True)
class Prompted:
    """Marks an optional field that ``kb new`` still puts in a new entry, to be filled or deleted.

    For fields that are required in practice (``no_case_study`` until a case study lists the
    challenge) or that review expects whenever they apply (a DOI or URL, a provenance note).
    """


@dataclass(frozen=True)
class Translatable:
    """Marks a field as text a translation replaces (``data/<language>/``, kb/translations.py).

    IDs, links, numbers, names of works and other facts are never marked: they come from the
    English entry in every language.
    """


T_ = Translatable()


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Provenance(Strict):
    """How well an entry is confirmed against the paper."""

    confidence: Confidence = Field(
        description="How well the entry is confirmed. paper: seen in the paper's own text "
        "(https://arxiv.org/abs/2011.09926 or https://doi.org/10.1145/3533378); corroborated: "
        "two or more independent summaries of the paper agree (for an addition, two or more of "
        "its cited sources); single-source: one summary (or one cited source); unconfirmed: "
        "not confirmed yet."
    )
    note: Annotated[Annotated[str, AfterValidator(check_prose)] | None, Prompted(), T_] = Field(
        default=None,
        max_length=1000,
        description="What exactly is unconfirmed or disputed, in one or two sentences.",
    )


class PerVersion(Strict):
    """A value for each version of the survey, at least one of them given."""

    missing: ClassVar[str]

    @model_validator(mode="after")
    def _at_least_one(self) -> PerVersion:
        if not self.versions():
            raise ValueError(self.missing)
        return self

    def versions(self) -> list[str]:
        """The versions that have a value, oldest first."""
        return [v for v in VERSIONS if getattr(self, v) is not None]


class Sections(PerVersion):
    """Section numbers of one part of the paper in each version; absent where it has none."""

    missing: ClassVar[str] = "give the section number in at least one version"

    arxiv_2020: SectionNumber | None = Field(default=None, description="Number in arXiv v1 (2020).")
    acm_2022: SectionNumber | None = Field(default=None, description="Number in ACM CSUR (2022).")


class Placements(PerVersion):
    """Where a challenge sits in Table 1 of each version: the step's ID, absent if not listed."""

    missing: ClassVar[str] = "list the step of at least one version of Table 1"

    arxiv_2020: Annotated[Slug | None, RefTo("steps")] = Field(
        default=None, description="Step under which Table 1 of arXiv v1 (2020) lists it."
    )
    acm_2022: Annotated[Slug | None, RefTo("steps")] = Field(
        default=None, description="Step under which Table 1 of ACM CSUR (2022) lists it."
    )

    def latest(self) -> str:
        """The step in the newest version that lists the challenge."""
        return self.acm_2022 or self.arxiv_2020 or ""


class Entity(Strict):
    """Fields shared by every corpus entry."""

    folder: ClassVar[str]
    label: ClassVar[str]

    id: Slug = Field(
        description="Permanent ID; equals the file name without .yaml. Never change it."
    )
    title: Annotated[PlainText, T_] = Field(
        min_length=2, max_length=200, description="Display title."
    )
    summary: Annotated[Markdown, T_] = Field(
        description="What it is, in two to five sentences of our own words."
    )
    origin: Origin = Field(
        description="survey: the entry comes from the survey (its text, tables or bibliography); "
        "kb: an addition of this knowledge base, beyond the survey, with its own sources."
    )
    provenance: Provenance = Field(
        description="How well this entry is confirmed: against the paper for the survey's "
        "entries, against its own cited sources for an addition."
    )
    status: Status = Field(
        default="active",
        description="active, or retired: deprecated (withdrawn), merged (into one entry) or split "
        "(into several). A retired entry keeps its file and a tombstone page at its URL.",
    )
    replaced_by: list[Slug] = Field(
        default=[],
        max_length=20,
        description="IDs in the same collection that replace a retired entry: exactly one when "
        "merged, two or more when split, optional when deprecated; none when active.",
    )
    retired_reason: Annotated[Markdown | None, T_] = Field(
        default=None,
        description="Why the entry was retired, in our own words; required unless active.",
    )
    redirect_from: list[RedirectSource] = Field(
        default=[],
        max_length=20,
        description="Former IDs and other spellings whose URLs redirect here (a rename keeps "
        "the old ID here forever).",
    )

    @model_validator(mode="after")
    def _addition_is_not_in_the_paper(self) -> Entity:
        if self.origin == "kb" and self.provenance.confidence == "paper":
            raise ValueError(
                "an addition (origin: kb) is not in the paper: its confidence says how well its "
                "own sources confirm it (corroborated, single-source or unconfirmed)"
            )
        return self

    @property
    def retired(self) -> bool:
        """True for a deprecated, merged or split entry (it keeps only a tombstone page)."""
        return self.status != "active"

    @property
    def addition(self) -> bool:
        """True for an addition of this knowledge base (``origin: kb``), not from the survey."""
        return self.origin == "kb"


def _survey_only(entity: Entity, name: str, what: str) -> None:
    """A field that places an entry in the survey: required of the survey's entries, absent
    from additions (which the survey does not place anywhere)."""
    given = getattr(entity, name) not in (None, [])
    if entity.origin == "survey" and not given:
        raise ValueError(f"{name}: an entry from the survey gives its {what}")
    if entity.origin == "kb" and given:
        raise ValueError(
            f"{name}: an addition (origin: kb) is not in the survey, so it has no {what}; remove it"
        )


class Stage(Entity):
    """A stage of the deployment workflow, or the cross-cutting aspects (data/stages/)."""

    folder: ClassVar[str] = "stages"
    label: ClassVar[str] = N_("Stage")

    order: int = Field(ge=1, le=20, description="Position in the paper's order.")
    sections: Sections | None = Field(
        default=None,
        description="The paper section of this stage in each version (absent for an addition).",
    )
    cross_cutting: bool = Field(
        default=False, description="True for the cross-cutting aspects, which span every stage."
    )

    @model_validator(mode="after")
    def _sections_from_survey(self) -> Stage:
        _survey_only(self, "sections", "section numbers")
        return self


class Step(Entity):
    """A workflow step, or a cross-cutting aspect such as Ethics (data/steps/)."""

    folder: ClassVar[str] = "steps"
    label: ClassVar[str] = N_("Step")

    stage: Annotated[Slug, RefTo("stages")] = Field(description="The stage this step belongs to.")
    order: int = Field(ge=1, le=20, description="Position within its stage.")
    sections: Sections | None = Field(
        default=None,
        description="The paper subsection of this step in each version (absent for an addition).",
    )

    @model_validator(mode="after")
    def _sections_from_survey(self) -> Step:
        _survey_only(self, "sections", "section numbers")
        return self


class Challenge(Entity):
    """A consideration, issue or concern of Table 1 (data/challenges/)."""

    folder: ClassVar[str] = "challenges"
    label: ClassVar[str] = N_("Challenge")

    placements: Placements | None = Field(
        default=None,
        description="Its Table 1 step in each version that lists it (the survey's challenges).",
    )
    step: Annotated[Slug | None, RefTo("steps"), Prompted()] = Field(
        default=None,
        description="The step of an addition (origin: kb), in an area this knowledge base adds "
        "beside Table 1; the survey's challenges give placements instead.",
    )
    related: Annotated[list[Slug], RefTo("challenges")] = Field(
        default=[],
        max_length=30,
        description="Challenges this one is closely tied to (an addition names the Table 1 "
        "challenges it bears on); each of them links back.",
    )
    in_production: Annotated[Markdown | None, T_] = Field(
        default=None, description="Why it bites in production: consequences, in our own words."
    )
    aliases: Annotated[
        list[Annotated[PlainText, StringConstraints(min_length=2, max_length=200)]], T_
    ] = Field(
        default=[],
        max_length=20,
        description="Other names, e.g. the abbreviated wording of a table reproduction.",
    )
    keywords: Annotated[
        list[Annotated[PlainText, StringConstraints(min_length=2, max_length=60)]], T_
    ] = Field(default=[], max_length=30, description="Key terms a reader may search for.")
    references: Annotated[list[Slug], RefTo("references")] = Field(
        default=[],
        max_length=100,
        description="Works the paper cites for the challenge itself (not its cases).",
    )
    no_case_study: Annotated[str | None, Prompted(), T_] = Field(
        default=None,
        max_length=500,
        description="Why no case study illustrates this challenge (required when none links here).",
    )

    @model_validator(mode="after")
    def _placed_once(self) -> Challenge:
        _survey_only(self, "placements", "Table 1 placements")
        if self.origin == "kb" and self.step is None:
            raise ValueError("step: an addition (origin: kb) names the step of its area")
        if self.origin == "survey" and self.step is not None:
            raise ValueError(
                "step: a challenge from the survey is placed by Table 1 (placements), not step"
            )
        return self

    @property
    def home_step(self) -> str:
        """The step a challenge is listed under: Table 1's newest placement, or an addition's."""
        return self.placements.latest() if self.placements else self.step or ""


CASE_KINDS: dict[str, str] = {
    "case-study": N_("case study"),
    "example": N_("example"),
    "evidence": N_("evidence"),
}
"""What a case study is (its ``kind``), in words."""


class Versioned(Entity):
    """An entry the survey names in one or both of its versions (``versions``); an addition is
    named in neither."""

    versions: list[Version]

    @model_validator(mode="before")
    @classmethod
    def _both_versions_unless_given(cls, data: Any) -> Any:
        # The survey's entries omit the field when both versions name them; additions name none.
        if isinstance(data, dict) and "versions" not in data and data.get("origin") == "survey":
            return {**data, "versions": list(VERSIONS)}
        return data

    @model_validator(mode="after")
    def _versions_from_survey(self) -> Versioned:
        _survey_only(self, "versions", "survey versions")
        return self


class CaseStudy(Versioned):
    """A real-world case study, example or piece of evidence (data/case-studies/)."""

    folder: ClassVar[str] = "case-studies"
    label: ClassVar[str] = N_("Case study")

    kind: Literal["case-study", "example", "evidence"] = Field(
        description="case-study: one deployment; example: a domain or incident named in passing; "
        "evidence: a study or survey quoted as support."
    )
    organisation: Annotated[PlainText, T_] = Field(
        min_length=2, max_length=200, description="Organisation, or the domain where there is none."
    )
    industries: Annotated[list[Slug], RefTo("industries")] = Field(
        min_length=1,
        max_length=5,
        description="Industries or domains of the case (IDs in data/industries/); the first is "
        "the primary one. Add another only where the case's own facts place it there too.",
    )
    lessons: Annotated[Markdown, T_] = Field(description="What was learned, in our own words.")
    figures: Annotated[
        list[
            Annotated[
                str, StringConstraints(min_length=2, max_length=300), AfterValidator(check_prose)
            ]
        ],
        T_,
    ] = Field(
        default=[],
        max_length=20,
        description="Concrete figures, each with its unit and what it measures.",
    )
    challenges: Annotated[list[Slug], RefTo("challenges")] = Field(
        min_length=1, max_length=100, description="The challenges this case illustrates."
    )
    versions: list[Version] = Field(
        default=[],
        description="The versions of the survey that discuss the case (both when not given; "
        "none for an addition).",
    )
    source: Annotated[Slug | None, RefTo("references")] = Field(
        description="The primary source, or null where the survey's source is not identified "
        "(then say so in provenance.note)."
    )
    references: Annotated[list[Slug], RefTo("references")] = Field(
        default=[], max_length=100, description="Further works about the case."
    )


SourceKind = Literal[
    "documentation", "repository", "release", "package-registry", "website", "paper"
]
"""What kind of page a tool fact was seen on."""

SOURCE_KINDS: dict[str, str] = {
    "documentation": N_("documentation"),
    "repository": N_("repository"),
    "release": N_("release"),
    "package-registry": N_("package registry"),
    "website": N_("website"),
    "paper": N_("paper"),
}

ToolKind = Literal["open-source-library", "managed-cloud-service", "platform"]

TOOL_KINDS: dict[str, str] = {
    "open-source-library": N_("Open-source library"),
    "managed-cloud-service": N_("Managed cloud service"),
    "platform": N_("Platform"),
}

HttpsUrl = Annotated[
    str,
    StringConstraints(pattern=rf"^https://{URL_CHARS}$", max_length=500),
    Field(description="An https URL."),
]

T = TypeVar("T")

DATE_PATTERN = r"^(?:19|20)[0-9]{2}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?$"
"""A date as YYYY-MM-DD, or YYYY-MM or YYYY where the source gives no more."""


def _calendar_day(text: str) -> str:
    """The pattern lets 2024-02-30 through: a full date must be a day of the calendar."""
    if len(text) == 10:
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a day of the calendar") from None
    return text


class Fact(Strict, Generic[T]):
    """One comparison fact: its value and where it was seen, or ``unknown`` with the reason.

    A fact is never guessed: without a page that states it, it is recorded as unknown.
    """

    value: T | None = Field(default=None, description="The fact, as the source states it.")
    source: HttpsUrl | None = Field(
        default=None, description="The page the value was seen on (https)."
    )
    source_kind: SourceKind | None = Field(
        default=None,
        description="documentation | repository | release | package-registry | website | paper.",
    )
    unknown: Annotated[
        Annotated[PlainText, StringConstraints(min_length=3, max_length=300)] | None, T_
    ] = Field(
        default=None,
        description="Why the fact is not known (instead of value, source and source_kind).",
    )
    note: Annotated[
        Annotated[PlainText, StringConstraints(min_length=3, max_length=300)] | None, T_
    ] = Field(default=None, description="A short qualification of the value, in our own words.")

    @model_validator(mode="after")
    def _sourced_or_unknown(self) -> Fact[T]:
        given = [n for n in ("value", "source", "source_kind") if getattr(self, n) is not None]
        if self.unknown is not None and given:
            raise ValueError(
                f"a fact is either known (value, source, source_kind) or unknown (the reason), "
                f"not both: remove {', '.join(given)} or unknown"
            )
        if self.unknown is None and len(given) < 3:
            missing = [n for n in ("value", "source", "source_kind") if n not in given]
            raise ValueError(
                f"missing {', '.join(missing)}: a known fact gives its value, the page it was "
                "seen on and the kind of that page; otherwise write unknown: the reason"
            )
        return self

    @property
    def known(self) -> bool:
        """True when the fact has a sourced value."""
        return self.unknown is None


class TextFact(Fact[Annotated[PlainText, StringConstraints(min_length=2, max_length=200)]]):
    """A fact stated in a few words (a licence, a maintainer)."""


class UrlFact(Fact[HttpsUrl]):
    """A fact that is an address (a homepage, a documentation site)."""


class KindFact(Fact[ToolKind]):
    """What sort of tool it is."""


class YearFact(Fact[Annotated[int, Field(ge=1990, le=2100)]]):
    """A year."""


class Release(Strict):
    """A release as seen on a release page or package registry."""

    version: Annotated[PlainText, StringConstraints(min_length=1, max_length=60)] = Field(
        description="The version, as the source names it."
    )
    date: Annotated[str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(_calendar_day)] = (
        Field(description="Its date: YYYY-MM-DD, or YYYY-MM or YYYY where only that is shown.")
    )


class ReleaseFact(Fact[Release]):
    """The newest release seen."""


class ToolFacts(Strict):
    """The comparison facts of a tool or service, each sourced or marked unknown."""

    kind: KindFact = Field(
        description="open-source-library | managed-cloud-service | platform (value)."
    )
    licence: TextFact = Field(
        description="The licence (an SPDX ID for open source) or the terms it is offered under."
    )
    maintainer: TextFact = Field(description="Who develops and maintains it.")
    homepage: UrlFact = Field(description="Its homepage.")
    documentation: UrlFact = Field(description="Its documentation.")
    first_release: YearFact = Field(
        description="The year it appeared: its first public release, paper or announcement."
    )
    latest_release: ReleaseFact = Field(
        description="The newest release seen in the stored copy of a release page or registry. "
        "This says what was seen and where, not that the tool is maintained today."
    )


class Solution(Versioned):
    """A tool, practice or holistic approach that addresses challenges (data/solutions/)."""

    folder: ClassVar[str] = "solutions"
    label: ClassVar[str] = N_("Solution")

    kind: Literal["tool", "practice", "holistic-approach"] = Field(
        description="tool: a product, library or service; practice: a technique or way of "
        "working; holistic-approach: a rethink of process or architecture (the paper's §8.2)."
    )
    steps: Annotated[list[Slug], RefTo("steps")] = Field(
        min_length=1, max_length=100, description="Workflow steps where it helps."
    )
    challenges: Annotated[list[Slug], RefTo("challenges")] = Field(
        min_length=1, max_length=100, description="Challenges it addresses."
    )
    versions: list[Version] = Field(
        default=[],
        description="The versions of the survey that name it (both when not given; none for an "
        "addition).",
    )
    tool: ToolFacts | None = Field(
        default=None,
        validate_default=True,
        description="Comparison facts of a tool (required when kind is 'tool', absent "
        "otherwise): each one sourced, or recorded as unknown with the reason.",
    )
    references: Annotated[list[Slug], RefTo("references")] = Field(
        default=[], max_length=100, description="Works that describe it."
    )

    @field_validator("tool")
    @classmethod
    def _tool_facts_match_kind(cls, value: ToolFacts | None, info: ValidationInfo) -> Any:
        kind = info.data.get("kind")  # absent when the kind itself is invalid
        if kind == "tool" and value is None:
            raise ValueError(
                "a solution of kind 'tool' records its comparison facts here (kind, licence, "
                "maintainer, homepage, documentation, first_release, latest_release)"
            )
        if kind is not None and kind != "tool" and value is not None:
            raise ValueError(f"only a solution of kind 'tool' has tool facts, not {kind!r}")
        return value


class Industry(Entity):
    """An industry or domain that case studies come from (data/industries/)."""

    folder: ClassVar[str] = "industries"
    label: ClassVar[str] = N_("Industry")

    order: int = Field(ge=1, le=100, description="Position in lists and heatmaps.")


class Reference(Entity):
    """A cited work (data/references/)."""

    folder: ClassVar[str] = "references"
    label: ClassVar[str] = N_("Reference")

    # The title of a work stays in its own language: not marked translatable, unlike Entity's.
    title: PlainText = Field(min_length=2, max_length=200, description="Display title.")
    title_language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] = Field(
        default="en",
        description="The title's language (ISO 639 code: en, de); a page in another language "
        "marks the title with it, so that a screen reader reads it in that language.",
    )
    summary: Annotated[Markdown | None, T_] = Field(  # type: ignore[assignment]
        default=None, description="What the work is about, in one or two sentences."
    )
    authors: list[Annotated[PlainText, StringConstraints(min_length=2, max_length=120)]] = Field(
        min_length=1, max_length=200, description="Authors in order, or the corporate author."
    )
    year: int | None = Field(ge=1900, le=2100, description="Year of publication; null if unknown.")
    venue: Annotated[PlainText | None, Prompted()] = Field(
        default=None, max_length=300, description="Journal, conference, publisher or website."
    )
    kind: Literal[
        "paper", "preprint", "report", "book", "article", "blog", "guide", "talk", "documentation"
    ] = Field(
        description="What sort of work it is (documentation: a tool's or service's own manual)."
    )
    doi: Annotated[
        Annotated[str, StringConstraints(pattern=rf"^10\.\d{{4,9}}/{URL_CHARS}$", max_length=200)]
        | None,
        Prompted(),
    ] = Field(default=None, description="DOI without the https://doi.org/ prefix.")
    url: Annotated[
        Annotated[str, StringConstraints(pattern=rf"^https?://{URL_CHARS}$", max_length=500)]
        | None,
        Prompted(),
    ] = Field(default=None, description="Stable URL (arXiv abstract, publisher page).")
    details: Literal["record", "unconfirmed"] = Field(
        description="record: these bibliographic details match the work's own publication record; "
        "unconfirmed: not checked."
    )
    ref_numbers: dict[Version, int] = Field(
        default={},
        description="The paper's reference number in each version, only where confirmed.",
    )


class PaperSection(Entity):
    """A top-level section of the survey, numbered in each version (data/paper/)."""

    folder: ClassVar[str] = "paper"
    label: ClassVar[str] = N_("Paper section")

    order: int = Field(ge=1, le=20, description="Position in the paper's table of contents.")
    sections: Sections = Field(description="The section number in each version.")
    subsections: Annotated[
        list[Annotated[PlainText, StringConstraints(min_length=2, max_length=200)]], T_
    ] = Field(
        default=[],
        max_length=20,
        description='Subsection headings, e.g. "8.1 Tools and services".',
    )
    stage: Annotated[Slug | None, RefTo("stages")] = Field(
        default=None, description="The workflow stage this section covers (sections 3 to 7)."
    )
    solution_kinds: list[Literal["tool", "practice", "holistic-approach"]] = Field(
        default=[], max_length=3, description="Kinds of solution this section presents (section 8)."
    )
    references: Annotated[list[Slug], RefTo("references")] = Field(
        default=[],
        max_length=100,
        description="Works cited in this section and not tied to a specific entry.",
    )


MODELS: tuple[type[Entity], ...] = (
    Stage,
    Step,
    Challenge,
    CaseStudy,
    Solution,
    Reference,
    PaperSection,
    Industry,
)
"""Every collection, in the order pages and diagnostics list them."""

COLLECTION_NAMES: dict[str, str] = {
    "stages": N_("stages"),
    "steps": N_("steps"),
    "challenges": N_("challenges"),
    "case-studies": N_("case studies"),
    "solutions": N_("solutions"),
    "references": N_("references"),
    "paper": N_("paper"),
    "industries": N_("industries"),
}
"""Each collection (folder) in words, as a sentence names it: "all case studies as CSV"."""
