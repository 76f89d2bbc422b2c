"""Loading the whole corpus: read every file, validate it, check references, compute backlinks.

``load_corpus`` either returns a consistent :class:`Corpus` or raises :class:`CorpusError` with
every problem found, never just the first one.
"""

from __future__ import annotations

import os
import types
import typing
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pydantic

from kb.diagnostics import PLACEHOLDER, CorpusError, Diagnostic, did_you_mean
from kb.i18n import LANGUAGES
from kb.lifecycle import check_lifecycle, reference_problem
from kb.models import (
    DATE_PATTERN,
    MODELS,
    URL_CHARS,
    CaseStudy,
    Challenge,
    Entity,
    PaperSection,
    Reference,
    RefTo,
    Solution,
    Stage,
    Step,
    Strict,
)
from kb.sources import Loc, Source, read_entry_source

E = TypeVar("E", bound=Entity)
M = TypeVar("M", bound=Strict)

FOLDERS = {model.folder: model for model in MODELS}
EXTRA_FOLDERS = {"schema", *LANGUAGES}  # generated JSON Schema and translations


@dataclass(frozen=True)
class Ref:
    """One reference from an entity's field to another entity."""

    source: Entity
    field: str  # dotted path of the field, e.g. "placements.acm_2022"
    target_folder: str
    target_id: str


