"""The engines side by side, for ``make bench``: MkDocs + Material and Zensical, each edition.

For each edition: the docs tree written once (``kb build``, the generator's share, the same for
both engines), then a full build of it by each engine (a fresh process, as ``make site`` runs
it); and edit→reload under ``kb serve`` with each engine: a challenge's title is changed in its
YAML file, and the time is taken until chromium, which has the page open, shows the new title
(live reload). Without chromium the page is polled over HTTP instead, and the table says so.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import chromium
import yaml

EDITIONS = {"en": "", "ja": "ja/"}
ENGINES = ("mkdocs", "zensical")
PAGE = "challenges/concept-drift/"
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")


def _tool(name: str) -> str:
    return shutil.which(name, path=str(Path(sys.executable).parent)) or name


def _timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``command`` (CPU varies far less on a shared machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def full_builds(project: Path, repeat: int) -> dict[tuple[str, str], tuple[float, float]]:
    """Best-of-``repeat`` (wall, CPU) seconds of the tree (``("tree", "both")``) and of each
    engine's build of each edition."""
    tree = project / "build" / "bench-tree"
    found: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(repeat):
        shutil.rmtree(tree, ignore_errors=True)
        seconds = _timed([sys.executable, "scripts/build.py", "build", "--out", str(tree)], project)
        found.setdefault(("tree", "both"), []).append(seconds)
        for code in EDITIONS:
            config = tree / code / "mkdocs.yml"
            out = tree / code / "site"
            mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)]
            found.setdefault(("mkdocs", code), []).append(
                _timed([*mkdocs, "-d", str(out)], project)
            )
            shutil.rmtree(out, ignore_errors=True)
            settings = yaml.safe_load(config.read_text(encoding="utf-8"))
            settings["site_dir"] = "site"
            zensical_config = tree / code / "zensical.yml"
            zensical_config.write_text(yaml.safe_dump(settings), encoding="utf-8")
            found.setdefault(("zensical", code), []).append(
                _timed(
                    [_tool("zensical"), "build", "--clean", "-f", str(zensical_config)], tree / code
                )
            )
    return {key: min(values) for key, values in found.items()}  # the least disturbed run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _wait(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def edit_reload(project: Path, engine: str, code: str, edits: int, browser: Any) -> list[float]:
    """Seconds from each YAML edit to the page showing it, under ``kb serve --engine``; with
    MkDocs, the server's CPU seconds per update are in ``CPU[(engine, code)]``."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{EDITIONS[code]}{PAGE}"
    data = project / "data" / (f"{code}/" if EDITIONS[code] else "") / "challenges"
    path = data / "concept-drift.yaml"
    original = path.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", original, re.MULTILINE)
    assert title is not None
    command = [sys.executable, "scripts/build.py", "serve", "--edition", code]
    command += ["--engine", engine, "-a", f"127.0.0.1:{port}"]
    command += ["--tree", str(project / "build" / f"serve-{engine}-{code}")]
    log = project / "build" / f"serve-{engine}-{code}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        server = subprocess.Popen(
            command, cwd=project, env=ENV, stdout=output, stderr=subprocess.STDOUT
        )
    times = []
    page = None
    try:
        if not _wait(lambda: title[1] in _fetch(url), 180):
            raise SystemExit(f"kb serve --engine {engine} did not come up for {code}")
        if browser is not None:
            page = browser.new_page()
            page.goto(url)
        for n in range(edits):
            # The server settles: after the reload, kb serve still writes the other pages, the
            # search index and the open data (an edit meanwhile waits for them: about 2.5 s);
            # Zensical's watcher needs a later mtime.
            if engine == "mkdocs":
                _wait(lambda n=n: log.read_text().count("open data:") >= n, 30)
            time.sleep(1.5)
            new = f"{title[1]} {n + 1}"
            text = original.replace(title[0], f"title: {new}")
            start = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            if page is not None:
                page.wait_for_function(
                    "t => document.title.startsWith(t)", arg=new, timeout=60_000, polling=10
                )
            elif not _wait(lambda new=new: f">{new}<" in _fetch(url), 60):
                raise SystemExit(f"the edit never showed under {engine} ({code})")
            times.append(time.perf_counter() - start)
    finally:
        path.write_text(original, encoding="utf-8")
        if page is not None:
            page.close()
        server.terminate()
        server.wait()
    CPU[(engine, code)] = [float(x) for x in re.findall(r"\(([\d.]+) s of CPU\)", log.read_text())]
    return times


CPU: dict[tuple[str, str], list[float]] = {}


def measure_engines(project: Path, repeat: int = 2, edits: int = 3) -> dict[str, Any]:
    """Every figure of the side-by-side table, for the corpus of ``project``."""
    builds = full_builds(project, repeat)
    reloads: dict[tuple[str, str], list[float]] = {}
    browser_path = chromium.find()
    if browser_path:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path, args=chromium.ARGS)
            for engine in ENGINES:
                for code in EDITIONS:
                    reloads[(engine, code)] = edit_reload(project, engine, code, edits, browser)
            browser.close()
    else:
        for engine in ENGINES:
            for code in EDITIONS:
                reloads[(engine, code)] = edit_reload(project, engine, code, edits, None)
    return {"builds": builds, "reloads": reloads, "browser": bool(browser_path)}


def engine_table(figures: dict[str, Any]) -> str:
    builds, reloads = figures["builds"], figures["reloads"]
    how = "chromium shows the new title" if figures["browser"] else "the page, polled over HTTP"
    lines = [
        "| edition | tree (`kb build`, both) | MkDocs + Material build | Zensical build "
        "| MkDocs edit→reload (median, max; server CPU) | Zensical edit→reload (median, max) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for code in EDITIONS:
        cells = [
            f"{statistics.median(reloads[(e, code)]):.2f} s ({max(reloads[(e, code)]):.2f})"
            + (f"; CPU {statistics.median(CPU[(e, code)]):.2f} s" if CPU.get((e, code)) else "")
            for e in ENGINES
        ]
        tree, mkdocs, zensical = (
            builds[k] for k in (("tree", "both"), ("mkdocs", code), ("zensical", code))
        )
        lines.append(
            f"| {code} | {tree[0]:.2f} s ({tree[1]:.2f}) | {mkdocs[0]:.2f} s ({mkdocs[1]:.2f}) "
            f"| {zensical[0]:.2f} s ({zensical[1]:.2f}) | {cells[0]} | {cells[1]} |"
        )
    lines.append(
        f"\nBuilds: wall time (CPU time) of the least disturbed of several runs, each engine in a "
        f"fresh process on the same tree. "
        f"Edit→reload: a challenge's title changed in its YAML under `kb serve --engine …`, until "
        f"{how} (target: at most 1.5 s). Load average when the table was made: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs."
    )
    return "\n".join(lines)


def main() -> int:
    """``python scripts/bench_engines.py``: the table for a copy of this checkout's corpus."""
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="kb-engines-") as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        for name in ("mkdocs.yml", "mkdocs.ja.yml", "pyproject.toml"):
            shutil.copy(root / name, project / name)
        for name in ("docs", "scripts", "overrides", "data"):
            shutil.copytree(
                root / name, project / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        # The repository too, as in a checkout: its history dates the entries and fills the
        # Changes page, which every rebuild renders again.
        if (root / ".git").is_dir():
            shutil.copytree(root / ".git", project / ".git")
        print(engine_table(measure_engines(project)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
