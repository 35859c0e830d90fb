// The job-posting section of the admin LinkedIn tab. No inline scripts: CSP forbids them.
(function () {
  "use strict";

  // "Build now": one press is enough; say so while the request is on its way.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-linkedin-build]") || event.defaultPrevented) return;
    var button = form.querySelector("button[type=submit]");
    if (!button) return;
    window.setTimeout(function () {
      button.disabled = true;
      button.textContent = "Building…";
    }, 0);
  });

  // The feed URL field selects itself on focus, ready to copy by keyboard.
  document.addEventListener("focusin", function (event) {
    if (event.target.id === "linkedin-feed-url") event.target.select();
  });
})();
