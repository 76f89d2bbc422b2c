"""The offline bundle (``make offline``): a deterministic zip that works opened from disk."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, once
from kb.bundle import DIR_MODE, FILE_MODE, FIXED_TIME, write_zip

BUNDLE_ROOT = "deploying-ml-kb"
BUILD = [sys.executable, str(ROOT / "scripts" / "build.py")]


def make_offline(out: Path, data: Path = ROOT / "data", hash_seed: str | None = None) -> Path:
    """``make offline`` of ``data`` into ``out`` (with ``hash_seed`` as PYTHONHASHSEED if given)."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed} if hash_seed else None
    result = subprocess.run(
        [*BUILD, "--data", str(data), "offline", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert f"offline bundle: {out}" in result.stdout
    return out


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline zip of the real site, built once per session."""
    return once(tmp_path_factory, "offline", lambda folder: make_offline(folder / "bundle.zip"))


@pytest.fixture(scope="module")
def unpacked(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle unzipped, as a reader would: returns the folder holding index.html."""
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(target)
    return target / BUNDLE_ROOT


class LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml whatever tags it uses (``!ENV``, ``!!python/...``), as None."""


LenientLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def plugins_of(config: str) -> list[Any]:
    return yaml.load((ROOT / config).read_text(encoding="utf-8"), Loader=LenientLoader)["plugins"]


def test_every_edition_has_the_same_plugins_and_an_offline_switch() -> None:
    """Under INHERIT a plugin list replaces the parent's: the Japanese edition repeats every
    plugin with the same settings, but for its search languages and Japanese separators."""
    main, japanese = plugins_of("mkdocs.yml"), plugins_of("mkdocs.ja.yml")
    names = [next(iter(p)) if isinstance(p, dict) else p for p in main]
    assert names == [next(iter(p)) if isinstance(p, dict) else p for p in japanese]
    assert {"offline": {"enabled": None}} in main  # !ENV KB_OFFLINE, read as None here
    search_en, search_ja = main[names.index("search")], japanese[names.index("search")]
    assert search_ja["search"]["lang"] == ["ja", "en"]
    assert search_ja["search"]["fields"] == search_en["search"]["fields"]
    # Material's Japanese default stems the index, where its prefix queries cannot reach.
    assert search_ja["search"]["pipeline"] == search_en["search"]["pipeline"] == ["stopWordFilter"]
    english_separators = search_en["search"]["separator"].split("]+", 1)
    assert search_ja["search"]["separator"].split("]+", 1)[1] == english_separators[1]
    assert search_ja["search"]["separator"].startswith(english_separators[0].rstrip("]"))


def test_write_zip_gives_the_same_bytes_whatever_the_mtimes_and_creation_order(
    tmp_path: Path,
) -> None:
    digests = []
    for attempt, names in enumerate(
        [["b/c.txt", "a.txt", "b/a.txt"], ["b/a.txt", "a.txt", "b/c.txt"]]
    ):
        site = tmp_path / f"site{attempt}"
        for name in names:
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_text(f"content of {name}\n")
            os.utime(site / name, (1_000_000 * (attempt + 1), 1_000_000 * (attempt + 1)))
        (site / "sitemap.xml").write_text(f"built at {attempt}\n")
        out = tmp_path / f"out{attempt}.zip"
        files = write_zip(site, out, root="kb", exclude=["sitemap.xml*"])
        assert files == ["a.txt", "b/a.txt", "b/c.txt"]
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    with zipfile.ZipFile(tmp_path / "out0.zip") as archive:
        assert archive.namelist() == ["kb/", "kb/a.txt", "kb/b/", "kb/b/a.txt", "kb/b/c.txt"]
        assert archive.read("kb/b/c.txt") == b"content of b/c.txt\n"


@pytest.mark.slow
@pytest.mark.heavy
def test_offline_bundle_is_byte_identical_when_built_twice(mini_data: Path, tmp_path: Path) -> None:
    """Two builds of the miniature corpus, each in its own process with its own hash seed (the
    order of a set or a dict of strings then differs between them): every collection, both
    editions, the search index and the zip, at a fraction of the real corpus's cost. The real
    site's pages are compared build to build in test_site_address.py."""
    first = make_offline(tmp_path / "first.zip", mini_data, hash_seed="1")
    again = make_offline(tmp_path / "again.zip", mini_data, hash_seed="2")
    with zipfile.ZipFile(first) as one, zipfile.ZipFile(again) as two:
        assert len(one.namelist()) > 100  # both editions, every collection
        differ = [
            n for n in one.namelist() if n not in two.namelist() or one.read(n) != two.read(n)
        ]
        assert differ + sorted(set(two.namelist()) - set(one.namelist())) == []
    assert again.read_bytes() == first.read_bytes()  # and the zip's own bytes


@pytest.mark.slow
@pytest.mark.heavy
def test_offline_bundle_entries_are_sorted_with_fixed_times_and_modes(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert all(name.startswith(f"{BUNDLE_ROOT}/") for name in names)
    assert {info.date_time for info in infos} == {FIXED_TIME}
    assert {info.external_attr for info in infos} == {DIR_MODE, FILE_MODE}
    for required in ("index.html", "challenges/concept-drift.html", "search/search_index.js"):
        assert f"{BUNDLE_ROOT}/{required}" in names
    assert f"{BUNDLE_ROOT}/sitemap.xml" not in names


@pytest.mark.slow
@pytest.mark.heavy
def test_offline_pages_link_html_files_and_load_only_bundled_scripts(unpacked: Path) -> None:
    html = (unpacked / "challenges" / "concept-drift.html").read_text(encoding="utf-8")
    assert 'href="../stages/' in html
    assert re.search(r'href="\.\./steps/[a-z0-9-]+\.html"', html)
    sources = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert "../assets/vendor/iframe-worker-shim.js" in sources
    for src in sources:
        if src.endswith((".js", ".css")):
            assert not re.match(r"[a-z]+:", src), src  # loaded from the bundle, not from a host
            assert (unpacked / "challenges" / src).resolve().is_file(), src


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.heavy
def test_offline_bundle_opened_from_disk_searches_without_any_network_request(
    page: Any, unpacked: Path
) -> None:
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto((unpacked / "index.html").as_uri())
    search = page.locator("input.md-search__input")
    search.click()
    search.type("concept drift")
    search.press("End")  # Material searches on keyup
    page.wait_for_selector(".md-search-result__item")
    links = page.locator(".md-search-result__item > .md-search-result__link")
    titles = [title.strip() for title in links.locator("h1").all_inner_texts()]
    assert "Concept drift" in titles, titles  # its rank is the search feature's business
    links.nth(titles.index("Concept drift")).click()
    page.wait_for_url("**/challenges/concept-drift.html*")
    assert page.inner_text("article h1").rstrip("¶") == "Concept drift"

    assert failed == []
    assert requests, "no request recorded: the page did not load"
    assert any(url.endswith("/search/search_index.js") for url in requests)
    outside = [url for url in requests if not url.startswith(("file://", "data:"))]
    assert outside == []


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.heavy
def test_offline_assessment_page_works_from_disk_with_no_request(
    browser: Any, unpacked: Path, tmp_path: Path
) -> None:
    """From file:// nothing can be fetched: the page reads the data embedded in it."""
    from assess_helpers import kb_report

    requests: list[str] = []
    context = browser.new_context(accept_downloads=True)
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto((unpacked / "assess.html").as_uri())
    page.wait_for_selector("#kb-assess[data-ready=true]")
    control = page.locator(".kb-assess-table:not([hidden]) [data-challenge=concept-drift] select")
    control.select_option("facing")
    page.reload()
    page.wait_for_selector("#kb-assess[data-ready=true]")
    assert control.input_value() == "facing"  # localStorage works for file:// pages too
    link = page.locator(".kb-assess-table:not([hidden]) [data-challenge=concept-drift] a")
    assert link.get_attribute("href") == "challenges/concept-drift.html"
    with page.expect_download() as saved:
        page.get_by_role("button", name="Save assessment file").click()
    with page.expect_download() as markdown:
        page.get_by_role("button", name="Download Markdown").click()
    exported = tmp_path / "exported.json"
    exported.write_bytes(Path(str(saved.value.path())).read_bytes())
    report = kb_report(exported)
    assert report.returncode == 0, report.stderr.decode()
    # Offline too, the report links the permanent (hosted) addresses.
    assert Path(str(markdown.value.path())).read_bytes() == report.stdout
    context.close()
    assert [url for url in requests if not url.startswith(("file://", "data:", "blob:"))] == []


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.heavy
def test_offline_japanese_edition_searches_and_switches_language_from_disk(
    page: Any, unpacked: Path
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((unpacked / "ja" / "index.html").as_uri())
    assert page.evaluate("document.documentElement.lang") == "ja"
    search = page.locator("input.md-search__input")
    search.click()
    search.type("ドリフトの検知")
    search.press("End")  # Material searches on keyup; Playwright types Japanese without keys
    page.wait_for_selector(".md-search-result__item")
    links = page.locator(".md-search-result__item > .md-search-result__link")
    titles = [title.strip() for title in links.locator("h1").all_inner_texts()]
    assert "コンセプトドリフト" in titles, titles
    links.nth(titles.index("コンセプトドリフト")).click()
    page.wait_for_url("**/ja/challenges/concept-drift.html*")
    page.goto(page.url.split("?")[0].split("#")[0] + "#solutions")  # drop search's ?h=
    page.hover(".md-header__option .md-select")
    page.click(".md-header__option .md-select__link[hreflang=en]")
    page.wait_for_function("document.documentElement?.lang === 'en'")
    assert page.url == (unpacked / "challenges" / "concept-drift.html").as_uri() + "#solutions"
    outside = [url for url in requests if not url.startswith(("file://", "data:"))]
    assert outside == []


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "ja/"])
@pytest.mark.heavy
def test_offline_filter_page_filters_from_disk_with_no_request(
    page: Any, unpacked: Path, prefix: str
) -> None:
    """fetch() cannot read the index from file://: the bundle's script copy of it is loaded."""
    import json

    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    edition = unpacked / prefix
    page.goto((edition / "explore.html").as_uri() + "?stage=model-deployment")
    page.wait_for_selector("#kb-explore[data-ready]")
    index = json.loads((edition / "assets" / "kb-facets.json").read_text(encoding="utf-8"))
    expected = {
        item["url"]
        for item in index["items"]
        if any(p.get("stage") == "model-deployment" for p in item.get("placements", []))
    }
    hrefs = page.eval_on_selector_all(
        ".kb-explore__results li > a", "links => links.map(a => a.href)"
    )
    assert expected
    assert {edition.as_uri() + "/" + url for url in expected} == set(hrefs)
    assert all((edition / url).is_file() for url in expected)
    count = page.locator(".kb-explore__count").text_content()
    assert count.startswith(f"{len(expected)} results" if not prefix else f"{len(expected)}件")
    assert any(url.endswith(f"/{prefix}assets/kb-facets.js") for url in requests)
    assert [url for url in requests if not url.startswith(("file://", "data:"))] == []
