"""A new entry's skeleton, derived from the models, and the reasons an ID may not be taken.

``kb new <collection> <id>`` writes ``data/<collection>/<id>.yaml`` from :func:`skeleton`: the
schema comment line, every required field (and every :class:`~kb.models.Prompted` one) with a
``FILL IN`` placeholder under a comment taken from the field's description, then the optional
fields as a list of comments. ``check`` reports every placeholder left. Nothing here is listed per
collection, so a new model in ``MODELS`` gets its skeleton for free.
"""

from __future__ import annotations

import json
import textwrap
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pydantic

from kb.corpus import FOLDERS, PATTERN_HINTS
from kb.diagnostics import PLACEHOLDER, Diagnostic, did_you_mean
from kb.ledger import LEDGER, read_ledger
from kb.lifecycle import url_of
from kb.models import Entity, Prompted, RefTo, Slug, Strict, check_prose
from kb.render import make_env
from kb.sources import Source, read_source

_SLUG = pydantic.TypeAdapter(Slug)
_WIDTH = 100


@dataclass(frozen=True)
class Line:
    """One field of the skeleton, as the template writes it."""

    depth: int
    key: str
    form: Literal["value", "block", "list", "mapping"]
    value: str = ""  # as written in YAML: quoted where a placeholder could need it
    comment: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Skeleton:
    """What ``kb new`` writes, and what it tells the contributor next."""

    text: str
    linked_from: list[
        str
    ]  # "challenges: references", the fields of other collections that link here


def skeleton(folder: str, entity_id: str) -> Skeleton:
    """The YAML skeleton of a new entry ``entity_id`` in collection ``folder``."""
    model = FOLDERS[folder]
    # A new entry is an addition of this knowledge base: the survey's own entries are all in.
    # (The paper's sections are the survey's own structure.)
    origin = "survey" if folder == "paper" else "kb"
    lines = _lines(model, 0, {"id": entity_id, "origin": origin})
    optional = [
        textwrap.wrap(f"{name}: {_describe(info, asked=False)}", _WIDTH - 6)
        for name, info in model.model_fields.items()
        if not info.is_required()
        and not _prompted(info)
        and name not in Entity.model_fields  # status, replaced_by, ...: for retiring, later
    ]
    text = (
        make_env()
        .get_template("new-entry.yaml.j2")
        .render(
            folder=folder,
            label=model.label.lower(),
            lines=lines,
            optional=optional,
            PLACEHOLDER=PLACEHOLDER,
        )
    )
    return Skeleton(text, _linked_from(folder))


def refusals(data: Path, root: Path, folder: str, entity_id: str) -> list[Diagnostic]:
    """Why ``entity_id`` cannot be a new entry of ``folder``: every reason, each where it is seen.

    An ID is taken for good once a file, a ``redirect_from`` or the URL ledger has used it: IDs
    are permanent addresses, never reused (see docs/contributing.md).
    """

    def shown(path: Path) -> str:
        return path.resolve().relative_to(root).as_posix()

    problems: list[Diagnostic] = []
    path = data / folder / f"{entity_id}.yaml"
    if path.is_file():
        source = read_source(shown(path), path.read_bytes())
        status = (
            source.data.get("status") if isinstance(source, Source) and _is_map(source) else None
        )
        if isinstance(source, Source) and status not in (None, "active"):
            problems.append(
                source.at(
                    ("status",),
                    f"{entity_id!r} is a retired {folder} ID (status: {status}); IDs are never "
                    "reused: choose another ID",
                    value=False,
                )
            )
        else:
            problems.append(
                Diagnostic(
                    shown(path),
                    1,
                    1,
                    f"{entity_id!r} already exists: edit this file instead, or choose another ID",
                )
            )
    for other in sorted(data.glob("*/*.yaml")):
        if other.parent.name not in FOLDERS or other == path:
            continue
        source = read_source(shown(other), other.read_bytes())
        if not isinstance(source, Source) or not _is_map(source):
            continue
        redirects = source.data.get("redirect_from")
        here = other.parent.name == folder
        for i, former in enumerate(redirects if isinstance(redirects, list) else []):
            if former == f"{folder}/{entity_id}" or (here and former == entity_id):
                problems.append(
                    source.at(
                        ("redirect_from", i),
                        f"{entity_id!r} is a former ID that redirects to this entry; IDs are never "
                        "reused: choose another ID",
                    )
                )
    ledger_path = data / LEDGER
    ledger, ledger_source = read_ledger(ledger_path, shown(ledger_path))
    url = url_of(folder, entity_id)
    if url in ledger and not path.is_file():
        message = (
            f"{url} was published before (as {ledger[url].kind}); IDs are never reused: "
            "choose another ID"
        )
        where = ledger_source.at((url,), message, value=False) if ledger_source else None
        problems.append(where or Diagnostic(shown(ledger_path), 1, 1, message))
    return sorted(problems)


