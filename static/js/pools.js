// Candidate lists with checkboxes (search results, a pool's members): "select all on this page".
// Without JavaScript the header box stays hidden and each row is ticked by hand.
(function () {
  "use strict";

  function boxesOf(master) {
    var form = master.closest("form");
    return form ? Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="candidates"]')) : [];
  }

  function syncMaster(master) {
    var boxes = boxesOf(master);
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    master.checked = boxes.length > 0 && ticked === boxes.length;
    master.indeterminate = ticked > 0 && ticked < boxes.length;
  }

  function init(root) {
    root.querySelectorAll("[data-select-all]").forEach(function (master) {
      master.hidden = false;
      syncMaster(master);
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-select-all]")) {
      boxesOf(target).forEach(function (box) { box.checked = target.checked; });
      return;
    }
    if (target.matches('input[name="candidates"]')) {
      var form = target.closest("form");
      var master = form && form.querySelector("[data-select-all]");
      if (master) syncMaster(master);
    }
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // Search results are swapped in by HTMX.
  document.addEventListener("htmx:afterSettle", function (event) { init(event.detail.elt); });
})();
