"""Team assessment: the assessment file format, the data of the ``/assess/`` page, reading files.

A team marks each challenge of Table 1 with a status from a fixed scale, a note and a link to its
own page; the page (``assess.md.j2`` + ``kb-assess.js``) keeps all of it in the browser, and
``kb report`` renders the same reports offline (``kb/report.py``). Both sides read the same
inputs: :func:`page_data` (embedded in the page as JSON) and the interface strings of
``assess-strings.json.j2`` (rendered with ``_()``, so a second language is data). The script
mirrors :func:`read_assessment` and :func:`migrate` step by step; golden files under
``tests/cases/assess/`` hold both implementations to the same answers.

The file format is declared once, as the pydantic models below; its JSON Schema is published as
``api/schema/assessment.schema.json``. Nothing here imports MkDocs or reads the clock.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

import jinja2
import pydantic
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from kb.cite import Site
from kb.corpus import Corpus
from kb.export import data_sha256
from kb.find import matrices
from kb.models import URL_CHARS, VERSIONS, CaseStudy, Challenge, Slug, Solution, Version

FORMAT = "deploying-ml-kb-assessment"
"""The marker that tells an assessment file of this knowledge base from any other JSON."""

FORMAT_VERSION = 1
"""The version of the file format this code writes and reads (older ones are read too)."""

PAGE = "assess.md"
SCHEMA_NAME = "assessment.schema.json"
STRINGS_TEMPLATE = "assess-strings.json.j2"

MAX_BYTES = 1024 * 1024
"""The largest file the page and ``kb report`` open: far above any real assessment (44 notes of
2,000 characters take about 100 KB), low enough that a wrong file fails fast."""
MAX_NAME = 200
MAX_NOTE = 2000
MAX_LINK = 500
MAX_ENTRIES = 1000

Status = Literal["not-assessed", "not-relevant", "watching", "facing", "mitigated"]
STATUSES: tuple[str, ...] = typing.get_args(Status)
"""The fixed scale, in the order the page offers it."""

ICONS: dict[str, str] = {
    "not-assessed": "○",
    "not-relevant": "⊘",
    "watching": "◐",
    "facing": "▲",
    "mitigated": "✓",
}
"""A shape per status, shown beside its name so that colour is never the only signal."""

TINTS: dict[str, str] = {
    "not-assessed": "",
    "not-relevant": "#eceff1",
    "watching": "#fff3cd",
    "facing": "#fde0dc",
    "mitigated": "#dcf5e3",
}
"""Cell backgrounds of the rich-copy table (pasted into documents, so fixed light colours)."""

PATTERNS: dict[str, str] = {
    "id": r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "link": rf"^https?://{URL_CHARS}$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "sha256": r"^[0-9a-f]{64}$",
}
"""Regular expressions shared with the script (they mean the same in Python and JavaScript)."""


def _check_date(text: str) -> str:
    date.fromisoformat(text)  # the pattern admits 2025-02-30; the calendar does not
    return text


TeamLink = Annotated[
    str,
    StringConstraints(pattern=PATTERNS["link"], max_length=MAX_LINK),
    Field(description="An http:// or https:// address: the team's wiki page or ticket."),
]
IsoDate = Annotated[
    str,
    StringConstraints(pattern=PATTERNS["date"]),
    AfterValidator(_check_date),
    Field(description="A calendar date, YYYY-MM-DD."),
]


class _Format(BaseModel):
    # strict: a file is data from elsewhere; "1" is not 1 and a number is not a date.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class CorpusStamp(_Format):
    """The version of the knowledge base an assessment was made against."""

    version: str = Field(max_length=50, description="Project version (pyproject.toml).")
    data_sha256: str = Field(
        pattern=PATTERNS["sha256"],
        description="The data_sha256 of api/corpus.json: a hash of every entry's fields.",
    )


class ChallengeEntry(_Format):
    """What the team says of one challenge."""

    status: Status = Field(description="not-assessed, not-relevant, watching, facing or mitigated.")
    note: str = Field(default="", max_length=MAX_NOTE, description="The team's note, plain text.")
    link: TeamLink | None = Field(default=None)


class Assessment(_Format):
    """An assessment file: a team's statuses for the challenges of Table 1."""

    schema_url: str | None = Field(
        default=None, alias="$schema", description="URL of this JSON Schema (for editors)."
    )
    format: Literal["deploying-ml-kb-assessment"] = Field(
        description="Always deploying-ml-kb-assessment: tells this file from any other JSON."
    )
    format_version: int = Field(
        ge=1, le=FORMAT_VERSION, description="Version of this file format (1 is the first)."
    )
    corpus: CorpusStamp = Field(description="The knowledge base the assessment was made against.")
    table_version: Version = Field(
        description="The version of Table 1 followed: acm_2022 (default) or arxiv_2020."
    )
    name: str = Field(default="", max_length=MAX_NAME, description="Name of the assessment.")
    date: IsoDate | None = Field(default=None)
    challenges: dict[Slug, ChallengeEntry] = Field(
        default={},
        max_length=MAX_ENTRIES,
        description="Challenge ID -> entry; challenges not listed are not assessed.",
        # pydantic states the ID pattern as patternProperties only: say that nothing else may be.
        json_schema_extra={"additionalProperties": False},
    )


