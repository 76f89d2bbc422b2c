"""The URL ledger: every address generated from the corpus, so that none of them ever breaks.

``data/ledger.yaml`` lists each published URL path with its kind and, for entry pages, the
anchors of its sections (the explicit ``{ #id }`` of its H2 headings); hand-written pages in
``docs/`` are not in it. ``scripts/build.py ledger`` adds what the site publishes now and never
removes anything; the build compares the ledger with the site about to be built and fails when:

- a listed URL no longer resolves: no page, tombstone or redirect serves it;
- a listed anchor is gone from its page (or, for a redirect, from the page it leads to);
- an ID is reused: a URL can only move forward, ``entry -> tombstone`` (the entry was retired)
  or ``entry -> redirect`` (it was renamed or moved). A tombstone never becomes a live entry
  again, a redirect never becomes a page, and an index page stays an index page.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import pydantic
from pydantic import Field, StringConstraints

from kb.corpus import Corpus
from kb.diagnostics import Diagnostic
from kb.i18n import EDITIONS
from kb.models import Slug, Strict
from kb.permalinks import page_url, redirect_targets
from kb.render import page_path, sections_of
from kb.sources import Source, read_entry_source, read_source

LEDGER = "ledger.yaml"
"""The ledger's file name, at the top of the data folder (beside the collection folders)."""

Kind = Literal["index", "entry", "tombstone", "redirect"]

ALLOWED: dict[str, set[str]] = {
    "index": {"index"},
    "entry": {"entry", "tombstone", "redirect"},
    "tombstone": {"tombstone"},
    "redirect": {"redirect"},
}
"""For each kind of URL in the ledger, the kinds it may have now."""

_HEADER = """\
# The URL ledger: every address generated from data/ that the site has published (entry pages,
# tombstones, redirects, index pages), with the section anchors of entry pages. Written by
# `make ledger` (scripts/build.py ledger), which adds and never removes: do not edit it by hand.
# The build fails when an address listed here stops resolving, or when an ID is reused; see
# docs/contributing.md for what to do instead.
"""
_FORMER = re.compile(r"^\{: #([A-Za-z0-9_-]+) \}$", re.MULTILINE)

EDITION_PREFIXES = {e.prefix for e in EDITIONS.values() if e.prefix}

UrlPath = Annotated[str, StringConstraints(pattern=r"^/(?:[a-z0-9]+(?:-[a-z0-9]+)*/)*$")]


class Record(Strict):
    """What the ledger knows of one URL."""

    kind: Kind
    anchors: list[Slug] = Field(default=[])


_LEDGER = pydantic.TypeAdapter(dict[UrlPath, Record])


@dataclass(frozen=True)
class Published:
    """One URL of the site about to be built: its record, and the data file behind it."""

    record: Record
    source: str | None = None  # data file, relative to the project root
    target: str | None = None  # for a redirect: the URL it leads to


def published(corpus: Corpus, pages: dict[str, str], prefix: str = "") -> dict[str, Published]:
    """Every URL the generated site serves, with the anchors it guarantees.

    ``prefix`` is the path of the edition the pages belong to (``ja/``; empty for English).
    """
    entities = {page_path(e): e for folder in corpus.entities.values() for e in folder.values()}
    found: dict[str, Published] = {}
    for path, markdown in pages.items():
        entity = entities.get(path)
        url = "/" + prefix + page_url(path).lstrip("/")
        if entity is None:
            found[url] = Published(Record(kind="index"))
            continue
        anchors = [a for _, a in sections_of(markdown)]
        if entity.retired:
            anchors += _FORMER.findall(markdown)
        found[url] = Published(
            Record(kind="tombstone" if entity.retired else "entry", anchors=sorted(set(anchors))),
            source=corpus.path_of(entity),
        )
    for redirect, target in redirect_targets(corpus).items():
        target_url = "/" + prefix + page_url(page_path(target)).lstrip("/")
        found["/" + prefix + redirect.lstrip("/")] = Published(
            Record(kind="redirect", anchors=found[target_url].record.anchors),
            source=corpus.path_of(target),
            target=target_url,
        )
    return dict(sorted(found.items()))


def read_ledger(path: Path, shown: str) -> tuple[dict[str, Record], Source | None]:
    """The ledger and its YAML positions; an absent file is an empty ledger.

    Raises:
        LedgerError: the file cannot be read as a ledger.
    """
    if not path.is_file():
        return {}, None
    source = read_entry_source(shown, path.read_bytes())
    if isinstance(source, list):
        raise LedgerError(source)
    if source.data is None:
        return {}, source
    try:
        return _LEDGER.validate_python(source.data), source
    except pydantic.ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            url, rest = (str(loc[0]), loc[1:]) if loc else ("ledger", ())
            if rest == ("[key]",):
                message = f"{url}: expected a URL path such as /challenges/concept-drift/"
            elif error["type"] == "string_pattern_mismatch":
                where = ".".join(str(p) for p in rest)
                message = f"{url} {where}: expected an anchor such as case-studies"
            else:
                where = ".".join(str(p) for p in rest)
                message = f"{url} {where}: {error['msg']}".replace(" : ", ": ")
            problems.append(
                source.at(
                    loc[:1],
                    message + " (restore the line from git: only make ledger writes this file)",
                    value=False,
                )
            )
        raise LedgerError(problems) from None


