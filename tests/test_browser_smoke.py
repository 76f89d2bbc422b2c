"""A real browser opens the served site: the home page renders and links to every stage."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_home_page_renders_in_chromium_and_links_every_stage(page: Any, served_site: str) -> None:
    page.goto(served_site)
    assert page.title().startswith("Deploying ML")
    hrefs = page.eval_on_selector_all("article a", "els => els.map(e => e.href)")
    for stage in ("data-management", "model-learning", "model-verification", "model-deployment"):
        assert f"{served_site}stages/{stage}/" in hrefs
