"""Command line: ``check`` the corpus, ``build`` its pages, ``new`` entries, export the ``schema``,
``report`` a saved team assessment.

This is the only module that prints or exits.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kb.assess import (
    MAX_BYTES,
    AssessmentError,
    describe,
    migrate,
    page_data,
    read_assessment,
    report_strings,
    size_problem,
)
from kb.bundle import write_zip
from kb.cite import Site
from kb.corpus import FOLDERS, Corpus, load_corpus
from kb.diagnostics import PLACEHOLDER, CorpusError, Diagnostic, format_diagnostics
from kb.history import read_history
from kb.i18n import (
    EDITIONS,
    LANGUAGES,
    LOCALES,
    python_strings,
    template_strings,
    update_catalog,
)
from kb.ledger import (
    LEDGER,
    LedgerError,
    Published,
    dump_ledger,
    ledger_problems,
    merge_ledger,
    published,
    read_ledger,
)
from kb.lifecycle import url_of
from kb.models import Entity
from kb.render import make_env, render_site
from kb.report import FORMATS, render
from kb.schema import schema_files
from kb.siteconfig import ENGINE_CONFIG, SOURCE_CONFIGS, ConfigError, read_config
from kb.sitemap import merge_sitemaps
from kb.skeleton import check_new, refusals, skeleton
from kb.translations import Language, Translations, fingerprint, load_language
from kb.translations import skeleton as translation_skeleton
from kb.tree import TREE, Project, TreeError, generate, site_of, write_tree

ROOT = Path(__file__).resolve().parents[2]
OFFLINE_ZIP = "deploying-ml-kb-offline.zip"


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="corpus folder")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate the corpus and report every problem")
    build = commands.add_parser(
        "build", help="write the docs tree every edition is built from (pages, data, configuration)"
    )
    build.add_argument("--out", type=Path, default=ROOT / TREE)
    build.add_argument("--site-url", help="public root URL, for absolute permalinks")
    build.add_argument("--offline", action="store_true", help="the offline bundle's tree")
    ledger = commands.add_parser("ledger", help="add the URLs the site publishes to the ledger")
    ledger.add_argument("--check", action="store_true", help="fail if the ledger lacks some")
    site = commands.add_parser(
        "site", help="write the tree, then a strict MkDocs build, swapped into place on success"
    )
    site.add_argument("--out", type=Path, default=ROOT / "site")
    site.add_argument("--tree", type=Path, default=ROOT / TREE, help="where the tree is written")
    site.add_argument(
        "--edition",
        choices=sorted(SOURCE_CONFIGS),
        action="append",
        help="build only this edition (repeatable; default: every edition)",
    )
    serve = commands.add_parser(
        "serve", help="serve one edition, rebuilt and reloaded after every edit of the sources"
    )
    serve.add_argument("--edition", choices=sorted(SOURCE_CONFIGS), default="en")
    serve.add_argument("--dev-addr", "-a", default=None, help="host:port (en 8000, ja 8001)")
    serve.add_argument("--tree", type=Path, default=None, help="where the tree is written")
    serve.add_argument(
        "--engine",
        choices=["mkdocs", "zensical"],
        default="mkdocs",
        help="MkDocs + Material, kept warm (default), or Zensical's own server",
    )
    offline = commands.add_parser("offline", help="zip a strict offline build (opens from disk)")
    offline.add_argument("--out", type=Path, default=ROOT / "build" / OFFLINE_ZIP)
    schema = commands.add_parser("schema", help="write data/schema/*.schema.json from the models")
    schema.add_argument("--check", action="store_true", help="fail if the files are out of date")
    translate = commands.add_parser(
        "translate", help="write translation files to fill in, or list what is left to translate"
    )
    translate.add_argument("language", choices=sorted(LANGUAGES), help="language code")
    translate.add_argument(
        "entries", nargs="*", metavar="COLLECTION/ID", help="entries to start (default: none)"
    )
    translate.add_argument(
        "--missing", action="store_true", help="start every entry that has no translation yet"
    )
    strings = commands.add_parser(
        "strings", help="add the interface strings a language's catalog lacks (kb/locales/)"
    )
    strings.add_argument("language", choices=sorted(LANGUAGES), help="language code")
    new = commands.add_parser("new", help="write the skeleton of a new entry, to fill in")
    new.add_argument("collection", help="its collection: " + ", ".join(FOLDERS))
    new.add_argument("id", help="its permanent ID, kebab-case: the file name and the URL")
    report = commands.add_parser(
        "report", help="print a saved assessment (from the /assess/ page) as Markdown, CSV or HTML"
    )
    report.add_argument("file", type=Path, help="the assessment file (.json)")
    report.add_argument("--format", choices=FORMATS, default="md", help="md (default), csv, html")
    report.add_argument("--site-url", help="public root URL of the permanent links")
    report.add_argument(
        "--lang",
        choices=sorted(EDITIONS),
        default="en",
        help="the report's language and the edition its links open (default: en)",
    )
    args = parser.parse_args(argv)

    if args.command == "strings":
        return _strings(args.language)
    if args.command == "schema":
        return _schema(args.data / "schema", check=args.check)
    if args.command == "new":
        return _new(args.data, args.collection, args.id)
    if args.command == "site":
        editions_wanted = tuple(args.edition or SOURCE_CONFIGS)
        return _site(args.out, args.tree, _project(args.data, editions=editions_wanted))
    if args.command == "serve":
        return _serve(args.data, args.edition, args.dev_addr, args.tree, args.engine)
    if args.command == "offline":
        return _offline(args.out, _project(args.data, offline=True))
    if args.command == "build":
        project = _project(args.data, site_url=args.site_url, offline=args.offline or None)
        return _build(project, args.out)
    try:
        corpus = load_corpus(args.data, root=args.data.resolve().parent)
    except CorpusError as exc:
        print(format_diagnostics(exc.diagnostics), file=sys.stderr)
        return 1
    root = args.data.resolve().parent
    if args.command == "translate" and args.entries:
        # Starting files needs only the English, so unfinished translations never block it.
        return _start_translations(corpus, args.language, args.entries, args.data)
    # A report reads the one language it is written in (the English one, none): another
    # language's translations neither block it nor cost its start-up.
    wanted = [args.lang] if args.command == "report" else list(LANGUAGES)
    try:
        languages = {
            code: load_language(code, args.data, corpus, root)
            for code in LANGUAGES
            if code in wanted
        }
    except CorpusError as exc:
        print(format_diagnostics(exc.diagnostics), file=sys.stderr)
        return 1
    if args.command == "translate":
        return _translate(corpus, languages[args.language].translations, args)
    site_info = _site_info(getattr(args, "site_url", None))
    if args.command == "report":
        if args.lang == "en":
            return _report(corpus, site_info, args.file, args.format)
        report_site = _site_info(args.site_url, EDITION_CONFIGS[args.lang])
        chosen = languages[args.lang]
        return _report(chosen.corpus, report_site, args.file, args.format, chosen.catalog)
    history = read_history(root, args.data.resolve().name)
    # Every edition: (its corpus, its site, its language), English first, keyed by URL prefix.
    editions: dict[str, tuple[Corpus, Site, Language | None]] = {"": (corpus, site_info, None)}
    for code, translated in languages.items():
        prefix = EDITIONS[code].prefix
        edition_site = _site_info(getattr(args, "site_url", None), EDITION_CONFIGS[code])
        editions[prefix] = (translated.corpus, edition_site, translated)
    pages = {
        prefix: render_site(edition_corpus, edition_site, history, language, languages)
        for prefix, (edition_corpus, edition_site, language) in editions.items()
    }
    problems: list[Diagnostic] = []
    for prefix, (edition_corpus, _, _) in editions.items():
        # Other editions mirror the English URLs: while the English ones are broken, theirs
        # break the same way, and one fix mends both, so they are reported once, in English.
        if not problems:
            problems = ledger_problems(edition_corpus, pages[prefix], args.data, root, prefix)
    if problems:
        print(format_diagnostics(problems), file=sys.stderr)
        return 1
    if args.command == "ledger":
        current = {
            url: found
            for prefix, (edition_corpus, _, _) in editions.items()
            for url, found in published(edition_corpus, pages[prefix], prefix).items()
        }
        return _ledger(current, args.data, check=args.check)
    if args.command == "check":
        counts = ", ".join(f"{len(v)} {k}" for k, v in corpus.entities.items())
        print(f"corpus OK: {counts}")
        for code, translated in languages.items():
            left = translated.translations.outstanding(corpus)
            summary = ", ".join(f"{len(v)} {k}" for k, v in left.items())
            done = len(translated.translations.entries)
            print(f"{LANGUAGES[code]} ({code}): {done} translations; {summary}")
        return 0
    raise AssertionError(args.command)


def _strings(language: str) -> int:
    """Bring a language's interface catalog up to date with the templates and the code."""
    env = make_env()
    wanted = template_strings(env, [ROOT / "scripts" / "kb" / "templates", ROOT / "overrides"])
    wanted |= python_strings(ROOT / "scripts" / "kb")
    path = LOCALES / f"{language}.yaml"
    added, unused = update_catalog(path, wanted, PLACEHOLDER)
    print(f"{path}: {len(wanted)} strings, {added} added as {PLACEHOLDER!r}")
    for text in unused:
        print(f"{path}: {text!r} is no longer used (remove it, or update it if it was renamed)")
    return 0


