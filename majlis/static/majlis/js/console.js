// The agent's console: the waiting list follows the branch's feed, the call timer runs, and the
// branch chooser of the "open a shift" form shows the branch's desks as soon as it changes.
"use strict";

(function () {
  const chooser = document.querySelector("form[data-autosubmit] select");
  if (chooser) chooser.addEventListener("change", () => chooser.form.submit());

  const timer = document.querySelector("[data-timer-since]");
  if (timer) {
    const since = Date.parse(timer.dataset.timerSince);
    const two = (n) => String(n).padStart(2, "0");
    const tick = () => {
      const seconds = Math.max(0, Math.floor((Date.now() - since) / 1000));
      const hours = Math.floor(seconds / 3600);
      const rest = `${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
      timer.textContent = hours ? `${hours}:${rest}` : rest;
    };
    tick();
    window.setInterval(tick, 1000);
  }

  const root = document.getElementById("console");
  if (!root || !window.majlisQueueLive) return;
  const live = document.getElementById("waiting-live");
  const count = document.getElementById("waiting-count");
  // Something typed and not yet saved is never thrown away by a reload.
  const typing = () =>
    Array.from(root.querySelectorAll("textarea")).some((field) => field.value.trim() !== "");

  window.majlisQueueLive({
    url: root.dataset.liveUrl,
    socket: root.dataset.socket,
    apply(fresh) {
      live.replaceChildren(fresh);
      if (count && count.textContent !== fresh.dataset.countText) {
        count.textContent = fresh.dataset.countText;
      }
      // The citizen started the call, left, or did not answer in time: show the new state.
      if (fresh.dataset.current !== root.dataset.current && !typing()) {
        window.location.reload();
      }
    },
  });
})();
