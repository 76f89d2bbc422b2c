"""End to end: the real site, built with ``mkdocs build --strict``, inspected as HTML."""

from __future__ import annotations

import functools
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import MINI, ROOT, copy_project, mkdocs_build, real_corpus
from kb.models import VERSIONS, CaseStudy, Challenge, PaperSection, Reference, Solution, Step

pytestmark = pytest.mark.slow
CORPUS = real_corpus()


class Links(HTMLParser):
    """Collects the href of every link in the article body."""

    def __init__(self) -> None:
        super().__init__()
        self.in_article = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.in_article += 1
        elif tag == "a" and self.in_article:
            self.hrefs.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article -= 1


def article_links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def page(site: Path, folder: str, entity_id: str) -> str:
    return (site / folder / entity_id / "index.html").read_text(encoding="utf-8")


@functools.cache
def links_of(site: Path, folder: str, entity_id: str) -> list[str]:
    """:func:`article_links` of one page, parsed once (pages are linked from many others)."""
    return article_links(page(site, folder, entity_id))


@pytest.mark.parametrize("challenge", CORPUS.all(Challenge), ids=lambda c: c.id)
def test_challenge_page_shows_stage_step_and_both_section_numbers(
    built_site: Path, challenge: Challenge
) -> None:
    html = page(built_site, "challenges", challenge.id)
    links = article_links(html)
    step = CORPUS.step_of(challenge)
    assert f"../../stages/{step.stage}/" in links
    assert f"../../steps/{step.id}/" in links
    if challenge.addition:  # not in Table 1: no placement or section number is claimed for it
        assert "Not in Table 1 of the survey" in html
        assert not any(f"<td>{label}</td>" in html for label in VERSIONS.values())
        return
    for version, label in VERSIONS.items():
        placed = getattr(challenge.placements, version)
        if placed:
            number = getattr(CORPUS.get(Step, placed).sections, version)
            assert re.search(
                rf"<td>{label}</td>\s*<td><a [^>]*>[^<]+</a></td>\s*<td>§{number}</td>", html
            )
        else:
            assert re.search(rf"<td>{label}</td>\s*<td>not listed</td>", html)


def test_case_study_and_challenge_pages_link_both_ways(built_site: Path) -> None:
    checked = 0
    for case in CORPUS.all(CaseStudy):
        case_links = links_of(built_site, "case-studies", case.id)
        for challenge_id in case.challenges:
            assert f"../../challenges/{challenge_id}/" in case_links
            challenge_links = links_of(built_site, "challenges", challenge_id)
            assert f"../../case-studies/{case.id}/" in challenge_links
            checked += 1
    assert checked >= len(CORPUS.all(CaseStudy))


def test_solution_and_reference_pages_show_backlinks(built_site: Path) -> None:
    for solution in CORPUS.all(Solution):
        for challenge_id in solution.challenges:
            links = links_of(built_site, "challenges", challenge_id)
            assert f"../../solutions/{solution.id}/" in links
    cited = 0
    for ref in CORPUS.all(Reference):
        links = links_of(built_site, "references", ref.id)
        for model in (Challenge, CaseStudy, Solution):
            for entry in CORPUS.referrers(ref, model):
                assert f"../../{entry.folder}/{entry.id}/" in links
                cited += 1
    assert cited > 0


def test_collection_indexes_list_every_entry(built_site: Path) -> None:
    for model in (Challenge, CaseStudy, Solution, Reference, PaperSection):
        links = article_links((built_site / model.folder / "index.html").read_text())
        for entity in CORPUS.all(model):
            assert f"{entity.id}/" in links, (model.folder, entity.id)


def test_site_makes_no_reference_to_google_fonts_or_cdns(built_site: Path) -> None:
    for path in [built_site / "index.html", built_site / "challenges" / "index.html"]:
        html = path.read_text()
        assert "fonts.googleapis.com" not in html
        assert "unpkg.com" not in html
        assert "cdn.jsdelivr.net" not in html


def test_broken_data_fails_the_mkdocs_build_without_traceback(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "data")  # the miniature corpus: a broken file fails any corpus
    shutil.copytree(MINI, project / "data")
    target = project / "data" / "challenges" / "data-discovery.yaml"
    target.write_text(target.read_text().replace("title:", "titel:", 1))
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "data/challenges/data-discovery.yaml:" in result.stderr
    assert "titel: unknown key (did you mean 'title'?)" in result.stderr


def duplicate_keys(text: str) -> list[str]:
    """``line: key`` of every key repeated in a mapping (tags such as ``!ENV`` left unresolved)."""
    found, stack = [], [yaml.compose(text, Loader=yaml.SafeLoader)]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            names = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
            found += [
                f"{k.start_mark.line + 1}: {k.value}"
                for i, (k, _) in enumerate(node.value)
                if isinstance(k, yaml.ScalarNode) and k.value in names[:i]
            ]
            stack += [v for _, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return found


@pytest.mark.parametrize("name", ["mkdocs.yml", "mkdocs.ja.yml"])
def test_site_config_has_no_duplicate_keys(name: str) -> None:
    """YAML keeps the last of two equal keys, so a merge slip would silently drop settings."""
    assert duplicate_keys((ROOT / name).read_text(encoding="utf-8")) == []


def test_duplicate_key_check_finds_a_repeated_key() -> None:
    assert duplicate_keys("a: 1\nb: !ENV [X, 2]\nc:\n  d: 1\n  d: 2\n") == ["5: d"]


def test_page_titles_name_the_page_then_the_site(built_site: Path) -> None:
    site_name = "Deploying ML — Challenges Knowledge Base"
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert f"<title>{site_name}</title>" in home
    challenge = page(built_site, "challenges", "concept-drift")
    assert f"<title>Concept drift - {site_name}</title>" in challenge
