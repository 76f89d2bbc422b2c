"""The site's address comes from where it is deployed (KB_SITE_URL, KB_REPO_URL), not from a file.

A second build of the real project at another address must differ from the session's build in
its absolute URLs and in nothing else. That comparison is also the determinism check: two builds
of the same corpus are byte-identical once the address is put back (the compressed sitemap's
header included), so the suite does not pay for a third build of the real site.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI, REPO_URL, ROOT, SITE_URL, copy_project, once
from kb.cli import _site_info

pytestmark = [pytest.mark.slow, pytest.mark.heavy]

OTHER_SITE = "https://kb.example.net/"
OTHER_REPO = "https://git.example.net/fork/kb"


def files(site: Path) -> dict[str, bytes]:
    """Every file of a build; compressed ones decompressed, so their text can be compared."""
    found = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found[path.relative_to(site).as_posix()] = (
                gzip.decompress(data) if path.suffix == ".gz" else data
            )
    return found


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built for another address and another repository."""
    return once(tmp_path_factory, "elsewhere", build_elsewhere)


def build_elsewhere(folder: Path) -> Path:
    site = folder / "site"
    env = dict(os.environ, KB_SITE_URL=OTHER_SITE, KB_REPO_URL=OTHER_REPO)
    result = subprocess.run(
        [
            sys.executable,
            "scripts/build.py",
            "site",
            "--out",
            str(site),
            "--tree",
            str(folder / "tree"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "KB_SITE_URL" not in result.stderr  # the address is set: nothing to say about it
    return site


def test_another_address_changes_every_absolute_url_and_nothing_else(
    built_site: Path, elsewhere: Path
) -> None:
    here, there = files(built_site), files(elsewhere)
    assert sorted(here) == sorted(there)
    assert {"search/search_index.json", "ja/search/search_index.json", "sitemap.xml.gz"} <= set(
        here
    )
    for name in (n for n in here if n.endswith(".gz")):  # same header (and build date) too
        assert (built_site / name).read_bytes()[:10] == (elsewhere / name).read_bytes()[:10]
    assert SITE_URL != OTHER_SITE
    moved = 0
    for name, data in here.items():
        expected = data.replace(SITE_URL.encode(), OTHER_SITE.encode()).replace(
            REPO_URL.encode(), OTHER_REPO.encode()
        )
        assert there[name] == expected, name
        assert SITE_URL.encode() not in there[name], name
        moved += expected != data
    assert moved > 300  # pages, sitemap, robots.txt, feed, api/: the address is everywhere
    assert f"Sitemap: {OTHER_SITE}sitemap.xml" in there["robots.txt"].decode()
    page = there["challenges/concept-drift/index.html"].decode()
    assert f'<link rel="canonical" href="{OTHER_SITE}challenges/concept-drift/">' in page
    assert f'<meta property="og:url" content="{OTHER_SITE}challenges/concept-drift/">' in page
    assert f"{OTHER_REPO}/edit/main/data/challenges/concept-drift.yaml" in page


def test_the_cli_reads_the_address_as_mkdocs_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KB_SITE_URL", raising=False)
    monkeypatch.delenv("KB_REPO_URL", raising=False)
    local = _site_info()
    assert local.url == "http://127.0.0.1:8000/"  # clearly local, the address of `make serve`
    assert local.repo_url
    monkeypatch.setenv("KB_SITE_URL", "https://wiki.example.org/kb")  # no trailing slash
    monkeypatch.setenv("KB_REPO_URL", OTHER_REPO)
    deployed = _site_info()
    assert deployed.url == "https://wiki.example.org/kb/"
    assert deployed.repo_url == OTHER_REPO
    assert deployed.history_url("data/x.yaml") == f"{OTHER_REPO}/commits/main/data/x.yaml"
    assert _site_info("https://given.example/").url == "https://given.example/"


def test_a_build_without_an_address_says_where_its_links_point(tmp_path: Path) -> None:
    """`make site` without KB_SITE_URL builds for http://127.0.0.1:8000/ (`make serve`): fine
    on a laptop, wrong for a deployment, so it says so on stderr, once, and still builds. (The
    miniature corpus: what is said does not depend on the corpus, and it builds in a second.)"""
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "data")
    shutil.copytree(MINI, project / "data")
    site = tmp_path / "site"
    env = {name: value for name, value in os.environ.items() if name != "KB_SITE_URL"}
    result = subprocess.run(
        [sys.executable, "scripts/build.py", "site", "--out", str(site), "--edition", "en"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "KB_SITE_URL" in line] == [
        "note: KB_SITE_URL is not set; permalinks, citations and og:url point at "
        "http://127.0.0.1:8000/ (set KB_SITE_URL=https://your.host/ for a deployment)"
    ]
    page = (site / "challenges" / "data-discovery" / "index.html").read_text(encoding="utf-8")
    url = "http://127.0.0.1:8000/challenges/data-discovery/"
    assert f'<meta property="og:url" content="{url}">' in page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="http://127.0.0.1:8000/">' in home