def _start_translations(corpus: Corpus, language: str, names: list[str], data: Path) -> int:
    """Write a translation file to fill in for each entry named, never overwriting one."""
    wanted: list[Entity] = []
    problems = []
    for name in names:
        folder, _, entity_id = name.partition("/")
        entity = corpus.entities.get(folder, {}).get(entity_id)
        if entity is None:
            problems.append(
                f"{name}: no such entry (expected COLLECTION/ID, e.g. challenges/concept-drift)"
            )
        else:
            wanted.append(entity)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    for entity in wanted:
        path = data / language / entity.folder / f"{entity.id}.yaml"
        if path.exists():
            print(f"{path}: exists; not overwritten")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(translation_skeleton(entity, language), encoding="utf-8")
        print(f"{path}: written; replace each {PLACEHOLDER}")
    return 0


def _translate(corpus: Corpus, translations: Translations, args: argparse.Namespace) -> int:
    """Start every missing translation (``--missing``), or list what is left to translate."""
    left = translations.outstanding(corpus)
    if args.missing:
        names = [f"{e.folder}/{e.id}" for e in left["missing"]]
        return _start_translations(corpus, translations.language, names, args.data)
    for state, entities in left.items():
        for entity in entities:
            # A stale translation, once brought up to date, records the English it now matches.
            now = f" (source_fingerprint now: {fingerprint(entity)})" if state == "stale" else ""
            print(f"{state}: {entity.folder}/{entity.id}{now}")
    print(", ".join(f"{len(v)} {k}" for k, v in left.items()))
    return 0


