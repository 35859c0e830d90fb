// Small behaviours shared by every page. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // After an HTMX swap, move focus to the element the server marked, or the swapped region,
  // so keyboard and screen-reader users land on what changed.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    // An outerHTML swap replaces the target: look in its successor, found by id.
    if (!target.isConnected && target.id) target = document.getElementById(target.id) || target;
    if (!target.isConnected) return;
    // A marked element anywhere wins (an out-of-band swap may come after the one holding it);
    // the live message region is announced, never focused.
    var focus = target.querySelector("[data-focus-after-swap]") ||
      document.querySelector("[data-focus-after-swap]") || target;
    if (focus.id === "messages") return;
    if (!focus.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(focus.tagName)) {
      focus.setAttribute("tabindex", "-1");
    }
    focus.focus({ preventScroll: false });
  });

  // Once the swap has settled (htmx may have restored focus to the previously focused id by
  // then), make sure the marked element holds the focus.
  document.addEventListener("htmx:afterSettle", function () {
    var marked = document.querySelector("[data-focus-after-swap]");
    if (marked && document.activeElement !== marked) marked.focus({ preventScroll: false });
  });

  // Server errors during an HTMX request are announced instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("messages");
    if (!box) return;
    var status = event.detail.xhr.status;
    var text = status === 403 ? "You are not allowed to do that." :
      status === 404 ? "That item no longer exists." : "Something went wrong (" + status + "). Please retry.";
    box.innerHTML = "";
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.textContent = text;
    box.appendChild(alert);
  });

  // <form data-confirm="Question?">: ask before submitting a destructive action.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);

  // <button data-copy="#id">: copy a field's value to the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (field && navigator.clipboard) {
      navigator.clipboard.writeText(field.value || field.textContent);
      button.textContent = "Copied";
    }
  });
})();
