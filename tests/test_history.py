"""Entry history from git: dates on entry pages, the Changes page and its Atom feed.

A copy of the project gets a repository with a known history (commits with fixed dates: an import,
an edit, a retirement, two redirects, a commit outside the corpus, an edit of two entries) and is
built once; its pages are then checked against ``git log`` itself.
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import kb.history
import pytest
import rnc2rng
from conftest import REPO_URL, SITE_URL, copy_project, mkdocs_build, once, real_corpus
from kb.changes import FEED_LIMIT, changes_feed
from kb.cite import Site
from kb.corpus import load_corpus
from kb.history import History, read_history
from kb.render import make_env, render_site
from lxml import etree

pytestmark = [pytest.mark.slow, pytest.mark.heavy]

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_SUBJECT = 'Edit concept drift: <b>bold</b> & "quotes" ]]> end'
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}
CONCEPT = "data/challenges/concept-drift.yaml"
MARINE = "data/case-studies/marine-imaging-gear-drift.yaml"
STEP = "data/steps/updating.yaml"
REFERENCE = "data/references/gama-2014.yaml"


def git(project: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ, **GIT_ENV)
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    result = subprocess.run(
        ["git", *args], cwd=project, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def edit(project: Path, path: str, old: str, new: str) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(project: Path, path: str, lines: str) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    file.write_text(text.rstrip("\n") + "\n" + lines, encoding="utf-8")


def commit(project: Path, date: str, subject: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", subject, date=date)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project whose repository has a known history."""
    return once(tmp_path_factory, "history", make_history)


def make_history(folder: Path) -> Path:
    project = copy_project(folder / "project")
    git(project, "init", "-q", "-b", "main")
    commit(project, "2021-03-04T05:06:07Z", "Import the corpus")
    edit(project, CONCEPT, "summary: ", "summary: Edited. ")
    commit(project, "2022-01-02T03:04:05Z", HOSTILE_SUBJECT)
    append(
        project,
        MARINE,
        "status: merged\nreplaced_by: [autoscout24-car-price-continuous-delivery]\n"
        "retired_reason: Folded into a broader case for this test.\n",
    )
    commit(project, "2023-06-07T08:09:10Z", "Retire the marine imaging case")
    append(project, CONCEPT, "redirect_from:\n  - drift-of-concepts\n")
    commit(project, "2024-02-03T04:05:06Z", "Concept drift was once called drift of concepts")
    append(project, CONCEPT, "  - concept-shift\n")  # a hunk inside the list: the key is above it
    commit(project, "2024-02-04T00:00:00Z", "And concept shift")
    append(project, "docs/about.md", "\nOne more line.\n")
    commit(project, "2024-05-06T07:08:09Z", "Docs only: not a corpus change")
    edit(project, STEP, "summary: ", "summary: Edited. ")
    edit(project, REFERENCE, "summary: ", "summary: Edited. ")
    commit(project, "2024-05-07T10:11:12Z", "Edit a step and a reference")
    return project