def _site_info(url: str | None = None, config_file: str = "mkdocs.yml") -> Site:
    """Site name, URL and repository of an edition, from its source configuration (following
    ``INHERIT``, ``!ENV`` read from the environment as MkDocs reads it: ``KB_SITE_URL`` and
    ``KB_REPO_URL`` set where the site is deployed); version from pyproject.toml. Another edition
    lives at the site's address plus its prefix (``…/ja/``)."""
    config = read_config(ROOT, config_file)
    if url:
        config["site_url"] = url
    return site_of(config, ROOT)


def _project(
    data: Path,
    *,
    site_url: str | None = None,
    offline: bool | None = None,
    editions: tuple[str, ...] = tuple(SOURCE_CONFIGS),
) -> Project:
    return Project(ROOT, data, site_url=site_url, offline=offline, editions=editions)


def _write_tree(
    project: Project, out: Path, known: dict[str, bytes] | None = None, *, open_data: bool = True
) -> tuple[dict[str, bytes], list[str]] | None:
    """Generate the tree and write what changed; print every problem and return None on failure
    (the tree on disk is then left as it was). Without ``open_data``, the open-data files the
    tree holds (``known``) are kept as they are."""
    try:
        files = generate(project, open_data=open_data)
    except CorpusError as exc:
        print(format_diagnostics(exc.diagnostics), file=sys.stderr)
        return None
    except (TreeError, ConfigError) as exc:
        print(str(exc), file=sys.stderr)
        return None
    if not open_data and known:
        files = {p: d for p, d in known.items() if "/docs/api/" in p and p not in files} | files
    return files, write_tree(files, out, known)


def _serve(data: Path, edition: str, address: str | None, tree: Path | None, engine: str) -> int:
    """``kb serve``: the edition at its own address (``KB_SITE_URL``, else the local one); the
    tree of the served edition only, in ``build/serve/<edition>/`` unless told."""
    from kb.serve import serve, sources  # only the server needs it

    address = address or ("127.0.0.1:8000" if edition == "en" else "127.0.0.1:8001")
    prefix = EDITIONS[edition].prefix
    url = os.environ.get("KB_SITE_URL") or f"http://{address}/{prefix}"
    # The edition's address (make serve-ja: …/ja/) is the root's plus its prefix.
    root_url = url.removesuffix(prefix) if prefix and url.endswith("/" + prefix) else url
    project = _project(data, site_url=root_url, editions=(edition,))
    out = tree or ROOT / "build" / "serve" / edition
    known: dict[str, bytes] = {}  # what the tree holds, so unchanged files are not read back

    def regenerate(open_data: bool) -> list[str] | None:
        written = _write_tree(project, out, known, open_data=open_data)
        return None if written is None else written[1]

    site_url = root_url.rstrip("/") + "/" + prefix
    return serve(sources(ROOT, data), out, edition, address, site_url, regenerate, engine=engine)