def assessment_schema(site: Site) -> dict[str, Any]:
    """The JSON Schema of assessment files (published at ``api/schema/``)."""
    schema = Assessment.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = site.schema_url(SCHEMA_NAME)
    return schema


def assess_files(site: Site) -> dict[str, bytes]:
    """The files this feature adds under ``api/`` (keyed by path under the site root)."""
    text = json.dumps(assessment_schema(site), indent=2, sort_keys=True, ensure_ascii=False)
    return {f"api/schema/{SCHEMA_NAME}": (text + "\n").encode()}


# The page ---------------------------------------------------------------------------------


def page_data(corpus: Corpus, site: Site) -> dict[str, Any]:
    """Everything the page's script and the report renderers read, as plain JSON data.

    Both versions of Table 1 (stages, steps, challenges), permanent URLs, the case studies and
    solutions of each challenge, and the lifecycle map that brings old files up to date: a
    retired challenge's successors (``replaced_by``) and former IDs (``redirect_from``).
    """

    def ref(entity: Any, **extra: Any) -> dict[str, Any]:
        return {"title": entity.title, "url": site.page_url(entity), **extra}

    tables = [
        {
            "id": mx.version,
            "label": mx.label,
            "stages": [
                {
                    "id": group.stage.id,
                    "steps": [
                        {"id": col.step.id, "challenges": [e.challenge.id for e in col.entries]}
                        for col in group.columns
                    ],
                }
                for group in mx.groups
            ],
        }
        for mx in matrices(corpus)
    ]
    stages, steps = {}, {}
    for mx in matrices(corpus):
        for group in mx.groups:
            stages[group.stage.id] = ref(group.stage)
            for col in group.columns:
                steps[col.step.id] = ref(col.step)
    challenges: dict[str, Any] = {}
    cases: dict[str, Any] = {}
    solutions: dict[str, Any] = {}
    for c in corpus.live(Challenge):
        found_cases = corpus.referrers(c, CaseStudy, "challenges")
        found_solutions = corpus.referrers(c, Solution, "challenges")
        challenges[c.id] = ref(
            c,
            case_studies=[x.id for x in found_cases],
            solutions=[x.id for x in found_solutions],
        )
        cases.update({x.id: ref(x) for x in found_cases})
        solutions.update({x.id: ref(x, kind=x.kind) for x in found_solutions})
    retired: dict[str, Any] = {}
    renamed: dict[str, str] = {}
    for c in corpus.all(Challenge):
        if c.retired:
            retired[c.id] = {"title": c.title, "status": c.status, "replaced_by": c.replaced_by}
        for source in c.redirect_from:
            folder, _, old_id = source.rpartition("/")
            if folder in ("", Challenge.folder):
                renamed[old_id] = c.id
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "site": {
            "name": site.name,
            "url": site.url,
            "version": site.version,
            "data_sha256": data_sha256(corpus),
        },
        "schema_url": site.schema_url(SCHEMA_NAME),
        "limits": {
            "bytes": MAX_BYTES,
            "name": MAX_NAME,
            "note": MAX_NOTE,
            "link": MAX_LINK,
            "entries": MAX_ENTRIES,
        },
        "patterns": PATTERNS,
        "fields": {
            "assessment": _fields_at([]),
            "corpus": _fields_at(["corpus"]),
            "entry": _fields_at(["challenges", "x"]),
        },
        "statuses": [{"id": s, "icon": ICONS[s], "tint": TINTS[s]} for s in STATUSES],
        "versions": list(VERSIONS),
        "default_table": tables[0]["id"],
        "tables": tables,
        "stages": dict(sorted(stages.items())),
        "steps": dict(sorted(steps.items())),
        "challenges": challenges,
        "case_studies": dict(sorted(cases.items())),
        "solutions": dict(sorted(solutions.items())),
        "lifecycle": {"retired": retired, "renamed": dict(sorted(renamed.items()))},
    }


