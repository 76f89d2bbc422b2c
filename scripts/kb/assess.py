"""Team assessment: the data of the ``/assess/`` page, and bringing an old file up to date.

A team marks each challenge of Table 1, and each challenge this knowledge base adds beside it
(origin ``kb``, in no version of Table 1), with a status from a fixed scale, a note and a link
to its own page; the page (``assess.md.j2`` + ``kb-assess.js``) keeps all of it in the
browser, and ``kb report`` renders the same reports offline (``kb/report.py``). Both sides read
the same inputs: :func:`page_data` (embedded in the page as JSON) and the interface strings of
``assess-strings.json.j2`` (rendered with ``_()``, so a second language is data). The script
mirrors :func:`migrate` step by step, and reads files by the rules of ``kb/assess_file.py`` (the
file format, declared once; its names are re-exported here); golden files under
``tests/cases/assess/`` hold both implementations to the same answers. Nothing here imports
MkDocs or reads the clock.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2

from kb.assess_file import FORMAT as FORMAT
from kb.assess_file import FORMAT_VERSION as FORMAT_VERSION
from kb.assess_file import MAX_BYTES as MAX_BYTES
from kb.assess_file import MAX_ENTRIES as MAX_ENTRIES
from kb.assess_file import MAX_LINK as MAX_LINK
from kb.assess_file import MAX_NAME as MAX_NAME
from kb.assess_file import MAX_NOTE as MAX_NOTE
from kb.assess_file import PATTERNS as PATTERNS
from kb.assess_file import STATUSES as STATUSES
from kb.assess_file import Assessment as Assessment
from kb.assess_file import AssessmentError as AssessmentError
from kb.assess_file import ChallengeEntry as ChallengeEntry
from kb.assess_file import fill as fill
from kb.assess_file import read_assessment as read_assessment
from kb.assess_file import rules as rules
from kb.assess_file import size_problem as size_problem
from kb.cite import Site
from kb.corpus import Corpus
from kb.export import data_sha256
from kb.find import MatrixGroup, additions_matrix, matrices
from kb.models import VERSIONS, CaseStudy, Challenge, Solution

PAGE = "assess.md"
SCHEMA_NAME = "assessment.schema.json"
STRINGS_TEMPLATE = "assess-strings.json.j2"

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

    Both versions of Table 1 (stages, steps, challenges), the challenges this knowledge base adds
    beside it (``additions``, in the same shape as a table's stages: they are in every report,
    whichever version is chosen), permanent URLs, the case studies and solutions of each
    challenge, and the lifecycle map that brings old files up to date: a retired challenge's
    successors (``replaced_by``) and former IDs (``redirect_from``).
    """

    def ref(entity: Any, **extra: Any) -> dict[str, Any]:
        return {"title": entity.title, "url": site.page_url(entity), **extra}

    def layout(groups: list[MatrixGroup]) -> list[dict[str, Any]]:
        return [
            {
                "id": group.stage.id,
                "steps": [
                    {"id": col.step.id, "challenges": [e.challenge.id for e in col.entries]}
                    for col in group.columns
                ],
            }
            for group in groups
        ]

    tables = [
        {"id": mx.version, "label": mx.label, "stages": layout(mx.groups)}
        for mx in matrices(corpus)
    ]
    additions = additions_matrix(corpus)
    stages, steps = {}, {}
    for groups in [*(mx.groups for mx in matrices(corpus)), additions]:
        for group in groups:
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
        "rules": rules(),
        "statuses": [{"id": s, "icon": ICONS[s], "tint": TINTS[s]} for s in STATUSES],
        "versions": list(VERSIONS),
        "default_table": tables[0]["id"],
        "tables": tables,
        "additions": layout(additions),
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
            additions=additions_matrix(corpus),
            data_json=script_json(page_data(corpus, site)),
            strings_json=script_json(strings),
            strings=strings,
            statuses=STATUSES,
            icons=ICONS,
        )
    }


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
