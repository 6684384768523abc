// Public release page: the "Drucken" button (no inline handlers under our CSP).
(function () {
  "use strict";
  document.querySelectorAll("[data-news-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
