"""axe-core and third-party requests in a real browser.

axe runs inside the laptop layout tour (tests/test_layout.py), on one page of each type the
functions below choose, in light and then in dark; the tours record every request. Here: what
only a search loads, and a page opened in a dark browser."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import axe_script
from kb.models import MODELS
from screenshots import READY

pytestmark = pytest.mark.browser

# axe checks one page of each entry type, the home page and every collection index, plus the
# matrix, the filter page, the assessment page, the about page and the tools page: the page
# types of the tour (kb.pagetypes) that carry these names. Kinds with a variant in brackets
# ("solutions entry (tool)") count once, on the first variant met.
AXE_TYPES = {
    "home",
    *(f"{m.folder} index" for m in MODELS),
    *(f"{m.folder} entry" for m in MODELS),
    *("matrix", "explore", "assess", "about", "tools"),
}


def axe_type(kind: str) -> str | None:
    """The axe page type a tour stop of ``kind`` stands for, or None."""
    base = kind.split(" (")[0]
    return base if base in AXE_TYPES else None


# The dark scheme as Material's palette toggle sets it: one attribute on the body (both palettes
# share their primary and accent colours). Then every transition it starts is brought to its end,
# or axe would measure a colour half-way (finished at once: the end state is the same as waited
# for).
TO_DARK = """async () => {
  document.body.setAttribute("data-md-color-scheme", "slate");
  for (let i = 0; i < 5; i++) {
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const running = document.getAnimations().filter(a => a.playState === "running" &&
      a.effect.getComputedTiming().iterations !== Infinity);
    if (!running.length) break;
    running.forEach(a => a.finish());
  }
}"""
ALL = {"resultTypes": ["violations"]}  # the other result types without their elements
CONTRAST = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "rule", "values": ["color-contrast"]},
}


def serious(results: dict[str, Any], where: str) -> list[str]:
    assert results["passes"], f"{where}: axe ran no check"
    return [
        f"{where} {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def axe_problems(tab: Any, where: str) -> list[str]:
    """Every serious or critical axe issue of the page open in ``tab`` (axe injected), in light,
    then in dark after switching the page in place, as the palette toggle does. The colour scheme
    changes colours only (Material sets one attribute; the DOM is the same): every rule runs in
    light, and in dark the one rule colours can break, contrast. (axe calls a contrast of exactly
    1:1 "incomplete", not a violation: text the colour of its background may be meant hidden.)"""
    found = serious(tab.evaluate("o => axe.run(document, o)", ALL), f"{where}: light")
    tab.evaluate(TO_DARK)
    return found + serious(tab.evaluate("o => axe.run(document, o)", CONTRAST), f"{where}: dark")


def outside(requests: list[str], *bases: str) -> list[str]:
    """The requests of ``requests`` to a host other than those of ``bases``."""
    local = {urlsplit(base).netloc for base in bases}
    found = [u for u in requests if urlsplit(u).scheme not in {"data", "blob"}]
    return [u for u in found if urlsplit(u).netloc not in local]


@pytest.mark.parametrize("edition", ["en", "ja"])
def test_search_and_a_page_opened_dark_request_nothing_but_the_local_server(
    browser: Any, served_site: str, served_site_without_search: str, edition: str
) -> None:
    """What search loads (its worker, its index and, in Japanese, a segmenter) comes from the
    local server only; a page opened in a dark browser comes up dark by itself and passes axe's
    contrast rule. (The tours check every other page type's requests, and axe on it.)"""
    requests: list[str] = []
    context = browser.new_context(color_scheme="light")
    context.on("request", lambda request: requests.append(request.url))
    context.on("websocket", lambda socket: requests.append(socket.url))
    tab = context.new_page()
    prefix, query = ("ja/", "ドリフト") if edition == "ja" else ("", "drift")
    tab.goto(served_site + prefix)
    tab.click("label.md-search__icon, .md-search__input", timeout=5000)
    tab.fill(".md-search__input", query)
    tab.press(".md-search__input", "End")
    tab.wait_for_selector(".md-search-result__item", timeout=10000)
    tab.wait_for_load_state("networkidle")
    assert f"{served_site}{prefix}search/search_index.json" in requests
    if edition == "ja":
        assert f"{served_site}ja/assets/javascripts/lunr/tinyseg.js" in requests
    context.close()

    dark = browser.new_context(color_scheme="dark")
    dark.add_init_script(axe_script())
    dark.on("request", lambda request: requests.append(request.url))
    tab = dark.new_page()
    tab.goto(served_site_without_search + prefix)
    tab.wait_for_function(READY, timeout=15000)
    assert tab.evaluate("document.body.dataset.mdColorScheme") == "slate"
    found = serious(
        tab.evaluate("o => axe.run(document, o)", CONTRAST), f"{prefix or 'home'}: opened dark"
    )
    dark.close()

    assert len(requests) > 10
    assert found + outside(requests, served_site, served_site_without_search) == []
