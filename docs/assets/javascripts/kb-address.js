/* A fragment of the page being read is the browser's business, not instant navigation's.
 *
 * Material's instant navigation takes every click on a link to a page of its sitemap, the page
 * being read included, and every history step. The first of these on a page fetches that same
 * page again and swaps its content in: focus and whatever a script built are lost, the scroll to
 * the fragment looks for an element a script has not rebuilt yet ("Show the results" on the
 * filter page did nothing), and inline JSON is run again as a script (a SyntaxError). So a click
 * on a link to a fragment of this page, and a step back or forward between two entries of this
 * page, are left to the browser, as on a site without instant navigation: it scrolls, moves the
 * keyboard's starting point to the target and fires hashchange.
 *
 * Loaded before Material's bundle (overrides/main.html), so both listeners run before Material's.
 */
(function () {
  "use strict";

  // The path Material last navigated to: the page on screen, or the one it is fetching.
  var current = window.location.pathname;
  var push = window.history.pushState;
  window.history.pushState = function () {
    var result = push.apply(this, arguments);
    current = window.location.pathname;
    return result;
  };

  function thisPage(link) {
    var url;
    try {
      url = new URL(link.href);
    } catch (error) {
      return false; // not a URL at all: nothing for either of us to do
    }
    var here = window.location;
    return url.hash !== "" && url.origin === here.origin && url.pathname === here.pathname &&
      url.search === here.search;
  }

  // Material leaves alone a link that opens in a named target; "_self" is this page, which is
  // where the link opens anyway. The attribute is gone again once the click is over.
  window.addEventListener(
    "click",
    function (event) {
      var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!link || link.hasAttribute("target") || !thisPage(link)) return;
      link.setAttribute("target", "_self");
      setTimeout(function () { link.removeAttribute("target"); });
    },
    true
  );

  window.addEventListener(
    "popstate",
    function (event) {
      if (window.location.pathname === current) event.stopImmediatePropagation();
      current = window.location.pathname;
    },
    true
  );
})();
