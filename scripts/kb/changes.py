"""The Changes page and its Atom feed: what changed in the corpus, newest first.

Both are pure functions of the corpus and its :class:`~kb.history.History`; only changes to a
current entry's data file are listed (so every item links to a page that exists: the entry, or
its tombstone). The feed carries the newest :data:`FEED_LIMIT` changes; the page carries all.
Nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from kb.cite import AUTHOR, Site
from kb.corpus import Corpus
from kb.history import Change, Commit, History
from kb.models import Entity

PAGE_PATH = "changes.md"
"""The Changes page, under ``docs/`` (served at ``/changes/``)."""

FEED_PATH = "changes.xml"
"""The Atom feed, relative to the site root."""

FEED_LIMIT = 100
"""How many changes the feed carries: a feed reader polls it, so it stays small."""


@dataclass(frozen=True)
class ChangeItem:
    """One change to one entry, as listed on the Changes page and in the feed."""

    change: Change
    entity: Entity

    @property
    def anchor(self) -> str:
        """The item's ID on the Changes page (also the feed entry's ID after the page URL)."""
        return f"c-{self.change.commit.short}-{self.entity.folder}-{self.entity.id}"


def change_items(corpus: Corpus, history: History) -> list[tuple[Commit, list[ChangeItem]]]:
    """The changes to current entries, grouped by commit, newest commit first."""
    by_path = {path: corpus.entities[folder][i] for (folder, i), path in corpus.paths.items()}
    groups = []
    for commit, changes in history.by_commit():
        items = [ChangeItem(c, by_path[c.path]) for c in changes if c.path in by_path]
        if items:
            groups.append((commit, items))
    # git lists a child before its parents; across merged branches that is not always by date.
    return sorted(groups, key=lambda group: -group[0].time)


def changes_pages(corpus: Corpus, history: History, env: jinja2.Environment) -> dict[str, str]:
    """The Changes page, keyed by its path under ``docs/``."""
    groups = change_items(corpus, history)
    days: dict[str, list[tuple[Commit, list[ChangeItem]]]] = {}
    for commit, items in groups:
        days.setdefault(commit.date, []).append((commit, items))
    text = env.get_template("changes.md.j2").render(
        here=PAGE_PATH,
        history=history,
        days=list(days.items()),
        feed=FEED_PATH if groups else None,  # the feed exists when something is listed
    )
    return {PAGE_PATH: text}


def changes_feed(
    corpus: Corpus, history: History, env: jinja2.Environment, site: Site
) -> dict[str, str]:
    """The Atom feed, keyed by its path under the site root; none without a change to list."""
    items = [(c, i) for c, group in change_items(corpus, history) for i in group][:FEED_LIMIT]
    if not items:
        return {}
    text = env.get_template("changes.xml.j2").render(
        site=site,
        items=items,
        author=AUTHOR,
        language=site.language,
        page_url=site.url + PAGE_PATH.removesuffix(".md") + "/",
        feed_url=site.url + FEED_PATH,
        updated=max((c for c, _ in items), key=lambda c: c.time).timestamp,
    )
    return {FEED_PATH: text.strip("\n") + "\n"}
