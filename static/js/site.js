/* Protokollet: small enhancements every page shares. Everything works without them. */
(function () {
  "use strict";
  // Signing out clears the texts the editor kept in this browser.
  document.querySelectorAll("form[data-logout]").forEach(function (form) {
    form.addEventListener("submit", function () {
      try {
        Object.keys(localStorage)
          .filter(function (key) { return key.indexOf("protokollet:") === 0; })
          .forEach(function (key) { localStorage.removeItem(key); });
      } catch (e) { /* storage unavailable: nothing kept */ }
    });
  });
  // Destructive buttons ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
})();