@pytest.fixture(scope="module")
def site(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    def build(folder: Path) -> Path:
        result = mkdocs_build(project, folder / "site")
        assert result.returncode == 0, result.stderr
        return folder / "site"

    return once(tmp_path_factory, "history-site", build)


def utc(timestamp: str) -> str:
    return datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Dated(HTMLParser):
    """The ``<time class="kb-history__date">`` of a page, and the links beside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dates: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "time" and values.get("class") == "kb-history__date":
            self.dates.append(values.get("datetime") or "")
        if tag == "a":
            self.hrefs.append(values.get("href") or "")


def dated(html: str) -> Dated:
    parser = Dated()
    parser.feed(html)
    return parser


def test_last_changed_date_of_every_entry_matches_git_log_for_its_file(
    project: Path, site: Path
) -> None:
    corpus = load_corpus(project / "data", root=project)
    # git log itself, once: each file's newest commit (as ``git log -1 -- <file>`` would say).
    newest: dict[str, str] = {}
    for commit in git(project, "log", "--format=%x00%ct", "--name-only").split("\0")[1:]:
        timestamp, *paths = commit.split()
        for changed in paths:
            newest.setdefault(changed, timestamp)
    seen = set()
    for folder in corpus.entities.values():
        for entity in folder.values():
            path = corpus.path_of(entity)
            expected = utc(newest[path])
            page = (site / entity.folder / entity.id / "index.html").read_text()
            found = dated(page)
            assert found.dates == [expected], path
            history = f"{REPO_URL.rstrip('/')}/commits/main/{path}"
            assert history in found.hrefs, path
            seen.add(expected)
    # Every kind of commit above is represented, and the docs-only commit dates nothing.
    assert seen == {
        "2021-03-04T05:06:07Z",
        "2023-06-07T08:09:10Z",
        "2024-02-04T00:00:00Z",
        "2024-05-07T10:11:12Z",
    }


class ChangesPage(HTMLParser):
    """The Changes page as (day, subject, [(kind, link, item id)]) in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.days: list[str] = []
        self.commits: list[tuple[str, str, list[tuple[str, str, str]]]] = []
        self._in: str | None = None
        self._text = ""
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "h2" and values.get("id", "").startswith("d-"):
            self.days.append(values["id"].removeprefix("d-"))
        elif tag == "p" and "kb-change" in values.get("class", ""):
            self._in, self._text = "commit", ""
        elif tag == "li" and values.get("id", "").startswith("c-"):
            self._in, self._text = "item", ""
            self._item = [values["id"], ""]
        elif tag == "a" and self._in == "item" and self._item is not None and not self._item[1]:
            self._item[1] = values.get("href", "")

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._in == "commit":
            subject = re.sub(r" \(commit [0-9a-f]{7}\)$", "", self._text.strip())
            self.commits.append((self.days[-1], subject, []))
            self._in = None
        elif tag == "li" and self._in == "item" and self._item is not None:
            kind = self._text.split(":", 1)[0].strip()
            self.commits[-1][2].append((kind, self._item[1], self._item[0]))
            self._in, self._item = None, None


def test_changes_page_lists_corpus_changes_newest_first(site: Path) -> None:
    parser = ChangesPage()
    html = (site / "changes" / "index.html").read_text()
    parser.feed(html)
    summary = [
        (day, subject, [(k, h) for k, h, _ in items]) for day, subject, items in parser.commits
    ]
    assert summary[:5] == [
        (
            "2024-05-07",
            "Edit a step and a reference",
            [("Edited", "../references/gama-2014/"), ("Edited", "../steps/updating/")],
        ),
        ("2024-02-04", "And concept shift", [("Redirected", "../challenges/concept-drift/")]),
        (
            "2024-02-03",
            "Concept drift was once called drift of concepts",
            [("Redirected", "../challenges/concept-drift/")],
        ),
        (
            "2023-06-07",
            "Retire the marine imaging case",
            [("Retired", "../case-studies/marine-imaging-gear-drift/")],
        ),
        ("2022-01-02", HOSTILE_SUBJECT, [("Edited", "../challenges/concept-drift/")]),
    ]
    day, subject, added = summary[5]
    assert (day, subject) == ("2021-03-04", "Import the corpus")
    corpus = real_corpus()
    assert len(added) == sum(len(f) for f in corpus.entities.values())
    assert {kind for kind, _ in added} == {"Added"}
    assert len(summary) == 6  # the docs-only commit changed no entry
    assert parser.days == [
        "2024-05-07",
        "2024-02-04",
        "2024-02-03",
        "2023-06-07",
        "2022-01-02",
        "2021-03-04",
    ]
    for _, _, items in parser.commits:
        for _, href, _ in items:
            assert (site / "changes" / href / "index.html").resolve().is_file(), href
    assert 'href="../changes.xml"' in html  # the feed, from the page


def atom_schema() -> etree.RelaxNG:
    """RFC 4287's RELAX NG schema (Appendix B, vendored), converted from the compact syntax.

    rnc2rng declares the schema's empty ``local`` namespace prefix as ``xmlns:local=""``, which
    XML forbids; the declaration is unused once converted, so it is dropped.
    """
    rnc = (Path(__file__).parent / "vendor" / "rfc4287" / "atom.rnc").read_text(encoding="utf-8")
    rng = rnc2rng.dumps(rnc2rng.loads(rnc)).replace('xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(rng.encode("utf-8")))


def schema_errors(feed: etree._Element) -> list[str]:
    """RELAX NG errors, plus the two Schematron rules of the schema that RELAX NG skips."""
    schema = atom_schema()
    errors = [] if schema.validate(feed) else [str(e) for e in schema.error_log]
    entries = feed.findall(f"{ATOM}entry")
    if feed.find(f"{ATOM}author") is None and any(e.find(f"{ATOM}author") is None for e in entries):
        errors.append("an atom:feed must have an atom:author unless all its entries have one")
    for entry in entries:
        links = entry.findall(f"{ATOM}link")
        if not any(link.get("rel", "alternate") == "alternate" for link in links):
            errors.append("an atom:entry must have an alternate link")
    return errors


def test_feed_validates_against_rfc_4287_and_links_to_pages_that_exist(site: Path) -> None:
    feed = etree.parse(str(site / "changes.xml")).getroot()
    assert schema_errors(feed) == []
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == FEED_LIMIT
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == "2024-05-07T10:11:12Z"
    for entry in entries:
        (link,) = [x for x in entry.findall(f"{ATOM}link") if x.get("rel") == "alternate"]
        href = link.get("href") or ""
        assert href.startswith(SITE_URL), href
        assert (site / href.removeprefix(SITE_URL) / "index.html").is_file(), href
        assert (site / "changes" / "index.html").read_text().count(
            f'id="{entry.findtext(f"{ATOM}id").split("#")[1]}"'
        ) == 1
    titles = [e.findtext(f"{ATOM}title") for e in entries[:6]]
    assert titles[:2] == ["Edited: A Survey on Concept Drift Adaptation", "Edited: Updating"]
    summaries = [e.findtext(f"{ATOM}summary") for e in entries]
    assert HOSTILE_SUBJECT in summaries  # markup in a commit message stays text
    self_link = [x for x in feed.findall(f"{ATOM}link") if x.get("rel") == "self"]
    assert [x.get("href") for x in self_link] == [f"{SITE_URL}changes.xml"]


def test_schema_check_rejects_a_broken_feed(site: Path) -> None:
    feed = etree.parse(str(site / "changes.xml")).getroot()
    entry = feed.find(f"{ATOM}entry")
    assert entry is not None
    entry.remove(entry.find(f"{ATOM}id"))
    feed.find(f"{ATOM}updated").text = "yesterday"
    errors = schema_errors(feed)
    assert errors


def test_every_page_points_feed_readers_at_the_feed(site: Path) -> None:
    for rel in ("index.html", "challenges/concept-drift/index.html", "about/index.html"):
        html = (site / rel).read_text()
        links = re.findall(
            r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html
        )
        assert len(links) == 1, rel
        target = urlsplit(links[0]).path
        assert ((site / rel).parent / target).resolve() == (site / "changes.xml").resolve()


def test_entry_metadata_carries_the_date_its_data_last_changed(site: Path) -> None:
    html = (site / "challenges" / "concept-drift" / "index.html").read_text()
    assert '<meta property="article:modified_time" content="2024-02-04T00:00:00Z">' in html
    assert '"dateModified": "2024-02-04T00:00:00Z"' in html
    tombstone = (site / "case-studies" / "marine-imaging-gear-drift" / "index.html").read_text()
    assert dated(tombstone).dates == ["2023-06-07T08:09:10Z"]


def test_a_shallow_clone_or_a_copy_without_git_has_no_history(
    project: Path, tmp_path: Path
) -> None:
    full = read_history(project)
    assert full.available
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{project}", str(shallow))
    assert read_history(shallow).unavailable == "shallow"
    # A copy without .git, inside another repository, does not borrow that repository's history.
    inside = project / "build" / "copy"
    copy_project(inside)
    try:
        assert read_history(inside).unavailable == "no-repository"
    finally:
        subprocess.run(["rm", "-rf", str(project / "build")], check=True)


def test_pages_say_when_history_is_unavailable() -> None:
    corpus = real_corpus()
    site = Site("KB", "https://kb.example/", "1", repo_url="https://git.example/kb")
    pages = render_site(corpus, site, History(unavailable="no-repository"))
    entry = pages["challenges/concept-drift.md"]
    assert "When its data last changed is unknown" in entry
    assert "(https://git.example/kb/commits/main/data/challenges/concept-drift.yaml)" in entry
    assert "History unavailable" in pages["changes.md"]
    assert "no `.git` folder" in pages["changes.md"]
    assert changes_feed(corpus, History(unavailable="shallow"), make_env(), site) == {}


def test_history_is_read_by_one_git_log_and_again_only_after_a_commit(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One ``git log`` for the whole corpus; a later read (kb serve reads after every edit)
    asks git only for the commit, and reads the log again once there is a new one."""
    calls: list[list[str]] = []
    real = subprocess.run

    def counting(command: list[str], *args: object, **kwargs: object) -> object:
        calls.append(command)
        return real(command, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", counting)
    monkeypatch.setattr(kb.history, "_READ", {})
    history = read_history(project)
    assert [c[1] for c in calls] == ["rev-parse", "-c"]  # git -c … log (kb/history.py)
    assert "log" in calls[1]
    assert len(history.changes) > 290

    repo = tmp_path / "repo"
    entry = repo / "data" / "challenges" / "x.yaml"
    entry.parent.mkdir(parents=True)
    entry.write_text("id: x\ntitle: X\n")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "2020-01-01T00:00:00Z", "Import")
    first = read_history(repo)
    entry.write_text("id: x\ntitle: Y\n")  # an edit not committed: the history is the same
    calls.clear()
    assert read_history(repo) is first
    assert [c[1] for c in calls] == ["rev-parse"]
    commit(repo, "2020-02-01T00:00:00Z", "Edit")
    again = read_history(repo)
    assert [c.commit.subject for c in again.changes] == ["Edit", "Import"]
    assert read_history(project) is history  # each repository keeps its own


def test_a_renamed_entry_is_redirected_and_a_first_import_is_added(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "challenges"
    folder.mkdir(parents=True)
    (folder / "old-name.yaml").write_text("id: old-name\ntitle: Old\n")
    (folder / "born-with-alias.yaml").write_text("id: born-with-alias\nredirect_from: [x]\n")
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "2020-01-01T00:00:00Z", "First import")
    (folder / "old-name.yaml").unlink()
    (folder / "new-name.yaml").write_text("id: new-name\ntitle: New\nredirect_from: [old-name]\n")
    commit(tmp_path, "2020-02-01T00:00:00Z", "Rename")
    history = read_history(tmp_path)
    kinds = [(c.commit.subject, c.path.split("/")[-1], c.kind) for c in history.changes]
    assert kinds == [
        ("Rename", "new-name.yaml", "redirected"),
        ("First import", "born-with-alias.yaml", "added"),
        ("First import", "old-name.yaml", "added"),
    ]
    assert history.last_change(["data/challenges/new-name.yaml"]).commit.date == "2020-02-01"
    # A page built from several files changed when the newest of them did.
    both = ["data/challenges/born-with-alias.yaml", "data/challenges/new-name.yaml"]
    assert history.for_page(both).last.commit.subject == "Rename"