def report_strings(env: jinja2.Environment) -> dict[str, str]:
    """The interface strings of the page and its reports, in the environment's language."""
    strings: dict[str, str] = json.loads(env.get_template(STRINGS_TEMPLATE).render())
    return strings


def script_json(value: Any) -> str:
    """Compact JSON that is safe inside ``<script type="application/json">`` (and Markdown)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char in "<>&'":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def assess_pages(corpus: Corpus, env: jinja2.Environment, site: Site | None) -> dict[str, str]:
    """The assessment page, keyed by its path under ``docs/``.

    Without ``site`` (tests of the bare renderer), permanent URLs are relative to the root.
    """
    site = site or Site("", "/", "")
    strings = report_strings(env)
    return {
        PAGE: env.get_template("assess.md.j2").render(
            here=PAGE,
            corpus=corpus,
            matrices=matrices(corpus),
            data_json=script_json(page_data(corpus, site)),
            strings_json=script_json(strings),
            strings=strings,
            statuses=STATUSES,
            icons=ICONS,
        )
    }


# Reading a file ---------------------------------------------------------------------------


class AssessmentError(Exception):
    """A file that is not a usable assessment; the message says what is wrong, in one line.

    ``line`` and ``column`` are set for JSON syntax errors (1-based), like a diagnostic.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


def size_problem(size: int, s: Mapping[str, str]) -> AssessmentError | None:
    """The problem with a file of ``size`` bytes, if it is too large to open."""
    if size <= MAX_BYTES:
        return None
    return AssessmentError(fill(s["problem.too_large"], size=_size(size), max=_size(MAX_BYTES)))


def fill(template: str, **values: Any) -> str:
    """Fill ``{name}`` placeholders (the script's ``fill`` does the same)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), template)


def kind_of(value: Any, s: Mapping[str, str]) -> str:
    """What a JSON value is, in words ("text", "a number", ...)."""
    if value is None:
        return s["json.null"]
    if isinstance(value, bool):
        return s["json.boolean"]
    if isinstance(value, int | float):
        return s["json.number"]
    if isinstance(value, str):
        return s["json.text"]
    if isinstance(value, list):
        return s["json.list"]
    return s["json.object"]


def quoted(value: Any, s: Mapping[str, str]) -> str:
    """A value for a message: text as a JSON string, anything else by its kind."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else kind_of(value, s)


