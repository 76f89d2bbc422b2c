/* Search tuning on top of Material's search worker (lunr), loaded before Material's bundle so that
 * the worker it creates is this subclass (overrides/main.html):
 *
 * 1. Word forms: every plain word of a query is cut to a light stem, which Material searches as a
 *    prefix, so "testing" also finds "tests", "explainable" finds "explainability" and "labelling"
 *    finds "labeling". Words with other characters ("CI/CD", "+must", "title:x") pass unchanged.
 * 2. A query of several words lists first the pages where one section matches every word; within
 *    each group Material's order stands (its score, weighed by each page's search boost).
 *
 * 3. Japanese (the /ja/ edition, where the page loads TinySegmenter first): Japanese has no
 *    spaces between words. The worker splits the indexed text into words with TinySegmenter, but
 *    a query typed without spaces would reach it as one long term that matches nothing, so each
 *    run of Japanese is split here by the same segmenter (the same code, so the same words):
 *    "データの散在" becomes "データ 散在". One-character particles (の, を, …) are dropped, as
 *    lunr's Japanese stop-word filter drops them from the index. Latin words pass unchanged.
 *    The segmenter keeps a run of katakana whole ("コンセプトドリフト"), in the index as in a
 *    query, and Material matches a word only at its start: a katakana word of three letters or
 *    more is searched anywhere in a word (a leading *), so "ドリフト" finds コンセプトドリフト.
 *
 * All act on the worker's messages (QUERY = 2 out, RESULT = 3 back), as Material's own main
 * thread sees them; what the reader types never leaves the browser.
 */
(function () {
  "use strict";
  var Native = window.Worker;
  if (!Native) return;
  var QUERY = 2;
  var RESULT = 3;

  // Longest first; a cut must leave four letters, or the word stays whole.
  var SUFFIXES = ["ability", "ibility", "ations", "ation", "ities", "ity", "able", "ible",
    "ings", "ing", "ies", "ied", "ed", "es", "s"];

  function stem(word) {
    var lower = word.toLowerCase();
    for (var i = 0; i < SUFFIXES.length; i++) {
      var suffix = SUFFIXES[i];
      if (lower.length - suffix.length < 4 || lower.slice(-suffix.length) !== suffix) continue;
      var base = lower.slice(0, -suffix.length);
      // "labell(ing)" -> "label", "stopp(ed)" -> "stop"
      if (/(bb|dd|gg|ll|mm|nn|pp|rr|tt)$/.test(base) && base.length > 4) base = base.slice(0, -1);
      return base;
    }
    return word;
  }

  var JAPANESE = /[\u3005\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]+/g;
  var PARTICLE = /^[\u3040-\u309f]$/;
  var KATAKANA = /^[\u30a1-\u30ff]{3,}$/;
  var segmenter = null;

  function segment(query) {
    var lunr = window.lunr;
    if (!segmenter && lunr && lunr.TinySegmenter) segmenter = new lunr.TinySegmenter();
    if (!segmenter) return query;
    return query.replace(JAPANESE, function (run) {
      var words = segmenter.segment(run).filter(function (w) { return !PARTICLE.test(w); });
      words = (words.length ? words : [run]).map(function (w) {
        return KATAKANA.test(w) ? "*" + w : w;
      });
      return " " + words.join(" ") + " ";
    }).replace(/\s+/g, " ").trim();
  }

  /* The query the worker receives for the text in the search box. */
  function rewrite(query) {
    return segment(query).split(/(\s+)/).map(function (part) {
      return /^[A-Za-z]+$/.test(part) ? stem(part) : part;
    }).join("");
  }

  function matchesAll(group) {
    return group.some(function (doc) {
      var terms = Object.keys(doc.terms || {});
      return terms.length > 0 && terms.every(function (t) { return doc.terms[t]; });
    });
  }

  function rerank(data) {
    if (!data || data.type !== RESULT || !data.data || !Array.isArray(data.data.items)) return data;
    var ranked = data.data.items.map(function (group, i) {
      return { group: group, all: matchesAll(group) ? 0 : 1, i: i };
    });
    ranked.sort(function (a, b) { return a.all - b.all || a.i - b.i; });
    var result = Object.assign({}, data.data, { items: ranked.map(function (r) { return r.group; }) });
    return { type: data.type, data: result };
  }

  var wrappers = new WeakMap();

  window.Worker = class extends Native {
    postMessage(message) {
      var rest = Array.prototype.slice.call(arguments, 1);
      if (message && message.type === QUERY && typeof message.data === "string") {
        message = { type: QUERY, data: rewrite(message.data) };
      }
      return super.postMessage.apply(this, [message].concat(rest));
    }

    addEventListener(type, listener, options) {
      if (type !== "message" || typeof listener !== "function") {
        return super.addEventListener(type, listener, options);
      }
      var wrapper = wrappers.get(listener);
      if (!wrapper) {
        wrapper = function (event) {
          var data = rerank(event.data);
          return listener.call(this, data === event.data ? event : new MessageEvent("message", { data: data }));
        };
        wrappers.set(listener, wrapper);
      }
      return super.addEventListener(type, wrapper, options);
    }

    removeEventListener(type, listener, options) {
      var wrapper = type === "message" ? wrappers.get(listener) : undefined;
      return super.removeEventListener(type, wrapper || listener, options);
    }
  };

  // The rewrite, for tests that watch the worker's messages (tests/find_helpers.py).
  window.kbSearch = { query: rewrite };
})();
