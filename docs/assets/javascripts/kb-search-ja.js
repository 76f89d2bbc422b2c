/* Japanese search (the /ja/ edition only).
 *
 * Japanese has no spaces between words. Material's search worker splits the indexed text into
 * words with TinySegmenter (lunr-languages' segmenter, shipped with Material), but it sends a
 * query typed without spaces to the index as one long term, which matches nothing unless the
 * query is a single word of the index. So the query is segmented here, in the page, with the same
 * TinySegmenter file the worker uses for the index (loaded right after this script), before it
 * reaches the worker: "データの散在" becomes "データ の 散在", and each segment matches the segments
 * the index holds. Latin words, IDs and acronyms (GDPR, BERT, concept-drift) pass unchanged.
 */
(function () {
  "use strict";
  // tinyseg.js registers itself on a global `lunr`, which only the worker has.
  window.lunr = window.lunr || {};

  var JAPANESE = /[\u3005\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]+/g;
  var QUERY = 2; // Material's message type for a search query (worker protocol of 9.x)
  var segmenter = null;

  function segment(query) {
    if (!segmenter && window.lunr.TinySegmenter) segmenter = new window.lunr.TinySegmenter();
    if (!segmenter) return query;
    return query
      .replace(JAPANESE, function (run) { return " " + segmenter.segment(run).join(" ") + " "; })
      .replace(/\s+/g, " ")
      .trim();
  }

  if (typeof Worker === "undefined") return;
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      arguments[0] = { type: QUERY, data: segment(message.data) };
    }
    return post.apply(this, arguments);
  };
})();
