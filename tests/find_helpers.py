"""Browser helpers for the find-by-phase tests: Material's search box and the filter page."""

from __future__ import annotations

from typing import Any

from conftest import SITE_URL
from screenshots import WHOLE_SITEMAP

# Material's search runs in a Web Worker: QUERY messages (type 2) go out on keyup, RESULT
# messages (type 3) come back in order. Counting both tells when the list on screen answers the
# text in the box, with no sleeps and no risk of reading the previous query's results.
SEARCH_PROBE = """
(() => {
  const Native = window.Worker;
  const state = { sent: 0, received: 0, last: null, found: [], waiting: [] };
  window.__kbSearch = state;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      if (state.quiet) return;  // the test's own worker (FOUND_EACH): not counted here
      state.args = args;
      this.addEventListener("message", (e) => {
        if (!e.data || e.data.type !== 3) return;
        state.received++;
        // Every page the engine found (the list on screen shows them ten at a time), with
        // whether one of its sections matched every word of the query, and the words each
        // section matched.
        state.found = e.data.data.items.map(group => ({
          page: group[0].location.split("#")[0],
          all: group.some(doc => {
            const terms = Object.values(doc.terms);
            return terms.length > 0 && terms.every(Boolean);
          }),
          sections: Object.fromEntries(group.map(doc => [
            doc.location, Object.keys(doc.terms).filter(t => doc.terms[t]),
          ])),
        }));
        for (const check of state.waiting.splice(0)) check();
      });
    }
    postMessage(message, ...rest) {
      if (this === state.engine) return super.postMessage(message, ...rest);
      if (message && message.type === 0) state.setup = message;  // the index, as Material sends it
      if (message && message.type === 2) { state.sent++; state.last = message.data; }
      return super.postMessage(message, ...rest);
    }
  };
})();
"""

# The site's search tuning (kb-search.js) rewrites the query on its way to the worker.
SETTLED = """
query => {
  const s = window.__kbSearch;
  const box = document.querySelector("input.md-search__input");
  const sent = window.kbSearch ? window.kbSearch.query(query) : query;
  return s && box.value === query && s.last === sent && s.sent === s.received;
}
"""

RESULTS = """
() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => resolve(
  [...document.querySelectorAll(".md-search-result__item > a")].map(a => ({
    href: a.href.split("?")[0],
    title: a.querySelector("h1, h2").textContent,
    tags: [...a.querySelectorAll(".md-tag")].map(t => t.textContent),
  }))
))))
"""


def open_search(page: Any, url: str) -> Any:
    """Load ``url`` with the search probe installed and focus the search box."""
    page.add_init_script(SEARCH_PROBE)
    page.goto(url)
    box = page.locator("input.md-search__input")
    box.click()
    return box


def search(page: Any, box: Any, query: str) -> list[dict[str, Any]]:
    """Enter ``query`` and return the results shown.

    Material searches on keyup, so the text is filled up to its last character, which is typed as
    a real key press, followed by End; typing every character would run one search per key.
    """
    box.fill(query[:-1])
    box.type(query[-1])
    box.press("End")
    page.wait_for_function(SETTLED, arg=query)
    results: list[dict[str, Any]] = page.evaluate(RESULTS)
    return results


# Many queries in one call: each is put in the box and announced with the keyup Material listens
# for, and its answer awaited from the worker's messages, all inside the page (no round trip to
# the test per query). search() above types a real key, as a reader does.
SEARCH_EACH = """
async ([queries, shown]) => {
  const s = window.__kbSearch;
  const box = document.querySelector("input.md-search__input");
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const out = [];
  for (const query of queries) {
    const sent = window.kbSearch ? window.kbSearch.query(query) : query;
    box.value = query;
    box.dispatchEvent(new KeyboardEvent("keyup", { key: "End", bubbles: true }));
    await new Promise((resolve) => {
      const check = () => {
        if (s.last === sent && s.sent === s.received) resolve();
        else s.waiting.push(check);
      };
      check();
    });
    if (!shown) {
      out.push(s.found.map((group) => [group.page, group.all]));
      continue;
    }
    await frame();  // as RESULTS: the list on screen once Material has drawn the answer
    await frame();
    out.push([...document.querySelectorAll(".md-search-result__item > a")].map((a) => ({
      href: a.href.split("?")[0],
      title: a.querySelector("h1, h2").textContent,
      tags: [...a.querySelectorAll(".md-tag")].map((t) => t.textContent),
    })));
  }
  return out;
}
"""


