"""Shared by the assessment tests: the golden cases, and running ``kb report``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT

CASES = Path(__file__).parent / "cases" / "assess"
FIXTURES = sorted(p.stem for p in CASES.glob("*.json"))
"""Assessment files whose reports are committed beside them: NAME.json -> NAME.md/.csv/.html."""
VALIDATION: list[dict[str, Any]] = yaml.safe_load((CASES / "validation.yaml").read_text("utf-8"))
"""The one table of cases for reading a file, on both sides (see the header of validation.yaml)."""
INVALID = [case for case in VALIDATION if "message" in case]
EXTENSIONS = {"md": "md", "csv": "csv", "html": "html"}

VALID: dict[str, Any] = {
    "format": "deploying-ml-kb-assessment",
    "format_version": 1,
    "corpus": {"version": "0.1.0", "data_sha256": "0" * 64},
    "table_version": "acm_2022",
    "challenges": {"concept-drift": {"status": "facing"}},
}


def case_bytes(case: dict[str, Any]) -> bytes:
    """The bytes of one case (see the header of validation.yaml)."""
    if "text" in case:
        return str(case["text"]).encode()
    if "bytes" in case:
        return bytes.fromhex(case["bytes"])
    document = {k: v for k, v in VALID.items() if k not in case.get("drop", [])}
    document |= case.get("patch", {})
    if "long_note" in case:
        document["challenges"] = {
            "concept-drift": {"status": "facing", "note": "\U0001d538" * case["long_note"]}
        }
    if "long_name" in case:
        document["name"] = "\U0001d538" * case["long_name"]
    if "note" in case or "link" in case:
        entry = {"status": "facing", "note": case.get("note", ""), "link": case.get("link")}
        document["challenges"] = {"concept-drift": {k: v for k, v in entry.items() if v}}
    if "entries" in case:
        document["challenges"] = {f"c-{i}": {"status": "facing"} for i in range(case["entries"])}
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return text.encode().ljust(case.get("pad", 0), b" ")


def kb_report(path: Path, fmt: str = "md", cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    """``kb report PATH --format FMT``, through scripts/build.py of the project at ``cwd``."""
    return subprocess.run(
        [sys.executable, str(cwd / "scripts" / "build.py"), "report", str(path), "--format", fmt],
        capture_output=True,
        check=False,
    )


def html_body(document: str) -> str:
    """The fragment inside <body> of a standalone report (what rich copy puts on the clipboard)."""
    return document.split("<body>\n", 1)[1].rsplit("</body>", 1)[0]
