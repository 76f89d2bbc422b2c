"""Reading one YAML file into data plus the line and column of every key and item."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from kb.diagnostics import Diagnostic

Loc = tuple[str | int, ...]
"""A path into a document: keys and list indexes, as in pydantic's error ``loc``."""

# libyaml is about 9x faster; fall back to the pure-Python loader where it is not compiled in.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Reads an unquoted 2024-04-17 as the text written, not a date object: PyYAML would raise
    ValueError (a traceback, not a diagnostic) on 2024-02-30, and the models check dates."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)


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

    def strings(self) -> list[tuple[Loc, str]]:
        """Every text value in the file with its place, in document order."""
        found: list[tuple[Loc, str]] = []
        stack: list[tuple[Loc, Any]] = [((), self.data)]
        while stack:
            loc, value = stack.pop()
            if isinstance(value, str):
                found.append((loc, value))
            elif isinstance(value, dict):
                stack.extend(((*loc, k), v) for k, v in reversed(value.items()))
            elif isinstance(value, list):
                stack.extend(((*loc, i), v) for i, v in reversed(list(enumerate(value))))
        return found


_PARSED: dict[str, tuple[bytes, Source | list[Diagnostic]]] = {}  # path -> its last parse


def read_entry_source(path: str, raw: bytes) -> Source | list[Diagnostic]:
    """:func:`read_source` for an entry of the corpus, a translation or the ledger, remembered
    for the life of the process by its path and bytes: ``kb serve`` loads the corpus again
    after every edit, and parsing is most of loading, so only the files whose bytes changed are
    parsed again. Callers only read what it returns."""
    last = _PARSED.get(path)
    if last is not None and last[0] == raw:
        return last[1]
    parsed = read_source(path, raw)
    _PARSED[path] = (raw, parsed)
    return parsed


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
        line, column, problem = _syntax_error(text, exc)
        return [Diagnostic(path, line, column, f"invalid YAML: {problem}")]
    except yaml.YAMLError as exc:
        return [Diagnostic(path, 1, 1, f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    source = Source(path, data)
    if node is not None:
        _index(node, (), source)
    return source


# Where the parser gives up is often far from the mistake: an unclosed quote runs on to the next
# quote, lines later; a ': ' in a value or a key out of line stops it at a colon. These helpers
# look at the text and tokens around the stop and report the mistake itself, with what to change.

_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<item>- +)?(?P<key>[^\s#'\"\-][^:#]*?):(?:\s|$)")
_ITEM_LINE = re.compile(r"^(?P<indent> *)- +(?P<text>\S.{0,20})")
_QUOTE_ESCAPES = {'"': 'write a " inside "..." as \\"', "'": "write a ' inside '...' as ''"}


def _syntax_error(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """``(line, column, problem)`` of a YAML syntax error, placed at the likely mistake."""
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and "quoted scalar" in (exc.context or ""):
        mark = exc.context_mark  # where the quote opens, not the end of the file
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    here = lines[line - 1] if line <= len(lines) else ""
    if here[column - 1 : column] == "\t":
        return line, column, "tab character (indent with spaces)"
    tokens = _tokens_before(text, (line, column))
    swallowed = _runaway_quote(text, tokens)
    if swallowed:
        return swallowed
    problem = exc.problem or ""
    if problem.startswith("mapping values are not allowed"):
        return _colon_in_value(lines, line, column)
    if exc.context == "while parsing a block mapping" or problem.startswith("expected <block end>"):
        early = _quote_closed_early(tokens, (line, column))
        if early:
            return early
        indent = len(here) - len(here.lstrip(" "))
        if column == indent + 1:
            return _out_of_line(lines, line, indent)
    return line, column, _yaml_problem(exc)


def _tokens_before(text: str, stop: tuple[int, int]) -> list[yaml.Token]:
    """The tokens the pure-Python scanner reads before ``stop`` (1-based line and column)."""
    found: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if (token.start_mark.line + 1, token.start_mark.column + 1) >= stop:
                break
            found.append(token)
    except yaml.YAMLError:
        pass  # the scanner stops at the same mistake; what it read before is what we need
    return found


def _runaway_quote(text: str, tokens: list[yaml.Token]) -> tuple[int, int, str] | None:
    """A quoted value whose quote is not closed on its line and that swallowed later keys."""
    for token in tokens:
        if not isinstance(token, yaml.ScalarToken) or token.style not in ('"', "'"):
            continue
        start, end = token.start_mark, token.end_mark
        opening = text.splitlines()[start.line]
        level = len(opening) - len(opening.lstrip(" "))
        inside = text[start.index : end.index].split("\n")[1:]
        # A key at the level of the one whose value opened the quote was meant as the next key.
        keys = [row for row in inside if (m := _KEY_LINE.match(row)) and len(m["indent"]) <= level]
        if keys:
            quote = token.style
            return (
                start.line + 1,
                start.column + 1,
                f"the quote {quote} opened here is not closed on its line, so the value runs on to "
                f"the next {quote} on line {end.line + 1} and swallows the lines between (close it "
                f"on this line; {_QUOTE_ESCAPES[quote]})",
            )
    return None


def _quote_closed_early(
    tokens: list[yaml.Token], stop: tuple[int, int]
) -> tuple[int, int, str] | None:
    """Text right after a closing quote: a quote inside the value closed it too soon."""
    last = tokens[-1] if tokens else None
    if (
        isinstance(last, yaml.ScalarToken)
        and last.style in ('"', "'")
        and last.end_mark.line + 1 == stop[0]
    ):
        quote = last.style
        return (
            stop[0],
            last.end_mark.column,  # the quote that ended the value (1-based: end is past it)
            f"this {quote} ends the quoted value, but the value goes on after it "
            f"({_QUOTE_ESCAPES[quote]}, or quote the value with the other kind of quote)",
        )
    return None


def _colon_in_value(lines: list[str], line: int, column: int) -> tuple[int, int, str]:
    """A ': ' where a value goes on: inside a one-line value, or in a continued (too deep) line."""
    here = lines[line - 1]
    own = _KEY_LINE.match(here[: column - 1] + ": ")
    if own and len(own.group(0)) < column:
        key = own.group("key").strip()
        return (
            line,
            column,
            f"a ': ' inside the value of {key!r} (put the whole value in quotes, "
            "or write it as a block: '>-' after the key, the text indented on the next lines)",
        )
    indent = len(here) - len(here.lstrip(" "))
    owner = _enclosing(lines, line, indent)
    if owner is None:
        return line, indent + 1, "a ':' inside a value (put the whole value in quotes)"
    owner_line, owner_indent, label = owner
    align = (
        f"indent it by {_spaces(owner_indent)} like {label!r}"
        if label.endswith(":")
        else "line it up with the keys it belongs with"
    )
    return (
        line,
        indent + 1,
        f"this line is indented deeper than {label!r} (line {owner_line}), so it reads as more "
        f"of that value, where ': ' is not allowed (a new key: {align}; more text: put the whole "
        "value in quotes)",
    )


def _out_of_line(lines: list[str], line: int, indent: int) -> tuple[int, int, str]:
    """A key or item whose indentation matches none of the lines it could belong with."""
    levels: list[tuple[int, int, str]] = []
    deepest = None
    for number in range(line - 1, 0, -1):
        row = lines[number - 1]
        if not row.strip() or row.lstrip().startswith("#"):
            continue
        label = _line_label(row)
        depth = len(row) - len(row.lstrip(" "))
        if label and (deepest is None or depth < deepest):
            levels.append((number, depth, label))
            deepest = depth
        if deepest == 0:
            break
    spaces = _spaces(indent)
    choices = ", or ".join(
        f"by {_spaces(depth)} like {label!r} on line {n}" for n, depth, label in levels[:3]
    )
    return (
        line,
        indent + 1,
        f"this line is indented by {spaces}, which lines up with no key or item above it "
        f"(indent it {choices})"
        if choices
        else f"this line is indented by {spaces}, which lines up with nothing above it",
    )


def _enclosing(lines: list[str], line: int, indent: int) -> tuple[int, int, str] | None:
    """The nearest key or item above ``line`` that is indented less than ``indent``."""
    for number in range(line - 1, 0, -1):
        row = lines[number - 1]
        label = _line_label(row)
        depth = len(row) - len(row.lstrip(" "))
        if label and depth < indent:
            return number, depth, label
    return None


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _line_label(row: str) -> str | None:
    """How to name a line in a message: its key (``'summary:'``) or its list item (``'- a'``)."""
    if found := _KEY_LINE.match(row):
        return f"{found['item'] or ''}{found['key'].strip()}:".replace("  ", " ")
    if found := _ITEM_LINE.match(row):
        return f"- {found['text'].rstrip()}"
    return None


# PyYAML's wording for the commonest slips, said in terms of what to change.
_PROBLEMS = {
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
