/* The matrix's version switch (/matrix/). Without JavaScript, CSS shows the view the address names
 * (#arxiv-2020) through :target, else the newest. Material's instant navigation can change the
 * address without the fragment navigation that :target needs, so here the shown view is marked
 * explicitly: on every page load, switch click, hash change and history step.
 */
(function () {
  "use strict";

  function show(id) {
    const views = document.querySelector(".kb-matrix-views");
    if (!views) return;
    const all = Array.from(views.children).filter((v) => v.classList.contains("kb-matrix-view"));
    if (!all.length) return;
    const chosen = all.find((v) => v.id === id) || all[all.length - 1];
    for (const view of all) view.toggleAttribute("data-kb-shown", view === chosen);
    views.setAttribute("data-kb-shown", chosen.id);
  }

  /* A fragment is whatever the address says: "#%E0%A4%A" is no valid escape, and no view either. */
  function fragment(hash) {
    try {
      return decodeURIComponent(hash.slice(1));
    } catch (error) {
      return hash.slice(1);
    }
  }

  function fromAddress() {
    show(fragment(window.location.hash));
  }

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest(".kb-versions a") : null;
    if (link && link.hash) show(fragment(link.hash));
  });
  window.addEventListener("hashchange", fromAddress);
  window.addEventListener("popstate", fromAddress);
  if (typeof document$ !== "undefined") {
    document$.subscribe(fromAddress); // eslint-disable-line no-undef
  } else {
    document.addEventListener("DOMContentLoaded", fromAddress);
  }
})();
