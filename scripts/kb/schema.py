"""JSON Schema of every collection, exported from the models (never edited by hand)."""

from __future__ import annotations

from typing import Any

from kb.models import MODELS
from kb.translations import translation_schemas


def schema_files() -> dict[str, dict[str, Any]]:
    """``{file name: JSON Schema}`` for ``data/schema/``: each collection, and its translations."""
    files = {}
    for model in MODELS:
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{model.folder}.schema.json"
        files[f"{model.folder}.schema.json"] = schema
    return files | translation_schemas()
