"""Open data: the corpus as JSON, CSV, JSON Schema and BibTeX files under ``api/``.

``export_files(corpus, site)`` returns ``{path under the site: bytes}``; the MkDocs hook adds them
to the build and the CLI writes them beside the pages. The shape of the JSON is declared once, as
the pydantic models below, and their JSON Schema is published next to the data
(``api/schema/``); nothing here is written by hand.

Output is deterministic: keys sorted, entries in display order, no timestamps. ``version`` is
the project version from ``pyproject.toml`` (what CITATION.cff and the citations quote);
``data_sha256`` is a hash of every entity's fields, which changes whenever the data does.
"""

from __future__ import annotations

import copy
import csv
import functools
import hashlib
import io
import json
import typing
from collections import defaultdict
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model

from kb.cite import Site, bibtex
from kb.corpus import Corpus, Ref
from kb.models import MODELS, Challenge, Entity, Reference, Slug, Step, Strict
from kb.schema import schema_files
from kb.translations import Language

M = TypeVar("M", bound=Entity)

FOLDERS: tuple[str, ...] = tuple(model.folder for model in MODELS)
Folder = Literal[FOLDERS]  # type: ignore[valid-type]

FORMAT_VERSION = 4
"""Version of the shape of the JSON documents under ``api/``; it changes when a field is renamed,
removed or changes type, or a required key is added (adding a collection keeps it). History:

- 1: the first published shape (documents carried no ``format_version``);
- 2: case studies list ``industries`` (IDs of the new ``industries`` collection, primary first)
  instead of one ``industry``; a tool's ``homepage`` moved into its sourced ``tool`` facts;
- 3: every entry carries ``translations``: its text in the other editions (Japanese), beside the
  English ``data``. Nothing was renamed or removed; a strict reader of format 2 rejects the new key;
- 4: every entry says its ``origin`` (``survey``, or ``kb`` for an addition of this knowledge base);
  an addition has no survey placement: a challenge gives its ``step`` instead of ``placements``, a
  stage or step has no ``sections``, a case study or solution lists no ``versions``.
"""

FormatVersion = Literal[4]

CSV_LIST_SEPARATOR = "\n"
"""List cells of the CSV files hold one item per line (items may contain commas and ';')."""


class _Export(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Link(_Export):
    """A relation between two entries, resolved to the other entry's URLs."""

    field: str = Field(
        description="The field that holds the relation, in the entry that declares it "
        "(dotted for nested fields, e.g. placements.acm_2022)."
    )
    collection: Folder = Field(description="The other entry's collection.")
    id: Slug = Field(description="The other entry's ID.")
    title: str = Field(description="The other entry's title.")
    url: str = Field(description="The other entry's page.")
    api_url: str = Field(description="The other entry's JSON document.")


class EntryTranslation(_Export):
    """An entry's text in another edition of the site."""

    state: Literal["translated", "stale", "partial", "missing"] = Field(
        description="translated; stale (the English changed since); partial (some fields still "
        "English); missing (no translation: the page shows the English)."
    )
    url: str = Field(description="The entry's page in that edition.")
    text: dict[str, str | list[str]] = Field(
        description="Translated text by dotted field path (summary, provenance.note, "
        "tool.licence.note…); a field absent here is shown in English."
    )


class Entry(_Export, Generic[M]):
    """One entry: its fields exactly as in the YAML, plus resolved relations and backlinks."""

    collection: Folder = Field(description="The collection (folder of data/) of the entry.")
    id: Slug = Field(description="The permanent ID of the entry.")
    url: str = Field(description="The permanent URL of the entry's page.")
    api_url: str = Field(description="The URL of this entry's JSON document.")
    stage: Slug | None = Field(
        description="The workflow stage: a step's stage, or a challenge's stage in the newest "
        "version of Table 1; null for other entries."
    )
    step: Slug | None = Field(
        description="A challenge's step in the newest version of Table 1 (an addition's own "
        "step); null for other entries."
    )
    data: M = Field(description="The entry's fields, exactly as validated from its YAML file.")
    links: list[Link] = Field(description="The entries this entry points at, in field order.")
    backlinks: list[Link] = Field(
        description="The entries that point at this one; `field` is the field of the other entry."
    )
    translations: dict[str, EntryTranslation] = Field(
        description="The entry in each other edition, by language code (ja)."
    )


class EntryFile(Entry[M], Generic[M]):
    """The JSON document of one entry: ``api/<collection>/<id>.json``."""

    schema_url: str = Field(alias="schema", description="URL of the JSON Schema of this file.")
    format_version: FormatVersion = Field(
        description="Version of the shape of this document; it changes only when a field is "
        "renamed, removed or changes type, or a key is added (3: entries carry translations)."
    )
    version: str = Field(description="Version of the knowledge base (pyproject.toml).")


Collections: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "Collections",
    __base__=_Export,
    __doc__="Every entry, by collection, in display order.",
    **{
        model.folder.replace("-", "_"): (list[Entry[model]], Field(alias=model.folder))  # type: ignore[valid-type]
        for model in MODELS
    },
)


