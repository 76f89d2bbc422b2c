"""Team assessment without a browser: the file format, ``kb report`` and its golden reports.

The same golden files are checked in chromium by tests/test_assess_browser.py, so the page and the
command line are held to one set of answers. After an intended change of a report or a message,
regenerate the reports with ``KB_UPDATE_GOLDENS=1 .venv/bin/pytest tests/test_assess.py`` and review
the diff (a change of the corpus' titles, case studies or solutions changes them too); the
answers of ``validation.yaml`` are edited by hand.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from assess_helpers import (
    CASES,
    EXTENSIONS,
    FIXTURES,
    INVALID,
    VALIDATION,
    case_bytes,
    kb_report,
)
from conftest import ROOT, SITE_URL, real_corpus
from kb.assess import (
    Assessment,
    AssessmentError,
    Change,
    assessment_schema,
    migrate,
    page_data,
    read_assessment,
    report_strings,
)
from kb.cite import Site, project_version
from kb.render import make_env
from kb.report import csv_cell, render, render_csv

UPDATE = os.environ.get("KB_UPDATE_GOLDENS") == "1"
CONFIG = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
SITE = Site(
    re.search(r"^site_name:\s*(.+)$", CONFIG, re.M)[1],  # type: ignore[index]
    SITE_URL,
    project_version(ROOT),
)
CORPUS = real_corpus()
DATA = page_data(CORPUS, SITE)
STRINGS = report_strings(make_env())
ADDED = [c for s in DATA["additions"] for st in s["steps"] for c in st["challenges"]]
"""The challenges this knowledge base adds beyond Table 1, in the page's order."""


@pytest.mark.parametrize("fmt", EXTENSIONS)
@pytest.mark.parametrize("name", FIXTURES)
def test_kb_report_prints_the_golden_report_of_each_fixture(name: str, fmt: str) -> None:
    result = kb_report(CASES / f"{name}.json", fmt)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    golden = CASES / f"{name}.{EXTENSIONS[fmt]}"
    if UPDATE:
        golden.write_bytes(result.stdout)
    assert result.stdout == golden.read_bytes()


def test_reports_escape_what_the_file_says() -> None:
    md = (CASES / "team.md").read_text(encoding="utf-8")
    html = (CASES / "team.html").read_text(encoding="utf-8")
    csv = (CASES / "team.csv").read_bytes().decode("utf-8")
    # The name holds a pipe, angle brackets and a hash; a note holds Markdown and a line break.
    assert "# Payments ML \\| pre-launch review &lt;v2&gt; \\#3\n" in md
    assert "\\*alerts\\* on \\[PSI\\] &gt; 0.2 \\| see &lt;runbook&gt; and the \\$budget" in md
    assert "<runbook>" not in md
    assert "<runbook>" not in html
    assert "Payments ML | pre-launch review &lt;v2&gt; #3</h1>" in html
    # A link's parentheses and pipe cannot end the Markdown link or the table cell early.
    assert "(https://wiki.example.org/ml/drift_%28retraining%29%7Cplan)" in md
    # A note that a spreadsheet would run as a formula is defused; line breaks stay in CSV.
    assert '"\'=HYPERLINK(""http://attacker.example/"",""click"")"' in csv
    assert "$budget & ~owners~ #ops" in csv
    assert "\nand the" in csv
    assert csv.startswith("\ufeff")
    assert csv.count("\r\n") == 57  # a header, Table 1's 44 challenges, the 12 additions


def test_a_report_lists_assessed_challenges_the_chosen_table_does_not() -> None:
    md = (CASES / "extras.md").read_text(encoding="utf-8")
    extras = md.split("## Assessed, but not in the arXiv 2020 table\n", 1)[1]
    assert "[Privacy-aware training]" in extras.split("## Beyond Table 1")[0]
    assert "[Fairness and accountability]" in extras.split("## Beyond Table 1")[0]
    assert "### [Privacy-aware training]" in extras
    assert "[Concept drift]" not in extras.split("## Beyond Table 1")[0]
    assert "# Untitled assessment\n" in md