def read_assessment(raw: bytes, s: Mapping[str, str]) -> Assessment:
    """Parse and check an assessment file, or say in one line what is wrong with it.

    Checks run in the order of the script's ``validate``: size, JSON, format marker and version,
    then the fields in model order; only the first problem is reported.

    Raises:
        AssessmentError: the file is too large, not JSON, foreign, newer, or invalid.
    """
    if too_large := size_problem(len(raw), s):
        raise too_large
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AssessmentError(s["problem.not_text"]) from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        message = fill(s["problem.not_json"], error=exc.msg)
        raise AssessmentError(message, exc.lineno, exc.colno) from None
    except (ValueError, RecursionError) as exc:  # NaN, Infinity; nesting deeper than Python's stack
        raise AssessmentError(fill(s["problem.not_json"], error=str(exc))) from None
    if not isinstance(data, dict):
        raise AssessmentError(fill(s["problem.not_object"], kind=kind_of(data, s)))
    if data.get("format") != FORMAT:
        raise AssessmentError(
            fill(
                s["problem.foreign"],
                found=quoted(data.get("format"), s),
                expected=quoted(FORMAT, s),
            )
        )
    version = data.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise AssessmentError(fill(s["problem.newer"], found=version, supported=FORMAT_VERSION))
    try:
        return Assessment.model_validate(data)
    except pydantic.ValidationError as exc:
        raise AssessmentError(_problem(exc.errors()[0], s)) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{(n + 1023) // 1024} KB"


_HINTS = {"link": "hint.link", "date": "hint.date", "data_sha256": "hint.sha256"}


def _problem(error: Any, s: Mapping[str, str]) -> str:
    """One pydantic error in the page's words (the script words the same problems alike)."""
    loc = [str(p) for p in error["loc"]]
    kind, value = error["type"], error.get("input")
    if loc[-1:] == ["[key]"]:
        return fill(s["problem.key"], path=".".join(loc[:-1]), found=quoted(loc[-2], s))
    path = ".".join(loc)
    if kind == "extra_forbidden":
        return fill(s["problem.unknown"], path=path, allowed=", ".join(_fields_at(loc[:-1])))
    if kind == "missing":
        return fill(s["problem.missing"], path=path)
    if kind in ("literal_error", "greater_than_equal", "less_than_equal"):
        choices = _choices_at(loc)
        return fill(
            s["problem.choice"], path=path, found=quoted(value, s), expected=", ".join(choices)
        )
    if kind in ("string_pattern_mismatch", "value_error"):
        return fill(
            s["problem.pattern"], path=path, expected=s[_HINTS[loc[-1]]], found=quoted(value, s)
        )
    if kind == "string_too_long":
        limit = error["ctx"]["max_length"]
        return fill(s["problem.too_long"], path=path, n=len(value), max=limit)
    if kind == "too_long":
        limit = error["ctx"]["max_length"]
        return fill(s["problem.too_many"], path=path, n=len(value), max=limit)
    expected = {
        "string_type": "json.text",
        "dict_type": "json.object",
        "model_type": "json.object",
        "int_type": "json.number",
    }.get(kind, "json.other")
    return fill(s["problem.type"], path=path, expected=s[expected], found=kind_of(value, s))


def _model_at(loc: list[str]) -> type[BaseModel]:
    """The model that holds the field at ``loc`` (challenge IDs are skipped)."""
    if not loc:
        return Assessment
    if loc[0] == "corpus":
        return CorpusStamp
    return ChallengeEntry


def _fields_at(loc: list[str]) -> list[str]:
    model = _model_at(loc)
    return [info.alias or name for name, info in model.model_fields.items()]


def _choices_at(loc: list[str]) -> list[str]:
    if loc == ["format_version"]:
        return [str(FORMAT_VERSION)]
    return list(VERSIONS) if loc == ["table_version"] else list(STATUSES)


# Bringing an old file up to date ----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """What happened to one challenge ID of a file whose challenge is no longer current.

    ``kind`` is ``renamed`` (now ``targets[0]``), ``retired`` (its entry now applies to
    ``targets``), ``withdrawn`` (retired with no successor: dropped), ``unknown`` (dropped), or
    ``conflict`` (a target the file already assesses: the file's own entry for it is kept).
    """

    old: str
    kind: str
    targets: tuple[str, ...] = ()


def migrate(assessment: Assessment, data: Mapping[str, Any]) -> tuple[Assessment, list[Change]]:
    """Map the entries of retired or renamed challenges onto the current ones.

    Entries for current challenges are kept as they are and win over mapped ones; the others
    are taken in ID order: a former ID moves to the challenge that now holds it, a retired one
    is copied to each successor, and IDs nobody knows are dropped. Every change is listed.
    """
    live = data["challenges"]
    retired = data["lifecycle"]["retired"]
    renamed = data["lifecycle"]["renamed"]
    kept = {k: v for k, v in assessment.challenges.items() if k in live}
    changes: list[Change] = []
    for old in sorted(k for k in assessment.challenges if k not in live):
        entry = assessment.challenges[old]
        current = renamed.get(old, old)
        if current in live:
            kind, targets = "renamed", [current]
        elif current in retired and retired[current]["replaced_by"]:
            kind, targets = "retired", list(retired[current]["replaced_by"])
        else:
            changes.append(Change(old, "withdrawn" if current in retired else "unknown"))
            continue
        taken = [t for t in targets if t in kept]
        for target in targets:
            kept.setdefault(target, entry)
        changes.append(Change(old, kind, tuple(targets)))
        if taken:
            changes.append(Change(old, "conflict", tuple(taken)))
    if not changes:
        return assessment, []
    ordered = dict(sorted(kept.items()))
    return assessment.model_copy(update={"challenges": ordered}), changes


def describe(change: Change, data: Mapping[str, Any], s: Mapping[str, str]) -> str:
    """A change in words, as the page lists it after an import."""
    retired = data["lifecycle"]["retired"]
    old = change.old
    label = f"“{retired[old]['title']}” ({old})" if old in retired else old
    titles = [f"“{data['challenges'][t]['title']}”" for t in change.targets]
    return fill(s[f"ui.change.{change.kind}"], old=label, new=s["ui.and"].join(titles))
