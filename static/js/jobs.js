// The job pages. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // Closing a job: the "Filled by" choice only matters when the position is filled.
  function syncCloseForm(form) {
    var filled = form.querySelector("input[name=reason][value=filled]");
    var field = form.querySelector("select[name=application]");
    if (!filled || !field) return;
    var group = field.closest(".mb-3") || field;
    group.hidden = !filled.checked;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-close-form]").forEach(function (form) {
      syncCloseForm(form);
      form.addEventListener("change", function () { syncCloseForm(form); });
    });
  });
})();