def test_the_additions_have_their_own_section_and_counts_and_are_never_extras() -> None:
    """The file assesses two additions: they are listed after Table 1, counted apart from it,
    and a facing one gets what to read next; Table 1's counts and extras leave them out."""
    md = (CASES / "extras.md").read_text(encoding="utf-8")
    head, rest = md.split("\n## Data management\n", 1)
    table1, added = head.split("| Beyond Table 1 |", 1)
    assert "| **Total** | 37 | 0 | 1 | 0 | 0 |" in table1  # the 38 of arXiv 2020, no addition
    assert (
        "[Organisation and process](https://kb.example.org/stages/organisation-and-process/)"
        in (added)
    )
    assert "| 10 | 0 | 0 | 1 | 1 |" in added
    extras = rest.split("## Assessed, but not in the arXiv 2020 table\n", 1)[1]
    extras, beyond = extras.split("## Beyond Table 1\n", 1)
    assert "Model ownership" not in extras
    assert "Unclear requirements" not in extras
    beyond, reading = beyond.split("## Worth reading next\n", 1)
    assert "### Organisation and process\n" in beyond
    row = "| [People, skills and ownership](https://kb.example.org/steps/people-and-ownership/) | "
    row += "[Model ownership in production](https://kb.example.org/challenges/"
    row += "model-ownership-in-production/) | ▲ Facing | Nobody on call for the churn model |  |"
    assert row in beyond
    assert beyond.count("| ○ Not assessed |") == 10
    # What to read next: Table 1's facing challenges first, then the additions'.
    order = re.findall(r"^### \[([^\]]+)\]", reading, re.M)
    assert order == ["Privacy-aware training", "Model ownership in production"]
    solutions = reading.split("### [Model ownership in production]", 1)[1]
    assert "- Solutions: none yet" not in solutions
    csv = (CASES / "extras.csv").read_bytes().decode("utf-8").split("\r\n")
    assert csv[-2].startswith('"Organisation and process","Governance and risk",')
    extra_rows = [r for r in csv if r.startswith('"","",')]
    assert [r.split(",")[3] for r in extra_rows] == [
        '"fairness-and-accountability"',
        '"privacy-aware-training"',
    ]


@pytest.mark.parametrize("fmt", EXTENSIONS)
def test_an_old_file_without_additions_reports_the_same_table_1_part(fmt: str) -> None:
    """team.json predates the additions: its report is the one it had, with the additions'
    summary and section inserted (every other line unchanged, in its place)."""
    before = dict(DATA, additions=[])  # the page data before there were additions
    assessment = read_assessment((CASES / "team.json").read_bytes(), STRINGS)
    assert not set(assessment.challenges) & set(ADDED)
    old = render(assessment, before, STRINGS, fmt).splitlines()
    new = render(assessment, DATA, STRINGS, fmt).splitlines()
    ops = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    assert {op for op, *_ in ops} == {"equal", "insert"}
    inserted = [line for op, _, _, j1, j2 in ops if op == "insert" for line in new[j1:j2]]
    summary_rows = {"md": 1, "html": 1, "csv": 0}[fmt]  # a CSV report has no summary
    assert sum("stages/organisation-and-process" in line for line in inserted) == summary_rows
    assert sum("challenges/" in line for line in inserted) == len(ADDED)
    assert (CASES / f"team.{EXTENSIONS[fmt]}").read_text(encoding="utf-8").splitlines() == new


@pytest.mark.parametrize("name", FIXTURES)
def test_fixtures_validate_against_the_published_schema(name: str) -> None:
    schema = assessment_schema(SITE)
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(document)) == []


