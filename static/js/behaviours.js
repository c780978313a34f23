// Small behaviours for the whole site, in a file because the Content-Security-Policy
// allows no inline handlers. Delegated from the document, so parts loaded by htmx get them.
(function () {
  "use strict";

  // A read-only field of text to copy (a share link, an embed snippet) selects itself.
  document.addEventListener("focusin", function (event) {
    const field = event.target;
    if (field instanceof HTMLElement && field.matches("[data-select-on-focus]")) field.select();
  });
})();
