"""Builds are reproducible. The byte-for-byte comparison of two builds is in
test_site_address.py (a second build of the real site at another address must equal the first
once the address is put back); here, the one input from outside the repository, the build date.
"""

from __future__ import annotations

import gzip
import os
from datetime import UTC, datetime
from pathlib import Path

# MkDocs reads the build date (sitemap <lastmod>, the gzip header of sitemap.xml.gz) from
# SOURCE_DATE_EPOCH, the only input that is not in the repository; conftest pins it.
EPOCH = os.environ["SOURCE_DATE_EPOCH"]


def test_the_build_date_is_the_pinned_source_date_not_the_clock(built_site: Path) -> None:
    day = datetime.fromtimestamp(int(EPOCH), UTC).strftime("%Y-%m-%d")
    sitemap = (built_site / "sitemap.xml").read_bytes()
    assert f"<lastmod>{day}</lastmod>" in sitemap.decode()
    compressed = (built_site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(compressed) == sitemap
    # The gzip header's time: none (0), or the pinned date; never the clock.
    assert int.from_bytes(compressed[4:8], "little") in {0, int(EPOCH)}
