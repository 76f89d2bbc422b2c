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

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
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

  function build(root, index, siteRoot) {
    const facets = index.facets;
    const selection = readSelection(facets, window.location.search);
    const labels = {};
    for (const facet of facets) {
      labels[facet.id] = Object.fromEntries(facet.options.map((o) => [o.id, o.label]));
    }

    const form = el("form", { class: "kb-explore__form", "aria-label": "Filters" });
    form.addEventListener("submit", (event) => event.preventDefault());
    const counts = {};
    for (const facet of facets) {
      const fieldset = el("fieldset", { class: "kb-explore__facet", "data-facet": facet.id });
      fieldset.append(el("legend", {}, facet.label));
      if (facet.hint) fieldset.append(el("p", { class: "kb-explore__hint" }, facet.hint));
      for (const option of facet.options) {
        const label = el("label");
        const box = el("input", { type: "checkbox", name: facet.id, value: option.id });
        box.checked = selection[facet.id].has(option.id);
        const count = el("span", { class: "kb-explore__option-count" });
        counts[facet.id + "=" + option.id] = count;
        label.append(box, " " + option.label + " ", count);
        fieldset.append(label);
      }
      form.append(fieldset);
    }
    const clear = el("button", { type: "button", class: "md-button kb-explore__clear" }, "Clear all filters");
    const status = el("p", { class: "kb-explore__count", role: "status", "aria-live": "polite" });
    const list = el("ul", { class: "kb-explore__results" });
    root.append(form, clear, status, list);

    function update() {
      const found = index.items.filter((item) => matches(item, facets, selection));
      const nodes = found.map((item) => {
        const li = el("li", { "data-id": item.id, "data-collection": item.values.collection[0] });
        const link = el("a", { href: new URL(item.url, siteRoot).href }, item.title);
        const meta = el("span", { class: "kb-explore__meta" }, [item.type, item.where, item.detail].filter(Boolean).join(" · "));
        li.append(link, " ", meta);
        return li;
      });
      list.replaceChildren(...nodes);
      // One count per collection, labelled from the index (the collection facet's options).
      const byCollection = labels.collection || {};
      status.textContent =
        plural(found.length, "result", "results") + ": " +
        Object.entries(byCollection)
          .map(([id, label]) => label + " " + found.filter((i) => i.values.collection[0] === id).length)
          .join(", ") + ".";
      // Each option's count: what this facet would show with that option alone ticked.
      for (const facet of facets) {
        for (const option of facet.options) {
          const alone = Object.assign({}, selection, { [facet.id]: new Set([option.id]) });
          const n = index.items.filter((item) => matches(item, facets, alone)).length;
          counts[facet.id + "=" + option.id].textContent = "(" + n + ")";
        }
      }
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

  function start() {
    const root = document.getElementById("kb-explore");
    if (!root || root.dataset.state) return;
    root.dataset.state = "loading";
    const link = document.getElementById("kb-facets-link");
    const fallback = document.getElementById("kb-explore-fallback");
    const indexUrl = new URL(link.getAttribute("href"), window.location.href);
    fetch(indexUrl)
      .then((response) => {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then((index) => {
        if (fallback) fallback.hidden = true;
        build(root, index, new URL("../", indexUrl)); // the index lives in assets/
      })
      .catch((error) => {
        root.append(el("p", { role: "alert" }, "The filter index could not be loaded (" + error.message + ")."));
      });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(start); // eslint-disable-line no-undef
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
