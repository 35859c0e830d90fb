// Admin settings: the process template stage editor. Without JavaScript the same form works
// with the Position fields and the "Add a stage" button posting back; this only makes it quicker.
(function () {
  "use strict";

  function rows(container) {
    return Array.prototype.slice.call(container.querySelectorAll("[data-stage-row]"));
  }

  // Positions follow the order on screen; legends say "Stage 1", "Stage 2", ...
  function renumber(container) {
    rows(container).forEach(function (row, index) {
      var legend = row.querySelector("[data-stage-legend]");
      if (legend) legend.textContent = "Stage " + (index + 1);
      var position = row.querySelector('input[name$="-ORDER"]');
      if (position) position.value = index + 1;
    });
  }

  function showJsOnly(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-js-only]"), function (element) {
      element.hidden = false;
    });
  }

  function move(container, button) {
    var row = button.closest("[data-stage-row]");
    var step = parseInt(button.getAttribute("data-move"), 10);
    if (step < 0 && row.previousElementSibling) {
      container.insertBefore(row, row.previousElementSibling);
    } else if (step > 0 && row.nextElementSibling) {
      container.insertBefore(row.nextElementSibling, row);
    }
    renumber(container);
    button.focus();
  }

  function addRow(container) {
    var prefix = container.getAttribute("data-prefix");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var index = parseInt(total.value, 10);
    var html = document.getElementById("stage-template").innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = container.lastElementChild;
    showJsOnly(row);
    renumber(container);
    row.querySelector('input[name$="-name"]').focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.querySelector("[data-stage-rows]");
    if (!container) return;
    showJsOnly(container);
    container.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (button) move(container, button);
    });
    var add = document.querySelector("[data-add-stage]");
    if (add) {
      add.addEventListener("click", function (event) {
        event.preventDefault();
        addRow(container);
      });
    }
  });
})();
