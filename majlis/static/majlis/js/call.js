// The video call, for both sides (data-role="citizen" or "agent" on [data-call]).
//
// The page's config URL says whether the call is live and gives the signalling socket, the ICE
// servers (STUN, TURN with short-lived credentials) and the seconds left. Both browsers join the
// socket; when both are there the agent's browser makes the offer, the citizen's answers, and ICE
// candidates cross the socket. The server keeps the clock: it sends the 5- and 1-minute warnings
// and "ended". The socket reconnects by itself; a changed network triggers an ICE restart.
// Every text shown comes from the page ([data-call-texts]), translated by Django.
"use strict";

(function () {
  const root = document.querySelector("[data-call]");
  if (!root) return;
  const role = root.dataset.role;
  const isAgent = role === "agent";
  const find = (name) => root.querySelector(`[data-call-${name}]`);
  const text = (key) => {
    const el = root.querySelector(`[data-call-texts] [data-text="${key}"]`);
    return el ? el.textContent.trim() : "";
  };
  const statusEl = find("status");
  const timerEl = find("timer");
  const warningEl = find("warning");
  const mediaErrorEl = find("media-error");
  const remoteVideo = find("remote");
  const localVideo = find("local");
  const muteButton = find("mute");
  const cameraButton = find("camera");

  let config = null;
  let socket = null;
  let pc = null;
  let localStream = null;
  let mediaTried = false;
  let pendingCandidates = [];
  let deadline = null; // performance.now() at which the call ends, from the server's seconds left
  let ended = false;
  let replaced = false;
  let retries = 0;
  let pingTimer = null;

  const setStatus = (key) => {
    const value = text(key);
    if (statusEl.textContent !== value) statusEl.textContent = value;
    root.dataset.status = key;
  };

  // --- the clock (shown here, enforced by the server) ------------------------------------------
  const two = (n) => String(n).padStart(2, "0");
  const tick = () => {
    if (deadline !== null) {
      const left = Math.max(0, Math.round((deadline - performance.now()) / 1000));
      timerEl.textContent = `${two(Math.floor(left / 60))}:${two(left % 60)}`;
    }
    if (!ended) window.setTimeout(tick, 1000);
  };
  const setRemaining = (seconds) => {
    if (typeof seconds === "number") deadline = performance.now() + seconds * 1000;
  };

  // --- camera and microphone -------------------------------------------------------------------
  const showMediaError = (error) => {
    const key = error && (error.name === "NotAllowedError" || error.name === "NotFoundError")
      ? error.name : "media_other";
    mediaErrorEl.textContent = text(key);
    mediaErrorEl.hidden = false;
    root.dataset.mediaError = key;
  };
  const getMedia = async () => {
    if (mediaTried) return;
    mediaTried = true;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      showMediaError(null);
      return;
    }
    try {
      localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    } catch (error) {
      if (error.name === "NotFoundError") {
        // No camera: the microphone alone still makes a call.
        try {
          localStream = await navigator.mediaDevices.getUserMedia({ audio: true });
        } catch (_) { /* neither: receive only */ }
      }
      showMediaError(error);
    }
    if (localStream) localVideo.srcObject = localStream;
    muteButton.disabled = !(localStream && localStream.getAudioTracks().length);
    cameraButton.disabled = !(localStream && localStream.getVideoTracks().length);
  };
  const toggle = (button, kind, onKey, offKey) => {
    if (!localStream) return;
    const off = button.getAttribute("aria-pressed") !== "true";
    for (const track of localStream.getTracks()) {
      if (track.kind === kind) track.enabled = !off;
    }
    button.setAttribute("aria-pressed", String(off));
    button.textContent = text(off ? offKey : onKey);
  };
  muteButton.addEventListener("click", () => toggle(muteButton, "audio", "mute", "unmute"));
  cameraButton.addEventListener("click", () =>
    toggle(cameraButton, "video", "camera_off", "camera_on"));

  // --- the peer connection ----------------------------------------------------------------------
  const send = (message) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };
  const closePeer = () => {
    if (pc) {
      pc.onicecandidate = pc.ontrack = pc.oniceconnectionstatechange = null;
      pc.close();
    }
    pc = null;
    pendingCandidates = [];
    remoteVideo.srcObject = null;
  };
  const newPeer = () => {
    closePeer();
    pc = new RTCPeerConnection({ iceServers: (config && config.ice_servers) || [] });
    root.callPeer = pc; // for the browser tests' getStats()
    if (localStream) {
      for (const track of localStream.getTracks()) pc.addTrack(track, localStream);
    }
    if (isAgent) {
      // Always ask for both kinds, even when this side has no camera or microphone.
      const kinds = new Set(localStream ? localStream.getTracks().map((t) => t.kind) : []);
      for (const kind of ["audio", "video"]) {
        if (!kinds.has(kind)) pc.addTransceiver(kind, { direction: "recvonly" });
      }
    }
    pc.onicecandidate = (event) => send({ type: "candidate", candidate: event.candidate });
    pc.ontrack = (event) => {
      const stream = event.streams[0] || new MediaStream([event.track]);
      if (remoteVideo.srcObject !== stream) remoteVideo.srcObject = stream;
    };
    pc.oniceconnectionstatechange = () => {
      const state = pc.iceConnectionState;
      root.dataset.ice = state;
      if (state === "connected" || state === "completed") setStatus("connected");
      if (state === "failed") restartIce();
    };
    return pc;
  };
  const offer = async (options) => {
    if (!pc) newPeer();
    const description = await pc.createOffer(options || {});
    await pc.setLocalDescription(description);
    send({ type: "offer", sdp: pc.localDescription.sdp });
  };
  const restartIce = () => {
    if (ended) return;
    if (isAgent) {
      if (pc) offer({ iceRestart: true }).catch(() => {});
    } else {
      send({ type: "restart" });
    }
  };
  const flushCandidates = async () => {
    const waiting = pendingCandidates;
    pendingCandidates = [];
    for (const candidate of waiting) {
      try { await pc.addIceCandidate(candidate); } catch (_) { /* stale after a restart */ }
    }
  };
  const onSignal = async (message) => {
    if (message.type === "offer" && !isAgent) {
      if (!pc) newPeer();
      await pc.setRemoteDescription({ type: "offer", sdp: message.sdp });
      await flushCandidates();
      await pc.setLocalDescription(await pc.createAnswer());
      send({ type: "answer", sdp: pc.localDescription.sdp });
    } else if (message.type === "answer" && isAgent && pc) {
      await pc.setRemoteDescription({ type: "answer", sdp: message.sdp });
      await flushCandidates();
    } else if (message.type === "candidate" && message.candidate) {
      if (pc && pc.remoteDescription) {
        try { await pc.addIceCandidate(message.candidate); } catch (_) { /* ignored */ }
      } else {
        pendingCandidates.push(message.candidate);
      }
    } else if (message.type === "restart" && isAgent) {
      restartIce();
    }
  };

  // --- the end ------------------------------------------------------------------------------------
  const finish = () => {
    if (ended) return;
    ended = true;
    window.clearInterval(pingTimer);
    closePeer();
    if (localStream) for (const track of localStream.getTracks()) track.stop();
    if (socket) socket.close();
    setStatus("ended");
    root.dataset.state = "ended";
    root.dispatchEvent(new CustomEvent("majlis:call-ended", { bubbles: true }));
    if (root.dataset.afterUrl) window.setTimeout(() => window.location.assign(root.dataset.afterUrl), 1500);
  };

  // --- the socket ------------------------------------------------------------------------------
  const onMessage = async (event) => {
    if (event.data === "pong") return;
    let message;
    try { message = JSON.parse(event.data); } catch (_) { return; }
    switch (message.type) {
      case "hello":
        retries = 0;
        setRemaining(message.remaining);
        setStatus("waiting_peer");
        root.dataset.state = "live";
        break;
      case "peer":
        if (message.state === "joined") {
          setStatus("connecting");
          // A fresh connection for each meeting: the other side may have reloaded its page.
          if (isAgent) { newPeer(); await offer(); } else { closePeer(); }
        } else {
          setStatus("peer_left");
        }
        break;
      case "warning":
        setRemaining(message.remaining);
        warningEl.textContent = text(`warn${message.seconds}`);
        warningEl.hidden = false;
        root.dataset.warning = String(message.seconds);
        break;
      case "ended":
        finish();
        break;
      case "replaced":
        replaced = true;
        setStatus("replaced");
        closePeer();
        break;
      default:
        await onSignal(message);
    }
  };
  const connect = () => {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${window.location.host}${config.ws}`);
    socket.onmessage = (event) => { onMessage(event).catch(() => {}); };
    socket.onclose = (event) => {
      window.clearInterval(pingTimer);
      if (ended || replaced) return;
      if (event.code === 4000) { finish(); return; }
      setStatus("reconnecting");
      // Back off 1, 2, 4 … 10 s; the config says whether the call is still on.
      retries += 1;
      window.setTimeout(start, Math.min(10000, 1000 * 2 ** Math.min(retries - 1, 4)));
    };
    pingTimer = window.setInterval(() => {
      if (socket.readyState === WebSocket.OPEN) socket.send("ping");
    }, 25000);
  };
  const start = async () => {
    if (ended || replaced) return;
    try {
      const response = await fetch(root.dataset.configUrl, {
        credentials: "same-origin", headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      config = await response.json();
    } catch (_) {
      setStatus("reconnecting");
      retries += 1;
      window.setTimeout(start, Math.min(10000, 1000 * 2 ** Math.min(retries - 1, 4)));
      return;
    }
    if (config.state === "ended") { finish(); return; }
    if (config.state !== "live") {
      // The agent's panel waits for the citizen to press "Start conversation".
      setStatus(isAgent ? "waiting_start" : "connecting");
      root.dataset.state = config.state;
      window.setTimeout(start, 3000);
      return;
    }
    setRemaining(config.remaining);
    await getMedia();
    connect();
  };

  // A new network (Wi-Fi to mobile): reconnect the socket if it dropped, and restart ICE.
  window.addEventListener("online", restartIce);
  if (navigator.connection && navigator.connection.addEventListener) {
    navigator.connection.addEventListener("change", restartIce);
  }
  tick();
  start();
})();
