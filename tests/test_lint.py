"""The code passes the project's linters (the same commands as ``make lint``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "format", "--check", "scripts", "tests"],
        ["ruff", "check", "scripts", "tests"],
        ["mypy"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_linter_passes(command: list[str]) -> None:
    result = subprocess.run(
        [str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