def _build(project: Project, out: Path) -> int:
    """``kb build``: the docs tree, each edition's folder ready for a site engine."""
    written = _write_tree(project, out)
    if written is None:
        return 1
    files, changed = written
    for code in project.editions:
        pages = sum(1 for p in files if p.startswith(f"{code}/docs/") and p.endswith(".md"))
        data = sum(1 for p in files if p.startswith(f"{code}/docs/api/"))
        print(f"{code}: {pages} pages, {data} open-data files in {out / code / 'docs'}")
    print(f"tree in {out}: {len(files)} files ({len(changed)} changed)")
    return 0


def _report(
    corpus: Corpus, site: Site, path: Path, fmt: str, catalog: dict[str, str] | None = None
) -> int:
    """Render an assessment file on stdout; a bad file gets one line on stderr and status 1.

    With another edition's ``corpus``, ``site`` and ``catalog``, the report is the one that
    edition's assessment page gives (its words, its links)."""
    strings = report_strings(make_env(catalog))
    data = page_data(corpus, site)
    try:
        if too_large := size_problem(path.stat().st_size, strings):
            raise too_large
        with path.open("rb") as handle:
            assessment = read_assessment(handle.read(MAX_BYTES + 1), strings)
    except OSError as exc:
        print(f"{path}: cannot read the file ({exc.strerror or exc})", file=sys.stderr)
        return 1
    except AssessmentError as exc:
        where = f"{path}:{exc.line}:{exc.column}" if exc.line else str(path)
        print(f"{where}: {exc}", file=sys.stderr)
        return 1
    assessment, changes = migrate(assessment, data)
    for change in changes:
        print(f"{path}: {describe(change, data, strings)}", file=sys.stderr)
    sys.stdout.buffer.write(render(assessment, data, strings, fmt).encode("utf-8"))
    sys.stdout.flush()
    return 0


def _ledger(current: dict[str, Published], data: Path, *, check: bool) -> int:
    """Add what the site publishes now (every edition) to the ledger; it never removes anything."""
    path = data / LEDGER
    try:
        ledger, _ = read_ledger(path, path.as_posix())
    except LedgerError as exc:
        print(format_diagnostics(exc.diagnostics), file=sys.stderr)
        return 1
    merged = merge_ledger(ledger, current)
    added = sorted(set(merged) - set(ledger))
    changed = [u for u in merged if u in ledger and merged[u] != ledger[u]]
    text = dump_ledger(merged)
    if check:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            print(f"checked {path}: up to date ({len(merged)} URLs)")
            return 0
        for url in added + changed:
            print(f"{path}: {url} is not recorded yet (run: make ledger)", file=sys.stderr)
        if not added + changed:
            print(f"{path}: not in canonical form (run: make ledger)", file=sys.stderr)
        return 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}: {len(merged)} URLs ({len(added)} added, {len(changed)} updated)")
    return 0


def _new(data: Path, folder: str, entity_id: str) -> int:
    """Write ``data/<folder>/<id>.yaml`` from the models, unless the ID is or was taken."""
    wrong = check_new(folder, entity_id)
    if wrong:
        for problem in wrong:
            print(f"kb new: {problem}", file=sys.stderr)
        return 1
    root = data.resolve().parent
    try:
        taken = refusals(data, root, folder, entity_id)
    except LedgerError as exc:
        taken = exc.diagnostics
    if taken:
        print(format_diagnostics(taken).rsplit("\n", 1)[0], file=sys.stderr)
        print(
            f"kb new: {folder}/{entity_id} cannot be created; nothing was written", file=sys.stderr
        )
        return 1
    made = skeleton(folder, entity_id)
    path = data / folder / f"{entity_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(made.text, encoding="utf-8")
    shown = path.resolve().relative_to(root).as_posix()
    print(f"wrote {shown}")
    print("Next steps:")
    print(f"  1. Fill in every {PLACEHOLDER!r} value of {shown}:")
    print("     the comment above each field says what it holds. Write in your own words, and say")
    print(
        "     in provenance how well each fact is confirmed (cite a source, with its DOI or URL)."
    )
    step = 2
    if made.linked_from:
        print(f"  {step}. Link it from the entries it belongs with, through these fields:")
        for line in made.linked_from:
            print(f"       {line}")
        step += 1
    print(f"  {step}. make check    (validates the corpus; it points at any value left to fill)")
    print(f"  {step + 1}. make ledger   (records its permanent URL, {url_of(folder, entity_id)})")
    print(f"  {step + 2}. Open a pull request; its template lists what review checks.")
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