class LedgerError(Exception):
    """The ledger file itself is broken."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(map(str, diagnostics)))


def ledger_problems(
    corpus: Corpus, pages: dict[str, str], data_dir: Path, root: Path, prefix: str = ""
) -> list[Diagnostic]:
    """Read ``data/ledger.yaml`` and check one edition of the site about to be built against it.

    ``prefix`` names the edition (``ja/``, or empty for English): only its URLs are checked.
    """
    shown = Path(os.path.relpath(data_dir / LEDGER, root)).as_posix()
    try:
        ledger, source = read_ledger(data_dir / LEDGER, shown)
    except LedgerError as exc:
        return exc.diagnostics
    mine = {url: record for url, record in ledger.items() if edition_of(url) == prefix}
    return sorted(check_ledger(mine, source, published(corpus, pages, prefix), root))


def edition_of(url: str) -> str:
    """The prefix of the edition a ledger URL belongs to: ``ja/`` or empty for English."""
    first = url.strip("/").split("/", 1)[0] + "/"
    return first if first in EDITION_PREFIXES else ""


def check_ledger(
    ledger: dict[str, Record],
    source: Source | None,
    current: dict[str, Published],
    root: Path,
) -> list[Diagnostic]:
    """Every published URL and anchor of ``ledger`` that ``current`` breaks."""
    problems: list[Diagnostic] = []
    for url, record in ledger.items():
        here = _at(source, url)
        now = current.get(url)
        if now is None:
            problems.append(
                here(f"{url} was published but nothing serves it now: {_gone(url, record)}")
            )
            continue
        if now.record.kind not in ALLOWED[record.kind]:
            problems.append(_reused(url, record, now, root, here))
            continue
        page = f"{now.target}, where it redirects," if now.target else "its page"
        for anchor in record.anchors:
            if anchor not in now.record.anchors:
                problems.append(
                    here(
                        f"{url}#{anchor} was published but {page} has no such anchor now; "
                        f"keep the explicit heading ID {{ #{anchor} }} in the template"
                    )
                )
    return problems


def merge_ledger(ledger: dict[str, Record], current: dict[str, Published]) -> dict[str, Record]:
    """The ledger with what ``current`` publishes added: new URLs, new anchors, new kinds."""
    merged = dict(ledger)
    for url, now in current.items():
        old = ledger.get(url)
        if old is None:
            merged[url] = now.record
        elif now.record.kind in ALLOWED[old.kind]:
            anchors = sorted(set(old.anchors) | set(now.record.anchors))
            merged[url] = Record(kind=now.record.kind, anchors=anchors)
    return dict(sorted(merged.items()))


def dump_ledger(ledger: dict[str, Record]) -> str:
    """The ledger file's text: one line per URL, sorted, so every change is a one-line diff."""
    lines = [_HEADER.rstrip("\n")]
    for url, record in sorted(ledger.items()):
        anchors = f", anchors: [{', '.join(record.anchors)}]" if record.anchors else ""
        lines.append(f"{url}: {{kind: {record.kind}{anchors}}}")
    return "\n".join(lines) + "\n"


def _at(source: Source | None, url: str) -> Callable[[str], Diagnostic]:
    def at(message: str) -> Diagnostic:
        if source is None:
            return Diagnostic(f"data/{LEDGER}", 1, 1, message)
        return source.at((url,), message, value=False)

    return at


def _gone(url: str, record: Record) -> str:
    parts = url.strip("/").removeprefix(edition_of(url)).strip("/").split("/")
    if len(parts) != 2:
        return "restore the page (index pages are permanent)"
    folder, entity_id = parts
    if record.kind == "redirect":
        return (
            f"put {entity_id!r} back under redirect_from in the entry it led to "
            "(a former ID redirects forever)"
        )
    if record.kind == "tombstone":
        return f"restore data/{folder}/{entity_id}.yaml (a retired entry keeps its file forever)"
    return (
        f"data/{folder}/{entity_id}.yaml is gone. Keep the file and retire the entry "
        f"(status: deprecated, merged or split), or, if it was renamed, add {entity_id!r} to "
        "redirect_from in the entry that replaces it"
    )


def _reused(
    url: str, record: Record, now: Published, root: Path, here: Callable[[str], Diagnostic]
) -> Diagnostic:
    entity_id = url.strip("/").split("/")[-1]
    if record.kind == "tombstone":
        message = (
            f"id: {entity_id!r} was retired ({url} is a tombstone in data/{LEDGER}); a retired "
            "entry stays retired: put it back to its retired status and give new work a new ID"
        )
    elif record.kind == "redirect":
        message = (
            f"id: {entity_id!r} is a former ID ({url} redirects, per data/{LEDGER}); IDs are "
            "never reused: choose another ID for this entry"
        )
    else:
        message = f"{url} was published as {record.kind} and is now {now.record.kind}"
    if now.source is None or now.record.kind == "redirect":
        return here(message)
    parsed = read_source(now.source, (root / now.source).read_bytes())
    if isinstance(parsed, list):
        return here(message)
    key = "status" if ("status",) in parsed.key_marks else "id"
    return parsed.at((key,), message, value=False)
