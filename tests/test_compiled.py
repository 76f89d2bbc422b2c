"""Compiled templates kept between processes (kb/compiled.py): only speed may depend on them."""

from __future__ import annotations

from pathlib import Path

import jinja2
from kb.compiled import CompiledTemplates

TEMPLATE = "{% if true %}\n  kept {{ word }}\n{% endif %}\n"


def render(templates: Path, cache: Path, **options: bool) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=CompiledTemplates(cache),  # a new one: nothing in memory, as a new process
        **options,
    )
    return env.get_template("page.j2").render(word="here")


def test_a_new_process_reuses_the_code_and_recompiles_an_edited_template(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.j2").write_text(TEMPLATE)
    first = render(templates, cache)
    assert len(list(cache.rglob("*.cache"))) == 1  # kept on disk
    assert render(templates, cache) == first
    (templates / "page.j2").write_text(TEMPLATE.replace("kept", "edited"))
    assert "edited here" in render(templates, cache)


def test_environments_set_up_otherwise_do_not_share_compiled_code(tmp_path: Path) -> None:
    """The same file compiles to other code with other whitespace control: each set-up has its
    own folder, or the second environment would run the first one's code."""
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.j2").write_text(TEMPLATE)
    plain = render(templates, cache)
    trimmed = render(templates, cache, trim_blocks=True, lstrip_blocks=True)
    assert plain == "\n  kept here\n"
    assert trimmed == "  kept here\n"
    assert len({p.parent for p in cache.rglob("*.cache")}) == 2


def test_an_unwritable_cache_folder_only_costs_time(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.j2").write_text(TEMPLATE)
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert render(templates, blocked / "cache") == "\n  kept here\n"
