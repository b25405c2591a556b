// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  // Move focus to the error summary so screen-reader and keyboard users hear the errors first (docs/quality.md A3).
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // Confirm buttons that carry data-confirm (no inline handlers: the CSP forbids them).
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