def test_the_schema_refuses_what_the_readers_refuse() -> None:
    validator = jsonschema.Draft202012Validator(assessment_schema(SITE))
    # Beyond a schema: the calendar (30 February, year 0), a file size, lone surrogates; and
    # Python's re, which lets $ match before a final line feed (JSON Schema means ECMA-262's).
    beyond = {
        "impossible-date.json",
        "year-zero.json",
        "too-large.json",
        "lone-surrogate-note.json",
        "date-with-line-feed.json",
    }
    checked = 0
    for case in INVALID:
        try:
            document = json.loads(case_bytes(case))
        except ValueError:
            continue
        if case["name"] in beyond or not isinstance(document, dict):
            continue
        assert list(validator.iter_errors(document)), case["name"]
        checked += 1
    assert checked >= 15


@pytest.mark.parametrize("case", VALIDATION, ids=lambda c: c["name"])
def test_each_case_of_the_validation_table_gets_its_answer(case: dict[str, Any]) -> None:
    """The Python half of the one validation table (the page's half: test_assess_browser.py)."""
    if "message" in case:
        with pytest.raises(AssessmentError) as info:
            read_assessment(case_bytes(case), STRINGS)
        got = str(info.value)
        assert got == case["message"]
        assert "\n" not in got
        assert (info.value.line, info.value.column) == (case.get("line"), case.get("column"))
        return
    assert case["accepted"] is True
    assessment = read_assessment(case_bytes(case), STRINGS)
    if "csv" in case:
        note_cell = '"' + case["csv"] + '"'
        url = DATA["challenges"]["concept-drift"]["url"]
        csv = render_csv(assessment, DATA, STRINGS)
        assert f'"concept-drift","{url}","Facing",{note_cell},' in csv
        assert csv_cell(assessment.challenges["concept-drift"].note) == note_cell


def test_kb_report_gives_the_tables_message_whatever_the_file_is_called(tmp_path: Path) -> None:
    case = next(c for c in VALIDATION if c["name"] == "{constructor}.json")
    path = tmp_path / case["name"]
    path.write_bytes(case_bytes(case))
    result = kb_report(path)
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr.decode().splitlines() == [f"{path}: {case['message']}"]


