// Back office accessibility fixes for markup that Django's admin JavaScript builds (QUALITY A2).
(function () {
  "use strict";
  // SelectFilter2 (filter_horizontal) puts aria-label on a bare <span>, which ARIA prohibits
  // (axe aria-prohibited-attr); as an image the icon may carry its name.
  // The search-as-you-type chooser (select2) names its combobox after the chosen value only, so
  // an empty chooser has no name (axe aria-input-field-name): give it the field's label.
  function nameChoosers() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      var combobox = container && container.querySelector(".select2-selection");
      if (!combobox || combobox.hasAttribute("aria-label")) {
        return;
      }
      var label = select.getAttribute("aria-label");
      if (!label && select.id) {
        var element = document.querySelector('label[for="' + select.id + '"]');
        label = element ? element.textContent.replace(/[:：]\s*$/, "").trim() : "";
      }
      if (label) {
        combobox.setAttribute("aria-label", label);
        var rendered = combobox.querySelector(".select2-selection__rendered");
        if (rendered) {
          rendered.setAttribute("aria-label", label);
        }
      }
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
