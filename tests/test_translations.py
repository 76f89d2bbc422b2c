"""Translations as data: golden diagnostics for broken files, states, skeletons, the catalog."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import MINI, ROOT, real_corpus, real_translations
from kb.corpus import load_corpus
from kb.diagnostics import PLACEHOLDER, CorpusError
from kb.i18n import LANGUAGES, LOCALES, load_catalog, python_strings, template_strings
from kb.models import MODELS
from kb.render import make_env
from kb.translations import (
    english_text,
    fingerprint,
    load_translations,
    skeleton,
    translatable,
)
from test_corpus import apply_overlay

CASES = sorted((Path(__file__).parent / "cases" / "translations").glob("*.yaml"))
UPDATE = os.environ.get("KB_UPDATE_GOLDENS") == "1"


@pytest.mark.parametrize("case_file", CASES, ids=lambda p: p.stem)
def test_translation_files_report_exact_diagnostics(case_file: Path, tmp_path: Path) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    apply_overlay(tmp_path, case["files"])
    corpus = load_corpus(tmp_path / "data", root=tmp_path)
    got: list[str] = []
    try:
        found = load_translations(tmp_path / "data", corpus, tmp_path)["ja"]
    except CorpusError as exc:
        got = [str(d) for d in exc.diagnostics]
    else:
        for name, state in (case.get("states") or {}).items():
            folder, _, entity_id = name.partition("/")
            assert found.state(corpus.entities[folder][entity_id]) == state, name
    if UPDATE:
        case["diagnostics"] = got
        case_file.write_text(
            yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8"
        )
    assert got == case["diagnostics"]


def test_a_filled_skeleton_loads_for_every_collection(tmp_path: Path) -> None:
    """`kb translate` writes a file that, once its placeholders are filled, is a translation."""
    apply_overlay(tmp_path, {})
    data = tmp_path / "data"
    corpus = load_corpus(data, root=tmp_path)
    filled = 0
    for model in MODELS:
        for entity in corpus.all(model):
            if not english_text(entity):
                continue
            text = skeleton(entity, "ja").replace(PLACEHOLDER, "日本語の訳")
            path = data / "ja" / entity.folder / f"{entity.id}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            filled += 1
    found = load_translations(data, corpus, tmp_path)["ja"]
    assert len(found.entries) == filled > 5
    assert found.outstanding(corpus) == {"stale": [], "partial": [], "missing": []}
    localized = found.localize_corpus(corpus)
    assert {e.title for f in localized.entities.values() for e in f.values()} >= {"日本語の訳"}
    assert localized.refs
    assert len(localized.refs) == len(corpus.refs)


def test_the_fingerprint_follows_the_translatable_text_only(tmp_path: Path) -> None:
    apply_overlay(tmp_path, {})
    path = tmp_path / "data" / "challenges" / "data-discovery.yaml"
    before = fingerprint(
        load_corpus(tmp_path / "data", root=tmp_path).entities["challenges"]["data-discovery"]
    )
    path.write_text(
        path.read_text().replace("keywords: [data catalogue]", "keywords: [data catalog]")
    )
    after_text = fingerprint(
        load_corpus(tmp_path / "data", root=tmp_path).entities["challenges"]["data-discovery"]
    )
    path.write_text(path.read_text() + "references: [lin-2013]\n")
    after_link = fingerprint(
        load_corpus(tmp_path / "data", root=tmp_path).entities["challenges"]["data-discovery"]
    )
    assert before != after_text, "a changed keyword makes the translation stale"
    assert after_text == after_link, "a new link is not text: the translation stays current"


def test_nested_texts_are_translatable_and_localized() -> None:
    corpus = real_corpus()
    solution_paths = {
        ".".join(p) for p in translatable(type(corpus.entities["solutions"]["mlflow"]))
    }
    assert {"provenance.note", "tool.licence.note", "tool.licence.unknown"} <= solution_paths
    assert "tool.licence.value" not in solution_paths
    assert "title" not in {
        ".".join(p) for p in translatable(type(corpus.entities["references"]["lin-2013"]))
    }
    language = real_translations("ja")
    snuba = language.corpus.entities["solutions"]["snuba"]
    english = corpus.entities["solutions"]["snuba"]
    assert snuba.tool
    assert english.tool
    assert snuba.tool.licence.unknown != english.tool.licence.unknown
    assert snuba.tool.licence.unknown
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", snuba.tool.licence.unknown)
    assert language.original(snuba) is english


def test_the_real_corpus_has_no_missing_or_stale_translation() -> None:
    corpus = real_corpus()
    for code in LANGUAGES:
        language = real_translations(code)
        left = language.translations.outstanding(corpus)
        assert left == {"stale": [], "partial": [], "missing": []}, {
            state: [f"{e.folder}/{e.id}" for e in entities] for state, entities in left.items()
        }


def test_the_catalog_translates_every_interface_string_and_only_those() -> None:
    wanted = template_strings(
        make_env(), [ROOT / "scripts" / "kb" / "templates", ROOT / "overrides"]
    )
    wanted |= python_strings(ROOT / "scripts" / "kb")
    for code in LANGUAGES:
        catalog = load_catalog(code)
        missing = sorted(set(wanted) - set(catalog))
        unused = sorted(set(catalog) - set(wanted))
        assert not missing, f"{code}: untranslated (run kb strings {code}): {missing[:10]}"
        assert not unused, f"{code}: no longer used: {unused[:10]}"


@pytest.mark.parametrize(
    ("catalog", "expected"),
    [
        ("Case studies: FILL IN\n", "'Case studies': still the placeholder 'FILL IN'"),
        ("'%(n)s case studies': 事例\n", "placeholders [] differ from the English ['n']"),
        ("'Case studies': 事 例\n", "a space between Japanese characters"),
        ("- a list\n", "expected a mapping of English strings to their translations"),
        ("'Case studies': [事例]\n", "'Case studies': expected a non-empty text"),
    ],
)
def test_a_broken_catalog_says_where_and_what(tmp_path: Path, catalog: str, expected: str) -> None:
    path = tmp_path / "ja.yaml"
    path.write_text(catalog, encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_catalog("ja", path, "scripts/kb/locales/ja.yaml")
    messages = [str(d) for d in info.value.diagnostics]
    assert len(messages) == 1, messages
    assert messages[0].startswith("scripts/kb/locales/ja.yaml:1:"), messages
    assert expected in messages[0]


def test_catalogs_live_beside_the_templates() -> None:
    assert {p.stem for p in LOCALES.glob("*.yaml")} == set(LANGUAGES)
    assert MINI.is_dir()
