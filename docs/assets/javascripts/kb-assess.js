/* Team assessment page (/assess/): statuses, notes and links per challenge, kept in the browser.
 *
 * The page embeds its data (tables, permanent URLs, lifecycle map) and its interface strings as
 * <script type="application/json">, so it works from file:// too, where fetch() fails. State is
 * saved in localStorage on every change; a share link carries the assessment file, base64url
 * encoded, after "#assessment=" (a fragment never reaches a server). Nothing is requested.
 *
 * Never lose work: the page saves only what it can read back; what it cannot read (a newer
 * format, a damaged copy) and whatever an import, a share link, a restore or a clear replaces is
 * kept as a backup, each under its own localStorage key, listed on the page with Restore,
 * Download and Discard. A share link never replaces saved work without asking.
 *
 * Reading files, migrating old ones and the reports live in kb-assess-core.js, the twin of the
 * command line's kb/assess.py and kb/report.py.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "deploying-ml-kb-assessment";
  var BACKUP_PREFIX = STORAGE_KEY + ".backup.";
  var HASH_PREFIX = "#assessment=";

  var core = window.kbAssessCore;
  var own = core.own, fill = core.fill, codePoints = core.codePoints, entryOf = core.entryOf;
  var layout = core.layout, counts = core.counts, add = core.add, tableOf = core.tableOf;
  var statusInfo = core.statusInfo, size = core.size, Problem = core.Problem;
  var renderMarkdown = core.renderMarkdown, renderCsv = core.renderCsv;
  var renderHtml = core.renderHtml, readAssessment = core.readAssessment, problemOf = core.problemOf;
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
    // Four-digit years only: the file format's (a browser takes up to 275760 when typed).
    var date = el("input", { type: "date", name: "date", min: "0001-01-01", max: "9999-12-31" });
    var dateError = el("span", { class: "kb-assess__invalid", hidden: "" }, s["ui.date_invalid"]);
    dateLabel.append(date, dateError);
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
    var backupBox = el("div", { class: "kb-assess__backups", hidden: "" });

    /* Summary by stage (Table 1's, then the additions' apart, each with its own total), and the
     * assessed challenges the chosen table does not list. */
    var printTitle = el("p", { class: "kb-assess__print-title" });
    var summary = el("table", { class: "kb-assess__summary" });
    var addedSummary = el("table", { class: "kb-assess__summary kb-assess__summary--additions" });
    var summaryBox = el("div", { class: "kb-assess__summary-box", role: "region", tabindex: "0",
      "aria-label": s["ui.summary"] });
    summaryBox.append(summary);
    if (data.additions.length) summaryBox.append(addedSummary);
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
      var kept = before(state);
      if (kept === false) return;
      setState(empty(data));
      say(s["ui.cleared"], undo(kept));
    });
    actions.append(drop, shareLabel);

    var fallback = document.getElementById("kb-assess-fallback");
    if (fallback) fallback.hidden = true;
    root.append(form, actions, alertBox, statusBox, backupBox, printTitle, summaryBox, extrasBox);

    /* Controls inside every challenge of both tables (only one table is shown at a time) and of
     * the additions beyond Table 1 (shown with either). */
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
        var ok = !value || !problemOf(withEntry(id, { link: value }), data, s);
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

    /* The state with one field of a challenge's entry changed (to check before taking it). */
    function withEntry(id, change) {
      var challenges = Object.assign({}, state.challenges);
      challenges[id] = Object.assign({}, entryOf(state, id), change);
      return Object.assign({}, state, { challenges: challenges });
    }

    /* A refused link stays on screen until corrected; a new state replaces it. */
    function setState(next) {
      state = next;
      controls.forEach(function (c) {
        c.link.setAttribute("aria-invalid", "false");
        c.linkError.hidden = true;
      });
      date.setAttribute("aria-invalid", "false");
      dateError.hidden = true;
      save();
      render();
    }

    function setIfChanged(input, value) {
      if (input.value !== value) input.value = value;
    }

    function render() {
      setIfChanged(name, state.name);
      if (date.getAttribute("aria-invalid") !== "true") setIfChanged(date, state.date || "");
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
      fillSummary(summary, fill(s["ui.summary_caption"], { table: table.label }), lay[0]);
      fillSummary(addedSummary, s["ui.summary_additions"], lay[2]);
      extrasBox.hidden = !lay[1].length;
      extrasBox.textContent = lay[1].length ? fill(s["ui.extras"], { table: table.label }) + " " +
        lay[1].map(function (c) {
          return data.challenges[c].title + " (" + s["status." + entryOf(state, c).status] + ")";
        }).join(s["ui.and"]) : "";
    }

    function fillSummary(summary, caption, sections) {
      summary.replaceChildren();
      summary.append(el("caption", {}, caption));
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
      sections.forEach(function (sec) {
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
    }

    name.addEventListener("input", function () { state.name = name.value; changed(); });
    /* A date the file format refuses (a five-digit year) stays on screen, marked, and unsaved. */
    date.addEventListener("change", function () {
      var value = date.value || null;
      var ok = !problemOf(Object.assign({}, state, { date: value }), data, s);
      date.setAttribute("aria-invalid", ok ? "false" : "true");
      dateError.hidden = ok;
      if (ok) {
        state.date = value;
        changed();
      }
    });
    radios.forEach(function (r) {
      r.addEventListener("change", function () { if (r.checked) { state.table_version = r.value; changed(); } });
    });

    /* Saving: only what the page can read back, and never over what it could not read. */
    var lastSaved = null;
    function save() {
      if (!storageOk) return;
      var text = fileText(state, data, 0);
      var problem = problemOf(state, data, s);
      if (problem) {
        fail(fill(s["ui.not_saved"], { problem: problem }));
        return;
      }
      try {
        localStorage.setItem(STORAGE_KEY, text);
        lastSaved = text;
      } catch (error) {
        if (storageOk) fail(s["ui.storage_failed"]);
        storageOk = false;
      }
    }

    /* Backups: one key each, numbered in the order they were made. */
    function backups() {
      var found = [];
      try {
        for (var i = 0; i < localStorage.length; i++) {
          var key = localStorage.key(i);
          if (key && key.indexOf(BACKUP_PREFIX) === 0) {
            var n = Number(key.slice(BACKUP_PREFIX.length));
            if (Number.isInteger(n)) found.push({ key: key, n: n, text: localStorage.getItem(key) });
          }
        }
      } catch (error) {
        return [];
      }
      return found.sort(function (x, y) { return x.n - y.n; });
    }

    /* Keeps a copy of a text (or of an assessment); returns its key, null when there was nothing
     * to keep, or false (and says so) when the browser would not store it. */
    function keep(text) {
      if (!storageOk) return false;
      var all = backups();
      var same = all.filter(function (b) { return b.text === text; })[0];
      if (same) return same.key;
      var key = BACKUP_PREFIX + (all.length ? all[all.length - 1].n + 1 : 1);
      try {
        localStorage.setItem(key, text);
      } catch (error) {
        fail(s["ui.backup_failed"]);
        return false;
      }
      renderBackups();
      return key;
    }

    function setAside(a) {
      return isEmpty(a, data) ? null : keep(fileText(a, data, 0));
    }

    function forget(key) {
      try { localStorage.removeItem(key); } catch (error) { /* gone with the storage */ }
      renderBackups();
    }

    /* Keeps the assessment on screen before something replaces it: a backup key, null if there
     * is nothing to keep, false if it could not be kept; without storage, it stays in memory. */
    function before(a) {
      return storageOk ? setAside(a) : isEmpty(a, data) ? null : { memory: a };
    }

    /* An "Undo" for what just replaced the assessment: restores what before() kept. */
    function undo(kept) {
      if (!kept) return null;
      var again = el("button", { type: "button", class: "md-button" }, s["ui.undo"]);
      again.addEventListener("click", function () {
        if (typeof kept === "string") return restore(kept);
        setState(kept.memory);
        clearMessages();
      });
      return again;
    }

    function restore(key) {
      var text;
      try { text = localStorage.getItem(key); } catch (error) { text = null; }
      if (text === null) return renderBackups();
      var restored;
      try {
        restored = migrate(readAssessment(new TextEncoder().encode(text), data, s), data);
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        return renderBackups();
      }
      var kept = before(state);
      if (kept === false) return;
      setState(restored.assessment);
      if (!lossy(restored.changes)) forget(key);
      say(s["ui.restored_backup"], changeList(restored.changes));
      var again = undo(kept);
      if (again) statusBox.append(again);
    }

    /* Changes that drop an entry: the original is kept, should a newer page know it. */
    function lossy(changes) {
      return changes.some(function (c) { return c.kind !== "renamed" && c.kind !== "retired"; });
    }

    function renderBackups() {
      var all = backups();
      backupBox.replaceChildren();
      backupBox.hidden = !all.length;
      if (!all.length) return;
      backupBox.append(el("p", { class: "kb-assess__backups-title" }, s["ui.backups"]));
      var list = el("ul");
      all.forEach(function (b) {
        var problem = null, a = null;
        try {
          a = readAssessment(new TextEncoder().encode(b.text), data, s);
        } catch (error) {
          if (!(error instanceof Problem)) throw error;
          problem = error.message;
        }
        var item = el("li", { class: "kb-assess__backup", "data-backup": String(b.n) });
        var label = problem ? fill(s["ui.backup_unreadable"], { problem: problem }) :
          fill(s["ui.backup_readable"], {
            name: a.name || s["report.untitled"],
            n: Object.keys(a.challenges).filter(function (c) {
              return core.assessed(entryOf(a, c));
            }).length
          });
        item.append(el("span", {}, label + " "));
        var file = "assessment-backup-" + b.n + ".json";
        var name = problem ? file : (a.name || s["report.untitled"]);
        if (!problem) {
          item.append(small("ui.restore", name, function () { restore(b.key); }));
        }
        item.append(small("ui.download_backup", name, function () {
          download(file, b.text, "application/json");
        }));
        item.append(small("ui.discard", name, function () {
          if (window.confirm(s["ui.confirm_discard"])) forget(b.key);
        }));
        list.append(item);
      });
      backupBox.append(list);
    }

    /* A small button whose accessible name says which backup it acts on. */
    function small(key, name, handler) {
      var b = el("button", { type: "button", class: "md-button kb-assess__small",
        "aria-label": s[key] + ": " + name }, s[key]);
      b.addEventListener("click", handler);
      return b;
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

    /* Read an assessment (a file, a share link), or say why not. */
    function read(bytes, failure) {
      try {
        return migrate(readAssessment(bytes, data, s), data);
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        fail(failure(error.message));
        return null;
      }
    }

    /* Replace the state with an assessment the user chose to open; the one on screen is kept as
     * a backup first (and the replacement does not happen if it cannot be kept). */
    function adopt(imported, message) {
      var same = fileText(imported.assessment, data, 0) === fileText(state, data, 0);
      var kept = same ? null : before(state);
      if (kept === false) return false;
      setState(imported.assessment);
      say(message, changeList(imported.changes));
      if (kept) {
        var restore = el("p", {}, s["ui.previous_kept"] + " ");
        restore.append(undo(kept));
        statusBox.append(restore);
      }
      return true;
    }

    function openFile(file) {
      function failure(problem) {
        return fill(s["ui.import_failed"], { file: file.name, problem: problem });
      }
      if (file.size > data.limits.bytes) {
        fail(failure(fill(s["problem.too_large"], { size: size(file.size), max: size(data.limits.bytes) })));
        return;
      }
      file.arrayBuffer().then(function (buffer) {
        var imported = read(new Uint8Array(buffer), failure);
        if (imported) adopt(imported, fill(s["ui.opened_file"], { file: file.name }));
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

    /* Start: the saved assessment, or, if this page cannot read it, a blank one with the saved
     * text kept as a backup (never overwritten unseen). */
    var stored = null;
    try { stored = localStorage.getItem(STORAGE_KEY); } catch (error) { storageOk = false; }
    if (stored) {
      try {
        var restored = migrate(readAssessment(new TextEncoder().encode(stored), data, s), data);
        state = restored.assessment;
        if (lossy(restored.changes)) keep(stored);
        if (!isEmpty(state, data)) say(s["ui.restored"], changeList(restored.changes));
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        if (keep(stored)) {
          localStorage.removeItem(STORAGE_KEY);
          fail(fill(s["ui.unreadable"], { problem: error.message }));
        } else {
          // Not even a backup: the page keeps its hands off the storage for this visit.
          storageOk = false;
          fail(fill(s["ui.unreadable"], { problem: error.message }) + " " + s["ui.storage_failed"]);
          alertBox.append(small("ui.download_backup", "", function () {
            download("assessment-backup.json", stored, "application/json");
          }));
        }
      }
    }
    render();
    renderBackups();

    /* A share link: opened at once on a blank page; over saved work, only if the user says so. */
    function dropFragment() {
      history.replaceState(history.state, "", location.pathname + location.search);
    }
    /* Listeners outlive the page under instant navigation: one whose page is gone lets go. */
    function gone(type, listener) {
      if (root.isConnected) return false;
      window.removeEventListener(type, listener);
      return true;
    }

    function openShared() {
      if (location.hash.indexOf(HASH_PREFIX) !== 0) return;
      var linkFailure = function (problem) { return fill(s["ui.link_failed"], { problem: problem }); };
      var bytes = null;
      try {
        bytes = fromBase64Url(decodeURIComponent(location.hash.slice(HASH_PREFIX.length)));
      } catch (error) {
        fail(linkFailure(fill(s["problem.not_json"], { error: error.message })));
      }
      var shared = bytes && read(bytes, linkFailure);
      if (!shared) {
        dropFragment();
      } else if (isEmpty(state, data) || !storageOk ||
          fileText(shared.assessment, data, 0) === fileText(state, data, 0)) {
        if (adopt(shared, s["ui.opened_link"])) dropFragment();
      } else {
        var ask = el("div", { class: "kb-assess__choice", role: "group", "aria-label": s["ui.link_choice"] });
        ask.append(el("p", { class: "kb-assess__question" }, s["ui.link_choice"]), el("p", {}, s["ui.link_waiting"]));
        var take = el("button", { type: "button", class: "md-button md-button--primary" }, s["ui.link_open"]);
        var mine = el("button", { type: "button", class: "md-button" }, s["ui.link_keep"]);
        take.addEventListener("click", function () {
          if (adopt(shared, s["ui.opened_link"])) dropFragment();
        });
        mine.addEventListener("click", function () {
          say(s["ui.link_kept"]);
          dropFragment();
        });
        ask.append(take, " ", mine);
        clearMessages();
        statusBox.append(ask);
      }
    }
    openShared();

    /* Another tab saved: show what it saved (this tab saved all it had before), and list its
     * backups; what this page cannot read is kept, never overwritten at the next edit here. */
    window.addEventListener("storage", function onStorage(event) {
      if (gone("storage", onStorage) || event.storageArea !== localStorage) return;
      if (event.key && event.key.indexOf(BACKUP_PREFIX) === 0) return renderBackups();
      if (event.key !== STORAGE_KEY || event.newValue === null || event.newValue === lastSaved) return;
      try {
        var other = migrate(readAssessment(new TextEncoder().encode(event.newValue), data, s), data);
        state = other.assessment;
        lastSaved = event.newValue;
        render();
        say(s["ui.changed_elsewhere"]);
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        if (keep(event.newValue)) fail(fill(s["ui.unreadable"], { problem: error.message }));
      }
    });
    root.dataset.ready = "true";
  }

  function start() {
    var root = document.getElementById("kb-assess");
    if (!root || root.dataset.state) return;
    root.dataset.state = "started";
    // In a <template> (see assess.md.j2), out of reach of instant navigation's script handling.
    var embedded = document.getElementById("kb-assess-embedded").content;
    var data = JSON.parse(embedded.getElementById("kb-assess-data").textContent);
    var strings = JSON.parse(embedded.getElementById("kb-assess-strings").textContent);
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
