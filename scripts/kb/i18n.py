"""Languages: the editions of the site, and the interface strings templates wrap in ``_()``.

English is the source language: ``_("Case studies")`` returns its argument. Another language
has a catalog, ``kb/locales/<code>.yaml``, mapping each English string to its translation;
placeholders use Jinja's new-style gettext (``_("%(n)s case studies", n=3)``), so a literal
percent sign is written ``%%``. Python code marks its labels with :func:`N_` and translates them
where they are shown. Entry text is translated elsewhere, as data (see ``kb/translations.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml
from jinja2 import nodes

from kb.diagnostics import PLACEHOLDER, CorpusError, Diagnostic
from kb.sources import Source, read_source

SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Edition:
    """One language edition of the site."""

    code: str  # BCP 47 language tag, also <html lang> and the theme language
    name: str  # the language's own name, for the language switcher
    locale: str  # Open Graph locale
    prefix: str  # URL path of the edition under the site root ("" or "ja/")


EDITIONS: dict[str, Edition] = {
    "en": Edition("en", "English", "en_US", ""),
    "ja": Edition("ja", "日本語", "ja_JP", "ja/"),
}
"""Every edition, the source language first."""

LANGUAGES: dict[str, str] = {e.code: e.name for e in EDITIONS.values() if e.code != "en"}
"""The languages the corpus is translated into (besides English), with their own names."""

LOCALES = Path(__file__).parent / "locales"
"""Where the interface catalogs live: ``<code>.yaml``."""

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# A line break inside a folded YAML scalar becomes a space, which Japanese text never has.
_CJK = r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]"
_GAP = re.compile(rf"{_CJK} +{_CJK}")


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; it is translated where it is shown."""
    return message


def untranslated(message: str) -> str:
    """The English text itself: the ``gettext`` of a function that is given none."""
    return message


def folded_gap(text: str) -> str | None:
    """A space between two CJK characters (a folded YAML line in Japanese text), if any."""
    match = _GAP.search(text)
    return match.group(0) if match else None


def load_catalog(code: str, path: Path | None = None, shown: str | None = None) -> dict[str, str]:
    """The interface catalog of ``code``; raise CorpusError listing every problem in it."""
    path = path or LOCALES / f"{code}.yaml"
    shown = shown or path.as_posix()
    if not path.is_file():
        raise CorpusError([Diagnostic(shown, 1, 1, "missing interface catalog")])
    parsed = read_source(shown, path.read_bytes())
    if isinstance(parsed, list):
        raise CorpusError(parsed)
    problems = _check_catalog(parsed, code)
    if problems:
        raise CorpusError(problems)
    return dict(parsed.data or {})


def _check_catalog(source: Source, code: str) -> list[Diagnostic]:
    if source.data is None:
        return []
    if not isinstance(source.data, dict):
        return [source.at((), "expected a mapping of English strings to their translations")]
    problems = []
    for english, translated in source.data.items():
        if not isinstance(english, str) or not isinstance(translated, str) or not translated:
            problems.append(source.at((english,), f"{english!r}: expected a non-empty text"))
            continue
        wanted, found = set(_PLACEHOLDER.findall(english)), set(_PLACEHOLDER.findall(translated))
        if wanted != found:
            problems.append(
                source.at(
                    (english,),
                    f"{english!r}: placeholders {sorted(found)} differ from the English "
                    f"{sorted(wanted)}",
                )
            )
        elif translated.startswith(PLACEHOLDER):
            problems.append(
                source.at((english,), f"{english!r}: still the placeholder {PLACEHOLDER!r}")
            )
        elif code == "ja" and (gap := folded_gap(translated)):
            problems.append(
                source.at(
                    (english,),
                    f"{english!r}: a space between Japanese characters ({gap!r}), probably a "
                    "folded line break: write it on one line",
                )
            )
    return problems


def gettext_functions(
    catalog: Mapping[str, str] | None = None,
) -> tuple[Callable[[str], str], Callable[[str, str, int], str]]:
    """``(gettext, ngettext)`` over ``catalog``; without one, the English text itself."""
    table = dict(catalog or {})

    def gettext(message: str) -> str:
        return table.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    return gettext, ngettext