class CorpusFile(_Export):
    """The whole corpus in one JSON document: ``api/corpus.json``."""

    schema_url: str = Field(alias="schema", description="URL of the JSON Schema of this file.")
    format_version: FormatVersion = Field(
        description="Version of the shape of this document; it changes only when a field is "
        "renamed, removed or changes type, or a key is added (3: entries carry translations)."
    )
    version: str = Field(description="Version of the knowledge base (pyproject.toml).")
    data_sha256: str = Field(
        description="SHA-256 of every entry's fields; changes whenever the data changes."
    )
    site: str = Field(description="Base URL of the site.")
    collections: Collections = Field(description="Every entry, by collection.")


@functools.cache
def _model_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON Schema: the same for the life of the process, and a tenth of a second to
    make, which ``kb serve`` would pay after every edit."""
    return model.model_json_schema(by_alias=True)


def export_schemas(site: Site) -> dict[str, dict[str, Any]]:
    """``{file name: JSON Schema}`` of the export documents (generated from the models above)."""
    documents: dict[str, type[BaseModel]] = {"corpus.schema.json": CorpusFile}
    documents |= {f"{m.folder}.entry.schema.json": EntryFile[m] for m in MODELS}  # type: ignore[valid-type]
    schemas = {}
    for name, model in documents.items():
        schema = copy.deepcopy(_model_schema(model))
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = site.schema_url(name)
        schemas[name] = schema
    return schemas


def export_files(
    corpus: Corpus, site: Site, languages: dict[str, Language] | None = None
) -> dict[str, bytes]:
    """Every open-data file of the site, keyed by its path (``api/...``); with ``languages``,
    each entry also carries its text in those editions."""
    out: dict[str, bytes] = {}
    entries = _entries(corpus, site, languages or {})
    for name, schema in {**schema_files(), **export_schemas(site)}.items():
        out[f"api/schema/{name}"] = _json(schema)
    document = CorpusFile.model_validate(
        {
            "schema": site.schema_url("corpus.schema.json"),
            "format_version": FORMAT_VERSION,
            "version": site.version,
            "data_sha256": data_sha256(corpus),
            "site": site.url,
            "collections": {folder: items for folder, items in entries.items()},
        }
    )
    out["api/corpus.json"] = _json(document.model_dump(mode="json", by_alias=True))
    for model in MODELS:
        schema_url = site.schema_url(f"{model.folder}.entry.schema.json")
        for entry in entries[model.folder]:
            doc = EntryFile[model].model_validate(  # type: ignore[valid-type]
                {
                    **dict(entry),
                    "schema": schema_url,
                    "format_version": FORMAT_VERSION,
                    "version": site.version,
                }
            )
            out[f"api/{model.folder}/{entry.id}.json"] = _json(
                doc.model_dump(mode="json", by_alias=True)
            )
        out[f"api/{model.folder}.csv"] = _collection_csv(corpus, model, site)
    out["api/relations.csv"] = _relations_csv(corpus)
    out["api/references.bib"] = "\n".join(bibtex(r) for r in corpus.all(Reference)).encode()
    return dict(sorted(out.items()))


def write_files(files: dict[str, bytes], out_dir: Path) -> list[str]:
    """Write files under ``out_dir`` where their content changed; return the paths written.

    Files no longer exported are removed from the folders that hold exports (``api/``), so the
    folder mirrors the corpus exactly.
    """
    written = []
    for rel, data in files.items():
        path = out_dir / rel
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(rel)
    for top in sorted({rel.split("/")[0] for rel in files}):
        for path in sorted((out_dir / top).rglob("*")):
            if path.is_file() and path.relative_to(out_dir).as_posix() not in files:
                path.unlink()
    return written


def data_sha256(corpus: Corpus) -> str:
    """A hash of every entity's fields, independent of file layout and formatting."""
    fields = {
        model.folder: [e.model_dump(mode="json") for e in corpus.all(model)] for model in MODELS
    }
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _translations(
    entity: Entity, site: Site, languages: dict[str, Language]
) -> dict[str, EntryTranslation]:
    found = {}
    for code, language in languages.items():
        translation = language.translations.get(entity)
        found[code] = EntryTranslation(
            state=language.state(entity),
            url=f"{site.root}{language.edition.prefix}{entity.folder}/{entity.id}/",
            text=dict(translation.text) if translation else {},
        )
    return found


