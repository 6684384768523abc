// Contact list: "select all on this page" for the bulk actions.
(function () {
  "use strict";
  var all = document.getElementById("auswahl-alle");
  if (!all) {
    return;
  }
  var boxes = document.querySelectorAll("input[name='contacts']");
  all.addEventListener("change", function () {
    boxes.forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
