/* Team assessment page (/assess/): statuses, notes and links per challenge, kept in the browser.
 *
 * The page embeds its data (tables, permanent URLs, lifecycle map) and its interface strings as
 * <script type="application/json">, so it works from file:// too, where fetch() fails. State is
 * saved in localStorage on every change; a share link carries the assessment file, base64url
 * encoded, after "#assessment=" (a fragment never reaches a server). Nothing is requested.
 *
 * Reading files, migrating old ones and the reports live in kb-assess-core.js, the twin of the
 * command line's kb/assess.py and kb/report.py.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "deploying-ml-kb-assessment";
  var HASH_PREFIX = "#assessment=";

  var core = window.kbAssessCore;
  var own = core.own, fill = core.fill, codePoints = core.codePoints, entryOf = core.entryOf;
  var layout = core.layout, counts = core.counts, add = core.add, tableOf = core.tableOf;
  var statusInfo = core.statusInfo, size = core.size, Problem = core.Problem;
  var renderMarkdown = core.renderMarkdown, renderCsv = core.renderCsv;
  var renderHtml = core.renderHtml, readAssessment = core.readAssessment;
  var migrate = core.migrate, fileText = core.fileText;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function empty(data) {
    return { table_version: data.default_table, name: "", date: null, challenges: {} };
  }

  function isEmpty(a, data) {
    return fileText(a, data, 0) === fileText(empty(data), data, 0);
  }

  function toBase64Url(text) {
    var binary = "";
    new TextEncoder().encode(text).forEach(function (b) { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64Url(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(b64 + "===".slice(0, (4 - b64.length % 4) % 4));
    return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); });
  }

  function fileName(a, extension) {
    var base = (a.name || "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    base = base.slice(0, 60).replace(/-$/, "") || "assessment";
    return base + (a.date ? "-" + a.date : "") + "." + extension;
  }

  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var link = el("a", { href: url, download: name, hidden: "" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  /* Both flavours at once where the browser allows it; the copy event works without HTTPS. */
  function copy(plain, html) {
    if (navigator.clipboard && window.isSecureContext && (!html || window.ClipboardItem)) {
      var done = html
        ? navigator.clipboard.write([new ClipboardItem({
          "text/plain": new Blob([plain], { type: "text/plain" }),
          "text/html": new Blob([html], { type: "text/html" })
        })])
        : navigator.clipboard.writeText(plain);
      return done.catch(function () { return copyByEvent(plain, html); });
    }
    return copyByEvent(plain, html);
  }

  function copyByEvent(plain, html) {
    var handled = false;
    function onCopy(event) {
      event.clipboardData.setData("text/plain", plain);
      if (html) event.clipboardData.setData("text/html", html);
      event.preventDefault();
      handled = true;
    }
    document.addEventListener("copy", onCopy);
    try { document.execCommand("copy"); } catch (error) { handled = false; }
    document.removeEventListener("copy", onCopy);
    return handled ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function build(root, data, s) {
    var state = empty(data);
    var storageOk = true;
    var items = Array.prototype.slice.call(document.querySelectorAll(".kb-assess__item"));
    var tables = Array.prototype.slice.call(document.querySelectorAll(".kb-assess-table"));

    /* Form: name, date, table version. */
    var form = el("form", { class: "kb-assess__form", "aria-label": s["ui.form"] });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var nameLabel = el("label", {}, s["ui.name"] + " ");
    var name = el("input", { type: "text", name: "name", maxlength: String(data.limits.name) });
    nameLabel.append(name);
    var dateLabel = el("label", {}, s["ui.date"] + " ");
    var date = el("input", { type: "date", name: "date" });
    dateLabel.append(date);
    var versions = el("fieldset", { class: "kb-assess__versions" });
    versions.append(el("legend", {}, s["ui.table"]));
    var radios = data.tables.map(function (t) {
      var label = el("label");
      var radio = el("input", { type: "radio", name: "table_version", value: t.id });
      label.append(radio, " " + t.label);
      versions.append(label);
      return radio;
    });
    form.append(nameLabel, dateLabel, versions);

    /* Messages: errors as an alert, everything else as a polite status. */
    var alertBox = el("div", { class: "kb-assess__alert", role: "alert" });
    var statusBox = el("div", { class: "kb-assess__notice", role: "status" });

    /* Summary by stage, and the assessed challenges the chosen table does not list. */
    var printTitle = el("p", { class: "kb-assess__print-title" });
    var summary = el("table", { class: "kb-assess__summary" });
    var extrasBox = el("p", { class: "kb-assess__extras" });

    /* Actions. */
    var actions = el("div", { class: "kb-assess__actions", role: "group", "aria-label": s["ui.actions"] });
    function button(key, handler) {
      var b = el("button", { type: "button", class: "md-button" }, s[key]);
      b.addEventListener("click", handler);
      actions.append(b);
      return b;
    }
    var shareLabel = el("label", { class: "kb-assess__share", hidden: "" }, s["ui.share_label"] + " ");
    var shareOutput = el("input", { type: "text", readonly: "" });
    shareLabel.append(shareOutput);
    var fileLabel = el("label", { class: "md-button kb-assess__open" }, s["ui.open"]);
    var fileInput = el("input", { type: "file", accept: ".json,application/json" });
    fileLabel.append(fileInput);
    var drop = el("div", { class: "kb-assess__drop" }, s["ui.drop"]);

    button("ui.copy_md", function () {
      copy(renderMarkdown(state, data, s)).then(function () { say(s["ui.copied_md"]); },
        function () { fail(s["ui.copy_failed"]); });
    });
    button("ui.copy_rich", function () {
      copy(renderMarkdown(state, data, s), renderHtml(state, data, s)).then(
        function () { say(s["ui.copied_rich"]); }, function () { fail(s["ui.copy_failed"]); });
    });
    button("ui.download_md", function () {
      download(fileName(state, "md"), renderMarkdown(state, data, s), "text/markdown;charset=utf-8");
    });
    button("ui.download_csv", function () {
      download(fileName(state, "csv"), renderCsv(state, data, s), "text/csv;charset=utf-8");
    });
    button("ui.download_json", function () {
      download(fileName(state, "json"), fileText(state, data, 2), "application/json");
    });
    button("ui.share", function () {
      var link = location.href.split("#")[0] + HASH_PREFIX + toBase64Url(fileText(state, data, 0));
      shareOutput.value = link;
      shareLabel.hidden = false;
      copy(link).then(function () { say(s["ui.shared"]); }, function () {
        fail(s["ui.share_failed"]);
        shareOutput.select();
      });
    });
    actions.append(fileLabel);
    button("ui.print", function () { window.print(); });
    button("ui.clear", function () {
      if (!window.confirm(s["ui.confirm_clear"])) return;
      setState(empty(data));
      say(s["ui.cleared"]);
    });
    actions.append(drop, shareLabel);

    var fallback = document.getElementById("kb-assess-fallback");
    if (fallback) fallback.hidden = true;
    root.append(form, actions, alertBox, statusBox, printTitle, summary, extrasBox);

    /* Controls inside every challenge of both tables (only one table is shown at a time). */
    var controls = items.map(function (item) {
      var id = item.getAttribute("data-challenge");
      var title = data.challenges[id].title;
      var icon = el("span", { class: "kb-assess__icon", "aria-hidden": "true" });
      var label = el("span", { class: "kb-assess__label" });
      var select = el("select", { class: "kb-assess__select", "aria-label": fill(s["ui.status_of"], { title: title }) });
      data.statuses.forEach(function (st) {
        select.append(el("option", { value: st.id }, s["status." + st.id]));
      });
      var details = el("details", { class: "kb-assess__details" });
      var summaryText = el("summary", {}, s["ui.details"]);
      var noteLabel = el("label", {}, s["ui.note"]);
      var note = el("textarea", { rows: "3", maxlength: String(data.limits.note), "aria-label": fill(s["ui.note_of"], { title: title }) });
      noteLabel.append(note);
      var linkLabel = el("label", {}, s["ui.link"]);
      var link = el("input", { type: "url", maxlength: String(data.limits.link), "aria-label": fill(s["ui.link_of"], { title: title }) });
      var linkError = el("span", { class: "kb-assess__invalid", hidden: "" }, s["ui.link_invalid"]);
      linkLabel.append(link);
      details.append(summaryText, noteLabel, linkLabel, linkError);
      var line = el("span", { class: "kb-assess__controls" });
      line.append(icon, label, select);
      item.append(line, details);

      function entry() {
        if (!own(state.challenges, id)) state.challenges[id] = { status: "not-assessed", note: "", link: null };
        return state.challenges[id];
      }
      select.addEventListener("change", function () { entry().status = select.value; changed(); });
      note.addEventListener("input", function () { entry().note = note.value; changed(); });
      link.addEventListener("input", function () {
        var value = link.value.trim();
        var ok = !value || codePoints(value) <= data.limits.link && new RegExp(data.patterns.link).test(value);
        link.setAttribute("aria-invalid", ok ? "false" : "true");
        linkError.hidden = ok;
        if (ok) {
          entry().link = value || null;
          changed();
        }
      });
      return { id: id, item: item, icon: icon, label: label, select: select, note: note, link: link, summary: summaryText, linkError: linkError };
    });

    function changed() {
      save();
      render();
    }

    /* A refused link stays on screen until corrected; a new state replaces it. */
    function setState(next) {
      state = next;
      controls.forEach(function (c) {
        c.link.setAttribute("aria-invalid", "false");
        c.linkError.hidden = true;
      });
      save();
      render();
    }

    function setIfChanged(input, value) {
      if (input.value !== value) input.value = value;
    }

    function render() {
      setIfChanged(name, state.name);
      setIfChanged(date, state.date || "");
      radios.forEach(function (r) { r.checked = r.value === state.table_version; });
      tables.forEach(function (t) { t.hidden = t.getAttribute("data-version") !== state.table_version; });
      controls.forEach(function (c) {
        var e = entryOf(state, c.id), info = statusInfo(data, e.status);
        c.item.className = "kb-assess__item kb-assess-status--" + e.status;
        c.icon.textContent = info.icon;
        c.label.textContent = s["status." + e.status];
        setIfChanged(c.select, e.status);
        setIfChanged(c.note, e.note);
        if (c.link.getAttribute("aria-invalid") !== "true") setIfChanged(c.link, e.link || "");
        c.summary.textContent = e.note || e.link ? s["ui.details_filled"] : s["ui.details"];
      });
      renderSummary();
    }

    function renderSummary() {
      var table = tableOf(state, data);
      var lay = layout(state, data);
      printTitle.textContent = [state.name, state.date, table.label].filter(Boolean).join(" · ");
      summary.replaceChildren();
      summary.append(el("caption", {}, fill(s["ui.summary_caption"], { table: table.label })));
      var head = el("tr");
      head.append(el("th", { scope: "col" }, s["report.stage"]));
      data.statuses.forEach(function (st) {
        var th = el("th", { scope: "col", class: "kb-assess-status--" + st.id });
        th.append(el("span", { "aria-hidden": "true" }, st.icon + " "), s["status." + st.id]);
        head.append(th);
      });
      var thead = el("thead");
      thead.append(head);
      var tbody = el("tbody");
      var totals = data.statuses.map(function () { return 0; });
      lay[0].forEach(function (sec) {
        var n = counts(state, sec[1], data);
        totals = add(totals, n);
        var tr = el("tr");
        tr.append(el("th", { scope: "row" }, data.stages[sec[0]].title));
        n.forEach(function (x) { tr.append(el("td", {}, String(x))); });
        tbody.append(tr);
      });
      var total = el("tr", { class: "kb-assess__total" });
      total.append(el("th", { scope: "row" }, s["report.total"]));
      totals.forEach(function (x) { total.append(el("td", {}, String(x))); });
      tbody.append(total);
      summary.append(thead, tbody);
      extrasBox.hidden = !lay[1].length;
      extrasBox.textContent = lay[1].length ? fill(s["ui.extras"], { table: table.label }) + " " +
        lay[1].map(function (c) {
          return data.challenges[c].title + " (" + s["status." + entryOf(state, c).status] + ")";
        }).join(s["ui.and"]) : "";
    }

    name.addEventListener("input", function () { state.name = name.value; changed(); });
    date.addEventListener("change", function () { state.date = date.value || null; changed(); });
    radios.forEach(function (r) {
      r.addEventListener("change", function () { if (r.checked) { state.table_version = r.value; changed(); } });
    });

    function save() {
      try {
        localStorage.setItem(STORAGE_KEY, fileText(state, data, 0));
      } catch (error) {
        if (storageOk) fail(s["ui.storage_failed"]);
        storageOk = false;
      }
    }

    function clearMessages() {
      alertBox.replaceChildren();
      statusBox.replaceChildren();
    }

    function say(message, extra) {
      clearMessages();
      statusBox.append(el("p", {}, message));
      if (extra) statusBox.append(extra);
    }

    function fail(message) {
      alertBox.replaceChildren(el("p", {}, message));
    }

    function changeList(changes) {
      if (!changes.length) return null;
      function label(id) {
        var retired = data.lifecycle.retired;
        return own(retired, id) ? "“" + retired[id].title + "” (" + id + ")" : id;
      }
      var box = el("div");
      box.append(el("p", {}, s["ui.changes"]));
      var list = el("ul", { class: "kb-assess__changes" });
      changes.forEach(function (change) {
        var titles = change.targets.map(function (t) { return "“" + data.challenges[t].title + "”"; });
        list.append(el("li", { "data-old": change.old, "data-kind": change.kind },
          fill(s["ui.change." + change.kind], { old: label(change.old), new: titles.join(s["ui.and"]) })));
      });
      box.append(list);
      return box;
    }

    /* Replace the state with an imported assessment; the old one is set aside if it differs. */
    function adopt(bytes, message, failure) {
      var imported;
      try {
        imported = migrate(readAssessment(bytes, data, s), data);
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        fail(fill(failure, { problem: error.message }));
        return false;
      }
      var previous = state;
      setState(imported.assessment);
      var extra = changeList(imported.changes);
      var restore = null;
      if (!isEmpty(previous, data) && fileText(previous, data, 0) !== fileText(state, data, 0)) {
        restore = el("p", {}, s["ui.previous_kept"] + " ");
        var again = el("button", { type: "button", class: "md-button" }, s["ui.restore_previous"]);
        again.addEventListener("click", function () {
          setState(previous);
          clearMessages();
        });
        restore.append(again);
      }
      say(message, extra);
      if (restore) statusBox.append(restore);
      return true;
    }

    function openFile(file) {
      var failure = fill(s["ui.import_failed"], { file: file.name, problem: "{problem}" });
      if (file.size > data.limits.bytes) {
        fail(fill(failure, { problem: fill(s["problem.too_large"], { size: size(file.size), max: size(data.limits.bytes) }) }));
        return;
      }
      file.arrayBuffer().then(function (buffer) {
        adopt(new Uint8Array(buffer), fill(s["ui.opened_file"], { file: file.name }), failure);
      });
    }

    fileInput.addEventListener("change", function () {
      if (fileInput.files.length) openFile(fileInput.files[0]);
      fileInput.value = "";
    });
    drop.addEventListener("dragover", function (event) {
      event.preventDefault();
      drop.classList.add("kb-assess__drop--over");
    });
    drop.addEventListener("dragleave", function () { drop.classList.remove("kb-assess__drop--over"); });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      drop.classList.remove("kb-assess__drop--over");
      if (event.dataTransfer.files.length) openFile(event.dataTransfer.files[0]);
    });

    /* Start: a share link wins over what this browser saved; the fragment is then dropped, so a
     * reload shows the saved state and the address bar does not keep the assessment. */
    var stored = null;
    try { stored = localStorage.getItem(STORAGE_KEY); } catch (error) { storageOk = false; }
    if (stored) {
      try {
        var restored = migrate(readAssessment(new TextEncoder().encode(stored), data, s), data);
        state = restored.assessment;
        if (!isEmpty(state, data)) say(s["ui.restored"], changeList(restored.changes));
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
      }
    }
    render();
    if (location.hash.indexOf(HASH_PREFIX) === 0) {
      var bytes = null;
      try {
        bytes = fromBase64Url(decodeURIComponent(location.hash.slice(HASH_PREFIX.length)));
      } catch (error) {
        fail(fill(s["ui.link_failed"], { problem: fill(s["problem.not_json"], { error: error.message }) }));
      }
      if (bytes) adopt(bytes, s["ui.opened_link"], s["ui.link_failed"]);
      history.replaceState(history.state, "", location.pathname + location.search);
    }
    root.dataset.ready = "true";
  }

  function start() {
    var root = document.getElementById("kb-assess");
    if (!root || root.dataset.state) return;
    root.dataset.state = "started";
    var data = JSON.parse(document.getElementById("kb-assess-data").textContent);
    var strings = JSON.parse(document.getElementById("kb-assess-strings").textContent);
    build(root, data, strings);
  }

  // Material's document$ announces pages swapped in by instant navigation; from file:// (the
  // offline bundle) it never fires, so the first page also starts on DOMContentLoaded. start()
  // runs once per page either way.
  if (typeof document$ !== "undefined") {
    document$.subscribe(start); // eslint-disable-line no-undef
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
