"""The committed JSON Schema files must match the models (regenerate with ``make schema``)."""

from __future__ import annotations

import json

import jsonschema
import yaml
from conftest import ROOT
from kb.schema import schema_files


def test_committed_json_schema_is_up_to_date() -> None:
    for name, schema in schema_files().items():
        path = ROOT / "data" / "schema" / name
        assert path.is_file(), f"{path} is missing: run make schema"
        committed = json.loads(path.read_text(encoding="utf-8"))
        assert committed == schema, f"{path} is stale: run make schema"


def test_data_files_validate_against_the_exported_schema() -> None:
    for name, schema in schema_files().items():
        folder = ROOT / "data" / name.removesuffix(".schema.json")
        validator = jsonschema.Draft202012Validator(schema)
        for path in sorted(folder.glob("*.yaml")):
            errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
            assert not errors, f"{path}: {errors[0].message}"
