"""Benchmark the build on the real corpus and on synthetic corpora 10x and 100x its size.

Usage: ``python scripts/bench.py [--scales 1 10 100] [--keep DIR]`` (``make bench``)

A synthetic corpus clones every challenge, case study, solution and reference under new IDs
(``<id>-c<n>``), each clone pointing at the clones of the same round, so every reference
stays valid and the shape of the graph is kept; the stages and steps (the paper's taxonomy)
are shared. Prints one Markdown table; it is not a test, and asserts nothing.

The real corpus is built twice: with the repository's history (its copy is pointed at this
checkout's git directory, so ``git log`` reads the real history) and without it, to show what
reading the history and rendering the Changes page add. Synthetic corpora have no history.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from kb.models import MODELS, RefTo  # noqa: E402

CLONED = ("challenges", "case-studies", "solutions", "references")
PROJECT_FILES = ("mkdocs.yml", "mkdocs.ja.yml", "pyproject.toml", "docs", "scripts", "overrides")


def make_project(target: Path, scale: int, *, history: bool = False) -> int:
    """Lay out a buildable project with the corpus ``scale`` times; return its entry count.

    With ``history``, the project's ``.git`` is a link to this checkout's git directory.
    """
    target.mkdir(parents=True)
    if history:
        git_dir = subprocess.run(
            ["git", "rev-parse", "--absolute-git-dir"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        (target / ".git").write_text(f"gitdir: {git_dir}\n", encoding="utf-8")
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy(src, target / name)
    shutil.copytree(ROOT / "data", target / "data")
    for model in MODELS:
        if model.folder not in CLONED:
            continue
        refs = {
            name: marker.folder
            for name, info in model.model_fields.items()
            for marker in info.metadata
            if isinstance(marker, RefTo) and marker.folder in CLONED
        }
        for path in sorted((ROOT / "data" / model.folder).glob("*.yaml")):
            entry = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            for n in range(1, scale):
                clone = _clone(entry, n, refs)
                text = yaml.dump(
                    clone, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False
                )
                (target / "data" / model.folder / f"{clone['id']}.yaml").write_text(
                    text, encoding="utf-8"
                )
    return sum(len(list((target / "data" / m.folder).glob("*.yaml"))) for m in MODELS)


def _clone(entry: dict[str, Any], n: int, refs: dict[str, str]) -> dict[str, Any]:
    clone = dict(entry, id=f"{entry['id']}-c{n}", title=f"{entry['title']} (copy {n})")
    clone.pop("redirect_from", None)  # an old ID redirects to one entry only
    for name in refs:
        value = clone.get(name)
        if isinstance(value, str):
            clone[name] = f"{value}-c{n}"
        elif isinstance(value, list):
            clone[name] = [f"{v}-c{n}" for v in value]
    return clone


# What the MkDocs hook adds to a build: importing the generator, loading, rendering.
GENERATOR = """
import sys, time
from pathlib import Path
start = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from kb.corpus import load_corpus
from kb.history import read_history
from kb.render import render_site
imported = time.perf_counter()
corpus = load_corpus(Path(sys.argv[2]) / "data", root=Path(sys.argv[2]))
loaded = time.perf_counter()
history = read_history(Path(sys.argv[2]))
read = time.perf_counter()
pages = render_site(corpus, None, history)
rendered = time.perf_counter()
print(imported - start, loaded - imported, read - loaded, rendered - read, len(pages),
      len(history.changes), history.unavailable or "read")
