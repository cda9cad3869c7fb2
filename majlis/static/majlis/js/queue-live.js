// A branch's live feed for the staff console, the supervisor and the hall's board.
// The socket (ws/queue/<authority>/<prefix>/) says *that* something changed; the page then
// fetches its fragment, rendered by Django, and swaps it in. While the socket is down the page
// polls every 10 s and keeps trying to reconnect (1 s, 2 s, 4 s … up to 30 s).
"use strict";

window.majlisQueueLive = function (options) {
  const POLL_MS = 10000;
  const PING_MS = 25000;
  let socket = null;
  let retry = 1000;
  let pollTimer = null;
  let pingTimer = null;
  let pending = null;
  let inFlight = false;

  async function refresh() {
    if (inFlight) {
      schedule();
      return;
    }
    inFlight = true;
    try {
      const response = await fetch(options.url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        cache: "no-store",
      });
      if (response.redirected || !response.ok) {
        // Signed out or the shift ended elsewhere: the full page knows what to show.
        if (options.reloadOnError !== false) window.location.reload();
        return;
      }
      const data = await response.json();
      const holder = document.createElement("div");
      holder.innerHTML = data.html; // rendered and escaped by Django's templates
      const fresh = holder.firstElementChild;
      if (fresh) options.apply(fresh);
    } catch (error) {
      // Network down: the next poll or message tries again.
    } finally {
      inFlight = false;
    }
  }

  // Several changes in a burst (a call is a "rm" and a "now" at once) cost one fetch.
  function schedule() {
    if (pending) return;
    pending = window.setTimeout(() => {
      pending = null;
      refresh();
    }, 250);
  }

  function startPolling() {
    if (!pollTimer) pollTimer = window.setInterval(refresh, POLL_MS);
  }

  function stopPolling() {
    if (pollTimer) window.clearInterval(pollTimer);
    pollTimer = null;
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    try {
      socket = new WebSocket(`${scheme}//${window.location.host}${options.socket}`);
    } catch (error) {
      startPolling();
      return;
    }
    socket.addEventListener("open", () => {
      retry = 1000;
      stopPolling();
      refresh(); // whatever happened while we were away
      pingTimer = window.setInterval(() => socket.readyState === 1 && socket.send("ping"), PING_MS);
    });
    socket.addEventListener("message", (event) => {
      if (event.data === "pong") return;
      let message = null;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (options.onMessage) options.onMessage(message);
      schedule();
    });
    socket.addEventListener("close", () => {
      if (pingTimer) window.clearInterval(pingTimer);
      startPolling();
      window.setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  startPolling();
  connect();
  return { refresh };
};
