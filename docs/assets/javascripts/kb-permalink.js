/* Copy controls: a link to an entry, or to any section of any page, in the format a wiki, chat or
 * editor wants.
 *
 * Both work alike: "Copy link" (among an entry's page actions) and the copy button beside each
 * heading's ¶ copy the bare link at once, the default, and open a row of every format below
 * themselves (the same formats; a citation only for a whole entry). An entry's formats come from
 * the page (kb/linkformats.py writes them into the button's data-kb-formats); a section's are
 * made here by linkFormats(), the same rules, held to kb/linkformats.py by
 * tests/test_linkformats.py. The interface strings come from #kb-strings (overrides/main.html,
 * translated with _()). Without JavaScript the permanent URL stays visible as a link at the foot
 * of an entry and the buttons stay hidden (kb.css shows them once this script marks the page
 * .kb-js). One click handler serves every page, including those swapped in by instant
 * navigation. */
(function () {
  "use strict";
  document.documentElement.classList.add("kb-js");

  var ICON =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
    '<path d="M19 21H8V7h11m0-2H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2m-3-4H4' +
    'a2 2 0 0 0-2 2v14h2V3h12z"/></svg>';
  var ORDER = ["url", "markdown", "html", "asciidoc", "rst", "mediawiki", "citation"];

  /* kb/linkformats.py, line for line: a link in each markup, its title escaped only as far as
   * its characters need. ("[^\W_]" there is "[\p{L}\p{N}]" here.) */
  var URL_SAFE = /[A-Za-z0-9_.~\-/:?#@!$&*+,;=%]/;
  var MD_SPECIAL = /([\\`*_[\]])/g;
  var MD_ENTITY = /&(?=#?[\p{L}\p{N}_]+;)/gu;
  var MD_TAG = /<(?=[A-Za-z/!?$])/g;
  var ADOC_PLAIN = /^[\p{L}\p{N}]+(?:[ ,.:;?!/\u2013\u2014-][\p{L}\p{N}]*)*$/u;
  var ADOC_REPLACED = ["--", "...", "->"];
  var WIKI_PLAIN = /^[\p{L}\p{N}]+(?:[ ,.:;?!/()"\u2013\u2014'-][\p{L}\p{N}]*)*$/u;

  function linkUrl(url) {
    return Array.from(url).map(function (ch) {
      if (URL_SAFE.test(ch)) return ch;
      return Array.from(new TextEncoder().encode(ch), function (b) {
        return "%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
      }).join("");
    }).join("");
  }

  function escapeHtml(text, quote) {
    text = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return quote ? text.replace(/"/g, "&quot;").replace(/'/g, "&#x27;") : text;
  }

  function linkFormats(title, url) {
    var target = linkUrl(url);
    var md = title.replace(MD_SPECIAL, "\\$1").replace(MD_ENTITY, "&amp;").replace(MD_TAG, "&lt;");
    var adocPlain = ADOC_PLAIN.test(title) && !ADOC_REPLACED.some(function (r) { return title.indexOf(r) >= 0; });
    var rstText = title.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/</g, "\\<");
    var rstTarget = target.replace(/</g, "%3C").replace(/>/g, "%3E").replace(/_$/, "\\_");
    var wikiPlain = WIKI_PLAIN.test(title) && title.indexOf("''") < 0;
    return {
      url: url,
      markdown: "[" + md + "](" + target.replace(/\(/g, "%28").replace(/\)/g, "%29") + ")",
      html: '<a href="' + escapeHtml(target, true) + '">' + escapeHtml(title, false) + "</a>",
      asciidoc: "link:" + target + "[" + (adocPlain ? title : "+++" + escapeHtml(title, false) + "+++") + "]",
      rst: "`" + rstText + " <" + rstTarget + ">`__",
      mediawiki: "[" + target + " " + (wikiPlain ? title : "<nowiki>" + escapeHtml(title, false) + "</nowiki>") + "]"
    };
  }

  function strings() {
    var node = document.getElementById("kb-strings");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (e) {
      return {};
    }
  }

  function say(template, text) {
    return (template || "{text}").replace("{text}", text);
  }

  // The classic way: works without the async clipboard API (http, older browsers) and can put
  // several types on the clipboard at once.
  function copyWithEvent(items) {
    var done = false;
    function fill(event) {
      Object.keys(items).forEach(function (type) {
        event.clipboardData.setData(type, items[type]);
      });
      event.preventDefault();
      done = true;
    }
    document.addEventListener("copy", fill);
    try {
      document.execCommand("copy");
    } catch (e) {
      done = false;
    }
    document.removeEventListener("copy", fill);
    return done ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  // items: {"text/plain": "...", "text/html": "..."}
  function copy(items) {
    if (navigator.clipboard && window.isSecureContext && window.ClipboardItem) {
      var blobs = {};
      Object.keys(items).forEach(function (type) {
        blobs[type] = new Blob([items[type]], { type: type });
      });
      return navigator.clipboard.write([new window.ClipboardItem(blobs)]).catch(function () {
        return copyWithEvent(items);
      });
    }
    return copyWithEvent(items);
  }

  /* Copy one format of the panel's link, and say so in the panel. */
  function copyFormat(panel, what, done) {
    var formats = panel.kbFormats;
    var text = formats[what];
    // A rich link is HTML for editors that take it, with the bare URL for those that do not.
    var items = what === "html" ? { "text/html": text, "text/plain": formats.url } : { "text/plain": text };
    var status = panel.querySelector(".kb-copy__status");
    var s = strings();
    copy(items).then(
      function () { status.textContent = done || say(s.copied, text); },
      function () { status.textContent = say(s.copyFailed, text); }
    );
  }

  /* The row of formats below `anchor` (the page actions, or a heading), for the link `formats`;
   * one per kind: opening it for another section moves it there. */
  function openPanel(button, anchor, formats, id) {
    var s = strings();
    var names = s.formats || {};
    var panel = document.getElementById(id);
    if (panel && panel.previousElementSibling !== anchor) {
      closePanel(panel);
      panel = null;
    }
    if (!panel) {
      panel = document.createElement("div");
      panel.id = id;
      panel.className = "kb-copy";
      panel.setAttribute("role", "group");
      var label = document.createElement("span");
      label.className = "kb-copy__label";
      label.id = id + "-label";
      label.textContent = s.copyAs || "Copy as:";
      panel.setAttribute("aria-labelledby", label.id);
      panel.append(label);
      ORDER.forEach(function (what) {
        if (!(what in formats)) return;
        var choice = document.createElement("button");
        choice.type = "button";
        choice.className = "md-button";
        choice.setAttribute("data-kb-format", what);
        choice.textContent = names[what] || what;
        if (what === "html" && s.richHint) choice.title = s.richHint;
        panel.append(choice);
      });
      var status = document.createElement("span");
      status.className = "kb-copy__status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      panel.append(status);
      anchor.insertAdjacentElement("afterend", panel);
    }
    panel.kbFormats = formats;
    panel.kbOpener = button;
    button.setAttribute("aria-controls", id);
    button.setAttribute("aria-expanded", "true");
    return panel;
  }

  function closePanel(panel) {
    if (panel.kbOpener) panel.kbOpener.setAttribute("aria-expanded", "false");
    panel.remove();
  }

  function copyEntryLink(button) {
    var formats;
    try {
      formats = JSON.parse(button.getAttribute("data-kb-formats"));
    } catch (e) {
      return;
    }
    var actions = button.closest(".kb-actions") || button;
    copyFormat(openPanel(button, actions, formats, "kb-copy-entry"), "url");
  }

  // The section's public address: the page's canonical URL (not the address it is read at, which
  // may be a local copy) and the heading's ID.
  function sectionUrl(id) {
    var canonical = document.querySelector('link[rel="canonical"]');
    var base = canonical ? canonical.href : location.href;
    return base.split("#")[0] + "#" + id;
  }

  function headingName(heading) {
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink, .kb-section-copy").forEach(function (node) { node.remove(); });
    return copy.textContent.trim();
  }

  /* "Page — Section" (the page's title alone for its own heading). */
  function sectionTitle(heading) {
    var title = document.querySelector(".md-content h1");
    var page = title ? headingName(title) : document.title;
    var section = headingName(heading);
    if (!title || title === heading || !page) return section;
    return (strings().sectionTitle || "{page} — {section}").replace("{page}", page).replace("{section}", section);
  }

  function copySectionLink(button) {
    var heading = button.closest("[id]");
    if (!heading) return;
    var formats = linkFormats(sectionTitle(heading), sectionUrl(heading.id));
    var panel = openPanel(button, heading, formats, "kb-copy-section");
    copyFormat(panel, "url", say(strings().sectionCopied, headingName(heading)));
  }

  // A copy button beside the permalink (¶) of every heading: visible, focusable, works by touch.
  function addSectionButtons() {
    var s = strings();
    document.querySelectorAll(".md-content .headerlink").forEach(function (link) {
      var heading = link.parentElement;
      if (!heading || !heading.id || heading.querySelector(".kb-section-copy")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kb-section-copy";
      var label = say(s.copySection, headingName(heading));
      button.setAttribute("aria-label", label);
      button.setAttribute("aria-expanded", "false");
      button.title = label;
      button.innerHTML = ICON;
      link.insertAdjacentElement("afterend", button);
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    if (!target) return;
    var choice = target.closest(".kb-copy [data-kb-format]");
    if (choice) return copyFormat(choice.closest(".kb-copy"), choice.getAttribute("data-kb-format"));
    var entry = target.closest(".kb-copy-link");
    if (entry) return copyEntryLink(entry);
    var section = target.closest(".kb-section-copy");
    if (section) copySectionLink(section);
  });

  // Escape closes a row of formats and puts focus back on the button that opened it.
  document.addEventListener("keydown", function (event) {
    var panel = event.key === "Escape" && event.target.closest ? event.target.closest(".kb-copy") : null;
    if (!panel) return;
    var opener = panel.kbOpener;
    closePanel(panel);
    if (opener && opener.isConnected) opener.focus();
  });

  if (typeof document$ !== "undefined") {
    document$.subscribe(addSectionButtons); // eslint-disable-line no-undef
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addSectionButtons);
  } else {
    addSectionButtons();
  }

  // The section formats, for tests that hold them to kb/linkformats.py.
  window.kbLinkFormats = linkFormats;
})();
