"""The engine-neutral docs tree: every file a site engine needs to build each edition.

``kb build`` writes it into ``build/tree/``::

    overrides/            the theme's templates (copied from overrides/)
    hooks/mkdocs_hook.py  MkDocs only: lights up an entry page's listing tab (nothing else)
    en/mkdocs.yml         the English edition's engine configuration (MkDocs' format)
    en/docs/              its pages, assets, open data (api/), redirect pages, robots.txt, feed
    ja/mkdocs.yml, ja/docs/   the Japanese edition, built into the site's ja/ folder

Every page is Markdown whose front matter carries what the theme needs for its head and frame:
the description, link previews, JSON-LD, the page in the other editions (``kb_alternates``), the
breadcrumb with final URLs, the edit link (``kb_edit``), search weight and tags. Interface
strings of the theme are resolved per edition into the configuration (``extra.kb_text``), so
the templates need no gettext: MkDocs (Jinja) and Zensical (MiniJinja) render them alike.

Nothing here imports a site engine.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.assess import assess_files
from kb.changes import FEED_PATH, changes_feed
from kb.cite import Site, edit_branch, project_version
from kb.corpus import Corpus, load_corpus
from kb.diagnostics import CorpusError, Diagnostic
from kb.export import export_files
from kb.find import find_assets
from kb.history import History, read_history
from kb.i18n import EDITIONS, LANGUAGES, Edition, env_gettext, gettext_functions, theme_strings
from kb.ledger import ledger_problems
from kb.models import ORIGINS
from kb.permalinks import (
    ROOT_SCHEME,
    alternates,
    page_url,
    render_moves,
    render_redirects,
    root_href,
    served_url,
)
from kb.render import make_env, page_sources, render_site
from kb.siteconfig import (
    ENGINE_CONFIG,
    SOURCE_CONFIGS,
    dump_config,
    edit_url,
    edition_of,
    engine_config,
    read_config,
    root_url,
)
from kb.translations import Language, load_language

TREE = Path("build") / "tree"
"""Where ``kb build`` writes the tree, under the project's root."""

HOOK = "scripts/mkdocs_hook.py"
"""The MkDocs hook (project-relative); the tree carries a copy in ``hooks/``."""

VENDORED_SHIM = "assets/vendor/iframe-worker-shim.js"
"""The offline bundle's Worker shim for file:// search, vendored (the engines would load it from
unpkg.com): listed in ``extra.polyfills``, it keeps them from adding theirs."""

_FRONT = re.compile(r"\A---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*\n", re.DOTALL)
# A Markdown link to a path from the site's root (``[text](kb-root:api/x.json)``), which the
# templates write to reach another edition's files; the text holds no unescaped ``]``.
_ROOT_LINK = re.compile(
    r"\[((?:\\.|[^\]\\])*)\]\(" + re.escape(ROOT_SCHEME) + r"([^)#?\s]*)([^)\s]*)\)"
)


class TreeError(Exception):
    """The tree cannot be generated; ``problems`` are the lines to show, every one of them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Project:
    """Where a build reads from: the project's root (configuration, docs/, overrides/) and the
    corpus (``data``, which tests point elsewhere)."""

    root: Path
    data: Path
    site_url: str | None = None  # the site's root address, over the configuration's
    offline: bool | None = None  # the offline bundle's build, over the configuration's
    editions: tuple[str, ...] = tuple(SOURCE_CONFIGS)

    @property
    def data_root(self) -> Path:
        """The folder the corpus' paths are shown from (``data/...``)."""
        return self.data.resolve().parent


@dataclass
class Loaded:
    """The corpus and its translations, loaded and checked once for every edition."""

    english: Corpus
    languages: dict[str, Language]
    history: History


def load(project: Project) -> Loaded:
    """Load the corpus, every translation and the history; raise CorpusError with every problem."""
    english = load_corpus(project.data, root=project.data_root)
    languages = {
        code: load_language(code, project.data, english, project.data_root) for code in LANGUAGES
    }
    history = read_history(project.data_root, project.data.resolve().name)
    return Loaded(english, languages, history)


def source_config(project: Project, code: str) -> dict[str, Any]:
    """An edition's source configuration, with the build's address and offline switch applied."""
    config = read_config(project.root, SOURCE_CONFIGS[code])
    if project.site_url:
        config["site_url"] = project.site_url
    if project.offline is not None:
        _set_plugin(config, "offline", "enabled", project.offline)
    return config


