"""``kb new``: a skeleton for every collection that, once filled in, passes ``kb check``; and an
ID that is or was taken is refused with the reason, nothing written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from kb.cli import main
from kb.corpus import FOLDERS, load_corpus
from kb.diagnostics import PLACEHOLDER
from kb.models import RefTo
from kb.sources import Loc, Source, read_source

NEW_ID = "kb-new-example"


@pytest.fixture
def real_data(tmp_path: Path) -> Path:
    """A copy of the real corpus (skeletons are filled from real entries of the same kind)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def value_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        found = (
            part in data if isinstance(data, dict) else isinstance(part, int) and part < len(data)
        )
        if not found:
            raise KeyError(loc)
        data = data[part]
    return data


def fill(
    skeleton: dict[str, Any], placeholders: list[Loc], donors: list[dict[str, Any]], data: Path
) -> None:
    """Fill each placeholder as a contributor would: with a value of the right kind (the first
    real entry that has one there; for a link no entry has yet, the first ID it may point at),
    or delete the line where no entry uses the field."""
    for loc in placeholders:
        parent = value_at(skeleton, loc[:-1])
        for donor in donors:
            try:
                parent[loc[-1]] = value_at(donor, loc)
                break
            except KeyError:
                continue
        else:
            info = FOLDERS[data.name].model_fields.get(str(loc[0])) if len(loc) == 1 else None
            target = (
                next((m for m in info.metadata if isinstance(m, RefTo)), None) if info else None
            )
            if target is None:
                del parent[loc[-1]]
            else:
                parent[loc[-1]] = min(p.stem for p in (data.parent / target.folder).glob("*.yaml"))


