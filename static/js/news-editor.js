// Live preview of the press-release editor. The server renders and sanitises the Markdown
// (the same code as the public page), so the preview shows exactly what will be published.
// The status texts come translated from the page (data-text-* of #vorschau-status).
(function () {
  "use strict";
  var form = document.querySelector("[data-news-editor]");
  if (!form) { return; }
  var source = form.querySelector("[data-news-preview-source]");
  var target = document.getElementById("vorschau");
  var status = document.getElementById("vorschau-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!source || !target || !csrf) { return; }
  var timer = null;
  var sequence = 0;

  function render() {
    var mine = ++sequence;
    var body = new FormData();
    body.append("body", source.value);
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf.value, "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      if (mine !== sequence) { return; }
      // Sanitised HTML from our own endpoint (Markdown + nh3 allow-list).
      target.innerHTML = data.html;
      status.textContent = status.dataset.textUpdated;
    }).catch(function () {
      status.textContent = status.dataset.textUnavailable;
    });
  }

  source.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(render, 400);
  });
  if (source.value) { render(); }
})();
