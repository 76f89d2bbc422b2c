"""The GitHub issue forms and the pull-request template: valid, and mapped onto the schema.

Each form is checked against SchemaStore's issue-forms schema (vendored in ``tests/vendor``, so
the check runs offline); broken copies must fail it. Then the mapping: the fields of "propose a
case study" are named after the case-study YAML keys, with the model's own choices, and "report
an error" has the ``entry`` field that every entry page's link fills in.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT
from kb.models import CaseStudy, Confidence, Provenance, RefTo, Version

TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"
VENDOR = Path(__file__).parent / "vendor" / "schemastore"
FORMS = sorted(p for p in TEMPLATES.glob("*.yml") if p.name != "config.yml")
FORM_SCHEMA = json.loads((VENDOR / "github-issue-forms.json").read_text(encoding="utf-8"))
CONFIG_SCHEMA = json.loads((VENDOR / "github-issue-config.json").read_text(encoding="utf-8"))


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def errors(document: Any, schema: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return sorted(
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in validator.iter_errors(document)
    )


def fields(form: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The form's inputs by id (markdown blocks have none)."""
    return {item["id"]: item for item in form["body"] if "id" in item}


def test_vendored_schemas_are_the_recorded_files() -> None:
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    recorded = dict(
        (name, digest) for digest, name in re.findall(r"sha256 ([0-9a-f]{64})  (\S+)", readme)
    )
    assert set(recorded) == {p.name for p in VENDOR.glob("*.json")}
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_the_two_forms_exist() -> None:
    assert [p.name for p in FORMS] == ["propose-case-study.yml", "report-error.yml"]


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_issue_form_is_valid_against_the_github_schema(path: Path) -> None:
    assert errors(load(path), FORM_SCHEMA) == []


def test_issue_chooser_config_is_valid_and_points_at_the_contributing_page() -> None:
    config = load(TEMPLATES / "config.yml")
    assert errors(config, CONFIG_SCHEMA) == []
    assert [link["url"].rsplit("/", 2)[-2] for link in config["contact_links"]] == ["contributing"]


BROKEN = {
    "no-name": (lambda f: f.pop("name"), "<root>"),
    "no-body": (lambda f: f.pop("body"), "<root>"),
    "unknown-field-type": (lambda f: f["body"][1].update(type="text"), "body/1"),
    "id-with-spaces": (lambda f: f["body"][1].update(id="the entry"), "body/1"),
    "input-without-label": (lambda f: f["body"][1]["attributes"].pop("label"), "body/1"),
    "dropdown-without-options": (
        lambda f: next(i for i in f["body"] if i["type"] == "dropdown")["attributes"].pop(
            "options"
        ),
        "body/",
    ),
    "required-not-a-boolean": (
        lambda f: f["body"][1]["validations"].update(required="yes"),
        "body/1",
    ),
    "unknown-top-level-key": (lambda f: f.update(labelz=["bug"]), "<root>"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_schema_check_rejects_a_broken_form(name: str) -> None:
    mutate, where = BROKEN[name]
    form = copy.deepcopy(load(TEMPLATES / "report-error.yml"))
    mutate(form)
    found = errors(form, FORM_SCHEMA)
    assert found, "the broken form passed the schema check"
    assert any(e.startswith(where) for e in found), found


def vocabulary(annotation: Any) -> set[str]:
    """The closed set of values of a Literal field (inside lists and optionals)."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return set(args)
    return set().union(*(vocabulary(a) for a in args)) if args else set()


def choices(name: str) -> set[str]:
    """What a case-study field may hold: its Literal values, or the IDs of the collection it
    points at (a dropdown of industries stays right whether they are a vocabulary or entries)."""
    info = CaseStudy.model_fields[name]
    target = next((m for m in info.metadata if isinstance(m, RefTo)), None)
    if target is not None:
        return {p.stem for p in (ROOT / "data" / target.folder).glob("*.yaml")}
    return vocabulary(info.annotation)


def test_case_study_form_fields_are_named_after_the_yaml_keys_with_their_choices() -> None:
    form = fields(load(TEMPLATES / "propose-case-study.yml"))
    model = CaseStudy.model_fields
    unknown = set(form) - set(model)
    assert not unknown, f"form fields that are not case-study keys: {sorted(unknown)}"
    required = {n for n, f in model.items() if f.is_required()} - {"id"}
    assert required <= set(form), f"missing: {sorted(required - set(form))}"
    for name, item in form.items():
        if item["type"] == "dropdown":
            assert set(item["attributes"]["options"]) == choices(name), name
        if item["type"] == "checkboxes":
            labels = [o["label"].split(":")[0] for o in item["attributes"]["options"]]
            assert set(labels) == choices(name), name
    assert vocabulary(model["versions"].annotation) == set(typing.get_args(Version))


def test_report_form_has_the_entry_field_and_the_confidence_levels() -> None:
    form = fields(load(TEMPLATES / "report-error.yml"))
    assert form["entry"]["type"] == "input"
    assert form["entry"]["validations"]["required"] is True
    assert re.fullmatch(r"[a-z-]+/[a-z0-9-]+", form["entry"]["attributes"]["placeholder"])
    confidence = Provenance.model_fields["confidence"].annotation
    assert set(form["provenance"]["attributes"]["options"]) == set(typing.get_args(confidence))
    assert set(typing.get_args(confidence)) == set(typing.get_args(Confidence))
    assert form["source"]["validations"]["required"] is True


def test_pull_request_template_holds_the_review_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+(?:\n {6}.+)*)", text, re.MULTILINE)
    joined = " ".join(" ".join(i.split()) for i in items)
    for needed in ("DOI or URL", "`provenance`", "own words", "`make check`", "`make ledger`"):
        assert needed in joined, needed