@dataclass
class Corpus:
    """Every entity, by folder and ID, with the references between them resolved."""

    entities: dict[str, dict[str, Entity]]
    paths: dict[tuple[str, str], str]
    refs: list[Ref] = field(default_factory=list)
    _back: dict[tuple[str, str], list[Ref]] = field(default_factory=dict)
    _forward: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    _sorted: dict[str, list[Any]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        back: dict[tuple[str, str], list[Ref]] = defaultdict(list)
        # Indexed both ways so page rendering stays linear in the size of the corpus.
        forward: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for ref in self.refs:
            back[(ref.target_folder, ref.target_id)].append(ref)
            key = (ref.source.folder, ref.source.id, ref.field.split(".")[0])
            forward[key].append(ref.target_id)
        self._back = dict(back)
        self._forward = dict(forward)

    def all(self, model: type[E]) -> list[E]:
        """Entities of one collection, in display order (``order`` where it has one, else ID)."""
        # Sorted once per collection: pages ask for the same lists about a thousand times.
        if model.folder not in self._sorted:
            items: list[Any] = list(self.entities[model.folder].values())
            self._sorted[model.folder] = sorted(items, key=lambda e: (getattr(e, "order", 0), e.id))
        return list(self._sorted[model.folder])

    def live(self, model: type[E]) -> list[E]:
        """Active entities of one collection, in display order: what lists, search and the
        matrix show (retired entries keep only a tombstone page)."""
        return [e for e in self.all(model) if not e.retired]

    def retired(self) -> list[Entity]:
        """Every retired entity (deprecated, merged or split), by collection then ID."""
        return [
            e
            for folder in self.entities.values()
            for e in sorted((e for e in folder.values() if e.retired), key=lambda e: e.id)
        ]

    def get(self, model: type[E], entity_id: str) -> E:
        """One entity; the ID must exist (references are checked at load time)."""
        entity = self.entities[model.folder][entity_id]
        assert isinstance(entity, model)
        return entity

    def path_of(self, entity: Entity) -> str:
        """The data file an entity comes from, relative to the project root."""
        return self.paths[(entity.folder, entity.id)]

    def referrers(self, target: Entity, model: type[E], field_name: str | None = None) -> list[E]:
        """Live entities of ``model`` that point at ``target`` (through ``field_name`` if given).

        Retired entries keep their references, but they no longer count as backlinks.
        """
        found: dict[str, E] = {}
        for ref in self._back.get((target.folder, target.id), []):
            if (
                isinstance(ref.source, model)
                and not ref.source.retired
                and (field_name is None or ref.field.split(".")[0] == field_name)
            ):
                found[ref.source.id] = ref.source
        return sorted(found.values(), key=lambda e: (getattr(e, "order", 0), e.id))

    def targets(self, source: Entity, model: type[E], field_name: str) -> list[E]:
        """Entities of ``model`` that ``source`` points at through ``field_name``, in order."""
        ids = self._forward.get((source.folder, source.id, field_name), [])
        return [self.get(model, i) for i in dict.fromkeys(ids)]

    # Workflow helpers: a challenge's place is derived from its Table 1 placements (an
    # addition's, from the step of the area it belongs to).

    def step_of(self, challenge: Challenge) -> Step:
        """The step of the newest version whose Table 1 lists the challenge, or an addition's."""
        return self.get(Step, challenge.home_step)

    def stage_of(self, entity: Challenge | Step) -> Stage:
        """The stage of a step, or of a challenge's current step."""
        step = entity if isinstance(entity, Step) else self.step_of(entity)
        return self.get(Stage, step.stage)

    def steps_of(self, stage: Stage) -> list[Step]:
        """The steps of a stage, in order."""
        return self.referrers(stage, Step, "stage")

    def challenges_of(self, step: Step, version: str | None = None) -> list[Challenge]:
        """Challenges under ``step``: in Table 1 of ``version``, or currently (newest version)."""
        if version:
            return [
                c
                for c in self.referrers(step, Challenge, "placements")
                if getattr(c.placements, version) == step.id
            ]
        return [c for c in self.challenges_ever_under(step) if c.home_step == step.id]

    def challenges_ever_under(self, step: Step) -> list[Challenge]:
        """Challenges that any version of Table 1 lists under ``step`` (moved ones included),
        or, in an area the knowledge base adds, the additions of that step."""
        return self.referrers(step, Challenge, "placements") + self.referrers(
            step, Challenge, "step"
        )

    def paper_section_of(self, entity: Entity) -> PaperSection | None:
        """The top-level section of the survey an entity belongs to (for grouping)."""
        sections = self.all(PaperSection)
        if isinstance(entity, PaperSection):
            return entity
        if isinstance(entity, Stage | Step | Challenge):
            stage = self.stage_of(entity) if not isinstance(entity, Stage) else entity
            return next((s for s in sections if s.stage == stage.id), None)
        if isinstance(entity, Solution):
            for section in sections:
                if entity.kind in section.solution_kinds:
                    return section
            first: Entity = self.get(Challenge, entity.challenges[0])
            return self.paper_section_of(first)
        if isinstance(entity, CaseStudy):
            return self.paper_section_of(self.get(Challenge, entity.challenges[0]))
        if isinstance(entity, Reference):
            for model in (PaperSection, Challenge, CaseStudy, Solution):
                citing: list[Entity] = list(self.referrers(entity, model))
                if citing:
                    return self.paper_section_of(citing[0])
        return None

    def related_challenges(
        self, challenge: Challenge, origin: str | None = None
    ) -> list[Challenge]:
        """Other challenges sharing a case study or a solution with ``challenge`` (only through
        entries of ``origin`` when given), and those its ``related`` field names or that name it.

        The survey's challenges are related through the survey's own entries only, so that an
        addition never changes what a survey page says; additions are shown apart.
        """
        related: dict[str, Challenge] = {}
        for model in (CaseStudy, Solution):
            for item in self.referrers(challenge, model, "challenges"):
                if origin is not None and item.origin != origin:
                    continue
                for other in self.targets(item, Challenge, "challenges"):
                    if other.id != challenge.id and (origin is None or other.origin == origin):
                        related[other.id] = other
        if origin is None:
            for other in self.targets(challenge, Challenge, "related"):
                related[other.id] = other
            for other in self.referrers(challenge, Challenge, "related"):
                related[other.id] = other
        return [related[k] for k in sorted(related)]


def load_corpus(data_dir: Path, root: Path | None = None) -> Corpus:
    """Load and check ``data_dir``; raise CorpusError listing every problem found."""
    root = root if root is not None else data_dir.parent

    def display(path: Path) -> str:
        return Path(os.path.relpath(path, root)).as_posix()

    problems: list[Diagnostic] = []
    if not data_dir.is_dir():
        raise CorpusError(
            [
                Diagnostic(
                    display(data_dir),
                    1,
                    1,
                    "missing data folder (expected one folder per collection: "
                    + ", ".join(FOLDERS)
                    + ")",
                )
            ]
        )
    for child in sorted(data_dir.iterdir()):
        if child.is_dir() and child.name not in FOLDERS and child.name not in EXTRA_FOLDERS:
            problems.append(
                Diagnostic(
                    display(child),
                    1,
                    1,
                    f"unknown collection folder {child.name!r}{did_you_mean(child.name, FOLDERS)}"
                    f" (expected one of: {', '.join(FOLDERS)})",
                )
            )

    entities: dict[str, dict[str, Entity]] = {folder: {} for folder in FOLDERS}
    # IDs whose file exists but is broken: references to them are not reported a second time.
    broken: dict[str, set[str]] = {folder: set() for folder in FOLDERS}
    paths: dict[tuple[str, str], str] = {}
    sources: dict[tuple[str, str], Source] = {}
    for folder, model in FOLDERS.items():
        folder_path = data_dir / folder
        if not folder_path.is_dir():
            problems.append(
                Diagnostic(display(folder_path), 1, 1, "missing collection folder (create it)")
            )
            continue
        for path in sorted(folder_path.iterdir()):
            if path.suffix in {".md", ".json"} or path.name.startswith("."):
                continue  # READMEs and editor files live beside the data
            if path.suffix != ".yaml" or not path.is_file():
                problems.append(
                    Diagnostic(
                        display(path),
                        1,
                        1,
                        f"unexpected file (entries are <id>.yaml files; rename it to "
                        f"{path.stem}.yaml)",
                    )
                )
                continue
            shown = display(path)
            parsed = read_entry_source(shown, path.read_bytes())
            if isinstance(parsed, list):
                problems.extend(parsed)
                broken[folder].add(path.stem)
                continue
            entity = validate_source(model, parsed, problems)
            if entity is None:
                broken[folder].add(path.stem)
                continue
            if entity.id != path.stem:
                twin = folder_path / f"{entity.id}.yaml"
                problems.append(
                    parsed.at(
                        ("id",),
                        f"id: {entity.id!r} is already the ID of {display(twin)} (every entry "
                        f"needs its own ID, equal to its file name: here {path.stem!r})"
                        if twin.is_file()
                        else f"id: {entity.id!r} does not match the file name {path.name!r} "
                        f"(IDs are permanent: rename the file to {entity.id}.yaml only if this "
                        "entry was never published)",
                    )
                )
                broken[folder].add(path.stem)
                continue
            entities[folder][entity.id] = entity
            paths[(folder, entity.id)] = shown
            sources[(folder, entity.id)] = parsed

    refs: list[Ref] = []
    # Same-collection references, kept with their place in the file for the cycle check.
    loops: list[tuple[Ref, Source, Loc, bool]] = []
    for (folder, entity_id), source in sources.items():
        entity = entities[folder][entity_id]
        seen: set[tuple[str, str]] = set()
        for loc, target, target_id in _references(entity, ()):
            dotted = _dotted(loc)
            if target_id in broken[target.folder]:
                continue
            if target_id not in entities[target.folder]:
                problems.append(
                    source.at(
                        loc,
                        f"{dotted}: unknown {target.folder} id {target_id!r}"
                        f"{did_you_mean(target_id, entities[target.folder])}",
                    )
                )
            elif (_field_of(loc), target_id) in seen:
                problems.append(source.at(loc, f"{dotted}: {target_id!r} is listed twice"))
            elif target.folder == folder and target_id == entity_id:
                problems.append(
                    source.at(loc, f"{dotted}: {target_id!r} refers to the entry itself")
                )
            else:
                seen.add((_field_of(loc), target_id))
                refs.append(Ref(entity, _field_of(loc), target.folder, target_id))
                retired = reference_problem(entity, dotted, entities[target.folder][target_id])
                if retired:
                    problems.append(source.at(loc, retired))
                if target.folder == folder:
                    loops.append((refs[-1], source, loc, target.acyclic))
    problems.extend(_cycles(loops))
    problems.extend(check_lifecycle(entities, sources, broken))

    if not problems:  # coverage is judged on a corpus whose links all resolve, so no cascades
        problems.extend(_check_case_study_coverage(entities, sources, refs))
    if problems:
        raise CorpusError(problems)
    return Corpus(entities, paths, refs)


def _check_case_study_coverage(
    entities: dict[str, dict[str, Entity]], sources: dict[tuple[str, str], Source], refs: list[Ref]
) -> list[Diagnostic]:
    """A challenge either has a case study or says why not, so readers never meet a silent gap."""
    illustrated = {
        r.target_id
        for r in refs
        if isinstance(r.source, CaseStudy)
        and not r.source.retired
        and r.target_folder == Challenge.folder
    }
    problems = []
    for challenge in entities[Challenge.folder].values():
        assert isinstance(challenge, Challenge)
        source = sources[(Challenge.folder, challenge.id)]
        if challenge.id in illustrated and challenge.no_case_study:
            problems.append(
                source.at(
                    ("no_case_study",),
                    "no_case_study: a case study illustrates this challenge; remove this field",
                    value=False,
                )
            )
        elif challenge.id not in illustrated and not challenge.no_case_study:
            problems.append(
                source.at(
                    ("id",),
                    "no case study illustrates this challenge: list it in a case study's "
                    "challenges, or say why there is none in no_case_study",
                )
            )
    return problems


def validate_source(
    model: type[M], source: Source, problems: list[Diagnostic], skeleton: str = "kb new"
) -> M | None:
    """``source`` validated as ``model``, or None with its problems added to ``problems``.

    ``skeleton`` names the command whose placeholders a file may still hold.
    """
    data = source.data
    required = [n for n, f in model.model_fields.items() if f.is_required()]
    if data is None:
        problems.append(
            source.at((), f"empty file (expected a mapping with at least: {', '.join(required)})")
        )
        return None
    if not isinstance(data, dict):
        problems.append(
            source.at(
                (),
                f"expected a mapping of fields ({', '.join(required)}), found {_kind(data)}",
            )
        )
        return None
    # Values a skeleton left to fill are named as such, not as the type errors they cause.
    left = [loc for loc, text in source.strings() if text.startswith(PLACEHOLDER)]
    problems.extend(
        source.at(
            loc,
            f"{_dotted(loc)}: still the placeholder from '{skeleton}': fill it in (the "
            "comment above it says what goes here)",
        )
        for loc in left
    )
    try:
        entity = model.model_validate(data)
    except pydantic.ValidationError as exc:
        for error in exc.errors():
            if not any(tuple(error["loc"])[: len(loc)] == loc for loc in left):
                problems.append(_diagnostic(model, source, error))
        return None
    return None if left else entity


PATTERN_HINTS = {
    "^[a-z0-9]+(?:-[a-z0-9]+)*$": "a kebab-case ID such as 'concept-drift'",
    "^[1-9][0-9]?(?:\\.[1-9][0-9]?)?$": 'a section number such as "3" or "3.1"',
    f"^10\\.\\d{{4,9}}/{URL_CHARS}$": "a DOI such as 10.1145/3533378 (without https://doi.org/)",
    f"^https?://{URL_CHARS}$": "an http(s) URL without spaces, quotes, brackets or braces",
    f"^https://{URL_CHARS}$": "an https URL without spaces, quotes, brackets or braces",
    DATE_PATTERN: "a date such as 2024-04-17 (or 2024-04, or 2024, where no more is known)",
}


def _diagnostic(model: type[Strict], source: Source, error: Any) -> Diagnostic:
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), allowed)
        return source.at(
            loc,
            f"{_dotted(loc)}: unknown key{hint} (allowed here: {', '.join(allowed)})",
            value=False,
        )
    if kind == "missing":
        return source.at(loc[:-1], f"{_dotted(loc)}: missing required field", value=False)
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        expected = PATTERN_HINTS.get(pattern, f"text matching {pattern}")
        return source.at(loc, f"{_dotted(loc)}: expected {expected}, found {value!r}")
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        return source.at(
            loc, f"{_dotted(loc)}: expected text, found the number {value!r} (put it in quotes)"
        )
    if kind == "string_type" and isinstance(value, dict) and len(value) == 1:
        # "- Latency: 20 ms" is valid YAML for a one-key mapping, not the text that was meant.
        (key, item), *_ = value.items()
        return source.at(
            loc,
            f"{_dotted(loc)}: expected text, found {f'{key}: {item}'!r} read as a key and its "
            "value (a ': ' inside a value: put the whole value in quotes)",
        )
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), choices)
        return source.at(
            loc, f"{_dotted(loc)}: {value!r} is not allowed{hint} (expected {expected})"
        )
    if kind in _SIZES:
        text = isinstance(value, str)
        what, bound, key = _SIZES[kind]
        limit = error.get("ctx", {}).get(key)
        size = f"{len(value)} characters" if text else str(len(value))
        what = what if text else {"too long": "too many items", "too short": "too few items"}[what]
        return source.at(loc, f"{_dotted(loc)}: {what}: {size} ({bound} {limit})")
    if kind in _BOUNDS:
        what, key = _BOUNDS[kind]
        limit = error.get("ctx", {}).get(key)
        return source.at(loc, f"{_dotted(loc)}: expected a number {what} {limit}, found {value!r}")
    if kind in _EXPECTED:
        return source.at(loc, f"{_dotted(loc)}: expected {_EXPECTED[kind]}, found {_kind(value)}")
    message = error["msg"]
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    return source.at(loc, f"{_dotted(loc) or 'file'}: {message}")


