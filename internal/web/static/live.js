// Says whether a live part of the page is following the meeting: each
// element that holds an event stream (sse-connect) gets data-live="open"
// while its stream is open and "reconnecting" while it is not, and a line
// that says so to people and, when it changes, to screen readers. Without
// this script the page still reads; it does not follow events without
// scripts anyway.
(function () {
  "use strict";
  function state(el, live) {
    el.dataset.live = live;
    var p = el.querySelector(":scope > .live-state");
    if (!p) {
      p = document.createElement("p");
      p.className = "live-state";
      p.setAttribute("role", "status");
      var first = el.firstElementChild;
      if (first && /^H[1-6]$/.test(first.tagName)) {
        first.after(p);
      } else {
        el.prepend(p);
      }
    }
    var text = live === "open" ? "Live: this part follows the record as it changes." : "Connection lost: reconnecting…";
    if (p.textContent !== text) {
      p.textContent = text;
    }
    p.classList.toggle("lost", live !== "open");
  }
  document.addEventListener("htmx:sseOpen", function (e) {
    if (e.target instanceof Element) state(e.target, "open");
  });
  document.addEventListener("htmx:sseError", function (e) {
    if (e.target instanceof Element) state(e.target, "reconnecting");
  });
})();