def test_filled_skeleton_passes_check(real_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A skeleton of every collection at once: one ``kb check`` of them unfilled, one filled (a
    check renders every page of both editions, so one per collection would be costly)."""
    sources: dict[str, Source] = {}
    placeholders: dict[str, list[Loc]] = {}
    lines: dict[str, list[int]] = {}
    for folder, model in FOLDERS.items():
        assert main(["--data", str(real_data), "new", folder, NEW_ID]) == 0, folder
        out = capsys.readouterr().out
        path = real_data / folder / f"{NEW_ID}.yaml"
        assert out.startswith(f"wrote data/{folder}/{NEW_ID}.yaml\nNext steps:\n")
        assert "make check" in out
        assert "make ledger" in out
        text = path.read_text(encoding="utf-8")
        schema = f"# yaml-language-server: $schema=../schema/{folder}.schema.json"
        assert text.splitlines()[0] == schema

        source = read_source(f"data/{folder}/{NEW_ID}.yaml", text.encode())
        assert isinstance(source, Source)
        required = {n for n, f in model.model_fields.items() if f.is_required()}
        assert required <= set(source.data), folder
        sources[folder] = source
        placeholders[folder] = [loc for loc, v in source.strings() if v.startswith(PLACEHOLDER)]
        rows = text.splitlines()
        # A folded block (">-") is reported where it starts: on its key's line, just above.
        lines[folder] = [
            n - rows[n - 2].endswith(">-")
            for n, row in enumerate(rows, 1)
            if PLACEHOLDER in row and not row.lstrip().startswith("#")
        ]

    # Unfilled, the check fails, naming each placeholder of each skeleton on its own line.
    assert main(["--data", str(real_data), "check"]) == 1
    err = capsys.readouterr().err.splitlines()
    for folder in FOLDERS:
        flagged = [d for d in err if d.startswith(f"data/{folder}/{NEW_ID}.yaml:")]
        assert [int(d.split(":")[1]) for d in flagged] == lines[folder], folder
        assert all("still the placeholder from 'kb new'" in d for d in flagged)
        assert len(flagged) == len(placeholders[folder]), folder
    assert len(err) - 1 == sum(len(p) for p in placeholders.values())

    for folder, source in sources.items():
        donors = [
            read_source(str(p), p.read_bytes()).data  # type: ignore[union-attr]
            for p in sorted((real_data / folder).glob("*.yaml"))
            if p.stem != NEW_ID
        ]
        filled = source.data
        active = [d for d in donors if d.get("status", "active") == "active"]
        # The skeleton is an addition (origin: kb): entries of the same origin are donors first.
        active.sort(key=lambda d: d.get("origin") != filled.get("origin"))
        fill(filled, placeholders[folder], active, real_data / folder)
        text = yaml.safe_dump(filled, sort_keys=False, allow_unicode=True)
        (real_data / folder / f"{NEW_ID}.yaml").write_text(text, encoding="utf-8")
    assert main(["--data", str(real_data), "check"]) == 0, capsys.readouterr().err
    corpus = load_corpus(real_data)
    for folder in FOLDERS:
        assert NEW_ID in corpus.entities[folder], folder


def refused(data: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    before = snapshot(data)
    assert main(["--data", str(data), "new", *args]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert snapshot(data) == before, "nothing may be written"
    return captured.err.splitlines()


def test_existing_id_is_refused(mini_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(mini_data, capsys, "challenges", "data-discovery") == [
        "data/challenges/data-discovery.yaml:1:1: 'data-discovery' already exists: edit this file "
        "instead, or choose another ID",
        "kb new: challenges/data-discovery cannot be created; nothing was written",
    ]


def test_retired_id_is_refused(mini_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = mini_data / "challenges" / "data-discovery.yaml"
    path.write_text(path.read_text() + "status: deprecated\nretired_reason: Folded away.\n")
    assert refused(mini_data, capsys, "challenges", "data-discovery") == [
        "data/challenges/data-discovery.yaml:11:1: 'data-discovery' is a retired challenges ID "
        "(status: deprecated); IDs are never reused: choose another ID",
        "kb new: challenges/data-discovery cannot be created; nothing was written",
    ]


def test_former_id_in_redirect_from_is_refused(
    mini_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = mini_data / "challenges" / "data-discovery.yaml"
    path.write_text(path.read_text() + "redirect_from:\n  - finding-data\n")
    case = mini_data / "case-studies" / "twitter-data-dispersion.yaml"
    case.write_text(case.read_text() + "redirect_from:\n  - challenges/finding-data\n")
    err = refused(mini_data, capsys, "challenges", "finding-data")
    assert err == [
        "data/case-studies/twitter-data-dispersion.yaml:16:5: 'finding-data' is a former ID that "
        "redirects to this entry; IDs are never reused: choose another ID",
        "data/challenges/data-discovery.yaml:12:5: 'finding-data' is a former ID that redirects "
        "to this entry; IDs are never reused: choose another ID",
        "kb new: challenges/finding-data cannot be created; nothing was written",
    ]


def test_id_recorded_in_the_ledger_is_refused(
    mini_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (mini_data / "ledger.yaml").write_text(
        "/challenges/: {kind: index}\n/challenges/old-idea/: {kind: tombstone}\n"
    )
    assert refused(mini_data, capsys, "challenges", "old-idea") == [
        "data/ledger.yaml:2:1: /challenges/old-idea/ was published before (as tombstone); IDs are "
        "never reused: choose another ID",
        "kb new: challenges/old-idea cannot be created; nothing was written",
    ]


def test_bad_collection_and_id_get_a_did_you_mean(
    mini_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert refused(mini_data, capsys, "case-study", "My Case") == [
        "kb new: unknown collection 'case-study' (did you mean 'case-studies'?) (expected one of: "
        + ", ".join(FOLDERS)
        + ")",
        "kb new: 'My Case' is not a valid ID (did you mean 'my-case'?): use lower-case letters, "
        "digits and single hyphens, at most 80 characters; the ID becomes the file name and the "
        "permanent URL",
    ]


def test_kb_console_script_writes_a_skeleton(mini_data: Path) -> None:
    kb = Path(sys.executable).with_name("kb")
    result = subprocess.run(
        [str(kb), "--data", str(mini_data), "new", "solutions", "feature-stores"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (mini_data / "solutions" / "feature-stores.yaml").is_file()


def test_what_a_contributor_reads_names_no_file_the_repository_lacks() -> None:
    """The skeleton, the JSON Schemas an editor shows, the contributing guides and the corpus
    once sent contributors to a "FACTS.md" that is not in the repository. Every ``*.md`` they
    name must be a file of it (the paper itself is named by its arXiv page and DOI)."""
    from kb.skeleton import skeleton

    texts = {f"kb new {folder}": skeleton(folder, NEW_ID).text for folder in FOLDERS}
    read = [
        *sorted((ROOT / "data").rglob("*.yaml")),
        *sorted((ROOT / "data" / "schema").glob("*.json")),
        ROOT / "data" / "ja" / "README.md",
        ROOT / "docs" / "contributing.md",
        ROOT / "docs" / "ja" / "contributing.md",
    ]
    texts |= {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in read}
    files = {
        p.name
        for p in ROOT.rglob("*.md")
        if not {".venv", ".git", "site", "build", "node_modules"} & set(p.parts)
    }
    # File names as text: not web addresses, nor the targets of links between the site's pages.
    prose = {w: re.sub(r"https?://\S+|\]\([^)]*\)", " ", t) for w, t in texts.items()}
    missing = {
        where: sorted(set(names) - files)
        for where, text in prose.items()
        if (names := re.findall(r"([\w-]+\.md)\b", text)) and set(names) - files
    }
    assert missing == {}
    # What confidence levels mean, and where to read the paper, is said where they are chosen.
    confidence = skeleton("challenges", NEW_ID).text.split("confidence:")[0]
    assert "https://arxiv.org/abs/2011.09926" in confidence
    assert "corroborated: two or more independent summaries" in " ".join(
        confidence.replace("#", " ").split()
    )
