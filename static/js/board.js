// The pipeline board: keyboard shortcuts and drag and drop. Both only fill in and submit the
// card's own "Move to" form, so a move takes the same server path as without JavaScript and the
// server's answer (the re-rendered board, the announcement, the focus) is the same too.
(function () {
  "use strict";

  function announce(text) {
    var box = document.getElementById("messages");
    if (!box) return;
    box.innerHTML = "";
    var note = document.createElement("div");
    note.className = "alert alert-info";
    note.textContent = text;
    box.appendChild(note);
  }

  function columns() {
    return Array.prototype.slice.call(document.querySelectorAll("#board-region .board-column"));
  }

  // Submit the card's move form towards a stage; false when the card cannot go there.
  function moveCard(card, stageId) {
    var form = card.querySelector("form.board-move");
    if (!form) {
      announce("Only active applications can be moved.");
      return false;
    }
    var select = form.querySelector("select[name=stage]");
    select.value = String(stageId);
    if (select.value !== String(stageId)) return false;
    // htmx takes over new content only when it settles, some milliseconds after the swap that
    // already gave the card the focus: a key pressed in between would submit the form natively
    // (a full page load that loses the focus). Let htmx take the form now (it does so once).
    if (window.htmx) window.htmx.process(form);
    form.requestSubmit();
    return true;
  }

  function stepOf(event) {
    if (event.ctrlKey || event.metaKey) return 0;
    if (event.key === "]" || (event.altKey && event.key === "ArrowRight")) return 1;
    if (event.key === "[" || (event.altKey && event.key === "ArrowLeft")) return -1;
    return 0;
  }

  function moveByKeyboard(card, step) {
    var list = columns();
    var here = list.findIndex(function (column) { return column.dataset.stage === card.dataset.stage; });
    var target = list[here + step];
    if (here < 0 || !target) {
      announce(step > 0 ? "This card is already in the last stage." : "This card is already in the first stage.");
      return;
    }
    moveCard(card, target.dataset.stage);
  }

  function focusSibling(card, forward) {
    var cards = Array.prototype.slice.call(card.parentElement.querySelectorAll(".board-card"));
    var next = cards[cards.indexOf(card) + (forward ? 1 : -1)];
    if (next) next.focus();
  }

  // Shortcuts act on a focused card itself, never while typing in one of its fields.
  document.addEventListener("keydown", function (event) {
    var card = event.target;
    if (!card.classList || !card.classList.contains("board-card")) return;
    var step = stepOf(event);
    if (step) {
      event.preventDefault();
      moveByKeyboard(card, step);
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !event.altKey) {
      event.preventDefault();
      focusSibling(card, event.key === "ArrowDown");
    }
  });

  function enableDragAndDrop(root) {
    if (typeof Sortable === "undefined" || !root.querySelectorAll) return;
    root.querySelectorAll(".board-cards").forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "on";
      Sortable.create(list, {
        group: "board",
        sort: false,
        draggable: ".board-card[data-movable]",
        filter: "input, select, button, a, label",
        preventOnFilter: false,
        ghostClass: "board-card-ghost",
        onEnd: function (event) {
          if (event.from === event.to) return;
          var column = event.to.closest(".board-column");
          if (!moveCard(event.item, column.dataset.stage)) {
            event.from.insertBefore(event.item, event.from.children[event.oldIndex] || null);
          }
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enableDragAndDrop(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enableDragAndDrop(event.detail.elt);
  });

  // A form re-rendered with errors: focus its first invalid field rather than the form's box.
  document.addEventListener("htmx:afterSwap", function (event) {
    var invalid = event.detail.target.querySelector("[aria-invalid=true]");
    if (invalid) invalid.focus();
  });

  // attract.js has focused the marked element by now: clear the marks so that the next swap
  // into the same list (a "Show more") does not find a stale one first.
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("#board-region [data-focus-after-swap]").forEach(function (element) {
      element.removeAttribute("data-focus-after-swap");
    });
  });

  // "Cancel" in a form loaded beside the board closes it and returns to the card.
  document.addEventListener("click", function (event) {
    var cancel = event.target.closest && event.target.closest("[data-board-cancel]");
    var dialog = document.getElementById("board-dialog");
    if (!cancel || !dialog || !dialog.contains(cancel)) return;
    event.preventDefault();
    dialog.innerHTML = "";
    var card = document.getElementById(cancel.getAttribute("data-board-cancel"));
    if (card) card.focus();
  });
})();
