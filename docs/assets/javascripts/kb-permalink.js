/* Copy-link buttons on entry pages: the permanent URL, a Markdown link, or a short citation.
 *
 * Progressive enhancement: without JavaScript the permanent URL is still shown as a link, and the
 * buttons stay hidden (kb.css shows them once this script marks the page with .kb-js). One click
 * handler on the document serves every page, including those swapped in by Material's instant
 * navigation. */
(function () {
  "use strict";
  var SITE = "Deploying ML — Challenges Knowledge Base";
  document.documentElement.classList.add("kb-js");

  function texts(box) {
    var link = box.querySelector(".kb-permalink__url");
    var url = link ? link.href : location.href.split("#")[0];
    var title = box.getAttribute("data-kb-title") || document.title;
    var label = box.getAttribute("data-kb-label") || "";
    return {
      url: url,
      markdown: "[" + title.replace(/([\\\[\]])/g, "\\$1") + "](" + url + ")",
      citation: "“" + title + "”" + (label ? " (" + label.toLowerCase() + ")" : "") +
        ". In: " + SITE + ". " + url
    };
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-kb-copy]") : null;
    if (!button) return;
    var box = button.closest(".kb-permalink");
    if (!box) return;
    var what = button.getAttribute("data-kb-copy");
    var text = texts(box)[what];
    var status = box.querySelector(".kb-permalink__status");
    copy(text).then(
      function () { if (status) status.textContent = "Copied: " + text; },
      function () { if (status) status.textContent = "Could not copy; select the text instead: " + text; }
    );
  });
})();
