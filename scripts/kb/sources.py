"""Reading one YAML file into data plus the line and column of every key and item."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from kb.diagnostics import Diagnostic

Loc = tuple[str | int, ...]
"""A path into a document: keys and list indexes, as in pydantic's error ``loc``."""

# libyaml is about 9x faster; fall back to the pure-Python loader where it is not compiled in.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Source:
    """A parsed YAML file: its data and where each part of it starts (1-based)."""

    path: str
    data: Any
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    value_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def at(self, loc: Loc, message: str, *, value: bool = True) -> Diagnostic:
        """A diagnostic at ``loc``, or at its nearest ancestor that exists in the file."""
        marks = self.value_marks if value else self.key_marks
        while loc and loc not in marks:
            loc = loc[:-1]
        line, column = marks.get(loc, (1, 1))
        return Diagnostic(self.path, line, column, message)


def read_source(path: str, raw: bytes) -> Source | list[Diagnostic]:
    """Parse one file; return its Source, or the diagnostics that stop it from being read."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return [
            Diagnostic(
                path,
                line,
                column,
                f"not UTF-8: byte 0x{raw[exc.start]:02x} (save the file as UTF-8)",
            )
        ]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        problems = _check_keys(path, node) if node is not None else []
        if problems:
            return problems
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "quoted scalar" in (exc.context or ""):
            mark = exc.context_mark  # where the quote opens, not the end of the file
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        lines = text.splitlines()
        if line <= len(lines) and lines[line - 1][column - 1 : column] == "\t":
            return [
                Diagnostic(path, line, column, "invalid YAML: tab character (indent with spaces)")
            ]
        return [Diagnostic(path, line, column, f"invalid YAML: {_yaml_problem(exc)}")]
    except yaml.YAMLError as exc:
        return [Diagnostic(path, 1, 1, f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    source = Source(path, data)
    if node is not None:
        _index(node, (), source)
    return source


# PyYAML's wording for the commonest slips, said in terms of what to change.
_PROBLEMS = {
    "mapping values are not allowed": "a ':' inside a value, or a key indented too deep "
    "(quote the value, or align the key with its neighbours)",
    "but found another document": "a second document starts here (one entry per file: "
    "remove the '---' line and what follows, or move it to its own file)",
    "found unexpected end of stream": "a quoted value that starts here is never closed "
    "(add the closing quote)",
}


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "syntax error"
    for known, plain in _PROBLEMS.items():
        if problem.startswith(known):
            return plain
    if problem.startswith("could not determine a constructor for the tag"):
        tag = problem.rsplit(" ", 1)[-1].replace("tag:yaml.org,2002:", "!!")
        return f"the tag {tag} is not allowed (plain YAML only: remove the tag or quote the value)"
    if exc.context:
        return f"{problem} ({exc.context})"
    return problem


def _check_keys(path: str, node: yaml.Node) -> list[Diagnostic]:
    """Duplicate keys: PyYAML keeps the last one silently, which hides a typo or a merge slip."""
    problems: list[Diagnostic] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for key, value in current.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else None
                if name is not None and name in seen:
                    first = seen[name].start_mark.line + 1
                    problems.append(
                        Diagnostic(
                            path,
                            key.start_mark.line + 1,
                            key.start_mark.column + 1,
                            f"duplicate key {name!r} (first defined on line {first}; "
                            "keep one of them)",
                        )
                    )
                elif name is not None:
                    seen[name] = key
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return problems


def _index(node: yaml.Node, loc: Loc, source: Source) -> None:
    source.value_marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    source.key_marks.setdefault(loc, source.value_marks[loc])
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*loc, key.value)
            source.key_marks[child] = (key.start_mark.line + 1, key.start_mark.column + 1)
            _index(value, child, source)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*loc, i), source)
