"""The assessment file: its format (pydantic models), its rules, and reading one.

The models are the one declaration of the format: its JSON Schema is published
(``api/schema/assessment.schema.json``), and :func:`rules`, derived from that schema, goes into the
page's data, where ``kb-assess-core.js`` walks it exactly as :func:`check` does here. So the page
and ``kb report`` accept the same files and word the same problems alike; the one table of cases
``tests/cases/assess/validation.yaml`` holds both to it. Nothing here imports MkDocs.
"""

from __future__ import annotations

import json
import math
import re
import typing
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

import pydantic
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from kb.models import Slug, Version

FORMAT = "deploying-ml-kb-assessment"
"""The marker that tells an assessment file of this knowledge base from any other JSON."""

FORMAT_VERSION = 1
"""The version of the file format this code writes and reads (older ones are read too)."""

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

# Characters that end a link: every white space, control and invisible formatting character of
# Unicode, spelled out (\\s is not the same set in JavaScript, Python and pydantic's Rust engine:
# U+0085 and U+FEFF differ), and those that end a Markdown link or start HTML.
_UNSEEN = r"\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff"
_BLANKS = rf"\u0000-\u0020{_UNSEEN}"
_LINK_CHARS = rf"[^{_BLANKS}<>\"'`\[\]{{}}\\]+"

PATTERNS: dict[str, str] = {
    "id": r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "link": rf"^https?://{_LINK_CHARS}$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "sha256": r"^[0-9a-f]{64}$",
    # A CSV cell a spreadsheet would run as a formula: = + - @ (or their full-width forms, which
    # Japanese input methods type) after any leading blanks, or a leading tab or carriage return.
    "formula": rf"^(?:[\t\r]|[{_BLANKS}]*[=+\-@\uff1d\uff0b\uff0d\uff20])",
    # What a message escapes (lone surrogates aside, which each language finds its own way).
    "unseen": rf"[\u0000-\u001f{_UNSEEN}]",
}
"""Regular expressions shared with the script, emitted into the page. Written only with what means
the same in Python's re, pydantic's Rust engine and JavaScript: literal characters, ``\\uXXXX``
escapes, classes, ``^`` and ``$`` (no ``\\s``, ``\\d``, ``\\w``, ``.`` or flags)."""


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
    Field(description="A calendar date, YYYY-MM-DD.", json_schema_extra={"format": "date"}),
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


# Reading a file -------------------------------------------------------------------------


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


# What a message shows of a text: the characters that would not show, or would break the line or
# the output, as JSON escapes (a lone surrogate cannot even be printed). The script's twin:
# hiddenChars in kb-assess-core.js, built from the same pattern.
_HIDDEN = rf"\u0000-\u001f{_UNSEEN}\ud800-\udfff"  # every blank but the space; lone surrogates
_INVISIBLE = re.compile(f"[{_HIDDEN}]")
_QUOTED = re.compile(f'["\\\\{_HIDDEN}]')
_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a pair decodes to one code point in Python


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT.get(char, f"\\u{ord(char):04x}")


def shown(text: str) -> str:
    """A key as a message shows it in a path: what would not show is escaped."""
    return _INVISIBLE.sub(_escape, text)


def number_text(value: float) -> str | None:
    """A number as both languages write it, or None where their notations differ."""
    if isinstance(value, int):
        return str(value) if abs(value) <= 2**53 else None
    return repr(value) if math.isfinite(value) and 1e-4 <= abs(value) < 1e16 else None


def quoted(value: Any, s: Mapping[str, str]) -> str:
    """A value for a message: text in quotes, escaped like JSON; a number; else its kind."""
    if isinstance(value, str):
        return '"' + _QUOTED.sub(_escape, value) + '"'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_text(value) or kind_of(value, s)
    return kind_of(value, s)


def read_assessment(raw: bytes, s: Mapping[str, str]) -> Assessment:
    """Parse and check an assessment file, or say in one line what is wrong with it.

    The twin of the script's ``readAssessment``: size, text, JSON (read as JavaScript reads it),
    format marker and version, then :func:`check` against :func:`rules`; only the first problem
    is reported, in the same words on the page and on the command line.

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
        data = json.loads(
            text,
            object_pairs_hook=_js_object,
            parse_float=_js_number,
            parse_int=_js_number,
            parse_constant=_no_constant,
        )
    except json.JSONDecodeError as exc:
        message = fill(s["problem.not_json"], error=exc.msg)
        raise AssessmentError(message, exc.lineno, exc.colno) from None
    except (ValueError, RecursionError) as exc:  # NaN, Infinity; nesting deeper than Python's stack
        raise AssessmentError(fill(s["problem.not_json"], error=str(exc))) from None
    if not isinstance(data, dict):
        raise AssessmentError(fill(s["problem.not_object"], kind=kind_of(data, s)))
    if data.get("format") != FORMAT:
        found = quoted(data.get("format"), s)
        raise AssessmentError(fill(s["problem.foreign"], found=found, expected=quoted(FORMAT, s)))
    version = data.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        found = number_text(version) or kind_of(version, s)
        raise AssessmentError(fill(s["problem.newer"], found=found, supported=FORMAT_VERSION))
    if problem := check(data, rules(), "", s):
        raise AssessmentError(problem)
    try:
        return Assessment.model_validate(data)
    except (
        pydantic.ValidationError
    ) as exc:  # the rules and the models disagree: a bug, said plainly
        error = exc.errors()[0]
        where = ".".join(shown(str(p)) for p in error["loc"])
        raise AssessmentError(f"{where}: {error['msg']}") from None


def _js_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object with its keys in JavaScript's order: array indices first, in numeric order."""
    found = dict(pairs)  # a repeated key keeps its first place and its last value, as in JS
    indices = sorted((k for k in found if _is_index(k)), key=int)
    return {k: found[k] for k in [*indices, *(k for k in found if not _is_index(k))]}