def site_of(config: dict[str, Any], root: Path) -> Site:
    """Name, address and repository of an edition (another edition lives at the root + prefix)."""
    edition = edition_of(config)
    base = root_url(config)
    return Site(
        config["site_name"],
        base + edition.prefix,
        project_version(root),
        repo_url=config.get("repo_url"),
        branch=edit_branch(config.get("edit_uri")),
        root=base,
        language=edition.code,
    )


def offline_of(config: dict[str, Any]) -> bool:
    """Whether a configuration builds the offline bundle (its ``offline`` plugin enabled)."""
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "offline" in entry:
            return bool((entry["offline"] or {}).get("enabled", True))
        if entry == "offline":
            return True
    return False


def _set_plugin(config: dict[str, Any], name: str, option: str, value: Any) -> None:
    plugins = []
    for entry in config.get("plugins") or []:
        if entry == name:
            entry = {name: {}}
        if isinstance(entry, dict) and name in entry:
            entry = {name: {**(entry[name] or {}), option: value}}
        plugins.append(entry)
    config["plugins"] = plugins


@dataclass
class EditionBuild:
    """What one edition's part of the tree is made from."""

    edition: Edition
    config: dict[str, Any]
    site: Site
    corpus: Corpus
    language: Language | None
    pages: dict[str, str] = field(default_factory=dict)


def generate(
    project: Project, loaded: Loaded | None = None, *, open_data: bool = True
) -> dict[str, bytes]:
    """Every file of the tree, keyed by its path in the tree; raise CorpusError (bad data, a
    broken ledger) or TreeError (a clash, a bad configuration), each with every problem.

    Without ``open_data``, the corpus export (``api/``, a third of the time) is left out: ``kb
    serve`` writes the pages first, and the open data once the browser has reloaded.
    """
    loaded = loaded or load(project)
    editions: dict[str, EditionBuild] = {}
    for code in project.editions:
        config = source_config(project, code)
        language = loaded.languages.get(code)
        site = site_of(config, project.root)
        corpus = language.corpus if language else loaded.english
        directory_urls = not offline_of(config)
        pages = render_site(
            corpus,
            site,
            loaded.history,
            language,
            loaded.languages,
            directory_urls=directory_urls,
        )
        editions[code] = EditionBuild(edition_of(config), config, site, corpus, language, pages)
    problems: list[Diagnostic] = []
    for built in editions.values():
        # Other editions mirror the English URLs: while the English ones are broken, theirs
        # break the same way, and one fix mends both, so they are reported once, in English.
        if not problems:
            problems = ledger_problems(
                built.corpus, built.pages, project.data, project.data_root, built.edition.prefix
            )
    if problems:
        raise CorpusError(problems)
    files: dict[str, bytes] = {}
    trouble: list[str] = []
    strings = theme_strings(project.root / "overrides")
    for code, built in editions.items():
        try:
            part = edition_files(project, built, loaded, strings, open_data=open_data)
        except TreeError as exc:
            trouble += exc.problems
            continue
        files.update({f"{code}/{path}": data for path, data in part.items()})
    if trouble:
        raise TreeError(trouble)
    for path in _files_under(project.root / "overrides"):
        files[f"overrides/{path}"] = (project.root / "overrides" / path).read_bytes()
    files["hooks/mkdocs_hook.py"] = (project.root / HOOK).read_bytes()
    return dict(sorted(files.items()))


