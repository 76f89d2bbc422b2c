"""Compiled Jinja templates, kept between processes.

Every build, check and server start compiles the same templates again: ours (a fifth of a small
build's render) and Material's (a quarter of a MkDocs build of the miniature corpus). Jinja can
keep the compiled code; this keeps it in memory for the life of a process (a server renders again
after each edit) and on disk in the user's cache folder, ``$XDG_CACHE_HOME/deploying-ml-kb/jinja``
(``~/.cache/…`` by default), for the next process. Only speed depends on it: an edited template
has another checksum and is compiled anew, and without a writable folder nothing is kept on disk.

Jinja's key for a template is its name, file and source. The code compiled from them also
depends on how the environment is set up (delimiters, whitespace control, extensions), so each
set-up and Jinja version gets its own folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import jinja2
import jinja2.bccache


def cache_folder() -> Path:
    """Where compiled templates are kept: the user's cache folder, whatever the project."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "deploying-ml-kb" / "jinja"


def _setup(env: jinja2.Environment) -> str:
    """A name for everything besides a template's source that shapes its compiled code."""
    parts = [
        jinja2.__version__,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        str(env.line_statement_prefix),
        str(env.line_comment_prefix),
        str(env.trim_blocks),
        str(env.lstrip_blocks),
        str(env.keep_trailing_newline),
        env.newline_sequence,
        str(env.optimized),
        str(env.is_async),
        repr(env.autoescape) if isinstance(env.autoescape, bool) else "select",
        str(getattr(env, "newstyle_gettext", None)),
        *sorted(env.extensions),
    ]
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()[:16]


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled code in memory, then on disk (:func:`cache_folder`), by environment set-up."""

    def __init__(self, folder: Path | None = None) -> None:
        self._code: dict[str, bytes] = {}
        self._folder = folder or cache_folder()
        self._disks: dict[str, jinja2.FileSystemBytecodeCache | None] = {}

    def _disk(self, setup: str) -> jinja2.FileSystemBytecodeCache | None:
        if setup not in self._disks:
            folder = self._folder / setup
            try:
                folder.mkdir(parents=True, exist_ok=True)
                self._disks[setup] = jinja2.FileSystemBytecodeCache(str(folder))
            except OSError:
                self._disks[setup] = None  # not writable: memory only
        return self._disks[setup]

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        setup = _setup(bucket.environment)
        if (code := self._code.get(setup + bucket.key + bucket.checksum)) is not None:
            bucket.bytecode_from_string(code)
        elif disk := self._disk(setup):
            try:
                disk.load_bytecode(bucket)  # a stale or broken file leaves the bucket empty
            except OSError:
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        setup = _setup(bucket.environment)
        self._code[setup + bucket.key + bucket.checksum] = bucket.bytecode_to_string()
        if disk := self._disk(setup):
            with contextlib.suppress(OSError):  # not kept: compiled again next time
                disk.dump_bytecode(bucket)  # written to a temporary file, then renamed
