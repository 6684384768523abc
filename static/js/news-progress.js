// Live progress of a press mailing: polls the status endpoint until everything is done.
// The summary sentence comes translated from the server.
(function () {
  "use strict";
  var box = document.querySelector("[data-news-progress]");
  if (!box) { return; }
  var summary = document.getElementById("versand-zusammenfassung");
  var bar = document.getElementById("versand-balken");

  function update(data) {
    summary.textContent = data.summary;
    bar.max = data.total;
    bar.value = data.finished;
    Object.keys(data.counts).forEach(function (key) {
      var cell = box.querySelector('[data-count="' + key + '"]');
      if (cell) { cell.textContent = String(data.counts[key]); }
    });
    data.deliveries.forEach(function (row) {
      var tr = document.querySelector('[data-delivery="' + row.id + '"]');
      if (!tr) { return; }
      tr.querySelector('[data-field="label"]').textContent = row.label;
      tr.querySelector('[data-field="error"]').textContent = row.error;
    });
    return data.done;
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) { if (!update(data)) { window.setTimeout(poll, 2000); } })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 1000);
})();