def edition_files(
    project: Project,
    built: EditionBuild,
    loaded: Loaded,
    strings: Iterable[str],
    *,
    open_data: bool = True,
) -> dict[str, bytes]:
    """One edition's files: ``mkdocs.yml`` and everything under ``docs/``."""
    config, edition, site = built.config, built.edition, built.site
    directory_urls = not offline_of(config)
    env = make_env(built.language.catalog if built.language else None)
    gettext = env_gettext(env)
    english = edition.code == "en"
    docs: dict[str, bytes] = {}
    generated: dict[str, bytes] = {}
    if english and open_data:  # open data is published once, at the site's root
        generated |= export_files(loaded.english, site, loaded.languages)
        generated |= assess_files(site)
    redirects = render_redirects(
        built.corpus,
        site_url=site.url,
        site_name=site.name,
        gettext=gettext,
        language=edition.code,
    )
    moves: dict[str, str] = dict((config.get("extra") or {}).get("moved_pages") or {})
    if english:  # moved hand-written pages only ever existed in English
        redirects |= render_moves(moves, site_url=site.url)
    generated |= {path: text.encode() for path, text in redirects.items()}
    assets = find_assets(
        built.corpus, directory_urls=directory_urls, gettext=gettext, offline=not directory_urls
    )
    feed = changes_feed(built.corpus, loaded.history, env, site)
    generated |= {path: text.encode() for path, text in (assets | feed).items()}
    if english:  # robots.txt belongs at the site's root; another edition is a folder of it
        generated["robots.txt"] = robots_txt(site.root).encode()

    docs_dir = str(config.get("docs_dir") or "docs")
    hand = _hand_written(project.root, docs_dir, edition)
    problems = []
    for path in sorted(hand):
        if path in built.pages:
            problems.append(f"docs/{path} clashes with a generated page: remove the file")
        elif path in generated:
            kind = "redirect" if path in redirects else "data file"
            problems.append(f"docs/{path} clashes with a generated {kind}: remove the file")
    served = {
        page_url(p).lstrip("/") for p in [*built.pages, *(p for p in hand if p.endswith(".md"))]
    }
    for old, new in moves.items() if english else ():
        if old in served:
            problems.append(f"moved_pages: {old} is still a page; its redirect would replace it")
        if new not in served:
            problems.append(f"moved_pages: {old} leads to {new}, which is not a page")
    if problems:
        raise TreeError(problems)

    sources = page_sources(built.corpus, built.language)
    frame = Frame(edition, site.root, directory_urls)
    for path, markdown in built.pages.items():
        edit = edit_url(config, sources[path]) if path in sources else ""
        text = resolve_root_links(markdown, path, edition.prefix, directory_urls=directory_urls)
        docs[path] = frame.apply(text, path, edit).encode()
    for path, source in hand.items():
        if path.endswith(".md"):
            text = source.read_text(encoding="utf-8")
            docs[path] = frame.apply(text, path, edit_url(config, f"{docs_dir}/{path}")).encode()
        else:
            docs[path] = source.read_bytes()
    docs |= generated

    gettext_text, _ = gettext_functions(built.language.catalog if built.language else None)
    extra: dict[str, Any] = {
        # The editions, as Material's setting for a multilingual site: it turns on the language
        # switcher, and gives the theme the locales of the link previews. Each page's own
        # counterparts are in its front matter (kb_alternates).
        "alternate": [
            {"name": e.name, "lang": e.code, "link": site.root + e.prefix}
            for e in EDITIONS.values()
        ],
        # The 404 page is a template, not a page: its counterparts and the editions' folders
        # (the English 404 page hands a missing /ja/ address to the Japanese one).
        "kb_404_alternates": alternates(
            "404.html", edition, site.root, directory_urls=directory_urls
        ),
        "kb_other_editions": [e.prefix for e in EDITIONS.values() if e.prefix],
        "kb_edition_prefix": edition.prefix,
        # The theme's interface strings in this edition's language (templates use `t["..."]`).
        "kb_text": {text: gettext_text(text) for text in sorted(strings)},
        # main.html links the feed from every page's head, when there is one.
        "changes_feed": FEED_PATH if feed else None,
        # Search results show each entry's tags; its origin tag gets a class of its own
        # (md-tag--…) through the theme's tag map, in the edition's words.
        "tags": {gettext(label): f"kb-origin-{key}" for key, label in ORIGINS.items()},
    }
    if not directory_urls:
        extra["polyfills"] = [VENDORED_SHIM]
    engine = engine_config(config, **extra)
    engine["hooks"] = ["../hooks/mkdocs_hook.py"]
    header = (
        f"Generated by `kb build` from {SOURCE_CONFIGS[edition.code]}: edit that file, not this.\n"
        "MkDocs builds it with the hook in ../hooks/; Zensical reads it as it is."
    )
    files = {ENGINE_CONFIG: dump_config(engine, header).encode()}
    files |= {f"docs/{path}": data for path, data in sorted(docs.items())}
    return files


