// The supervisor's figures follow the branch's feed (re-fetched after every change).
"use strict";

(function () {
  const root = document.getElementById("figures-live");
  if (!root || !window.majlisQueueLive) return;
  window.majlisQueueLive({
    url: root.dataset.liveUrl,
    socket: root.dataset.socket,
    apply(fresh) {
      root.replaceChildren(fresh);
    },
  });
})();
