"""The repository's history of the corpus: a *source*, read once per build by one ``git log``.

Entry pages say when their data last changed, and the Changes page and feed list what changed,
from the commits that touched ``data/``. Nothing here reads the clock, so the same corpus and the
same history build the same site. The history is *unavailable* (and pages say so) in a copy
without ``.git``, where git is missing or fails, and in a shallow clone, whose oldest commit would
otherwise claim to have added every file.

A page may be built from several files (a translation beside its entry, later), so the lookup
takes a list of paths: :meth:`History.for_page`.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Kind = Literal["added", "edited", "retired", "redirected"]
"""What a commit did to an entry: retired and redirected are read from the lines it added."""

Unavailable = Literal["not-read", "no-repository", "no-git", "git-failed", "shallow"]
"""Why a build has no history (templates turn each into a sentence)."""

RETIRED = ("deprecated", "merged", "split")

_RECORD = "\x1e"  # starts each commit's header line in the log
_FIELD = "\x1f"
_FORMAT = _RECORD + _FIELD.join(("%H", "%ct", "%D", "%s"))
_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?:\s|$)")
_RETIRING = re.compile(r"status:\s*[\"']?(?:" + "|".join(RETIRED) + r")\b")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # the last part of a redirect_from value
_HUNK = re.compile(r"@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@ ?(.*)")


@dataclass(frozen=True)
class Commit:
    """One commit that changed the corpus."""

    sha: str
    time: int  # committer date, seconds since the epoch
    subject: str

    @property
    def short(self) -> str:
        """The abbreviated hash shown to readers (12 hex digits: stable for a long history)."""
        return self.sha[:12]

    @property
    def date(self) -> str:
        """The commit's day in UTC, ``YYYY-MM-DD`` (the same in every language)."""
        return datetime.fromtimestamp(self.time, UTC).strftime("%Y-%m-%d")

    @property
    def timestamp(self) -> str:
        """RFC 3339 in UTC, for feeds and metadata: ``2026-11-27T09:03:27Z``."""
        return datetime.fromtimestamp(self.time, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Change:
    """What one commit did to one data file."""

    commit: Commit
    path: str  # relative to the repository root, e.g. data/challenges/concept-drift.yaml
    kind: Kind


@dataclass(frozen=True)
class PageHistory:
    """What a page says about its history: its data files and the newest change to any of them."""

    sources: tuple[str, ...]
    last: Change | None
    unavailable: Unavailable | None


@dataclass(frozen=True)
class History:
    """Every change to the corpus, newest first (git's order), or why there is no history."""

    changes: tuple[Change, ...] = ()
    unavailable: Unavailable | None = None
    _latest: dict[str, Change] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for change in self.changes:
            self._latest.setdefault(change.path, change)  # the first one git lists is the newest

    @property
    def available(self) -> bool:
        """Whether the build read a full history."""
        return self.unavailable is None

    def last_change(self, paths: Iterable[str]) -> Change | None:
        """The newest change to any of ``paths`` (the files a page is built from)."""
        found = [self._latest[p] for p in paths if p in self._latest]
        return max(found, key=lambda c: c.commit.time, default=None)

    def for_page(self, paths: Iterable[str]) -> PageHistory:
        """The history line of a page built from ``paths``."""
        sources = tuple(paths)
        return PageHistory(sources, self.last_change(sources), self.unavailable)

    def by_commit(self) -> Iterator[tuple[Commit, list[Change]]]:
        """The changes grouped by commit, newest commit first."""
        group: list[Change] = []
        for change in self.changes:
            if group and change.commit != group[0].commit:
                yield group[0].commit, group
                group = []
            group.append(change)
        if group:
            yield group[0].commit, group


def git_log_command(folder: str = "data") -> list[str]:
    """The one ``git log`` that reads the history of ``folder``.

    The ``-c`` settings and explicit options override any user configuration that would change
    the output (prefixes, colours, renames, external diff drivers). ``-U0`` keeps only the changed
    lines; the hunk header names the YAML key above each hunk, which tells retiring and
    redirecting apart from other edits. ``%D`` with no ref decorations shows only ``grafted``, the
    mark of a shallow clone's boundary.
    """
    return [
        "git",
        "-c",
        "core.quotePath=false",
        "-c",
        "log.showSignature=false",
        "--no-pager",
        "log",
        "--no-color",
        "--no-renames",
        "--no-ext-diff",
        "--no-textconv",
        "--no-relative",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "--encoding=UTF-8",
        "--decorate-refs=refs/kb-history-none",
        f"--format={_FORMAT}",
        "-p",
        "-U0",
        "--",
        folder,
    ]


_READ: dict[tuple[Path, str], tuple[bytes, History]] = {}
"""The last history read per repository and folder, with the commit it was read at: ``kb
serve`` reads the history again after every edit, and ``git log -p`` of the whole corpus is a
fifth of that rebuild."""


def read_history(root: Path, folder: str = "data") -> History:
    """The history of ``root/folder``, from one ``git log`` process (none when the commit and
    the shallowness are those of the last read in this process)."""
    if not (root / ".git").exists():  # never let git find an enclosing repository instead
        return History(unavailable="no-repository")
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD", "--is-shallow-repository"],
            cwd=root,
            capture_output=True,
            check=False,
        ).stdout
        if (root, folder) in _READ and _READ[(root, folder)][0] == head:
            return _READ[(root, folder)][1]
        result = subprocess.run(
            git_log_command(folder),
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError:
        return History(unavailable="no-git")
    if result.returncode != 0:
        return History(unavailable="git-failed")
    history = parse_log(result.stdout.decode("utf-8", errors="replace"), folder)
    _READ[(root, folder)] = (head, history)
    return history


def parse_log(text: str, folder: str = "data") -> History:
    """Parse the output of :func:`git_log_command`; only ``<folder>/<collection>/<id>.yaml``."""
    entry = re.compile(rf"{re.escape(folder)}/[a-z0-9-]+/[a-z0-9-]+\.yaml")
    changes: list[Change] = []
    for record in text.split(_RECORD)[1:]:
        header, _, diff = record.partition("\n")
        sha, time, decorations, subject = header.split(_FIELD, 3)
        if "grafted" in decorations.split(", "):
            return History(unavailable="shallow")
        commit = Commit(sha, int(time), subject)
        files = [f for f in _files(diff) if entry.fullmatch(f[0])]
        # IDs whose file this commit deleted: a new file that redirects from one is a rename.
        gone = {path.rsplit("/", 1)[1].removesuffix(".yaml") for path, s, _ in files if s == "D"}
        for path, status, added in files:
            if status != "D":
                changes.append(Change(commit, path, _kind(status, added, gone)))
    return History(tuple(changes))


def _files(diff: str) -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    """``(path, status A/M/D, added lines as (top-level key, line))`` for each file of a diff."""
    path, status = "", "M"
    added: list[tuple[str, str]] = []
    key = ""
    for line in diff.split("\n"):
        if line.startswith("diff --git "):
            if path:
                yield path, status, added
            rest = line[len("diff --git ") :]  # "a/<path> b/<path>": no renames, so equal halves
            path, status, added = rest[2 : (len(rest) - 1) // 2], "M", []
        elif line.startswith("new file mode"):
            status = "A"
        elif line.startswith("deleted file mode"):
            status = "D"
        elif line.startswith("@@"):
            hunk = _HUNK.match(line)
            above = _TOP_KEY.match(hunk.group(1)) if hunk else None
            key = above.group(1) if above else ""
        elif line.startswith("+") and not line.startswith("+++ "):
            content = line[1:]
            top = _TOP_KEY.match(content)
            if top:
                key = top.group(1)
            added.append((key, content))
    if path:
        yield path, status, added


def _kind(status: str, added: list[tuple[str, str]], gone: set[str]) -> Kind:
    """Retired if the commit set a retired status; redirected if it gave the entry an old ID.

    A new file is *added*, unless the same commit deleted the file of an ID it redirects from
    (a rename); a file created with ``redirect_from`` in a first import is simply added.
    """
    if any(key == "status" and _RETIRING.match(line) for key, line in added):
        return "retired"
    old_ids = {
        token
        for key, line in added
        if key == "redirect_from"
        for token in _ID.findall(line.removeprefix("redirect_from:"))
    }
    if status == "A":
        return "redirected" if old_ids & gone else "added"
    return "redirected" if old_ids else "edited"