MKDOCS_BUILD = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
EDITION_CONFIGS = SOURCE_CONFIGS


def build_editions(tree: Path, site_dir: Path, editions: tuple[str, ...]) -> bool:
    """Build ``editions`` of the tree at once, in parallel processes, into ``site_dir`` and its
    subfolders: the English edition is the site root; another goes into its prefix (``ja/``).
    With every edition, the site's sitemap lists every page with its ``hreflang`` alternates
    (the offline bundle has none)."""
    with tempfile.TemporaryDirectory(prefix=".editions-", dir=site_dir.parent) as tmp:
        targets = {code: site_dir if code == "en" else Path(tmp) / code for code in editions}
        running = {
            code: subprocess.Popen(
                [
                    *MKDOCS_BUILD,
                    "--config-file",
                    str(tree / code / ENGINE_CONFIG),
                    "--site-dir",
                    str(targets[code]),
                ],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for code in editions
        }
        results = {code: process.communicate() for code, process in running.items()}
        for code, process in running.items():
            if process.returncode != 0:
                print(results[code][1], end="", file=sys.stderr)
                return False
        for code, target in targets.items():
            if code != "en":
                target.rename(site_dir / EDITIONS[code].prefix)
    sitemaps = {code: site_dir / EDITIONS[code].prefix / "sitemap.xml" for code in targets}
    if len(targets) > 1 and all(path.is_file() for path in sitemaps.values()):
        merged = merge_sitemaps(
            _site_info().url,
            {code: path.read_text(encoding="utf-8") for code, path in sitemaps.items()},
        )
        # Each other edition keeps its own sitemap too: Material's instant navigation reads it.
        sitemaps["en"].write_text(merged, encoding="utf-8")
        with gzip.GzipFile(sitemaps["en"].with_suffix(".xml.gz"), "wb", mtime=0) as packed:
            packed.write(merged.encode("utf-8"))
    return True


def _site(out: Path, tree: Path, project: Project) -> int:
    """Write the tree, then build into a fresh folder and swap it in only on success, so a
    failure loses nothing."""
    if not os.environ.get("KB_SITE_URL"):
        # A build for a deployment that forgot the address would publish links to localhost.
        print(
            f"note: KB_SITE_URL is not set; permalinks, citations and og:url point at "
            f"{_site_info().root} (set KB_SITE_URL=https://your.host/ for a deployment)",
            file=sys.stderr,
        )
    if _write_tree(project, tree) is None:
        print(f"build failed; {out} is unchanged", file=sys.stderr)
        return 1
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server or linkchecker must read it
    if not build_editions(tree, staging, project.editions):
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build failed; {out} is unchanged", file=sys.stderr)
        return 1
    old = out.with_name(f".{out.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    print(f"site built in {out} ({', '.join(project.editions)})")
    return 0


def _offline(out: Path, project: Project) -> int:
    """Write the offline bundle's tree and build every edition from it into a temporary folder,
    then zip it."""
    with tempfile.TemporaryDirectory(prefix="kb-offline-") as tmp:
        tree = Path(tmp) / "tree"
        if _write_tree(project, tree) is None:
            print(f"offline build failed; {out} is unchanged", file=sys.stderr)
            return 1
        site = Path(tmp) / "site"
        site.mkdir()
        if not build_editions(tree, site, project.editions):
            print(f"offline build failed; {out} is unchanged", file=sys.stderr)
            return 1
        # The sitemap lists the hosted URLs and carries the build date: no use from disk.
        files = write_zip(site, out, root="deploying-ml-kb", exclude=["sitemap.xml*"])
    size = out.stat().st_size
    print(f"offline bundle: {out} ({len(files)} files, {size / 1e6:.1f} MB); open index.html")
    return 0
