// The hall's board: follows the branch's feed, chimes when someone is called and, once switched
// on (browsers only speak after a press), says "Ticket AJ-004, desk 2" in the page's language.
// The sentence comes translated from the page (#board-speech); no text lives in this file.
"use strict";

(function () {
  const root = document.getElementById("board");
  if (!root || !window.majlisQueueLive) return;
  const live = document.getElementById("board-live");
  const toggle = document.getElementById("board-sound");
  const speech = document.getElementById("board-speech");
  let audio = null;
  let speak = false;
  let lastCall = (live.firstElementChild || root).dataset.lastCall || "";

  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      speak = !speak;
      toggle.setAttribute("aria-pressed", String(speak));
      // The press is the user gesture that lets the page make sound from now on.
      if (!audio && (window.AudioContext || window.webkitAudioContext)) {
        audio = new (window.AudioContext || window.webkitAudioContext)();
      }
      if (audio && audio.state === "suspended") audio.resume();
      if (speak) chime();
    });
  }

  function chime() {
    if (!audio) return;
    const start = audio.currentTime;
    // Two soft tones, a sixth apart, like a hall's "ding-dong".
    [[784, 0], [523, 0.35]].forEach(([frequency, offset]) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.3, start + offset + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.6);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.65);
    });
  }

  function announce(code, desk) {
    chime();
    if (!speak || !("speechSynthesis" in window) || !speech) return;
    const text = speech.dataset.text.replace("{code}", code).replace("{desk}", desk);
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = root.dataset.lang === "ar" ? "ar-AE" : "en-GB";
    window.setTimeout(() => window.speechSynthesis.speak(utterance), 900);
  }

  // A call over the socket is announced at once from the message's `call` field; the fragment
  // that follows only redraws. While polling, a new last call in the fragment announces it.
  let announced = "";
  window.majlisQueueLive({
    url: root.dataset.liveUrl,
    socket: root.dataset.socket,
    reloadOnError: false,
    onMessage(message) {
      if (!message.call) return;
      const desk = root.dataset.lang === "ar" ? message.call.counter_ar : message.call.counter_en;
      announce(message.call.code, desk || message.call.counter);
      announced = message.call.code;
    },
    apply(fresh) {
      live.replaceChildren(fresh);
      const call = fresh.dataset.lastCall || "";
      if (call && call !== lastCall && fresh.dataset.callCode !== announced) {
        announce(fresh.dataset.callCode, fresh.dataset.callDesk);
      }
      announced = "";
      lastCall = call;
    },
  });
})();
