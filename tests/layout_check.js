/* The layout check of tests/test_layout.py: runs in the page, returns every problem found as
 * text (page and viewport are added by the test). Boxes are in CSS pixels of the viewport, each
 * clipped by the ancestors that clip it (a scroll region, overflow: hidden), so what a region
 * hides is neither "sticking out" nor "overlapping". */
() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const doc = document.scrollingElement;
  if (doc.scrollWidth > doc.clientWidth) {
    problems.push(`the document scrolls sideways: ${doc.scrollWidth} px wide in ${doc.clientWidth} px`);
  }
  const describe = (e) => {
    const text = (e.getAttribute("aria-label") || e.textContent || e.value || e.title || "")
      .replace(/\s+/g, " ").trim().slice(0, 60);
    const cls = typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\s+/).join(".") : "";
    return `<${e.tagName.toLowerCase()}${cls}> "${text}"`;
  };
  const visible = (e) => e.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  // The part of the viewport each element may paint in: its ancestors' clip boxes intersected.
  const clips = new Map();
  const clipOf = (e) => {
    const parent = e.parentElement;
    if (!parent || parent === document.documentElement) return { l: -Infinity, r: Infinity, t: -Infinity, b: Infinity };
    if (clips.has(parent)) return clips.get(parent);
    const outer = clipOf(parent);
    const style = getComputedStyle(parent);
    let clip = outer;
    if (style.position === "fixed") clip = { l: -Infinity, r: Infinity, t: -Infinity, b: Infinity };
    if (style.overflowX !== "visible" || style.overflowY !== "visible") {
      const box = parent.getBoundingClientRect();
      clip = {
        l: style.overflowX !== "visible" ? Math.max(clip.l, box.left) : clip.l,
        r: style.overflowX !== "visible" ? Math.min(clip.r, box.right) : clip.r,
        t: style.overflowY !== "visible" ? Math.max(clip.t, box.top) : clip.t,
        b: style.overflowY !== "visible" ? Math.min(clip.b, box.bottom) : clip.b,
      };
    }
    clips.set(parent, clip);
    return clip;
  };
  const cut = (rect, clip) => {
    const box = {
      l: Math.max(rect.left, clip.l), r: Math.min(rect.right, clip.r),
      t: Math.max(rect.top, clip.t), b: Math.min(rect.bottom, clip.b),
    };
    return box.r - box.l >= 2 && box.b - box.t >= 2 ? box : null;
  };
  const regions = [...document.querySelectorAll(".md-header, .md-tabs, .md-content, .md-footer")];

  // Nothing sticks out of the viewport (only the outermost offender of a subtree is named).
  const out = [];
  for (const region of regions) {
    for (const e of [region, ...region.querySelectorAll("*")]) {
      if (out.some((o) => o.contains(e)) || !visible(e)) continue;
      const rect = e.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1) continue; // visually hidden text
      const box = cut(rect, clipOf(e));
      if (box && (box.r > width + 1 || box.l < -1)) {
        out.push(e);
        problems.push(`sticks out of the ${width} px viewport (${Math.round(box.l)}..${Math.round(box.r)} px): ${describe(e)}`);
      }
    }
  }

  // Nothing is cut off sideways by a box that cannot scroll (overflow-x hidden or clip): a wide
  // table, a long word or a row of buttons must wrap, or scroll inside its own region.
  const boxes = new Map();
  const ownBox = (a) => {
    if (!boxes.has(a)) {
      const x = getComputedStyle(a).overflowX;
      boxes.set(a, x === "visible" ? null : { x, rect: a.getBoundingClientRect() });
    }
    return boxes.get(a);
  };
  const cutOff = [];
  for (const region of regions) {
    for (const e of region.querySelectorAll("*")) {
      if (cutOff.some((o) => o.contains(e)) || !visible(e)) continue;
      const rect = e.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1) continue;
      let [l, r] = [rect.left, rect.right];
      for (let a = e.parentElement; a && a !== document.body && r - l > 1; a = a.parentElement) {
        const own = ownBox(a);
        if (!own) continue;
        if ((own.x === "hidden" || own.x === "clip") && (r > own.rect.right + 1 || l < own.rect.left - 1)) {
          cutOff.push(e);
          problems.push(`cut off at ${Math.round(own.rect.width)} px without a scroll bar: ${describe(e)} in ${describe(a)}`);
          break;
        }
        [l, r] = [Math.max(l, own.rect.left), Math.min(r, own.rect.right)];
      }
    }
  }

  // No word of running text is split across two lines (a column too narrow to read): runs of
  // four Latin letters or more, in words that are not addresses (a URL may break anywhere).
  const walker = document.createTreeWalker(document.querySelector(".md-content") || document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const split = new Map();
  const squeezed = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("pre, code")) continue;
    range.selectNodeContents(node);
    const lines = range.getClientRects().length;
    if (lines < 2 || !visible(parent)) continue; // one line: nothing split
    // Text that breaks anywhere (Japanese) is not split, but squeezed: two characters a line.
    const length = node.data.replace(/\s/g, "").length;
    if (lines >= 3 && length / lines <= 2 && getComputedStyle(parent).writingMode.startsWith("horizontal")) {
      squeezed.add(parent.closest("td, th, li, p, div") || parent);
    }
    if (!/[A-Za-z]{4}/.test(node.data)) continue;
    for (const token of node.data.matchAll(/\S+/g)) {
      if (/[\/.@:_=?&#]\w/.test(token[0])) continue;
      for (const word of token[0].matchAll(/[A-Za-z\u00C0-\u024F]{4,}/g)) {
        const start = token.index + word.index;
        range.setStart(node, start);
        range.setEnd(node, start + word[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
        if (lines.size < 2) continue;
        const cell = parent.closest("td, th, li, p, div") || parent;
        if (!split.has(cell)) split.set(cell, []);
        split.get(cell).push(word[0]);
      }
    }
  }
  for (const [cell, words] of split) {
    problems.push(`words split across lines (${words.slice(0, 3).join(", ")}): ${describe(cell)}`);
  }
  for (const cell of squeezed) problems.push(`text squeezed to two characters a line: ${describe(cell)}`);

  // No text is upside down: turned half a turn, horizontal text is; so are upright glyphs
  // (Japanese) in vertical text, which only Latin letters, laid sideways, read well turned.
  for (const e of document.querySelectorAll(".md-content *")) {
    const style = getComputedStyle(e);
    if (style.transform === "none" || !e.textContent.trim() || !visible(e)) continue;
    const [a, b] = new DOMMatrixReadOnly(style.transform).toFloat64Array();
    if (Math.abs(Math.abs(Math.atan2(b, a)) - Math.PI) > 0.1) continue;
    const upright = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/.test(e.textContent);
    if (style.writingMode.startsWith("horizontal") || upright) problems.push(`text upside down: ${describe(e)}`);
  }

  // No two links, controls or headings overlap (an element and one inside it do not count).
  const items = [];
  for (const region of regions) {
    for (const e of region.querySelectorAll("a, button, label, summary, input, select, textarea, h1, h2, h3, h4, h5, h6")) {
      if (!visible(e)) continue;
      const clip = clipOf(e);
      const boxes = [...e.getClientRects()].map((r) => cut(r, clip)).filter(Boolean);
      if (boxes.length) items.push({ e, boxes });
    }
  }
  // An icon or a clear button drawn inside a text field is part of the field.
  const inside = (a, b) => a.l >= b.l - 1 && a.r <= b.r + 1 && a.t >= b.t - 1 && a.b <= b.b + 1;
  const inField = (field, other) =>
    field.e.matches("input:not([type=checkbox], [type=radio])") &&
    other.boxes.every((a) => field.boxes.some((b) => inside(a, b)));
  const hit = (a, b) => Math.min(a.r, b.r) - Math.max(a.l, b.l) > 2 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 2;
  // Sweep down the page: only items whose vertical extents meet can overlap.
  for (const item of items) {
    item.t = Math.min(...item.boxes.map((a) => a.t));
    item.b = Math.max(...item.boxes.map((a) => a.b));
  }
  items.sort((p, q) => p.t - q.t);
  for (let i = 0; i < items.length; i++) {
    const p = items[i];
    for (let j = i + 1; j < items.length && items[j].t < p.b; j++) {
      const q = items[j];
      if (p.e.contains(q.e) || q.e.contains(p.e)) continue;
      if (p.e.tagName === "LABEL" && p.e.control === q.e) continue;
      if (q.e.tagName === "LABEL" && q.e.control === p.e) continue;
      if (inField(p, q) || inField(q, p)) continue;
      if (p.boxes.some((a) => q.boxes.some((b) => hit(a, b)))) {
        problems.push(`overlap: ${describe(p.e)} and ${describe(q.e)}`);
      }
    }
  }
  return problems;
}
