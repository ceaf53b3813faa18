// Counts down the speaker's remaining time between updates from the
// server. The page is right without it: the server writes the time left
// when it renders, and the page refreshes itself.
(function () {
  "use strict";
  function text(s) {
    var a = Math.abs(s), t = Math.floor(a / 60) + ":" + String(a % 60).padStart(2, "0");
    return s < 0 ? "+" + t + " over" : t;
  }
  function tick() {
    document.querySelectorAll("time.countdown[data-running]").forEach(function (el) {
      if (!el.dataset.base) {
        el.dataset.base = el.dataset.remaining;
        el.dataset.from = String(Date.now());
      }
      var s = Number(el.dataset.base) - Math.floor((Date.now() - Number(el.dataset.from)) / 1000);
      el.textContent = text(s);
      el.classList.toggle("overtime", s < 0);
    });
  }
  setInterval(tick, 1000);
})();
