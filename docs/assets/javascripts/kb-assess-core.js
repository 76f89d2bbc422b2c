/* Team assessment, the logic shared with the command line: reading and checking an assessment
 * file, bringing an old one up to date, and rendering its reports (Markdown, CSV, HTML).
 *
 * Every function here is a twin of one in kb/assess.py (read_assessment, migrate) or kb/report.py
 * (the renderers), step by step, so that the page and `kb report` agree byte for byte; the golden
 * files in tests/cases/assess/ hold both to the same answers. Change both together. Pure
 * functions of (assessment, page data, strings); the page script (kb-assess.js) does the rest.
 */
(function () {
  "use strict";

  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  /* One pass, own keys only: a placeholder-like text inside a value (a file named
   * "{constructor}.json") is never filled in, nor looked up on Object.prototype. */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return own(values, key) ? String(values[key]) : whole;
    });
  }

  function codePoints(text) {
    return Array.from(text).length; // Python counts code points, JavaScript UTF-16 units
  }

  /* ---- Twin of kb/report.py ------------------------------------------------------------ */

  var SPACE = /[ \t\n\v\f\r\u0085\u2028\u2029]+/g;
  var MD_SPECIAL = /([\\`*_\[\]{}#|!~$])/g;
  var TABLE = '<table border="1" cellpadding="4" cellspacing="0">';
  var NOT_ASSESSED = { status: "not-assessed", note: "", link: null };

  function collapse(text) {
    return text.replace(SPACE, " ").replace(/^ | $/g, "");
  }

  function tableOf(a, data) {
    return data.tables.filter(function (t) { return t.id === a.table_version; })[0];
  }

  function entryOf(a, c) {
    if (!own(a.challenges, c)) return NOT_ASSESSED;
    var e = a.challenges[c];
    return { status: e.status, note: e.note || "", link: e.link || null };
  }

  function assessed(e) {
    return e.status !== "not-assessed" || !!e.note || !!e.link;
  }

  function sectionsOf(stages) {
    return stages.map(function (stage) {
      var items = [];
      stage.steps.forEach(function (step) {
        step.challenges.forEach(function (c) { items.push([step.id, c]); });
      });
      return [stage.id, items];
    });
  }

  /* [sections, extras, additions]: the additions beyond Table 1 are never extras. */
  function layout(a, data) {
    var sections = sectionsOf(tableOf(a, data).stages), additions = sectionsOf(data.additions);
    var listed = {};
    sections.concat(additions).forEach(function (s) {
      s[1].forEach(function (i) { listed[i[1]] = true; });
    });
    var extras = Object.keys(a.challenges).filter(function (c) {
      return !own(listed, c) && own(data.challenges, c) && assessed(entryOf(a, c));
    }).sort();
    return [sections, extras, additions];
  }

  function counts(a, items, data) {
    return data.statuses.map(function (st) {
      return items.filter(function (i) { return entryOf(a, i[1]).status === st.id; }).length;
    });
  }

  function facingOf(a, sections, extras, additions) {
    var ordered = [];
    sections.forEach(function (s) { s[1].forEach(function (i) { ordered.push(i[1]); }); });
    ordered = ordered.concat(extras);
    additions.forEach(function (s) { s[1].forEach(function (i) { ordered.push(i[1]); }); });
    return ordered.filter(function (c) { return entryOf(a, c).status === "facing"; });
  }

  function statusInfo(data, id) {
    return data.statuses.filter(function (x) { return x.id === id; })[0];
  }

  function md(text) {
    text = collapse(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return text.replace(MD_SPECIAL, "\\$1");
  }

  function mdUrl(url) {
    return url.replace(/\(/g, "%28").replace(/\)/g, "%29").replace(/\|/g, "%7C");
  }

  function mdLink(item) {
    return "[" + md(item.title) + "](" + mdUrl(item.url) + ")";
  }

  function mdRow(cells) {
    return "| " + cells.join(" | ") + " |";
  }

  function add(totals, more) {
    return totals.map(function (t, i) { return t + more[i]; });
  }

  function renderMarkdown(a, data, s) {
    var lay = layout(a, data), sections = lay[0], extras = lay[1], additions = lay[2];
    var table = tableOf(a, data), site = data.site;
    function status(c) {
      var st = entryOf(a, c).status;
      return md(statusInfo(data, st).icon + " " + s["status." + st]);
    }
    function cells(c) {
      var e = entryOf(a, c);
      var link = e.link ? "[" + md(s["report.link_text"]) + "](" + mdUrl(e.link) + ")" : "";
      return [mdLink(data.challenges[c]), status(c), md(e.note), link];
    }
    var out = ["# " + md(a.name || s["report.untitled"]), ""];
    if (a.date) out.push("- " + md(s["report.date"]) + ": " + md(a.date));
    out.push("- " + md(s["report.table"]) + ": " + md(table.label));
    out.push("- " + md(s["report.kb"]) + ": " + mdLink({ title: site.name, url: site.url }) +
      " " + md(site.version));
    function summary(first, part) {
      out.push(mdRow([md(first)].concat(data.statuses.map(function (st) {
        return md(s["status." + st.id]);
      }))));
      out.push("|---|" + data.statuses.map(function () { return "---:|"; }).join(""));
      var totals = data.statuses.map(function () { return 0; });
      part.forEach(function (sec) {
        var n = counts(a, sec[1], data);
        totals = add(totals, n);
        out.push(mdRow([mdLink(data.stages[sec[0]])].concat(n.map(String))));
      });
      out.push(mdRow(["**" + md(s["report.total"]) + "**"].concat(totals.map(String))));
    }
    function steps(heading, sec) {
      out.push("", heading + " " + md(data.stages[sec[0]].title), "");
      out.push(mdRow([md(s["report.step"])].concat(head)), "|---|---|---|---|---|");
      sec[1].forEach(function (i) {
        out.push(mdRow([mdLink(data.steps[i[0]])].concat(cells(i[1]))));
      });
    }
    out.push("", "## " + md(s["report.summary"]), "");
    summary(s["report.stage"], sections);
    if (additions.length) {
      out.push("");
      summary(s["report.additions"], additions);
    }
    var head = ["report.challenge", "report.status", "report.note", "report.link"].map(function (k) {
      return md(s[k]);
    });
    sections.forEach(function (sec) { steps("##", sec); });
    if (extras.length) {
      out.push("", "## " + md(fill(s["report.extras"], { table: table.label })), "");
      out.push(mdRow(head), "|---|---|---|---|");
      extras.forEach(function (c) { out.push(mdRow(cells(c))); });
    }
    if (additions.length) {
      out.push("", "## " + md(s["report.additions"]), "", md(s["report.additions_intro"]));
      additions.forEach(function (sec) { steps("###", sec); });
    }
    var facing = facingOf(a, sections, extras, additions);
    if (facing.length) {
      out.push("", "## " + md(s["report.next"]), "", md(s["report.next_intro"]));
      facing.forEach(function (c) {
        var challenge = data.challenges[c];
        var cases = challenge.case_studies.map(function (x) { return mdLink(data.case_studies[x]); });
        var solutions = challenge.solutions.map(function (x) {
          return mdLink(data.solutions[x]) + " (" + md(s["kind." + data.solutions[x].kind]) + ")";
        });
        out.push("", "### " + mdLink(challenge), "");
        out.push("- " + md(s["report.cases"]) + ": " + (cases.join(", ") || md(s["report.none"])));
        out.push("- " + md(s["report.solutions"]) + ": " +
          (solutions.join(", ") || md(s["report.none"])));
      });
    }
    return out.join("\n") + "\n";
  }

  /* PATTERNS["formula"] of kb/assess.py: = + - @ or their full-width forms after any blanks. */
  function csvCell(text, formula) {
    if (formula.test(text)) text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function renderCsv(a, data, s) {
    var lay = layout(a, data), sections = lay[0], extras = lay[1], additions = lay[2];
    var keys = ["stage", "step", "challenge", "id", "url", "status", "note", "link"];
    var rows = [keys.map(function (k) { return s["report." + k]; })];
    function row(stage, step, c) {
      var e = entryOf(a, c), challenge = data.challenges[c];
      return [stage, step, challenge.title, c, challenge.url, s["status." + e.status], e.note,
        e.link || ""];
    }
    function part(secs) {
      secs.forEach(function (sec) {
        sec[1].forEach(function (i) {
          rows.push(row(data.stages[sec[0]].title, data.steps[i[0]].title, i[1]));
        });
      });
    }
    part(sections);
    extras.forEach(function (c) { rows.push(row("", "", c)); });
    part(additions);
    var formula = new RegExp(data.patterns.formula);
    return "\ufeff" + rows.map(function (r) {
      return r.map(function (x) { return csvCell(x, formula); }).join(",") + "\r\n";
    }).join("");
  }

  function h(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function hLink(item) {
    return '<a href="' + h(item.url) + '">' + h(collapse(item.title)) + "</a>";
  }

  function hRow(cells, tag) {
    tag = tag || "td";
    return "<tr>" + cells.map(function (c) { return "<" + tag + ">" + c + "</" + tag + ">"; })
      .join("") + "</tr>";
  }

  function renderHtml(a, data, s) {
    var lay = layout(a, data), sections = lay[0], extras = lay[1], additions = lay[2];
    var table = tableOf(a, data), site = data.site;
    function cells(c) {
      var e = entryOf(a, c), info = statusInfo(data, e.status);
      var style = info.tint ? ' style="background-color:' + info.tint + '"' : "";
      var status = h(info.icon + " " + s["status." + e.status]);
      var link = e.link ? '<a href="' + h(e.link) + '">' + h(s["report.link_text"]) + "</a>" : "";
      return "<td>" + hLink(data.challenges[c]) + "</td><td" + style + ">" + status + "</td>" +
        "<td>" + h(collapse(e.note)) + "</td><td>" + link + "</td>";
    }
    var out = ["<h1>" + h(collapse(a.name || s["report.untitled"])) + "</h1>", "<ul>"];
    if (a.date) out.push("<li>" + h(s["report.date"]) + ": " + h(a.date) + "</li>");
    out.push("<li>" + h(s["report.table"]) + ": " + h(table.label) + "</li>");
    var kb = hLink({ title: site.name, url: site.url });
    out.push("<li>" + h(s["report.kb"]) + ": " + kb + " " + h(site.version) + "</li>", "</ul>");
    function summary(first, part) {
      out.push(TABLE, "<thead>" + hRow([h(first)].concat(data.statuses.map(function (st) {
        return h(s["status." + st.id]);
      })), "th") + "</thead>", "<tbody>");
      var totals = data.statuses.map(function () { return 0; });
      part.forEach(function (sec) {
        var n = counts(a, sec[1], data);
        totals = add(totals, n);
        out.push(hRow([hLink(data.stages[sec[0]])].concat(n.map(String))));
      });
      out.push("<tr><th>" + h(s["report.total"]) + "</th>" +
        totals.map(function (n) { return "<td>" + n + "</td>"; }).join("") + "</tr>");
      out.push("</tbody>", "</table>");
    }
    function steps(tag, sec) {
      out.push("<" + tag + ">" + h(data.stages[sec[0]].title) + "</" + tag + ">", TABLE);
      out.push("<thead>" + hRow([h(s["report.step"])].concat(head), "th") + "</thead>");
      out.push("<tbody>");
      sec[1].forEach(function (i) {
        out.push("<tr><td>" + hLink(data.steps[i[0]]) + "</td>" + cells(i[1]) + "</tr>");
      });
      out.push("</tbody>", "</table>");
    }
    out.push("<h2>" + h(s["report.summary"]) + "</h2>");
    summary(s["report.stage"], sections);
    if (additions.length) summary(s["report.additions"], additions);
    var head = ["report.challenge", "report.status", "report.note", "report.link"].map(function (k) {
      return h(s[k]);
    });
    sections.forEach(function (sec) { steps("h2", sec); });
    if (extras.length) {
      out.push("<h2>" + h(fill(s["report.extras"], { table: table.label })) + "</h2>", TABLE);
      out.push("<thead>" + hRow(head, "th") + "</thead>", "<tbody>");
      extras.forEach(function (c) { out.push("<tr>" + cells(c) + "</tr>"); });
      out.push("</tbody>", "</table>");
    }
    if (additions.length) {
      out.push("<h2>" + h(s["report.additions"]) + "</h2>",
        "<p>" + h(s["report.additions_intro"]) + "</p>");
      additions.forEach(function (sec) { steps("h3", sec); });
    }
    var facing = facingOf(a, sections, extras, additions);
    if (facing.length) {
      out.push("<h2>" + h(s["report.next"]) + "</h2>", "<p>" + h(s["report.next_intro"]) + "</p>");
      facing.forEach(function (c) {
        var challenge = data.challenges[c];
        var cases = challenge.case_studies.map(function (x) { return hLink(data.case_studies[x]); });
        var solutions = challenge.solutions.map(function (x) {
          return hLink(data.solutions[x]) + " (" + h(s["kind." + data.solutions[x].kind]) + ")";
        });
        out.push("<h3>" + hLink(challenge) + "</h3>", "<ul>");
        out.push("<li>" + h(s["report.cases"]) + ": " + (cases.join(", ") || h(s["report.none"])) +
          "</li>");
        out.push("<li>" + h(s["report.solutions"]) + ": " +
          (solutions.join(", ") || h(s["report.none"])) + "</li>");
        out.push("</ul>");
      });
    }
    return out.join("\n") + "\n";
  }

  /* ---- Twin of kb/assess.py: read_assessment and migrate ---------------------------------- */

  function Problem(message) {
    this.message = message;
  }

  function kindOf(value, s) {
    if (value === null || value === undefined) return s["json.null"];
    if (typeof value === "boolean") return s["json.boolean"];
    if (typeof value === "number") return s["json.number"];
    if (typeof value === "string") return s["json.text"];
    if (Array.isArray(value)) return s["json.list"];
    return s["json.object"];
  }

  /* Twin of kb/assess.py's _escape, shown, quoted and number_text: what a message shows of a
   * value. The hidden characters are PATTERNS["unseen"] and lone surrogates. */
  var SHORT = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
    "\r": "\\r" };
  var LONE = "[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";

  function escapeChar(c) {
    return own(SHORT, c) ? SHORT[c] : "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
  }

  function escaper(data, extra) {
    return new RegExp(extra + data.patterns.unseen + "|" + LONE, "g");
  }

  function numberText(value) {
    if (Number.isInteger(value)) return Math.abs(value) <= Math.pow(2, 53) ? String(value) : null;
    var size = Math.abs(value);
    return isFinite(value) && size >= 1e-4 && size < 1e16 ? String(value) : null;
  }

  function isObject(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }

  function size(n) {
    var mb = 1024 * 1024;
    return n >= mb ? (n / mb).toFixed(1) + " MB" : Math.ceil(n / 1024) + " KB";
  }

  /* Twin of kb/assess.py's check, line for line: the first problem of a value under a rule of
   * data.rules (derived from the models' JSON Schema), in words, or null. */
  function checker(data, s) {
    var patterns = {};
    Object.keys(data.patterns).forEach(function (k) { patterns[k] = new RegExp(data.patterns[k]); });
    var hidden = escaper(data, ""), hiddenOrQuote = escaper(data, '["\\\\]|');
    var lone = new RegExp(LONE);
    function shown(text) { return text.replace(hidden, escapeChar); }
    function quoted(value) {
      if (typeof value === "string") return '"' + value.replace(hiddenOrQuote, escapeChar) + '"';
      if (typeof value === "number") return numberText(value) || kindOf(value, s);
      return kindOf(value, s);
    }
    function type(value, path, expected) {
      return fill(s["problem.type"], { path: path, expected: s[expected], found: kindOf(value, s) });
    }
    function choice(value, path, choices) {
      return fill(s["problem.choice"], { path: path, found: quoted(value), expected: choices.join(", ") });
    }
    function check(value, rule, path) {
      if (value === null && rule.nullable) return null;
      var kind = rule.type, problem, i;
      if (kind === "object") {
        if (!isObject(value)) return type(value, path, "json.object");
        var prefix = path ? path + "." : "";
        var names = rule.fields.map(function (f) { return f.name; });
        for (i = 0; i < rule.fields.length; i++) {
          var field = rule.fields[i];
          if (!own(value, field.name)) {
            if (field.required) return fill(s["problem.missing"], { path: prefix + field.name });
            continue;
          }
          problem = check(value[field.name], field, prefix + field.name);
          if (problem) return problem;
        }
        var keys = Object.keys(value);
        for (i = 0; i < keys.length; i++) {
          if (names.indexOf(keys[i]) < 0) {
            return fill(s["problem.unknown"], { path: prefix + shown(keys[i]), allowed: names.join(", ") });
          }
        }
        return null;
      }
      if (kind === "entries") {
        if (!isObject(value)) return type(value, path, "json.object");
        var entries = Object.keys(value);
        for (i = 0; i < entries.length; i++) {
          var key = entries[i], at = path + "." + shown(key);
          if (codePoints(key) > rule.key.max || !patterns[rule.key.pattern].test(key)) {
            return fill(s["problem.key"], { path: at, found: quoted(key) });
          }
          problem = check(value[key], rule.entry, at);
          if (problem) return problem;
        }
        if (entries.length > rule.max) {
          return fill(s["problem.too_many"], { path: path, n: entries.length, max: rule.max });
        }
        return null;
      }
      if (kind === "choice") {
        if (typeof value === "string" && rule.choices.indexOf(value) >= 0) return null;
        return choice(value, path, rule.choices);
      }
      if (kind === "integer") {
        if (typeof value !== "number") return type(value, path, "json.integer");
        if (Number.isInteger(value) && value >= rule.min && value <= rule.max) return null;
        var range = [];
        for (i = rule.min; i <= rule.max; i++) range.push(String(i));
        return choice(value, path, range);
      }
      if (typeof value !== "string") return type(value, path, "json.text");
      if (lone.test(value)) return fill(s["problem.surrogate"], { path: path, found: quoted(value) });
      if (rule.max !== undefined && codePoints(value) > rule.max) {
        return fill(s["problem.too_long"], { path: path, n: codePoints(value), max: rule.max });
      }
      var refused = rule.pattern && !patterns[rule.pattern].test(value);
      if (refused || rule.calendar && !realDate(value)) {
        return fill(s["problem.pattern"], {
          path: path, expected: s["hint." + rule.pattern], found: quoted(value)
        });
      }
      return null;
    }
    return { check: check, quoted: quoted };
  }

  function realDate(text) {
    var parsed = new Date(text + "T00:00:00Z");
    return !isNaN(parsed) && parsed.getUTCFullYear() >= 1 &&
      parsed.toISOString().slice(0, 10) === text;
  }

  /* Bytes of a file or share link -> a checked assessment object, or throws a Problem. Twin of
   * kb/assess.py's read_assessment. */
  function readAssessment(bytes, data, s) {
    if (bytes.length > data.limits.bytes) {
      throw new Problem(fill(s["problem.too_large"], {
        size: size(bytes.length), max: size(data.limits.bytes)
      }));
    }
    var text, value;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (error) {
      throw new Problem(s["problem.not_text"]);
    }
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new Problem(fill(s["problem.not_json"], { error: error.message }));
    }
    if (!isObject(value)) throw new Problem(fill(s["problem.not_object"], { kind: kindOf(value, s) }));
    var rules = checker(data, s);
    var format = own(value, "format") ? value.format : null;
    if (format !== data.format) {
      throw new Problem(fill(s["problem.foreign"], {
        found: rules.quoted(format), expected: rules.quoted(data.format)
      }));
    }
    var v = value.format_version;
    if (typeof v === "number" && Number.isInteger(v) && v > data.format_version) {
      throw new Problem(fill(s["problem.newer"], {
        found: numberText(v) || kindOf(v, s), supported: data.format_version
      }));
    }
    var problem = rules.check(value, data.rules, "");
    if (problem) throw new Problem(problem);
    var a = {
      table_version: value.table_version,
      name: value.name || "",
      date: value.date || null,
      challenges: {}
    };
    Object.keys(value.challenges || {}).forEach(function (c) {
      a.challenges[c] = entryOf(value, c);
    });
    return a;
  }

  /* Whether the page may keep this assessment: what it saves must be what it can read again. */
  function problemOf(a, data, s) {
    try {
      readAssessment(new TextEncoder().encode(fileText(a, data, 0)), data, s);
      return null;
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      return error.message;
    }
  }

  function migrate(a, data) {
    var live = data.challenges, retired = data.lifecycle.retired, renamed = data.lifecycle.renamed;
    var kept = {}, changes = [];
    Object.keys(a.challenges).forEach(function (c) { if (own(live, c)) kept[c] = a.challenges[c]; });
    Object.keys(a.challenges).filter(function (c) { return !own(live, c); }).sort()
      .forEach(function (old) {
        var entry = a.challenges[old];
        var current = own(renamed, old) ? renamed[old] : old;
        var kind, targets;
        if (own(live, current)) {
          kind = "renamed";
          targets = [current];
        } else if (own(retired, current) && retired[current].replaced_by.length) {
          kind = "retired";
          targets = retired[current].replaced_by.slice();
        } else {
          changes.push({ old: old, kind: own(retired, current) ? "withdrawn" : "unknown", targets: [] });
          return;
        }
        var taken = targets.filter(function (t) { return own(kept, t); });
        targets.forEach(function (t) { if (!own(kept, t)) kept[t] = entry; });
        changes.push({ old: old, kind: kind, targets: targets });
        if (taken.length) changes.push({ old: old, kind: "conflict", targets: taken });
      });
    var ordered = {};
    Object.keys(kept).sort().forEach(function (c) { ordered[c] = kept[c]; });
    return { assessment: Object.assign({}, a, { challenges: ordered }), changes: changes };
  }

  /* The assessment file: keys sorted, defaults left out (what kb report and import read). */
  function fileText(a, data, indent) {
    var challenges = {};
    Object.keys(a.challenges).sort().forEach(function (c) {
      var e = entryOf(a, c);
      if (!assessed(e)) return;
      var out = {};
      if (e.link) out.link = e.link;
      if (e.note) out.note = e.note;
      out.status = e.status;
      challenges[c] = out;
    });
    var file = { $schema: data.schema_url, challenges: challenges };
    file.corpus = { data_sha256: data.site.data_sha256, version: data.site.version };
    if (a.date) file.date = a.date;
    file.format = data.format;
    file.format_version = data.format_version;
    if (a.name) file.name = a.name;
    file.table_version = a.table_version;
    return JSON.stringify(file, null, indent) + (indent ? "\n" : "");
  }

  window.kbAssessCore = {
    own: own,
    fill: fill,
    codePoints: codePoints,
    entryOf: entryOf,
    assessed: assessed,
    layout: layout,
    counts: counts,
    add: add,
    tableOf: tableOf,
    statusInfo: statusInfo,
    size: size,
    renderMarkdown: renderMarkdown,
    renderCsv: renderCsv,
    renderHtml: renderHtml,
    Problem: Problem,
    readAssessment: readAssessment,
    problemOf: problemOf,
    migrate: migrate,
    fileText: fileText
  };
})();
