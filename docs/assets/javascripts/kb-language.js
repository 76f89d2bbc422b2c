/* The language switcher: the same page, and the same section, in the other edition.
 *
 * Each edition is its own site (its own search index and interface language), so a switch is a
 * full page load, never Material's instant navigation, which would keep this edition's shell.
 * The links are recomputed from the current address on every page (instant navigation keeps the
 * header, and with it the links of the first page), and the #section is carried over on click.
 *
 * Loaded before Material's bundle (overrides/main.html), for one more job: Material looks for a
 * sitemap beside every <link rel="alternate"> of the page, made for links to a whole site in
 * another language. Ours name the same page in each edition (hreflang), so those lookups would
 * request .../challenges/x/sitemap.xml, which does not exist, from the site's own address even
 * when the page is read elsewhere (from disk, or a local server). They are answered here with an
 * empty sitemap, without a request; the edition's own sitemap (instant navigation reads it) and
 * the site's root one pass.
 */
(function () {
  "use strict";

  function editionSitemaps() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    var root = new URL(base.replace(/\/?$/, "/"), window.location.href);
    return [new URL("sitemap.xml", root).href];
  }

  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    var target = new URL(String(url), window.location.href);
    if (/\/sitemap\.xml$/.test(target.pathname) && editionSitemaps().indexOf(target.href) < 0) {
      arguments[1] = "data:application/xml,<urlset/>";
    }
    return open.apply(this, arguments);
  };

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

  // This script runs before Material's bundle, which defines document$ (its page observable).
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof document$ !== "undefined") document$.subscribe(update); // eslint-disable-line no-undef
    else update();
  });
})();
