// The career site's apply form, progressively enhanced: the server checks everything again.
(function () {
  "use strict";

  function formatSize(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1).replace(/\.0$/, "") + " MB" : bytes + " bytes";
  }

  // Warn at once about a file over the size limit, before it is uploaded for nothing.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var file = input.files && input.files[0];
    if (file && limit && file.size > limit) {
      input.setCustomValidity("The file is larger than " + formatSize(limit) + ".");
      input.reportValidity();
    } else {
      input.setCustomValidity("");
    }
  });

  // One click sends one application: the button is disabled while the upload runs.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-apply-form")) return;
    var button = form.querySelector("button[type=submit]");
    if (!button) return;
    if (button.disabled) {
      event.preventDefault();
      return;
    }
    button.disabled = true;
    button.setAttribute("data-label", button.textContent);
    button.textContent = button.getAttribute("data-sending-text") || button.textContent;
  });

  // Back from the browser's cache after a submit: the button works again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-apply-form] button[type=submit]").forEach(function (button) {
      button.disabled = false;
      if (button.hasAttribute("data-label")) button.textContent = button.getAttribute("data-label");
    });
  });
})();
