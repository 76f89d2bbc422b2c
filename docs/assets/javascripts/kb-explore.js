/* Filter page (/explore/): facets over the generated assets/kb-facets.json.
 *
 * Within one facet the ticked options are alternatives (OR); across facets they all apply (AND).
 * Facets marked "joint" (version, stage, step, aspect) must hold for one and the same placement
 * of an entry, so "Ethics" + "ACM 2022" leaves out a challenge that moved from Ethics to Law.
 * The active filters live in the query string (?stage=model-deployment&version=acm_2022), kept
 * up to date with history.replaceState, so a filtered view can be shared and reloaded.
 * Material's instant navigation swaps pages without reloading scripts: we start from document$.
 */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* The selection as {facet id: Set of option ids}, keeping only known options. */
  function readSelection(facets, search) {
    const params = new URLSearchParams(search);
    const selection = {};
    for (const facet of facets) {
      const known = new Set(facet.options.map((o) => o.id));
      const wanted = params.getAll(facet.id).flatMap((v) => v.split(","));
      selection[facet.id] = new Set(wanted.filter((v) => known.has(v)));
    }
    return selection;
  }

  function queryString(facets, selection) {
    const params = new URLSearchParams();
    for (const facet of facets) {
      for (const option of facet.options) {
        if (selection[facet.id].has(option.id)) params.append(facet.id, option.id);
      }
    }
    const text = params.toString();
    return text ? "?" + text : "";
  }

  function matches(item, facets, selection) {
    const joint = [];
    for (const facet of facets) {
      const chosen = selection[facet.id];
      if (!chosen.size) continue;
      if (facet.joint) {
        joint.push(facet);
      } else if (!(item.values[facet.id] || []).some((v) => chosen.has(v))) {
        return false;
      }
    }
    if (!joint.length) return true;
    return item.placements.some((p) => joint.every((f) => selection[f.id].has(p[f.id])));
  }

  /* "{n} results" in the page's language: strings come from the page (#kb-explore-strings). */
  function count(forms, n) {
    return (n === 1 ? forms.one : forms.other).replace("{n}", n);
  }

  /* Facets open on a wide screen. On a phone they fold to a row of names, and one opens at a time
   * (an exclusive group of <details>), right above the results, its options in a box of bounded
   * height (kb-find.css), and scrolled up under the bar when the reader opens it: whichever box
   * is ticked, the first result is in view. */
  const WIDE = "(min-width: 45em)";

  function build(root, index, siteRoot, strings) {
    const facets = index.facets;
    const selection = readSelection(facets, window.location.search);
    const byId = new Map(index.items.map((item) => [item.id, item]));
    const collection = facets.find((f) => f.id === "collection");
    const plurals = collection ? Object.fromEntries(collection.options.map((o) => [o.id, o.label])) : {};

    // The bar stays in view (sticky): the live count answers every tick wherever the box is.
    const bar = el("div", { class: "kb-explore__bar" });
    const status = el("p", { class: "kb-explore__count", role: "status", "aria-live": "polite" });
    // On a phone a link to the results below the facets; on a wide screen, where the results sit
    // beside them, the keyboard's way past every checkbox (shown when focused). It is a plain
    // fragment link, which the browser follows (kb-address.js keeps instant navigation off it).
    const jump = el("a", { class: "kb-explore__jump", href: "#kb-explore-results" }, strings.show);
    const clear = el("button", { type: "button", class: "md-button kb-explore__clear" }, strings.clear);
    bar.append(status, jump, clear);
    // What lands under the sticky bar stays below it (kb-find.css: scroll-margin-top).
    if (window.ResizeObserver) {
      new ResizeObserver(() => root.style.setProperty("--kb-explore-bar", bar.offsetHeight + "px")).observe(bar);
    }

    const form = el("form", { class: "kb-explore__form", "aria-label": strings.filters });
    form.addEventListener("submit", (event) => event.preventDefault());
    const counts = {};
    const ticked = {};
    const wide = window.matchMedia(WIDE).matches;
    for (const facet of facets) {
      const details = el("details", { class: "kb-explore__facet", "data-facet": facet.id });
      const summary = el("summary", {}, facet.label + " ");
      ticked[facet.id] = el("span", { class: "kb-explore__ticked" });
      summary.append(ticked[facet.id]);
      const fieldset = el("fieldset");
      fieldset.append(el("legend", { class: "kb-explore__legend" }, facet.label));
      if (facet.hint) fieldset.append(el("p", { class: "kb-explore__hint" }, facet.hint));
      for (const option of facet.options) {
        const label = el("label");
        const box = el("input", { type: "checkbox", name: facet.id, value: option.id });
        box.checked = selection[facet.id].has(option.id);
        const n = el("span", { class: "kb-explore__option-count" });
        counts[facet.id + "=" + option.id] = n;
        label.append(box, " " + option.label + " ", n);
        fieldset.append(label);
      }
      details.append(summary, fieldset);
      if (!wide) details.name = "kb-explore-facet";
      details.open = wide || (selection[facet.id].size > 0 && !form.querySelector("details[open]"));
      form.append(details);
    }
    if (!wide) {
      // A facet the reader opens moves under the bar, with the results right below its options.
      let opened = null;
      form.addEventListener("click", (event) => {
        const summary = event.target instanceof Element ? event.target.closest("summary") : null;
        opened = summary ? summary.parentElement : null;
      });
      form.addEventListener("toggle", (event) => {
        const details = event.target;
        if (details !== opened || !details.open) return;
        opened = null;
        const line = parseFloat(getComputedStyle(bar).top) + bar.offsetHeight + 8; // the stuck bar's foot
        const top = details.getBoundingClientRect().top - line;
        if (Math.abs(top) > 1) window.scrollBy({ top: top, behavior: "instant" });
      }, true);
    }

    const results = el("section", { class: "kb-explore__found", id: "kb-explore-results", "aria-label": strings.results_label });
    const list = el("ul", { class: "kb-explore__results" });
    const empty = el("p", { class: "kb-explore__empty", hidden: "" }, strings.none);
    results.append(list, empty);
    root.append(bar, form, results);

    function link(item) {
      return el("a", { href: new URL(item.url, siteRoot).href }, item.title);
    }

    function render(item) {
      const kind = item.values.collection[0];
      const li = el("li", { "data-id": item.id, "data-collection": kind });
      const type = item.type || (strings.types || {})[kind] || plurals[kind] || kind;
      const meta = el("span", { class: "kb-explore__meta" }, [type, item.where, item.detail].filter(Boolean).join(" · "));
      li.append(link(item));
      // An addition of the knowledge base says so, in words (the index gives the badge's text).
      if (item.badge) li.append(" ", el("span", { class: "kb-badge", title: item.origin_label || "" }, item.badge));
      li.append(" ", meta);
      if (item.summary) li.append(el("p", { class: "kb-explore__summary" }, item.summary));
      // The challenges a case study illustrates or a solution addresses (the challenge facet).
      const related = (item.values.challenge || [])
        .filter((id) => id !== item.id)
        .map((id) => byId.get(id))
        .filter(Boolean);
      if (related.length) {
        const p = el("p", { class: "kb-explore__related" }, ((strings.related || {})[kind] || "") + " ");
        related.forEach((other, i) => p.append(i ? ", " : "", link(other)));
        li.append(p);
      }
      return li;
    }

    function update() {
      const found = index.items.filter((item) => matches(item, facets, selection));
      list.replaceChildren(...found.map(render));
      empty.hidden = found.length > 0;
      const per = Object.keys(plurals)
        .map((id) => [plurals[id], found.filter((i) => i.values.collection[0] === id).length])
        .filter(([, n]) => n > 0)
        .map(([label, n]) => strings.part.replace("{label}", label).replace("{n}", n));
      const total = count(strings.results, found.length);
      status.textContent = per.length
        ? strings.breakdown.replace("{total}", total).replace("{parts}", per.join(strings.separator))
        : total;
      // Each option's count: what this facet would show with that option alone ticked.
      for (const facet of facets) {
        for (const option of facet.options) {
          const alone = Object.assign({}, selection, { [facet.id]: new Set([option.id]) });
          const n = index.items.filter((item) => matches(item, facets, alone)).length;
          counts[facet.id + "=" + option.id].textContent = "(" + n + ")";
        }
        const k = selection[facet.id].size;
        ticked[facet.id].textContent = k ? strings.ticked.replace("{n}", k) : "";
      }
      clear.disabled = !facets.some((f) => selection[f.id].size);
      const url = window.location.pathname + queryString(facets, selection) + window.location.hash;
      window.history.replaceState(window.history.state, "", url);
    }

    form.addEventListener("change", (event) => {
      const box = event.target;
      if (!(box instanceof HTMLInputElement)) return;
      if (box.checked) selection[box.name].add(box.value);
      else selection[box.name].delete(box.value);
      update();
    });
    clear.addEventListener("click", () => {
      for (const facet of facets) selection[facet.id].clear();
      for (const box of form.querySelectorAll("input")) box.checked = false;
      update();
    });
    update();
    root.dataset.ready = "true";
  }

  // From disk (the offline bundle) fetch() cannot read a file beside the page, but a <script>
  // can: the bundle carries the same index as kb-facets.js, which sets window.kbFacets.
  function load(indexUrl) {
    if (indexUrl.protocol !== "file:") {
      return fetch(indexUrl).then((response) => {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
    }
    if (window.kbFacets) return Promise.resolve(window.kbFacets);
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = indexUrl.href.replace(/\.json$/, ".js");
      script.onload = () => resolve(window.kbFacets);
      script.onerror = () => reject(new Error(script.src.split("/").pop() + " not found"));
      document.head.append(script);
    });
  }

  function start() {
    const root = document.getElementById("kb-explore");
    if (!root || root.dataset.state) return;
    root.dataset.state = "loading";
    const link = document.getElementById("kb-facets-link");
    const fallback = document.getElementById("kb-explore-fallback");
    const strings = JSON.parse(root.dataset.kbStrings);
    const indexUrl = new URL(link.getAttribute("href"), window.location.href);
    load(indexUrl)
      .then((index) => {
        if (fallback) fallback.hidden = true;
        build(root, index, new URL("../", indexUrl), strings); // the index lives in assets/
      })
      .catch((error) => {
        root.append(el("p", { role: "alert" }, strings.failed.replace("{error}", error.message)));
      });
  }

  // Material's document$ announces pages swapped in by instant navigation; from file:// it never
  // fires, so the first page also starts on DOMContentLoaded. start() runs once per page.
  if (typeof document$ !== "undefined") {
    document$.subscribe(start); // eslint-disable-line no-undef
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
