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

  /* The address of this page in the edition whose path prefix is `prefix` ("" or "ja/").
   *
   * The path comes from the address bar, which anyone can write: on a host that answers every
   * missing address with the 404 page, /javascript:alert(1)// or /data:text/html,... is a path.
   * It is only ever resolved as a path below the site's root ("./" keeps a "scheme:" at its start
   * a path), and the result must stay on the site (same protocol and origin, below its root);
   * anything else falls back to the edition's home page.
   */
  function counterpart(list, prefix) {
    var root = editionRoot();
    var mine = list.querySelector("[aria-current]");
    var current = mine ? mine.getAttribute("data-kb-prefix") || "" : "";
    var siteRoot = root;
    if (current && root.href.slice(-current.length) === current) {
      siteRoot = new URL(root.href.slice(0, root.href.length - current.length));
    }
    var home = onSite(new URL("./" + prefix, siteRoot), siteRoot) || siteRoot;
    var here = window.location.href.split("#")[0];
    if (here.indexOf(root.href) !== 0) return home.href;
    var target = onSite(new URL("./" + prefix + here.slice(root.href.length), siteRoot), siteRoot);
    return (target || home).href;
  }

  /* `url` if it is a page of the site at `siteRoot`, else null. */
  function onSite(url, siteRoot) {
    var web = url.protocol === "http:" || url.protocol === "https:" || url.protocol === "file:";
    var same = url.protocol === siteRoot.protocol && url.host === siteRoot.host;
    return web && same && url.href.indexOf(siteRoot.href) === 0 ? url : null;
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
  // A script that rewrites the address in place (the filter page keeps its facets in the query,
  // the assessment page drops a share link's fragment) would leave the links naming the address
  // the page was loaded at: a click was right (it computes the address again), but a copied link
  // or a middle click lost the filter. So the links follow every rewrite.
  var replace = window.history.replaceState;
  window.history.replaceState = function () {
    var result = replace.apply(this, arguments);
    update();
    return result;
  };

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof document$ !== "undefined") document$.subscribe(update); // eslint-disable-line no-undef
    else update();
  });
})();
