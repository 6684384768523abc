// Background export: while the job runs, look at the page's status now and then and reload
// once it is done or failed (then the download link or the error shows). Without JavaScript
// the page has a link to refresh it by hand.
(function () {
  "use strict";
  var box = document.getElementById("export-auftrag");
  if (!box) { return; }
  var pending = ["queued", "running"];
  var delay = 1000;

  function check() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("export-auftrag");
        if (!fresh) { return; } // e.g. logged out meanwhile: stop, the link still works
        if (pending.indexOf(fresh.dataset.exportStatus) === -1) {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.5, 10000);
        window.setTimeout(check, delay);
      })
      .catch(function () { window.setTimeout(check, 10000); });
  }
  window.setTimeout(check, delay);
})();
