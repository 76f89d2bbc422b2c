"""Lifecycle of entries: retired entries (tombstones), their successors, and redirect sources.

These checks run inside ``load_corpus``, with the YAML positions at hand, so their problems are
reported like any other: ``file:line:col: message``, all at once. The rules, in short:

- ``status: active`` takes no ``replaced_by`` and no ``retired_reason``;
- every other status needs a ``retired_reason``; ``merged`` names exactly one successor in
  ``replaced_by``, ``split`` two or more, ``deprecated`` any number;
- a successor must exist in the same collection and be active (no chains of tombstones);
- a live entry never points at a retired one (lists would show a dead end);
- a ``redirect_from`` source is neither a page (live or tombstone) nor claimed by two entries.
"""

from __future__ import annotations

from kb.diagnostics import Diagnostic, did_you_mean
from kb.models import MODELS, Entity
from kb.sources import Loc, Source

FOLDERS = [model.folder for model in MODELS]


def url_of(folder: str, entity_id: str) -> str:
    """The permanent URL path of an entry: ``/<collection>/<id>/``."""
    return f"/{folder}/{entity_id}/"


def redirect_url(entity: Entity, source: str) -> str:
    """The URL path a ``redirect_from`` value stands for (same collection unless it names one)."""
    folder, _, old_id = source.rpartition("/")
    return url_of(folder or entity.folder, old_id)


def reference_problem(entity: Entity, dotted: str, target: Entity) -> str | None:
    """The problem with a live entry pointing at ``target``, if it is retired."""
    if entity.retired or not target.retired:
        return None
    count = len(target.replaced_by)
    advice = (
        "remove this reference"
        if count == 0
        else f"point at {'it' if count == 1 else 'one of them'} instead"
    )
    return f"{dotted}: {target.id!r} is retired ({_fate(target)}); {advice}"


def check_lifecycle(
    entities: dict[str, dict[str, Entity]],
    sources: dict[tuple[str, str], Source],
    broken: dict[str, set[str]],
) -> list[Diagnostic]:
    """Every lifecycle and redirect problem of a corpus whose files each validated."""
    problems: list[Diagnostic] = []
    claimed: dict[str, tuple[Entity, Source, Loc]] = {}
    for (folder, entity_id), source in sorted(sources.items()):
        entity = entities[folder][entity_id]
        problems.extend(_status_problems(entity, source, entities[folder], broken[folder]))
        for i, value in enumerate(entity.redirect_from):
            loc: Loc = ("redirect_from", i)
            problem = _redirect_problem(entity, value, entities, broken, claimed)
            if problem:
                problems.append(source.at(loc, f"redirect_from[{i}]: {problem}"))
            else:
                claimed[redirect_url(entity, value)] = (entity, source, loc)
    return problems


def _status_problems(
    entity: Entity, source: Source, siblings: dict[str, Entity], broken: set[str]
) -> list[Diagnostic]:
    status = entity.status
    if status == "active":
        return [
            source.at(
                (name,), f"{name}: only a retired entry has one (status is 'active')", value=False
            )
            for name in ("replaced_by", "retired_reason")
            if getattr(entity, name)
        ]
    problems = []
    if entity.retired_reason is None:
        problems.append(
            source.at(
                ("status",),
                f"status: {status!r} needs retired_reason: why the entry was retired, "
                "for its tombstone page",
            )
        )
    count = len(entity.replaced_by)
    if status == "merged" and count != 1:
        problems.append(
            source.at(
                ("replaced_by",) if count else ("status",),
                f"{'replaced_by' if count else 'status'}: 'merged' needs exactly one ID in "
                f"replaced_by (the entry it was merged into), found {count}",
            )
        )
    if status == "split" and count < 2:
        problems.append(
            source.at(
                ("replaced_by",) if count else ("status",),
                f"{'replaced_by' if count else 'status'}: 'split' needs two or more IDs in "
                f"replaced_by (the entries it was split into), found {count}",
            )
        )
    for i, successor in enumerate(entity.replaced_by):
        dotted = f"replaced_by[{i}]"
        if successor in broken:
            continue
        if successor == entity.id:
            problems.append(
                source.at(("replaced_by", i), f"{dotted}: an entry cannot replace itself")
            )
        elif successor not in siblings:
            problems.append(
                source.at(
                    ("replaced_by", i),
                    f"{dotted}: unknown {entity.folder} id {successor!r}"
                    f"{did_you_mean(successor, siblings)}",
                )
            )
        elif siblings[successor].retired:
            problems.append(
                source.at(
                    ("replaced_by", i),
                    f"{dotted}: {successor!r} is itself retired ({_fate(siblings[successor])}); "
                    "name the active entry instead",
                )
            )
    return problems


def _redirect_problem(
    entity: Entity,
    value: str,
    entities: dict[str, dict[str, Entity]],
    broken: dict[str, set[str]],
    claimed: dict[str, tuple[Entity, Source, Loc]],
) -> str | None:
    folder, _, old_id = value.rpartition("/")
    if folder and folder not in entities:
        return (
            f"unknown collection {folder!r}{did_you_mean(folder, FOLDERS)} "
            f"(expected one of: {', '.join(FOLDERS)})"
        )
    folder = folder or entity.folder
    url = url_of(folder, old_id)
    if (folder, old_id) == (entity.folder, entity.id):
        return f"{value!r} is this entry's own ID"
    if old_id in entities[folder] or old_id in broken[folder]:
        return (
            f"{url} is the page of data/{folder}/{old_id}.yaml, so it cannot redirect; "
            "to replace that entry, retire it (status: merged, replaced_by)"
        )
    if url in claimed:
        other, other_source, other_loc = claimed[url]
        line, column = other_source.at(other_loc, "").line, other_source.at(other_loc, "").column
        return (
            f"{url} already redirects to {url_of(other.folder, other.id)} "
            f"({other_source.path}:{line}:{column}); keep one of them"
        )
    return None


def _fate(entity: Entity) -> str:
    """How a retired entry ended, naming its successors: "merged into 'x'"."""
    successors = " and ".join(repr(s) for s in entity.replaced_by)
    if not successors:
        return str(entity.status)
    if entity.status == "merged":
        return f"merged into {successors}"
    if entity.status == "split":
        return f"split into {successors}"
    return f"deprecated in favour of {successors}"
