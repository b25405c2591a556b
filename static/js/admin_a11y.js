// Back office accessibility fixes for markup that Django's admin JavaScript builds (docs/quality.md A2).
(function () {
  "use strict";
  // SelectFilter2 (filter_horizontal) puts aria-label on a bare <span>, which ARIA prohibits
  // (axe aria-prohibited-attr); as an image the icon may carry its name.
  function fix() {
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (el) {
      el.setAttribute("role", "img");
    });
  }
  new MutationObserver(fix).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", fix);
})();