"""


def measure(project: Path) -> dict[str, Any]:
    """The generator alone in a fresh process, then the English edition as ``make site`` builds
    it (the docs tree, then a strict ``mkdocs build`` of it) in another."""
    probe = subprocess.run(
        [sys.executable, "-c", GENERATOR, str(ROOT / "scripts"), str(project)],
        capture_output=True,
        text=True,
        check=True,
    )
    fields = probe.stdout.split()
    imports, load, history, render, pages, changes = (float(x) for x in fields[:6])

    site = project / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    command = [sys.executable, "scripts/build.py", "site", "--edition", "en", "--out", str(site)]
    command += ["--tree", str(project / "build" / "tree")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    total = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time of the build: on a shared machine it varies far less than wall time.
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {project}:\n{result.stderr[-3000:]}")
    sizes = [p.stat().st_size for p in site.rglob("index.html")]
    return assess_weight(site) | {
        "pages": pages,
        "imports": imports,
        "load": load,
        "history": history,
        "changes": changes,
        "history_state": fields[6],
        "render": render,
        "generator": imports + load + history + render,
        "total": total,
        "cpu": cpu,
        "index": (site / "search" / "search_index.json").stat().st_size,
        "median": statistics.median(sizes),
        "max": max(sizes),
        "rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


ASSESS_ASSETS = (
    "assets/javascripts/kb-assess-core.js",
    "assets/javascripts/kb-assess.js",
    "assets/stylesheets/kb-assess.css",
)


def assess_weight(site: Path) -> dict[str, float]:
    """Bytes of the assessment page, raw and gzipped: HTML (embedded data included), the data
    alone, and its own scripts and stylesheet (Material's bundle, shared by every page, aside)."""
    html = (site / "assess" / "index.html").read_bytes()
    data = b"".join(
        re.findall(rb'<script type="application/json" id="kb-assess-[a-z]+">(.*?)<', html)
    )
    assets = b"".join((site / name).read_bytes() for name in ASSESS_ASSETS)
    return {
        f"assess_{name}{suffix}": float(len(gzip.compress(blob, 9) if suffix else blob))
        for name, blob in (("html", html), ("data", data), ("assets", assets))
        for suffix in ("", "_gz")
    }


def measure_editions(project: Path) -> dict[str, float]:
    """Wall time of both editions built as ``make site`` builds them (two processes at once, then
    the merged sitemap), and the size of each edition's search index."""
    out = project / "site-editions"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    command = [sys.executable, "scripts/build.py", "site", "--out", str(out)]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    total = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"make site failed in {project}:\n{result.stderr[-3000:]}")
    return {
        "editions": total,
        "index_en": (out / "search" / "search_index.json").stat().st_size,
        "index_ja": (out / "ja" / "search" / "search_index.json").stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    """Build each scale in a temporary folder and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--keep", type=Path, help="build here and keep the projects")
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="builds of the real corpus with and without history, alternated (medians shown)",
    )
    parser.add_argument(
        "--engines-only", action="store_true", help="only the engines side by side (last table)"
    )
    args = parser.parse_args(argv)
    if args.engines_only:
        return _engines()

    rows = []
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        base = args.keep or Path(tmp)
        runs = [(s, s == 1) for s in args.scales] + [(1, False)] * (1 in args.scales)
        projects = []
        for scale, history in runs:
            project = base / f"x{scale}{'-history' if history else ''}"
            shutil.rmtree(project, ignore_errors=True)
            entries = make_project(project, scale, history=history)
            projects.append((scale, history, entries, project))
        # The real corpus with and without history is built in turns, several times, so that the
        # other work on the machine weighs on both alike; each figure is the median of its runs.
        # The real corpus first (peak RSS is the largest process so far), then the larger ones.
        turns = [[p for p in projects if p[0] == 1]] * args.repeat
        turns += [[p] for p in projects if p[0] != 1]
        measured: dict[tuple[int, bool], list[dict[str, Any]]] = {
            (s, h): [] for s, h, _, _ in projects
        }
        editions: list[dict[str, float]] = []
        for turn in turns:
            for scale, history, entries, project in turn:
                print(f"building {scale}x: {entries} entries ...", file=sys.stderr, flush=True)
                measured[(scale, history)].append(measure(project))
                if scale == 1 and history:  # the English build above, then both editions
                    editions.append(measure_editions(project))
        for scale, history, entries, project in projects:
            runs_of = measured[(scale, history)]
            rows.append(
                (
                    scale,
                    history,
                    entries,
                    {
                        k: statistics.median(m[k] for m in runs_of)
                        for k in runs_of[0]
                        if k != "history_state"
                    }
                    | {"history_state": runs_of[0]["history_state"]},
                )
            )
            if not args.keep:
                shutil.rmtree(project)

    print(
        "| corpus | entries | pages | generator (s): import + load + history + render "
        "| mkdocs (s) | total (s) | generator share "
        "| s per 100 pages | search index | median page HTML | max page HTML | peak RSS |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for scale, history, entries, m in rows:
        name = ("real" if scale == 1 else f"{scale}x") + (" (history)" if history else "")
        print(
            f"| {name} | {entries} | {m['pages']:.0f} | {m['generator']:.2f}: "
            f"{m['imports']:.2f} + {m['load']:.2f} + {m['history']:.3f} + {m['render']:.2f} "
            f"| {m['total'] - m['generator']:.2f} | {m['total']:.2f} "
            f"| {m['generator'] / m['total']:.1%} | {100 * m['total'] / m['pages']:.2f} "
            f"| {m['index'] / 1e6:.2f} MB | {m['median'] / 1e3:.1f} KB | {m['max'] / 1e3:.1f} KB "
            f"| {m['rss']:.0f} MB |"
        )
    if 1 in args.scales:
        # The least disturbed of several runs approximates the cost on an idle machine; the
        # difference of two medians would mostly measure the other work on a shared one.
        best = {
            h: {
                k: min(m[k] for m in measured[(1, h)])
                for k in ("history", "render", "total", "cpu")
            }
            for h in (True, False)
        }
        with_history, without = best[True], best[False]
        state = measured[(1, True)][0]
        print(
            f"\nHistory of the real corpus (best of {args.repeat} builds each): `git log` read and "
            f"parsed in {with_history['history']:.3f} s ({state['changes']:.0f} changes, "
            f"{state['history_state']}); rendering "
            f"{with_history['render'] - without['render']:+.3f}"
            f" s; the whole build {with_history['total']:.2f} s with it and {without['total']:.2f}"
            f" s without ({with_history['total'] - without['total']:+.2f} s wall time; CPU time "
            f"{with_history['cpu'] - without['cpu']:+.2f} s). The budget is +0.30 s."
        )
    if editions:
        english = min(m["total"] for m in measured[(1, True)])
        both = min(e["editions"] for e in editions)
        print(
            f"\nEditions of the real corpus (best of {len(editions)} builds each): English only "
            f"{english:.2f} s (the tree, then one `mkdocs build`); "
            f"English and Japanese {both:.2f} s (`make site`: both at once in two processes, then "
            f"one sitemap) = {both / english:.2f}x the English-only build (target: at most 1.5x). "
            f"Search index: English {editions[0]['index_en'] / 1e6:.2f} MB "
            f"({editions[0]['index_en'] / 1e3:.0f} KB), Japanese "
            f"{editions[0]['index_ja'] / 1e6:.2f} MB."
        )
    print(
        "\n| corpus | /assess/ HTML (gzip) | of which embedded data (gzip) "
        "| its JS + CSS (gzip) | page total (gzip) |"
    )
    print("|---|---:|---:|---:|---:|")
    for scale, _, _, m in rows:
        kb = {k: v / 1e3 for k, v in m.items() if k.startswith("assess_")}
        print(
            f"| {'real' if scale == 1 else f'{scale}x'} "
            f"| {kb['assess_html']:.1f} KB ({kb['assess_html_gz']:.1f}) "
            f"| {kb['assess_data']:.1f} KB ({kb['assess_data_gz']:.1f}) "
            f"| {kb['assess_assets']:.1f} KB ({kb['assess_assets_gz']:.1f}) "
            f"| {kb['assess_html'] + kb['assess_assets']:.1f} KB "
            f"({kb['assess_html_gz'] + kb['assess_assets_gz']:.1f}) |"
        )
    print(
        "\ntotal = wall time of the English edition's build in a fresh process (Python start-up, "
        "the docs tree written, then a strict `mkdocs build` of it: MkDocs and Material); "
        "generator = import of the kb package + load + render, timed in a fresh process "
        "(an upper bound: MkDocs already "
        "imports yaml and jinja2); mkdocs = total - generator. Peak RSS: largest process so far."
    )
    return _engines()


def _engines() -> int:
    """The engines side by side on the real corpus (scripts/bench_engines.py)."""
    from bench_engines import engine_table, measure_engines

    print("\nEngines, on the real corpus:\n", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="kb-bench-engines-") as tmp:
        project = Path(tmp) / "real"
        make_project(project, 1)
        print("\n" + engine_table(measure_engines(project)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
