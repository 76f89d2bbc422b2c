"""Translations of corpus entries: ``data/<language>/<collection>/<id>.yaml``, one per entry.

A translation file holds the translated text of an entry's *translatable* fields (titles and
prose; never IDs, links, numbers or names of works) and the fingerprint of the English text it
was made from. When the English changes, the fingerprint no longer matches: the translation is
*stale*, and its page says so. A field without a translation falls back to the English text, with
the same notice. The translation models are derived from the English models, so a translated
summary obeys exactly the rules of an English one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import textwrap
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, create_model
from pydantic.fields import FieldInfo

from kb.corpus import FOLDERS, Corpus, Ref, validate_source
from kb.diagnostics import PLACEHOLDER, CorpusError, Diagnostic, did_you_mean
from kb.i18n import EDITIONS, LANGUAGES, LOCALES, Edition, folded_gap, load_catalog
from kb.models import (
    MODELS,
    Entity,
    Slug,
    Strict,
    Translatable,
)
from kb.sources import Source, read_entry_source

Fingerprint = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-f]{16}$"),
    Field(description="The first 16 hex digits of the SHA-256 of the English text translated."),
]

Path_ = tuple[str, ...]
"""Where a translatable text sits in an entry: ``("summary",)``, ``("tool", "licence", "note")``."""


def _marked(info: FieldInfo) -> bool:
    return any(isinstance(m, Translatable) for m in info.metadata)


def _nested(info: FieldInfo) -> type[Strict] | None:
    """The model a field holds, if any (``provenance``, ``tool`` and the facts in it)."""
    found = [a for a in _flatten(info.annotation) if isinstance(a, type) and issubclass(a, Strict)]
    return found[0] if found else None


def _flatten(annotation: Any) -> list[Any]:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, typing.Annotated):
        return [a for arg in args for a in _flatten(arg)]
    return [annotation]


@functools.cache  # asked for every entry, and the answer is a property of the class
def translatable(model: type[Strict], prefix: Path_ = ()) -> tuple[Path_, ...]:
    """Every translatable text of ``model``: fields marked :class:`Translatable`, at any depth."""
    found: list[Path_] = []
    for name, info in model.model_fields.items():
        nested = _nested(info)
        if _marked(info):
            found.append((*prefix, name))
        elif nested is not None:
            found.extend(translatable(nested, (*prefix, name)))
    return tuple(found)


def dotted(path: Path_) -> str:
    """A path as one would write it in a message: ``tool.licence.note``."""
    return ".".join(path)


def _get(obj: Any, path: Path_) -> Any:
    for name in path:
        obj = getattr(obj, name, None)
    return obj


def english_text(entity: Entity) -> dict[str, Any]:
    """``{dotted path: English value}`` of an entity's translatable texts that are not empty."""
    found: dict[str, Any] = {}
    for path in translatable(type(entity)):
        value = _get(entity, path)
        if value not in (None, "", []):
            found[dotted(path)] = value
    return found


