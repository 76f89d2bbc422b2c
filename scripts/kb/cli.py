"""Command line: ``check`` the corpus, ``build`` its pages into a folder, export the ``schema``.

This is the only module that prints or exits.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kb.corpus import load_corpus
from kb.diagnostics import CorpusError, format_diagnostics
from kb.find import find_assets
from kb.render import render_site, write_pages
from kb.schema import schema_files

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="corpus folder")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate the corpus and report every problem")
    build = commands.add_parser("build", help="write the generated Markdown pages to a folder")
    build.add_argument("--out", type=Path, default=ROOT / "build" / "pages")
    site = commands.add_parser("site", help="strict MkDocs build, swapped into place on success")
    site.add_argument("--out", type=Path, default=ROOT / "site")
    schema = commands.add_parser("schema", help="write data/schema/*.schema.json from the models")
    schema.add_argument("--check", action="store_true", help="fail if the files are out of date")
    args = parser.parse_args(argv)

    if args.command == "schema":
        return _schema(args.data / "schema", check=args.check)
    if args.command == "site":
        return _site(args.out)
    try:
        corpus = load_corpus(args.data, root=args.data.resolve().parent)
    except CorpusError as exc:
        print(format_diagnostics(exc.diagnostics), file=sys.stderr)
        return 1
    if args.command == "check":
        counts = ", ".join(f"{len(v)} {k}" for k, v in corpus.entities.items())
        print(f"corpus OK: {counts}")
        return 0
    pages = render_site(corpus)
    written = write_pages(pages | find_assets(corpus), args.out)
    print(f"{len(pages)} pages in {args.out} ({len(written)} changed)")
    return 0


def _schema(folder: Path, *, check: bool) -> int:
    stale = []
    for name, schema in schema_files().items():
        path = folder / name
        text = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if check and stale:
        for path in stale:
            print(f"{path}: out of date (run: make schema)", file=sys.stderr)
        return 1
    print(f"{'checked' if check else 'wrote'} JSON Schema in {folder} ({len(stale)} changed)")
    return 0


def _site(out: Path) -> int:
    """Build into a fresh folder and swap it in only on success, so a failure loses nothing."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server or linkchecker must read it
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    command += ["--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(staging)]
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build failed; {out} is unchanged", file=sys.stderr)
        return 1
    old = out.with_name(f".{out.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    print(f"site built in {out}")
    return 0