def robots_txt(site_url: str | None) -> str:
    """Allow every crawler, and point them at the sitemap when the site knows its own URL."""
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines += ["", f"Sitemap: {site_url.rstrip('/')}/sitemap.xml"]
    return "\n".join(lines) + "\n"


def _files_under(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


def _hand_written(root: Path, docs_dir: str, edition: Edition) -> dict[str, Path]:
    """``{path: file}`` of an edition's hand-written pages and assets. The English docs folder
    holds the other editions' folders (``docs/ja/``), which are theirs; another edition shares
    the English assets (scripts, styles, vendored files) where it has none of its own."""
    folder = root / docs_dir
    others = [
        (root / str(read_config(root, name).get("docs_dir") or "docs")).resolve()
        for code, name in SOURCE_CONFIGS.items()
        if code != edition.code
    ]
    found = {}
    for path in _files_under(folder):
        file = folder / path
        if any(folder.resolve() in o.parents and o in file.resolve().parents for o in others):
            continue
        found[path] = file
    if edition.prefix:
        shared = root / "docs"
        for path in _files_under(shared / "assets"):
            found.setdefault(f"assets/{path}", shared / "assets" / path)
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class Frame:
    """Adds to a page's front matter what its frame needs and only the generator knows: the page
    in every edition (language switcher, ``hreflang``) and its edit link."""

    edition: Edition
    root_url: str
    directory_urls: bool

    def apply(self, markdown: str, path: str, edit: str) -> str:
        """``markdown`` with ``kb_alternates`` and ``kb_edit`` in its front matter."""
        url = served_url(path, directory_urls=self.directory_urls)
        found = alternates(url, self.edition, self.root_url, directory_urls=self.directory_urls)
        lines = (
            f"kb_alternates: {json.dumps(found, ensure_ascii=False)}\n"
            f"kb_edit: {json.dumps(edit, ensure_ascii=False)}\n"
        )
        match = _FRONT.match(markdown)
        if match is None:
            return f"---\n{lines}---\n\n{markdown}"
        head = match.group(0)
        close = head.rstrip().rsplit("\n", 1)[-1]  # the closing '---' (or '...')
        body = head[: len(head.rstrip()) - len(close)]
        return body + lines + close + "\n" + markdown[match.end() :]


def resolve_root_links(markdown: str, path: str, prefix: str, *, directory_urls: bool) -> str:
    """Links written ``[text](kb-root:<path from the site root>)`` (to another edition's pages or
    files, which engines check only inside the edition they build), as inline HTML links relative
    to where the page is served: engines leave raw HTML links alone."""

    def link(match: re.Match[str]) -> str:
        page = served_url(path, directory_urls=directory_urls)
        href = root_href(match.group(2), page, prefix, directory_urls=directory_urls)
        return f'<a href="{html.escape(href + match.group(3))}">{match.group(1)}</a>'

    return _ROOT_LINK.sub(link, markdown)


def write_tree(
    files: Mapping[str, bytes], out: Path, known: dict[str, bytes] | None = None
) -> list[str]:
    """Write ``files`` under ``out``, only those whose bytes changed, and remove the files of
    the tree that are no longer generated (what an engine writes beside it, such as Zensical's
    ``site/`` and cache, is left alone). Each file is replaced at once (written aside, then
    renamed), so an engine reading the tree never sees half a file.

    ``known`` is what the previous call wrote (kept by a long-running caller such as ``serve``,
    to skip reading the files back); it is updated.

    Returns:
        The paths written (changed or new), then those removed.
    """
    known = {} if known is None else known
    changed = []
    for rel, data in files.items():
        path = out / rel
        if known.get(rel) == data or (rel not in known and _same(path, data)):
            known[rel] = data
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".kb-", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
        known[rel] = data
        changed.append(rel)
    # The folders the tree owns: the theme's, the hook's, and each edition's docs.
    owned = {"/".join(rel.split("/")[: 2 if rel.split("/")[0] in EDITIONS else 1]) for rel in files}
    owned = {top for top in owned if "/" in top or top in ("overrides", "hooks")}
    removed = []
    for top in sorted(owned):
        folder = out / top
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*"), reverse=True):
            rel = path.relative_to(out).as_posix()
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
            elif rel not in files:
                path.unlink()
                known.pop(rel, None)
                removed.append(rel)
    return changed + removed


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
