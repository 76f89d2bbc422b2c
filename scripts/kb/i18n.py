"""Interface strings: templates wrap what a reader sees in ``_()``, so a language is data.

English is the source language: ``_("Case studies")`` returns its argument. Another language
supplies a catalog ``{English string: translation}``; placeholders use Jinja's new-style gettext
(``_("%(n)s case studies", n=3)``), so a literal percent sign is written ``%%``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import jinja2

SOURCE_LANGUAGE = "en"

LANGUAGES: dict[str, str] = {"ja": "日本語"}
"""The languages the corpus is translated into (besides English), with their own names."""


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


def install_gettext(env: jinja2.Environment, catalog: Mapping[str, str] | None = None) -> None:
    """Give ``env`` the ``_``, ``gettext`` and ``ngettext`` globals for ``catalog``."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    gettext, ngettext = gettext_functions(catalog)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
