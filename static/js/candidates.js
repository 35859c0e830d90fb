// Candidate page behaviours. Everything here is an enhancement: the pages work without it.
(function () {
  "use strict";

  // Feedback forms: "Add a rating row" clones the formset's empty row and bumps TOTAL_FORMS.
  function addRatingRow(fieldset) {
    var total = fieldset.querySelector("input[name$='-TOTAL_FORMS']");
    var max = fieldset.querySelector("input[name$='-MAX_NUM_FORMS']");
    var template = fieldset.querySelector("template");
    var count = parseInt(total.value, 10);
    if (max && count >= parseInt(max.value, 10)) return;
    var html = template.innerHTML
      .replace(/__prefix__/g, String(count))
      .replace(/__number__/g, String(count + 1));
    var body = fieldset.querySelector("tbody");
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(count + 1);
    var added = body.lastElementChild.querySelector("input");
    if (added) added.focus();
    if (max && count + 1 >= parseInt(max.value, 10)) {
      fieldset.querySelector("[data-add-rating-row]").hidden = true;
    }
  }

  function init() {
    document.querySelectorAll("[data-rating-rows]").forEach(function (fieldset) {
      var button = fieldset.querySelector("[data-add-rating-row]");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () { addRatingRow(fieldset); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