def _is_index(key: str) -> bool:
    return key.isascii() and key.isdigit() and str(int(key)) == key and int(key) < 2**32 - 1


def _js_number(text: str) -> int | float:
    """A JSON number as JavaScript holds it (a double), an int where it is whole."""
    value = float(text)
    return int(value) if value.is_integer() else value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{(n + 1023) // 1024} KB"


# The rules: one declaration (the models), read by the page and by read_assessment ----------


def rules() -> dict[str, Any]:
    """The rules of an assessment file, derived from the models' JSON Schema.

    The page gets them in its data; :func:`check` and the script's ``check`` walk them the same
    way, so both accept the same files and word the same problems alike. A rule is an
    ``object`` (``fields`` in the models' order), ``entries`` (a map with a ``key`` rule), a
    ``choice``, an ``integer`` (``min`` to ``max``) or ``text`` (``max`` characters, a
    ``pattern`` of :data:`PATTERNS`, a ``calendar`` date); ``nullable`` where null is allowed.
    """
    schema = Assessment.model_json_schema(by_alias=True)
    return _rule(schema, schema["$defs"])


def _rule(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in node:
        (real,) = [n for n in node["anyOf"] if n.get("type") != "null"]
        return {**_rule(real, defs), "nullable": True}
    if "const" in node or "enum" in node:
        return {"type": "choice", "choices": node.get("enum", [node.get("const")])}
    if node["type"] == "string":
        rule: dict[str, Any] = {"type": "text"}
        if "maxLength" in node:
            rule["max"] = node["maxLength"]
        if "pattern" in node:
            rule["pattern"] = _PATTERN_NAMES[node["pattern"]]
        if node.get("format") == "date":
            rule["calendar"] = True
        return rule
    if node["type"] == "integer":
        return {"type": "integer", "min": node["minimum"], "max": node["maximum"]}
    if "patternProperties" in node:
        ((key, entry),) = node["patternProperties"].items()
        return {
            "type": "entries",
            "key": {"pattern": _PATTERN_NAMES[key], "max": node["propertyNames"]["maxLength"]},
            "max": node["maxProperties"],
            "entry": _rule(entry, defs),
        }
    required = node.get("required", [])
    fields = [
        {"name": k, "required": k in required, **_rule(v, defs)}
        for k, v in node["properties"].items()
    ]
    return {"type": "object", "fields": fields}


_PATTERN_NAMES = {pattern: name for name, pattern in PATTERNS.items()}
# Python's $ also matches before a final line feed; JavaScript's and pydantic's do not.
_COMPILED = {n: re.compile(p[:-1] + r"\Z" if p.endswith("$") else p) for n, p in PATTERNS.items()}


def check(value: Any, rule: Mapping[str, Any], path: str, s: Mapping[str, str]) -> str | None:
    """The first problem of ``value`` under ``rule`` (see :func:`rules`), in words, or None.

    The twin of the script's ``check``, line for line: change both together.
    """
    if value is None and rule.get("nullable"):
        return None
    kind = rule["type"]
    if kind == "object":
        if not isinstance(value, dict):
            return _type(value, path, "json.object", s)
        prefix = path + "." if path else ""
        names = [f["name"] for f in rule["fields"]]
        for field in rule["fields"]:
            name = field["name"]
            if name not in value:
                if field["required"]:
                    return fill(s["problem.missing"], path=prefix + name)
                continue
            if problem := check(value[name], field, prefix + name, s):
                return problem
        for key in value:
            if key not in names:
                return fill(
                    s["problem.unknown"], path=prefix + shown(key), allowed=", ".join(names)
                )
        return None
    if kind == "entries":
        if not isinstance(value, dict):
            return _type(value, path, "json.object", s)
        for key, entry in value.items():
            at = f"{path}.{shown(key)}"
            if len(key) > rule["key"]["max"] or not _COMPILED[rule["key"]["pattern"]].match(key):
                return fill(s["problem.key"], path=at, found=quoted(key, s))
            if problem := check(entry, rule["entry"], at, s):
                return problem
        if len(value) > rule["max"]:
            return fill(s["problem.too_many"], path=path, n=len(value), max=rule["max"])
        return None
    if kind == "choice":
        if isinstance(value, str) and value in rule["choices"]:
            return None
        return _choice(value, path, rule["choices"], s)
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _type(value, path, "json.integer", s)
        if isinstance(value, int) and rule["min"] <= value <= rule["max"]:
            return None
        return _choice(value, path, list(range(rule["min"], rule["max"] + 1)), s)
    if not isinstance(value, str):
        return _type(value, path, "json.text", s)
    if _LONE_SURROGATE.search(value):
        return fill(s["problem.surrogate"], path=path, found=quoted(value, s))
    if "max" in rule and len(value) > rule["max"]:
        return fill(s["problem.too_long"], path=path, n=len(value), max=rule["max"])
    pattern = rule.get("pattern")
    refused = pattern and not _COMPILED[pattern].match(value)
    if refused or (rule.get("calendar") and not _day(value)):
        hint = s[f"hint.{pattern}"]
        return fill(s["problem.pattern"], path=path, expected=hint, found=quoted(value, s))
    return None


def _type(value: Any, path: str, expected: str, s: Mapping[str, str]) -> str:
    return fill(s["problem.type"], path=path, expected=s[expected], found=kind_of(value, s))


def _choice(value: Any, path: str, choices: list[Any], s: Mapping[str, str]) -> str:
    expected = ", ".join(str(c) for c in choices)
    return fill(s["problem.choice"], path=path, found=quoted(value, s), expected=expected)


def _day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
