// Back office accessibility fixes for markup that Django's admin JavaScript builds (docs/quality.md A2).
(function () {
  "use strict";
  // SelectFilter2 (filter_horizontal) puts aria-label on a bare <span>, which ARIA prohibits
  // (axe aria-prohibited-attr); as an image the icon may carry its name.
  // The search-as-you-type chooser (select2) names its combobox after the chosen value only, so
  // an empty chooser has no name (axe aria-input-field-name): give it the field's label.
  function nameChoosers() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) {
        return;
      }
      var label = select.getAttribute("aria-label");
      if (!label && select.id) {
        var element = document.querySelector('label[for="' + select.id + '"]');
        label = element ? element.textContent.replace(/[:：]\s*$/, "").trim() : "";
      }
      if (!label) {
        return;
      }
      // Several values: the list of chosen values also holds the "clear" cross (axe list).
      container.querySelectorAll("ul.select2-selection__rendered > :not(li)").forEach(function (el) {
        el.setAttribute("role", "listitem");
      });
      // The combobox, its rendered value and (for several values) the inline search field.
      container
        .querySelectorAll(".select2-selection, .select2-selection__rendered, .select2-search__field")
        .forEach(function (el) {
          if (!el.hasAttribute("aria-label")) {
            el.setAttribute("aria-label", label);
          }
        });
    });
  }
  function fix() {
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (el) {
      el.setAttribute("role", "img");
    });
    nameChoosers();
  }
  new MutationObserver(fix).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", fix);
})();
