"""Two builds of the same corpus are byte-identical, file by file (search index and sitemap
included)."""

from __future__ import annotations

import gzip
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ROOT, site_build

pytestmark = pytest.mark.slow

# MkDocs reads the build date (sitemap <lastmod>, the gzip header of sitemap.xml.gz) from
# SOURCE_DATE_EPOCH, the only input that is not in the repository; conftest pins it.
EPOCH = os.environ["SOURCE_DATE_EPOCH"]


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path, built_site: Path) -> None:
    second = tmp_path / "elsewhere" / "out"
    result = site_build(ROOT, second)  # both editions, in parallel, as the first
    assert result.returncode == 0, result.stderr
    a, b = files(built_site), files(second)
    assert sorted(a) == sorted(b)
    assert "search/search_index.json" in a
    assert "ja/search/search_index.json" in a
    assert "sitemap.xml.gz" in a
    assert [name for name in a if a[name] != b[name]] == []

    day = datetime.fromtimestamp(int(EPOCH), UTC).strftime("%Y-%m-%d")
    assert f"<lastmod>{day}</lastmod>" in a["sitemap.xml"].decode()
    assert gzip.decompress(a["sitemap.xml.gz"]) == a["sitemap.xml"]
