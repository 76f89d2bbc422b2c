// Material's search overlay is a role="dialog" without a name (axe: aria-dialog-name);
// give it the label of its own input. The header survives instant navigation, so once is enough.
(function () {
  var dialog = document.querySelector(".md-search[role=dialog]");
  var input = document.querySelector(".md-search__input");
  if (dialog && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
  }
})();
