/* Copy controls: an entry's link in the format a wiki, chat or editor wants, and a link to any
 * section of any page.
 *
 * Everything shown or copied comes from the page: the formats from the JSON the build writes
 * beside each entry's buttons (kb/linkformats.py), the interface strings from #kb-strings
 * (overrides/main.html, translated with _()). Without JavaScript the permanent URL stays visible as
 * a link and the buttons stay hidden (kb.css shows them once this script marks the page .kb-js).
 * One click handler serves every page, including those swapped in by instant navigation. */
(function () {
  "use strict";
  document.documentElement.classList.add("kb-js");

  var ICON =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
    '<path d="M19 21H8V7h11m0-2H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2m-3-4H4' +
    'a2 2 0 0 0-2 2v14h2V3h12z"/></svg>';

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

  function copyEntryLink(button) {
    var box = button.closest(".kb-permalink");
    var data = box && box.querySelector(".kb-permalink__formats");
    if (!data) return;
    var formats = JSON.parse(data.textContent);
    var what = button.getAttribute("data-kb-copy");
    var text = formats[what];
    // A rich link is HTML for editors that take it, with the bare URL for those that do not.
    var items = what === "html" ? { "text/html": text, "text/plain": formats.url } : { "text/plain": text };
    var status = box.querySelector(".kb-permalink__status");
    var s = strings();
    copy(items).then(
      function () { if (status) status.textContent = say(s.copied, text); },
      function () { if (status) status.textContent = say(s.copyFailed, text); }
    );
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

  function statusRegion() {
    var region = document.getElementById("kb-section-status");
    if (!region) {
      region = document.createElement("div");
      region.id = "kb-section-status";
      region.className = "kb-section-status";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  function copySectionLink(button) {
    var heading = button.closest("[id]");
    if (!heading) return;
    var url = sectionUrl(heading.id);
    var s = strings();
    var region = statusRegion();
    copy({ "text/plain": url }).then(
      function () {
        region.textContent = say(s.sectionCopied, headingName(heading));
        button.classList.add("kb-section-copy--done");
        clearTimeout(region.kbTimer);
        region.kbTimer = setTimeout(function () {
          region.textContent = "";
          button.classList.remove("kb-section-copy--done");
        }, 3000);
      },
      function () { region.textContent = say(s.copyFailed, url); }
    );
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
      button.title = label;
      button.innerHTML = ICON;
      link.insertAdjacentElement("afterend", button);
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    var entry = target && target.closest("[data-kb-copy]");
    if (entry) return copyEntryLink(entry);
    var section = target && target.closest(".kb-section-copy");
    if (section) copySectionLink(section);
  });

  if (typeof document$ !== "undefined") {
    document$.subscribe(addSectionButtons); // eslint-disable-line no-undef
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addSectionButtons);
  } else {
    addSectionButtons();
  }
})();
