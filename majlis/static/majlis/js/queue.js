// The waiting page: keeps "people ahead", the expected wait and "now serving" live.
//
// The branch socket carries one message per change: a version and which places moved. The page
// keeps its own count of people ahead and applies each change in order. A missed version, a
// change to its own ticket, a reconnect, the phone waking up or a network change all lead to a
// resync from the ticket's status endpoint (which answers at a version). When sockets are
// blocked, the page polls that endpoint instead.
(function () {
  "use strict";
  const root = document.getElementById("queue-page");
  if (!root) return;
  const statusUrl = root.dataset.statusUrl;
  const socketPath = root.dataset.socketPath;
  const lang = document.documentElement.lang || "ar";
  const plural = new Intl.PluralRules(lang);
  // Western digits, as everywhere else on the site (and in the guide: "20 دقيقة").
  const numbers = new Intl.NumberFormat("en");
  const minutesForms = JSON.parse(document.getElementById("queue-minutes").textContent);
  const aheadForms = JSON.parse(document.getElementById("queue-ahead").textContent);
  const noAgentText = root.querySelector("[data-no-agent-text]").textContent;
  let state = JSON.parse(document.getElementById("queue-snapshot").textContent);
  let socket = null;
  let failures = 0;
  let pollTimer = null;
  let buffered = [];

  function field(name) {
    return root.querySelector('[data-field="' + name + '"]');
  }

  // Live regions announce every write, so write only what changed.
  function put(el, text) {
    if (el && el.textContent !== text) el.textContent = text;
  }

  function say(forms, n) {
    const text = forms[plural.select(n)] || forms.other;
    return text.replace("{n}", numbers.format(n));
  }

  function predictedWait() {
    const table = state.eta;
    if (!table || !table.length) return null;
    const k = state.ahead;
    let seconds;
    if (k < table.length) {
      seconds = table[k];
    } else {
      const last = table[table.length - 1];
      const step = table.length > 1 ? last - table[table.length - 2] : last;
      seconds = last + step * (k - table.length + 1);
    }
    // The estimate was made at `at`; time spent waiting since then counts down from it.
    const elapsed = Date.now() / 1000 - state.at;
    return Math.max(seconds - elapsed, 0);
  }

  function render() {
    for (const el of root.querySelectorAll("[data-when]")) {
      el.hidden = !el.dataset.when.split(" ").includes(state.status);
    }
    root.dataset.status = state.status;
    const wait = predictedWait();
    put(field("eta"), wait === null ? noAgentText
      : say(minutesForms, Math.max(1, Math.round(wait / 60))));
    put(field("ahead"), say(aheadForms, state.ahead));
    put(field("now"), state.now || "—");
    put(field("counter"), state.counter || "");
  }

  function announceCall() {
    try {
      const audio = new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.35].forEach(function (offset, i) {
        const tone = audio.createOscillator();
        const gain = audio.createGain();
        tone.frequency.value = i ? 660 : 880;
        gain.gain.setValueAtTime(0.2, audio.currentTime + offset);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + offset + 0.3);
        tone.connect(gain).connect(audio.destination);
        tone.start(audio.currentTime + offset);
        tone.stop(audio.currentTime + offset + 0.3);
      });
    } catch (e) { /* no sound available: the visual alert stays */ }
    if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
    const alert = root.querySelector(".queue-called");
    if (alert) alert.focus();
  }

  function adopt(snapshot) {
    const wasCalled = state.status === "called";
    state = snapshot;
    buffered = [];
    render();
    if (state.status === "called" && !wasCalled) announceCall();
    if (state.status === "called") root.dataset.calledAt = String(Date.now() / 1000);
  }

  let syncing = null;
  function resync() {
    if (syncing) return syncing;
    syncing = fetch(statusUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 404) { window.location.reload(); return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (snapshot) { if (snapshot) adopt(snapshot); })
      .catch(function () { /* offline: the next event or poll tries again */ })
      .finally(function () { syncing = null; });
    return syncing;
  }

  function apply(message) {
    let mine = false;
    const service = state.service;
    for (const [op, svc, key] of message.ops || []) {
      if (svc !== service) continue;
      if (key === state.key) { mine = true; continue; }
      if (key < state.key && state.status === "waiting") state.ahead += op === "rm" ? -1 : 1;
    }
    if (message.now && message.now[service] !== undefined) state.now = message.now[service];
    if (message.eta && message.eta[service] !== undefined) {
      state.eta = message.eta[service];
      state.at = message.at;
    }
    state.v = message.v;
    state.ahead = Math.max(state.ahead, 0);
    if (mine) { resync(); return; }
    render();
  }

  function onMessage(text) {
    if (text === "pong") return;
    let message;
    try { message = JSON.parse(text); } catch (e) { return; }
    if (message.v === undefined) {
      // A plain join, published without a version: it lands behind everyone already waiting.
      // Only one placed ahead of this page (clocks of two app hosts a hair apart) moves it.
      for (const [, svc, key] of message.ops || []) {
        if (svc === state.service && key < state.key && state.status === "waiting") resync();
      }
      return;
    }
    if (message.v <= state.v) return;
    buffered.push(message);
    buffered.sort(function (a, b) { return a.v - b.v; });
    while (buffered.length && buffered[0].v <= state.v + 1) {
      const next = buffered.shift();
      if (next.v === state.v + 1) apply(next);
    }
    // Messages from several app hosts may cross on the way; wait briefly for a missing one.
    if (buffered.length) setTimeout(function () { if (buffered.length) resync(); }, 400);
  }

  function poll() {
    if (pollTimer) return;
    pollTimer = setInterval(resync, 10000);
  }

  function setConnected(on) {
    root.querySelector('[data-connection="on"]').hidden = !on;
    root.querySelector('[data-connection="off"]').hidden = on;
  }

  function connect() {
    if (!("WebSocket" in window)) { poll(); return; }
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + socketPath);
    socket.onopen = function () {
      failures = 0;
      setConnected(true);
      if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
      resync();  // whatever happened while we were away
    };
    socket.onmessage = function (event) { onMessage(event.data); };
    socket.onclose = function () {
      socket = null;
      failures += 1;
      setConnected(false);
      if (failures >= 3) poll();  // sockets blocked here: fall back to asking
      setTimeout(connect, Math.min(1000 * 2 ** failures, 30000) * (0.5 + Math.random()));
    };
  }

  function graceTick() {
    const el = field("grace");
    if (!el || state.status !== "called") return;
    const grace = Number(root.dataset.grace || 0);
    const calledAt = Number(root.dataset.calledAt || 0) ||
      (Date.parse(root.dataset.calledAt || "") / 1000) || Date.now() / 1000;
    const left = Math.max(0, Math.round(grace - (Date.now() / 1000 - calledAt)));
    el.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
  }

  const final = ["done", "cancelled", "no_show", "transferred"];
  if (!final.includes(state.status)) {
    connect();
    setInterval(function () {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send("ping");
    }, 25000);
    setInterval(function () { render(); graceTick(); }, 1000);
    setInterval(resync, 60000);  // the estimate moves with time even when nothing happens
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        if (!socket) connect(); else resync();
      }
    });
    window.addEventListener("online", function () { if (!socket) connect(); else resync(); });
  }
  render();
})();