def fingerprint(entity: Entity) -> str:
    """The fingerprint of the English text a translation of ``entity`` translates."""
    canonical = json.dumps(english_text(entity), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _translation_model(model: type[Strict], top: bool) -> type[Strict] | None:
    """The shape of a translation of ``model``: only its translatable texts, all optional."""
    fields: dict[str, Any] = {}
    if top:
        fields["id"] = (Slug, Field(description="The ID of the English entry; the file name."))
        fields["source_fingerprint"] = (
            Fingerprint,
            Field(
                description="Fingerprint of the English text this translates (`kb translate` "
                "writes it; a mismatch marks the translation as out of date)."
            ),
        )
    for name, info in model.model_fields.items():
        nested = _nested(info)
        if _marked(info):
            annotation: Any = (
                Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
            )
            described = f"Translation of `{name}`: {info.description}"
            fields[name] = (annotation | None, Field(default=None, description=described))
        elif nested is not None and (inner := _translation_model(nested, top=False)):
            fields[name] = (inner | None, Field(default=None))
    if not top and not fields:
        return None
    translation: type[Strict] = create_model(
        f"{model.__name__}Translation",
        __base__=Strict,
        __doc__=f"The translatable texts of {model.__name__}.",
        **fields,
    )
    return translation


TRANSLATION_MODELS: dict[type[Entity], type[Strict]] = {
    m: typing.cast(type[Strict], _translation_model(m, top=True)) for m in MODELS
}
"""The model of a translation file, per collection (exported to data/schema/)."""


def _localized(obj: Strict, text: dict[str, Any], prefix: Path_ = ()) -> Strict:
    """``obj`` with the translated texts under ``prefix`` put in place (nested models copied)."""
    update: dict[str, Any] = {}
    for name, info in type(obj).model_fields.items():
        path = (*prefix, name)
        if dotted(path) in text and _marked(info):
            update[name] = text[dotted(path)]
        elif isinstance(value := getattr(obj, name), Strict) and any(
            key.startswith(dotted(path) + ".") for key in text
        ):
            update[name] = _localized(value, text, path)
    return obj.model_copy(update=update) if update else obj


@dataclass(frozen=True)
class Translation:
    """One translated entry: the text given, and whether the English moved on since."""

    language: str
    entity: Entity
    path: str
    text: dict[str, Any]  # dotted path -> translated value
    recorded: str  # the fingerprint in the file
    current: str  # the fingerprint of the English now

    @property
    def stale(self) -> bool:
        """True when the English text changed after this translation was made."""
        return self.recorded != self.current

    @property
    def missing(self) -> list[str]:
        """English fields with text that this translation does not translate (yet)."""
        return [name for name in english_text(self.entity) if name not in self.text]


State = Literal["translated", "stale", "partial", "missing"]


@dataclass
class Translations:
    """Every translation into one language, by (collection, ID)."""

    language: str
    entries: dict[tuple[str, str], Translation] = field(default_factory=dict)

    def get(self, entity: Entity) -> Translation | None:
        """The translation of ``entity``, if there is a file for it."""
        return self.entries.get((entity.folder, entity.id))

    def state(self, entity: Entity) -> State:
        """``translated``, ``stale`` (English changed), ``partial`` or ``missing``."""
        found = self.get(entity)
        if found is None:
            # An entry with no text to translate (a reference without a summary) needs no file.
            return "missing" if english_text(entity) else "translated"
        if found.stale:
            return "stale"
        return "partial" if found.missing else "translated"

    def localize(self, entity: Entity) -> Entity:
        """``entity`` with its translated fields; untranslated ones keep the English text."""
        found = self.get(entity)
        return entity if found is None else typing.cast(Entity, _localized(entity, found.text))

    def localize_corpus(self, corpus: Corpus) -> Corpus:
        """The whole corpus in this language: every entry localized, relations unchanged.

        Everything downstream (pages, the filter index, the matrix) then renders translated
        text without knowing that it is a translation.
        """
        entities = {
            folder: {key: self.localize(entity) for key, entity in items.items()}
            for folder, items in corpus.entities.items()
        }
        refs = [
            Ref(entities[r.source.folder][r.source.id], r.field, r.target_folder, r.target_id)
            for r in corpus.refs
        ]
        return Corpus(entities, dict(corpus.paths), refs)

    def outstanding(self, corpus: Corpus) -> dict[State, list[Entity]]:
        """Entries whose translation is stale, partial or missing, by state, in display order."""
        found: dict[State, list[Entity]] = {"stale": [], "partial": [], "missing": []}
        for model in MODELS:
            for entity in corpus.all(model):
                state = self.state(entity)
                if state != "translated":
                    found[state].append(entity)
        return found


def load_translations(
    data_dir: Path, corpus: Corpus, root: Path | None = None
) -> dict[str, Translations]:
    """Every translation under ``data_dir/<language>/``; raise CorpusError listing every problem."""
    root = root if root is not None else data_dir.parent
    problems: list[Diagnostic] = []
    result: dict[str, Translations] = {}
    for language in LANGUAGES:
        folder = data_dir / language
        result[language] = Translations(language)
        if not folder.is_dir():
            continue
        for path, problem in _files(folder):
            shown = Path(os.path.relpath(path, root)).as_posix()
            if problem:
                problems.append(Diagnostic(shown, 1, 1, problem))
                continue
            loaded = _load_one(language, path, shown, corpus, problems)
            if loaded is not None:
                result[language].entries[(loaded.entity.folder, loaded.entity.id)] = loaded
    if problems:
        raise CorpusError(problems)
    return result


def _files(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """Each file of a language folder, with the reason it cannot be a translation (if any)."""
    for child in sorted(folder.iterdir()):
        if child.name.startswith(".") or child.suffix == ".md":
            continue  # READMEs and editor files live beside the data
        if not child.is_dir():
            yield child, "unexpected file (translations live in <language>/<collection>/<id>.yaml)"
        elif child.name not in FOLDERS:
            yield (
                child,
                (
                    f"unknown collection folder {child.name!r}{did_you_mean(child.name, FOLDERS)} "
                    f"(expected one of: {', '.join(FOLDERS)})"
                ),
            )
        else:
            for path in sorted(child.iterdir()):
                if path.name.startswith("."):
                    continue
                if path.suffix != ".yaml" or not path.is_file():
                    yield (
                        path,
                        f"unexpected file (translations are <id>.yaml: rename it to "
                        f"{path.stem}.yaml)",
                    )
                else:
                    yield path, None


def _load_one(
    language: str, path: Path, shown: str, corpus: Corpus, problems: list[Diagnostic]
) -> Translation | None:
    model = FOLDERS[path.parent.name]
    parsed = read_entry_source(shown, path.read_bytes())
    if isinstance(parsed, list):
        problems.extend(parsed)
        return None
    english = corpus.entities[model.folder].get(path.stem)
    if english is None:
        problems.append(
            parsed.at(
                ("id",),
                f"no English entry data/{model.folder}/{path.stem}.yaml to translate"
                f"{did_you_mean(path.stem, corpus.entities[model.folder])} (a translation is "
                "named after the entry it translates)",
            )
        )
        return None
    translation_model = TRANSLATION_MODELS[model]
    data = parsed.data
    before = len(problems)
    if isinstance(data, dict):
        data = dict(data)
        allowed = list(translation_model.model_fields)
        for key in list(data):
            if key in allowed:
                continue
            del data[key]
            if key in model.model_fields:
                texts = ", ".join(dotted(p) for p in translatable(model))
                message = (
                    f"{key}: not translatable (IDs, links, numbers and names of works come from "
                    f"the English entry; translatable here: {texts})"
                )
            else:
                message = (
                    f"{key}: unknown key{did_you_mean(str(key), allowed)} "
                    f"(allowed here: {', '.join(allowed)})"
                )
            problems.append(parsed.at((key,), message, value=False))
    checked = validate_source(
        translation_model,
        Source(parsed.path, data, parsed.key_marks, parsed.value_marks),
        problems,
        skeleton="kb translate",
    )
    # What the text says is checked on the file as written, so its problems come all at once.
    raw = {k: v for k, v in (data if isinstance(data, dict) else {}).items()}
    recorded_raw = raw.pop("source_fingerprint", None)
    raw.pop("id", None)
    source_text = english_text(english)
    # A stale translation was right for an older English: where they now differ in shape (a
    # field dropped, a figure added), the page shows the English, and nothing is an error.
    stale = recorded_raw != fingerprint(english)
    for name, value in _leaves(raw):
        loc = tuple(name.split("."))
        if stale and (name not in source_text or _shape_differs(name, value, source_text[name])):
            continue
        if name not in source_text and name in {dotted(p) for p in translatable(model)}:
            problems.append(
                parsed.at(loc, f"{name}: the English entry has no {name} to translate; remove it")
            )
        elif _has_placeholder(value):
            continue  # reported by validate_source
        elif language == "ja" and (gap := _folded_gap(value)):
            problems.append(
                parsed.at(
                    loc,
                    f"{name}: a space between Japanese characters ({gap!r}), probably a folded "
                    "line break: write each paragraph on one line",
                )
            )
        elif _shape_differs(name, value, source_text[name]):
            problems.append(
                parsed.at(
                    loc,
                    f"{name}: {len(value)} items, but the English entry has "
                    f"{len(source_text[name])} (translate each item, in the same order)",
                )
            )
    if checked is None or len(problems) > before:
        return None
    values = checked.model_dump(exclude_none=True)
    if values["id"] != path.stem:
        problems.append(
            parsed.at(("id",), f"id: {values['id']!r} does not match the file name {path.name!r}")
        )
        return None
    recorded = values.pop("source_fingerprint")
    del values["id"]
    text = {
        name: value
        for name, value in _leaves(values)
        if name in source_text and not _shape_differs(name, value, source_text[name])
    }
    return Translation(language, english, shown, text, recorded, fingerprint(english))


def _leaves(values: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(dotted path, value)`` of every text in a dumped translation."""
    for key, value in values.items():
        if isinstance(value, dict):
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


ONE_FOR_ONE = {"figures", "subsections"}
"""Lists translated item by item (keywords and aliases are the language's own lists)."""


def _shape_differs(name: str, translated: Any, english: Any) -> bool:
    """True where a one-for-one list no longer has one translated item per English one."""
    return (
        name in ONE_FOR_ONE
        and isinstance(translated, list)
        and isinstance(english, list)
        and len(translated) != len(english)
    )


def _folded_gap(value: Any) -> str | None:
    for text in value if isinstance(value, list) else [value]:
        if isinstance(text, str) and (gap := folded_gap(text)):
            return gap
    return None


def _has_placeholder(value: Any) -> bool:
    if isinstance(value, list):
        return any(_has_placeholder(v) for v in value)
    return isinstance(value, str) and value.strip().startswith(PLACEHOLDER)


def skeleton(entity: Entity, language: str) -> str:
    """A translation file to fill in: every translatable text, its English as comments."""
    lines = [
        f"# yaml-language-server: $schema=../../schema/{entity.folder}.translation.schema.json",
        f"id: {entity.id}",
        f"source_fingerprint: {fingerprint(entity)}",
    ]
    opened: Path_ = ()
    for name, value in english_text(entity).items():
        path = tuple(name.split("."))
        common = 0
        while common < min(len(opened), len(path) - 1) and opened[common] == path[common]:
            common += 1
        for depth in range(common, len(path) - 1):  # open the mappings this path enters
            lines.append(f"{'  ' * depth}{path[depth]}:")
        opened = path[:-1]
        indent = "  " * (len(path) - 1)
        for part in [value] if isinstance(value, str) else value:
            lines += textwrap.wrap(
                part, 96, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}#   "
            )
        if isinstance(value, list):
            lines += [f"{indent}{path[-1]}:", *[f"{indent}  - {PLACEHOLDER}" for _ in value]]
        else:
            lines.append(f"{indent}{path[-1]}: {PLACEHOLDER}")
    return "\n".join(lines) + "\n"


def translation_schemas() -> dict[str, dict[str, Any]]:
    """``{file name: JSON Schema}`` of the translation files, one per collection."""
    files = {}
    for model, translation in TRANSLATION_MODELS.items():
        schema = translation.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{model.folder}.translation.schema.json"
        files[f"{model.folder}.translation.schema.json"] = schema
    return files


__all__ = [
    "TRANSLATION_MODELS",
    "Translation",
    "Translations",
    "fingerprint",
    "load_translations",
    "skeleton",
    "translatable",
]


@dataclass(frozen=True)
class Language:
    """Everything an edition in another language renders with: its catalog and translations.

    ``corpus`` is the localized corpus (translated text in place); ``english`` the original, so
    pages can name the English term and link the English page where a translation falls behind.
    """

    edition: Edition
    catalog: dict[str, str]
    translations: Translations
    corpus: Corpus
    english: Corpus

    def state(self, entity: Entity) -> State:
        """How far ``entity``'s translation is: translated, stale, partial or missing."""
        return self.translations.state(entity)

    def original(self, entity: Entity) -> Entity:
        """The English entry behind a localized one."""
        return self.english.entities[entity.folder][entity.id]

    def source_of(self, entity: Entity) -> str | None:
        """The translation file of ``entity``, root-relative, if there is one."""
        found = self.translations.get(entity)
        return found.path if found else None


def load_language(code: str, data_dir: Path, corpus: Corpus, root: Path) -> Language:
    """The translations and interface catalog of ``code``, checked; raise CorpusError listing
    every problem in both."""
    problems: list[Diagnostic] = []
    translations = Translations(code)
    catalog: dict[str, str] = {}
    try:
        translations = load_translations(data_dir, corpus, root)[code]
    except CorpusError as exc:
        problems += exc.diagnostics
    path = LOCALES / f"{code}.yaml"
    try:
        catalog = load_catalog(code, path, Path(os.path.relpath(path, root)).as_posix())
    except CorpusError as exc:
        problems += exc.diagnostics
    if problems:
        raise CorpusError(problems)
    return Language(
        EDITIONS[code], catalog, translations, translations.localize_corpus(corpus), corpus
    )