_PLAIN_GETTEXT = "kb_gettext"  # the env global holding the catalog's plain gettext


def install_gettext(env: jinja2.Environment, catalog: Mapping[str, str] | None = None) -> None:
    """Give ``env`` the ``_``, ``gettext`` and ``ngettext`` globals for ``catalog``."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    gettext, ngettext = gettext_functions(catalog)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals[_PLAIN_GETTEXT] = gettext


def env_gettext(env: jinja2.Environment) -> Callable[[str], str]:
    """The plain ``gettext`` (no placeholder filling) that :func:`install_gettext` gave ``env``.

    Filters written in Python (a citation, the link formats) translate their words with it, so
    they speak the language of the page being rendered.
    """
    found = env.globals.get(_PLAIN_GETTEXT)
    return found if callable(found) else untranslated


# Extraction: which strings the interface shows ---------------------------------------------

_PY_CALL = ("N_", "_", "gettext")


def template_strings(env: jinja2.Environment, folders: list[Path]) -> dict[str, str]:
    """``{English string: where it is used}`` for every ``_()`` of the templates in ``folders``,
    and every ``t["..."]`` of the theme's (see :data:`THEME_STRINGS`)."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix not in {".j2", ".html", ".xml", ".json"} or not path.is_file():
                continue
            source = path.read_text(encoding="utf-8")
            for line, _function, message in env.extract_translations(source):  # type: ignore[attr-defined]
                for text in message if isinstance(message, tuple) else (message,):
                    if isinstance(text, str):
                        found.setdefault(text, f"{path.name}:{line}")
            for text, line in _theme_lookups(env.parse(source)):
                found.setdefault(text, f"{path.name}:{line}")
    return found


THEME_STRINGS = "t"
"""The name under which theme templates (overrides/) read their interface strings:
``{% set t = config.extra.kb_text or {} %}`` then ``t["Page not found"]``. The build resolves
them per edition into the engine configuration, so the templates call no gettext: MiniJinja
(Zensical) has none, and the same templates render in both engines."""


def theme_strings(folder: Path) -> dict[str, str]:
    """``{English string: where it is used}`` for every ``t["..."]`` of the templates in
    ``folder`` (``overrides/``), found in their syntax tree, not by pattern."""
    env = jinja2.Environment()
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.html")):
        for text, line in _theme_lookups(env.parse(path.read_text(encoding="utf-8"))):
            found.setdefault(text, f"{path.name}:{line}")
    return found


def _theme_lookups(tree: nodes.Template) -> list[tuple[str, int]]:
    return [
        (node.arg.value, node.lineno)
        for node in tree.find_all(nodes.Getitem)
        if isinstance(node.node, nodes.Name)
        and node.node.name == THEME_STRINGS
        and isinstance(node.arg, nodes.Const)
        and isinstance(node.arg.value, str)
    ]


def python_strings(folder: Path) -> dict[str, str]:
    """``{English string: where}`` for every ``N_("...")`` or ``_("...")`` in ``folder/*.py``."""
    import ast  # only the extraction tools need it

    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in _PY_CALL
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{path.name}:{node.lineno}")
    return found


def update_catalog(path: Path, wanted: dict[str, str], placeholder: str) -> tuple[int, list[str]]:
    """Add every wanted string missing from the catalog at ``path`` (as ``placeholder``).

    Returns:
        How many strings were added, and the catalog's strings that nothing uses any more (they
        are kept: a person decides whether a string was renamed or is gone).
    """
    existing: dict[str, str] = {}
    if path.is_file():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        existing = {str(k): str(v) for k, v in loaded.items()}
    added = [s for s in wanted if s not in existing]
    merged = existing | {s: placeholder for s in added}
    header = (
        "# Interface strings of this edition: English (as written in the templates and in N_() "
        "calls)\n# -> translation. `kb strings <code>` adds new strings as the placeholder; "
        "`kb check` lists any left.\n"
    )
    body = yaml.safe_dump(
        dict(sorted(merged.items(), key=lambda kv: kv[0].lower())),
        allow_unicode=True,
        sort_keys=False,
        width=10_000,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, encoding="utf-8")
    return len(added), sorted(set(existing) - set(wanted))