def check_new(folder: str, entity_id: str) -> list[str]:
    """What is wrong with the arguments themselves: an unknown collection or a malformed ID."""
    problems = []
    if folder not in FOLDERS:
        problems.append(
            f"unknown collection {folder!r}{did_you_mean(folder, FOLDERS)} "
            f"(expected one of: {', '.join(FOLDERS)})"
        )
    try:
        _SLUG.validate_python(entity_id)
    except pydantic.ValidationError:
        suggestion = "-".join("".join(c if c.isalnum() else " " for c in entity_id).lower().split())
        hint = f" (did you mean {suggestion!r}?)" if suggestion and suggestion != entity_id else ""
        problems.append(
            f"{entity_id!r} is not a valid ID{hint}: use lower-case letters, digits and single "
            "hyphens, at most 80 characters; the ID becomes the file name and the permanent URL"
        )
    return problems


def _lines(model: type[Strict], depth: int, given: dict[str, str]) -> list[Line]:
    """The fields of ``model`` a new entry must (or is asked to) fill, nested models expanded."""
    schema = model.model_json_schema()
    # A model whose fields are all optional needs at least one of them (PerVersion): show all.
    wanted = [
        (name, info)
        for name, info in model.model_fields.items()
        if info.is_required()
        or _prompted(info)
        or not any(i.is_required() for i in model.model_fields.values())
    ]
    lines: list[Line] = []
    for name, info in wanted:
        text = _describe(info)
        prop = _non_null(schema["properties"][name], schema)
        choices = prop.get("enum") or _non_null(prop.get("items", {}), schema).get("enum")
        if choices:  # listed in the comment: a long vocabulary would not fit in the value
            text += " One of: " + ", ".join(str(c) for c in choices) + "."
        comment = textwrap.wrap(text, _WIDTH - 2 - 2 * depth)
        if name in given:
            lines.append(Line(depth, name, "value", given[name], comment))
            continue
        nested = _nested_model(info.annotation)
        if nested is not None:
            lines.append(Line(depth, name, "mapping", "", comment))
            lines.extend(_lines(nested, depth + 1, {}))
            continue
        if prop.get("type") == "array":
            item = _placeholder(_non_null(prop.get("items", {}), schema), info, item=True)
            lines.append(Line(depth, name, "list", json.dumps(item), comment))
        elif _is_prose(info):
            lines.append(Line(depth, name, "block", f"{PLACEHOLDER}: in your own words", comment))
        else:
            lines.append(Line(depth, name, "value", json.dumps(_placeholder(prop, info)), comment))
    return lines


def _placeholder(prop: dict[str, Any], info: Any, *, item: bool = False) -> str:
    """A ``FILL IN`` text that says what kind of value is expected."""
    target = next((m for m in info.metadata if isinstance(m, RefTo)), None)
    if target is not None:
        what = f"the ID of an entry in data/{target.folder}/"
    elif "enum" in prop:
        what = "one of the values listed above"
    elif prop.get("type") == "integer":
        what = "a whole number"
    elif "pattern" in prop:
        what = PATTERN_HINTS.get(prop["pattern"], f"text matching {prop['pattern']}")
    else:
        low, high = prop.get("minLength"), prop.get("maxLength")
        size = f", {low} to {high} characters" if low and high else ""
        what = f"plain text{size}"
    return f"{PLACEHOLDER}: {what}" + (" (one per item)" if item else "")


def _describe(info: Any, *, asked: bool = True) -> str:
    """The field's description, plus what a contributor may do with the line."""
    text = info.description or ""
    if asked and not info.is_required():
        text += " Optional: delete the line if it does not apply."
    elif asked and _nullable(info.annotation) and "null" not in text:
        text += " May be null."
    return text.strip()


def _linked_from(folder: str) -> list[str]:
    """``"collection: field, field"`` for every field of every model that can point here."""
    found = []
    for other, model in FOLDERS.items():
        names = [
            name
            for name, info in model.model_fields.items()
            if any(isinstance(m, RefTo) and m.folder == folder for m in info.metadata)
        ]
        if names:
            found.append(f"{other}: {', '.join(names)}")
    return found


def _prompted(info: Any) -> bool:
    return any(isinstance(m, Prompted) for m in info.metadata)


def _is_map(source: Source) -> bool:
    return isinstance(source.data, dict)


def _is_prose(info: Any) -> bool:
    """Markdown fields (checked by ``check_prose``) get a folded block: room for paragraphs."""

    def validators(annotation: Any) -> list[Any]:
        found = []
        for arg in typing.get_args(annotation):
            found += validators(arg)
        return found + list(getattr(annotation, "__metadata__", ()))

    found = list(info.metadata) + validators(info.annotation)
    return any(getattr(m, "func", None) is check_prose for m in found)


def _nested_model(annotation: Any) -> type[Strict] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, Strict):
            return arg
    return None


def _nullable(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in (
        typing.get_args(annotation)
    )


def _non_null(prop: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The property's schema without its ``null`` alternative, ``$ref`` resolved."""
    options = [p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"]
    chosen = {**options[0], **{k: v for k, v in prop.items() if k != "anyOf"}}
    ref = chosen.get("$ref", "")
    if ref.startswith("#/$defs/"):
        chosen = {**schema["$defs"][ref.removeprefix("#/$defs/")], **chosen}
    return chosen