_SIZES = {
    "string_too_long": ("too long", "at most", "max_length"),
    "too_long": ("too long", "at most", "max_length"),
    "string_too_short": ("too short", "at least", "min_length"),
    "too_short": ("too short", "at least", "min_length"),
}

_BOUNDS = {
    "greater_than_equal": ("of at least", "ge"),
    "less_than_equal": ("of at most", "le"),
}

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    return f"{type(value).__name__} {value!r}"


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _field_of(loc: Loc) -> str:
    return ".".join(str(p) for p in loc if not isinstance(p, int))


def _fields_at(model: type[Strict], loc: Loc) -> list[str]:
    """The keys allowed at ``loc`` inside ``model`` (for 'did you mean' hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if _is_model(current) else None
        if info is None:
            return []
        current = next((a for a in _flatten(info.annotation) if _is_model(a)), None)
    return list(current.model_fields) if _is_model(current) else []


def _is_model(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, pydantic.BaseModel)


def _flatten(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, typing.Annotated):
        return [a for arg in typing.get_args(annotation) for a in _flatten(arg)]
    return [annotation]


def _cycles(loops: list[tuple[Ref, Source, Loc, bool]]) -> list[Diagnostic]:
    """A diagnostic at each link of a loop through an ``acyclic`` same-collection field."""
    graph: dict[tuple[str, str, str], list[str]] = defaultdict(list)  # (folder, field, id) -> ids
    for ref, _source, _loc, acyclic in loops:
        if acyclic:
            graph[(ref.target_folder, ref.field, ref.source.id)].append(ref.target_id)
    problems = []
    for ref, source, loc, acyclic in loops:
        key = (ref.target_folder, ref.field)
        if acyclic and (back := _path(graph, key, ref.target_id, ref.source.id)):
            chain = " -> ".join([ref.source.id, *back])
            problems.append(
                source.at(
                    loc,
                    f"{_dotted(loc)}: cycle {chain} (a chain of {ref.field} references must end)",
                )
            )
    return problems


def _path(
    graph: dict[tuple[str, str, str], list[str]], key: tuple[str, str], start: str, goal: str
) -> list[str]:
    """The shortest chain of IDs from ``start`` to ``goal`` (both included), or [] if none."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path: list[str] = []
            step: str | None = node
            while step is not None:
                path.append(step)
                step = previous[step]
            return path[::-1]
        for following in graph.get((*key, node), []):
            if following not in previous:
                previous[following] = node
                queue.append(following)
    return []


def _references(obj: Strict, loc: Loc) -> list[tuple[Loc, RefTo, str]]:
    """Every (loc, RefTo marker, id) that ``obj`` points at, read from the RefTo markers."""
    found: list[tuple[Loc, RefTo, str]] = []
    for name, info in type(obj).model_fields.items():
        value = getattr(obj, name)
        target = next((m for m in info.metadata if isinstance(m, RefTo)), None)
        if target is not None:
            if isinstance(value, str):
                found.append(((*loc, name), target, value))
            elif isinstance(value, list):
                found.extend(((*loc, name, i), target, v) for i, v in enumerate(value))
        elif isinstance(value, Strict):
            found.extend(_references(value, (*loc, name)))
    return found
