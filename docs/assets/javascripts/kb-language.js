/* The language switcher: the same page, and the same section, in the other edition.
 *
 * Each edition is its own site (its own search index and interface language), so a switch is a
 * full page load, never Material's instant navigation, which would keep this edition's shell.
 * The links are recomputed from the current address on every page (instant navigation keeps the
 * header, and with it the links of the first page), and the #section is carried over on click.
 */
(function () {
  "use strict";

  function editionRoot() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  /* The address of this page in the edition whose path prefix is `prefix` ("" or "ja/"). */
  function counterpart(list, prefix) {
    var root = editionRoot();
    var mine = list.querySelector("[aria-current]");
    var current = mine ? mine.getAttribute("data-kb-prefix") : "";
    var siteRoot = new URL(root.href.slice(0, root.href.length - current.length));
    var path = window.location.href.slice(root.href.length).split("#")[0];
    return new URL(prefix + path, siteRoot).href;
  }

  function update() {
    var list = document.querySelector("[data-kb-edition]");
    if (!list) return;
    list.querySelectorAll("a[data-kb-lang]").forEach(function (link) {
      link.href = counterpart(list, link.getAttribute("data-kb-prefix"));
    });
  }

  window.addEventListener(
    "click",
    function (event) {
      var link = event.target.closest ? event.target.closest("a[data-kb-lang]") : null;
      if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      var list = link.closest("[data-kb-edition]");
      window.location.assign(counterpart(list, link.getAttribute("data-kb-prefix")) + window.location.hash);
    },
    true
  );

  if (typeof document$ !== "undefined") {
    document$.subscribe(update); // eslint-disable-line no-undef
  } else {
    document.addEventListener("DOMContentLoaded", update);
  }
})();