# What the engine finds, without the list on screen: a second worker of the page, made by the
# page's own Worker class (kb-search.js: its query rewrite and its reranking) from the same script,
# and given the same index message Material gave its own. Material's main thread draws every
# answer its worker sends, which took two thirds of the CPU of a few hundred queries; this worker
# answers only the test.
FOUND_EACH = """
async (queries) => {
  const s = window.__kbSearch;
  if (!s.ask) {
    if (!s.setup) throw new Error("Material has not sent its worker the index yet");
    s.quiet = true;
    const worker = new Worker(...s.args);
    s.quiet = false;
    s.engine = worker;
    const waiting = [];
    worker.addEventListener("message", (e) => waiting.shift()(e.data));
    const ask = (message) => new Promise((resolve) => {
      waiting.push(resolve);
      worker.postMessage(message);
    });
    const ready = await ask(s.setup);
    if (ready.type !== 1) throw new Error(`the worker answered ${ready.type} to its index`);
    s.ask = ask;
  }
  const out = [];
  for (const query of queries) {
    const answer = await s.ask({ type: 2, data: query });
    out.push(answer.data.items.map((group) => [
      group[0].location.split("#")[0],
      group.some((doc) => {
        const terms = Object.values(doc.terms);
        return terms.length > 0 && terms.every(Boolean);
      }),
    ]));
  }
  return out;
}
"""


def found_each(page: Any, queries: list[str]) -> list[list[tuple[str, bool]]]:
    """For each of ``queries``, in the search engine of a page opened with :func:`open_search`:
    every page found, in order, with whether one of its sections matched every word
    (:func:`found` without the sections)."""
    # The box first: its answer comes once Material has sent its worker the index.
    typed = page.evaluate(SEARCH_EACH, [queries[:1], False])
    answers: list[list[tuple[str, bool]]] = page.evaluate(FOUND_EACH, queries)
    assert len(answers) == len(queries)
    assert typed == answers[:1], f"{queries[0]!r}: the box and the engine disagree"
    return answers


def search_each(page: Any, queries: list[str]) -> list[list[dict[str, Any]]]:
    """What :func:`search` returns (the results on screen) for each of ``queries``, one after
    the other, in the box of a page opened with :func:`open_search`."""
    answers: list[list[dict[str, Any]]] = page.evaluate(SEARCH_EACH, [queries, True])
    assert len(answers) == len(queries)
    return answers


def found(page: Any) -> list[dict[str, Any]]:
    """Every page the search engine returned for the last query (not only those on screen)."""
    pages: list[dict[str, Any]] = page.evaluate("window.__kbSearch.found")
    return pages


def serve_sitemap_locally(page: Any, base: str) -> None:
    """Rewrite sitemap.xml to ``base``: Material enables instant navigation only for the links
    its sitemap lists, and it keeps the sitemap's port (none, for site_url) when matching them."""

    def handle(route: Any) -> None:  # the sitemap as built, not the host's stand-in
        response = route.fetch(headers={**route.request.headers, WHOLE_SITEMAP: "1"})
        body = response.text().replace(SITE_URL.rstrip("/") + "/", base)
        route.fulfill(response=response, body=body)

    page.route("**/sitemap.xml", handle)


def open_explore(page: Any, url: str) -> None:
    """Load the filter page at ``url`` and wait until its script has built the facets."""
    page.goto(url)
    page.wait_for_selector("#kb-explore[data-ready]")


RESULT_ROWS = ".kb-explore__results li"
"""One element per result of the filter page, with data-collection and data-id."""


def listed(page: Any) -> dict[str, set[str]]:
    """IDs in the filter page's result list, by collection."""
    rows = page.eval_on_selector_all(
        RESULT_ROWS, "els => els.map(e => [e.dataset.collection, e.dataset.id])"
    )
    found: dict[str, set[str]] = {"challenges": set(), "case-studies": set(), "solutions": set()}
    for collection, entry_id in rows:
        found[collection].add(entry_id)
    return found


def checkbox(page: Any, facet: str, option: str) -> Any:
    return page.locator(f'#kb-explore input[name="{facet}"][value="{option}"]')