def _entries(
    corpus: Corpus, site: Site, languages: dict[str, Language]
) -> dict[str, list[Entry[Any]]]:
    back: dict[tuple[str, str], list[Ref]] = defaultdict(list)
    for ref in corpus.refs:
        back[(ref.target_folder, ref.target_id)].append(ref)
    order = {folder: i for i, folder in enumerate(FOLDERS)}

    def link(field: str, entity: Entity) -> Link:
        return Link(
            field=field,
            collection=entity.folder,
            id=entity.id,
            title=entity.title,
            url=site.page_url(entity),
            api_url=site.api_url(entity),
        )

    entries: dict[str, list[Entry[Any]]] = {}
    for model in MODELS:
        entries[model.folder] = []
        for entity in corpus.all(model):
            links = [
                link(r.field, corpus.entities[r.target_folder][r.target_id])
                for r in corpus.refs
                if r.source is entity
            ]
            referrers = sorted(
                back.get((entity.folder, entity.id), []),
                key=lambda r: (order[r.source.folder], r.source.id, r.field),
            )
            stage, step = _place(corpus, entity)
            entries[model.folder].append(
                Entry[model](  # type: ignore[valid-type]
                    collection=model.folder,
                    id=entity.id,
                    url=site.page_url(entity),
                    api_url=site.api_url(entity),
                    stage=stage,
                    step=step,
                    data=entity,
                    links=links,
                    backlinks=[link(r.field, r.source) for r in referrers],
                    translations=_translations(entity, site, languages),
                )
            )
    return entries


def _place(corpus: Corpus, entity: Entity) -> tuple[str | None, str | None]:
    if isinstance(entity, Challenge):
        return corpus.stage_of(entity).id, corpus.step_of(entity).id
    if isinstance(entity, Step):
        return entity.stage, None
    return None, None


# CSV ---------------------------------------------------------------------------------------

_DERIVED_COLUMNS: dict[type[Entity], tuple[str, ...]] = {Challenge: ("stage", "step")}


def csv_columns(model: type[Entity]) -> list[str]:
    """The header of a collection's CSV: every field (nested ones dotted), then derived ones.

    A derived column named like a field (a challenge's ``step``) is that field's column, holding
    the derived value: an addition's own step, or a survey challenge's newest Table 1 step.
    """
    fields = _field_columns(model, "")
    derived = [c for c in _DERIVED_COLUMNS.get(model, ()) if c not in fields]
    return [*fields, *derived, "url", "api_url"]


def _field_columns(model: type[BaseModel], prefix: str) -> list[str]:
    columns = []
    for name, info in model.model_fields.items():
        args = [a for a in typing.get_args(info.annotation) if a is not type(None)]
        inner = args[0] if len(args) == 1 else info.annotation
        if isinstance(inner, type) and issubclass(inner, Strict):
            columns += _field_columns(inner, f"{prefix}{name}.")
        elif typing.get_origin(info.annotation) is dict:
            keys = typing.get_args(typing.get_args(info.annotation)[0])
            columns += [f"{prefix}{name}.{key}" for key in keys]
        else:
            columns.append(prefix + name)
    return columns


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return CSV_LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def _lookup(data: dict[str, Any], column: str) -> Any:
    value: Any = data
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _collection_csv(corpus: Corpus, model: type[Entity], site: Site) -> bytes:
    columns = csv_columns(model)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for entity in corpus.all(model):
        data = entity.model_dump(mode="json")
        stage, step = _place(corpus, entity)
        data |= {"url": site.page_url(entity), "api_url": site.api_url(entity)}
        if model in _DERIVED_COLUMNS:
            data |= {"stage": stage, "step": step}
        writer.writerow([_cell(_lookup(data, column)) for column in columns])
    return buffer.getvalue().encode()


RELATION_COLUMNS = ["source_collection", "source_id", "field", "target_collection", "target_id"]


def _relations_csv(corpus: Corpus) -> bytes:
    order = {folder: i for i, folder in enumerate(FOLDERS)}
    refs = sorted(corpus.refs, key=lambda r: (order[r.source.folder], r.source.id))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(RELATION_COLUMNS)
    for r in refs:
        writer.writerow([r.source.folder, r.source.id, r.field, r.target_folder, r.target_id])
    return buffer.getvalue().encode()