def test_kb_report_on_a_bad_file_prints_one_line_and_exits_1(tmp_path: Path) -> None:
    files = {
        "truncated.json": b'{"format": "deploying-ml-kb-assessment", ',
        "geojson.json": b'{"type": "FeatureCollection"}',
        "huge.json": b" " * (1024 * 1024 + 1),
    }
    expected = {
        "truncated.json": ":1:42: not valid JSON "
        "(Expecting property name enclosed in double quotes)",
        "geojson.json": ": not an assessment file of this knowledge base (format is null, "
        'expected "deploying-ml-kb-assessment")',
        "huge.json": ": the file is too large (1.0 MB; an assessment file is at most 1.0 MB)",
        "missing.json": ": cannot read the file (No such file or directory)",
        ".": ": cannot read the file (Is a directory)",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    for name, message in expected.items():
        path = tmp_path / name
        result = kb_report(path)
        assert result.returncode == 1, name
        assert result.stdout == b""
        assert result.stderr.decode().splitlines() == [f"{path}{message}"]


def test_kb_report_maps_a_renamed_challenge_and_says_so(tmp_path: Path) -> None:
    old = json.loads((CASES / "extras.json").read_text(encoding="utf-8"))
    old["table_version"] = "acm_2022"
    old["challenges"] = {
        "hardware-aware-optimisation": {"status": "watching", "note": "Pruning for phones"},
        "no-longer-a-challenge": {"status": "facing"},
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    result = kb_report(path)
    assert result.returncode == 0
    assert result.stderr.decode().splitlines() == [
        f"{path}: hardware-aware-optimisation is now “Hardware-aware optimization”: its entry "
        "was moved there.",
        f"{path}: no-longer-a-challenge is not a challenge of this knowledge base: its entry was "
        "dropped.",
    ]
    row = f"[Hardware-aware optimization]({SITE_URL}challenges/"
    row += "hardware-aware-optimization/) | ◐ Watching | Pruning for phones |  |"
    assert row in result.stdout.decode()


LIFECYCLE_DATA: dict[str, Any] = {
    "challenges": {c: {} for c in ("kept", "merged-into", "half-a", "half-b", "renamed-now")},
    "lifecycle": {
        "retired": {
            "merged-away": {"title": "Merged away", "replaced_by": ["merged-into"]},
            "split-up": {"title": "Split up", "replaced_by": ["half-a", "half-b"]},
            "withdrawn": {"title": "Withdrawn", "replaced_by": []},
        },
        "renamed": {"old-name": "renamed-now", "older-name": "merged-away"},
    },
}


def test_migrate_maps_renamed_and_retired_entries_and_lists_every_change() -> None:
    assessment = Assessment.model_validate(
        {
            "format": "deploying-ml-kb-assessment",
            "format_version": 1,
            "corpus": {"version": "0.0.1", "data_sha256": "1" * 64},
            "table_version": "acm_2022",
            "challenges": {
                "kept": {"status": "mitigated"},
                "half-a": {"status": "watching", "note": "set by hand"},
                "split-up": {"status": "facing", "note": "old"},
                "old-name": {"status": "not-relevant"},
                "older-name": {"status": "facing", "link": "https://wiki.example.org/x"},
                "withdrawn": {"status": "facing"},
                "never-existed": {"status": "facing"},
            },
        }
    )
    migrated, changes = migrate(assessment, LIFECYCLE_DATA)
    entries = {k: (v.status, v.note) for k, v in migrated.challenges.items()}
    assert entries == {
        "half-a": ("watching", "set by hand"),  # the file's own entry wins over a mapped one
        "half-b": ("facing", "old"),
        "kept": ("mitigated", ""),
        "merged-into": ("facing", ""),  # a former ID of a retired entry reaches its successor
        "renamed-now": ("not-relevant", ""),
    }
    assert list(migrated.challenges) == sorted(migrated.challenges)
    assert changes == [
        Change("never-existed", "unknown"),
        Change("old-name", "renamed", ("renamed-now",)),
        Change("older-name", "retired", ("merged-into",)),
        Change("split-up", "retired", ("half-a", "half-b")),
        Change("split-up", "conflict", ("half-a",)),
        Change("withdrawn", "withdrawn"),
    ]
    unchanged, none = migrate(migrated, LIFECYCLE_DATA)
    assert (unchanged, none) == (migrated, [])


def test_page_data_has_both_tables_permanent_urls_and_the_lifecycle_map() -> None:
    tables = {t["id"]: t for t in DATA["tables"]}
    assert list(tables) == ["acm_2022", "arxiv_2020"]
    assert DATA["default_table"] == "acm_2022"
    listed = {
        v: [c for stage in t["stages"] for step in stage["steps"] for c in step["challenges"]]
        for v, t in tables.items()
    }
    assert (len(listed["acm_2022"]), len(listed["arxiv_2020"])) == (44, 38)
    # The additions, apart from Table 1: every live challenge is in one or the other.
    assert len(ADDED) == 12
    assert not set(ADDED) & (set(listed["acm_2022"]) | set(listed["arxiv_2020"]))
    assert set(listed["acm_2022"]) | set(ADDED) == set(DATA["challenges"])
    assert [s["id"] for s in DATA["additions"]] == ["organisation-and-process"]
    steps = [st["id"] for st in DATA["additions"][0]["steps"]]
    assert steps == [
        "collaboration",
        "requirements-and-value",
        "people-and-ownership",
        "governance-and-risk",
    ]
    assert DATA["stages"]["organisation-and-process"]["url"] == (
        f"{SITE_URL}stages/organisation-and-process/"
    )
    assert set(steps) <= set(DATA["steps"])
    drift = DATA["challenges"]["concept-drift"]
    assert drift["url"] == f"{SITE_URL}challenges/concept-drift/"
    assert "bank-client-drift-2008-crisis" in drift["case_studies"]
    assert DATA["solutions"]["alibi-detect"]["kind"] == "tool"
    assert DATA["lifecycle"]["renamed"]["hardware-aware-optimisation"] == (
        "hardware-aware-optimization"
    )
    assert re.fullmatch("[0-9a-f]{64}", DATA["site"]["data_sha256"])
    assert [f["name"] for f in DATA["rules"]["fields"]][:2] == ["$schema", "format"]
    assert set(DATA["patterns"]) >= {"link", "formula", "unseen"}


@pytest.mark.slow
def test_the_page_embeds_the_data_kb_report_reads(built_site: Path) -> None:
    html = (built_site / "assess" / "index.html").read_text(encoding="utf-8")
    found = {}
    for name in ("data", "strings"):
        match = re.search(
            rf'<script type="application/json" id="kb-assess-{name}">([^<]*)</script>', html
        )
        assert match, name
        found[name] = json.loads(match.group(1))
    assert found["data"] == DATA
    assert found["strings"] == STRINGS
    # Without JavaScript the page still lists every challenge of each version, linked, and
    # after them, once, the additions beyond Table 1 with their origin label.
    page = html.split('<div class="kb-assess-additions">', 1)
    assert len(page) == 2
    for table in DATA["tables"]:
        start = f'<div class="kb-assess-table" data-version="{table["id"]}"'
        section = page[0].split(start, 1)[1].split('class="kb-assess-table"', 1)[0]
        ids = re.findall(r'data-challenge="([a-z0-9-]+)"', section)
        assert ids == [c for s in table["stages"] for st in s["steps"] for c in st["challenges"]]
        assert 'href="../challenges/concept-drift/"' in section
    added = page[1].split("</article>", 1)[0]
    assert re.findall(r'data-challenge="([a-z0-9-]+)"', added) == ADDED
    assert re.search(r'<h2 [^>]*id="beyond-table-1">Beyond Table 1<', added)
    assert '<span class="kb-origin kb-origin--kb">Added by this knowledge base</span>' in added
    assert 'href="../stages/organisation-and-process/"' in added
    assert 'href="../challenges/model-ownership-in-production/"' in added


@pytest.mark.slow
def test_the_published_schema_is_the_models(built_site: Path) -> None:
    published = json.loads((built_site / "api" / "schema" / "assessment.schema.json").read_text())
    assert published == assessment_schema(SITE)
    assert published["$id"] == DATA["schema_url"]


@pytest.mark.slow
def test_assess_page_is_in_the_nav_and_the_ledger(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="assess/" class="md-tabs__link">\s*Assess\s*</a>', home)
    assert "/assess/: {kind: index}" in (ROOT / "data" / "ledger.yaml").read_text("utf-8")


def test_kb_report_reads_only_the_translations_of_its_language(
    mini_data: Path, tmp_path: Path
) -> None:
    """A broken Japanese file does not block an English report; the Japanese one says where it
    is broken, with status 1 and no traceback."""
    broken = mini_data / "ja" / "challenges" / "data-discovery.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("id: data-discovery\ntitle: [unclosed\n", encoding="utf-8")
    path = tmp_path / "team.json"
    path.write_text(
        json.dumps(
            {
                "format": "deploying-ml-kb-assessment",
                "format_version": 1,
                "corpus": {"version": "0.1.0", "data_sha256": "0" * 64},
                "table_version": "acm_2022",
                "challenges": {"data-discovery": {"status": "facing"}},
            }
        ),
        encoding="utf-8",
    )
    command = [sys.executable, str(ROOT / "scripts" / "build.py"), "--data", str(mini_data)]
    english = subprocess.run([*command, "report", str(path)], capture_output=True, text=True)
    assert english.returncode == 0, english.stderr
    assert "Data discovery" in english.stdout
    japanese = subprocess.run(
        [*command, "report", str(path), "--lang", "ja"], capture_output=True, text=True
    )
    assert japanese.returncode == 1
    assert "Traceback" not in japanese.stderr
    assert re.search(r"ja/challenges/data-discovery\.yaml:\d+:\d+: ", japanese.stderr), (
        japanese.stderr
    )
