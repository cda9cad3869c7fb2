/* The anti-bot check (docs/decisions/0019-anti-bot-check.md): find a nonce so that
 * SHA-256(challenge + nonce) starts with N zero bits, in a Web Worker when the browser has one.
 * This one file is both the page script and the worker (no inline code, CSP-safe). The texts come
 * from data attributes rendered by Django, in the page's language. */
(function () {
  "use strict";

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ];
  var W = new Int32Array(64);

  // The first word of SHA-256 of an ASCII message shorter than 56 bytes (one block): enough to
  // count leading zero bits up to 32.
  function firstWord(bytes, length) {
    var i;
    for (i = 0; i < 16; i++) W[i] = 0;
    for (i = 0; i < length; i++) W[i >> 2] |= bytes[i] << (24 - (i & 3) * 8);
    W[length >> 2] |= 0x80 << (24 - (length & 3) * 8);
    W[15] = length * 8;
    for (i = 16; i < 64; i++) {
      var x = W[i - 15], y = W[i - 2];
      var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    var a = 0x6a09e667, b = 0xbb67ae85, c = 0x3c6ef372, d = 0xa54ff53a;
    var e = 0x510e527f, f = 0x9b05688c, g = 0x1f83d9ab, h = 0x5be0cd19;
    for (i = 0; i < 64; i++) {
      var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      var t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      var t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    return (0x6a09e667 + a) >>> 0;
  }

  // Try nonces from `start` for `count` steps; the nonce found, or -1.
  function search(challenge, bits, start, count) {
    var bytes = new Uint8Array(56);
    for (var i = 0; i < challenge.length; i++) bytes[i] = challenge.charCodeAt(i);
    var shift = 32 - bits;
    for (var nonce = start; nonce < start + count; nonce++) {
      var digits = String(nonce), length = challenge.length + digits.length;
      for (var j = 0; j < digits.length; j++) bytes[challenge.length + j] = digits.charCodeAt(j);
      var word = firstWord(bytes, length);
      if ((bits === 32 ? word : word >>> shift) === 0) return nonce;
    }
    return -1;
  }

  // Inside the worker: solve and post the nonce back.
  if (typeof document === "undefined") {
    self.onmessage = function (event) {
      var start = 0, found = -1;
      while (found < 0) {
        found = search(event.data.challenge, event.data.bits, start, 1 << 20);
        start += 1 << 20;
      }
      self.postMessage({ nonce: String(found) });
    };
    return;
  }

  var scriptUrl = document.currentScript && document.currentScript.src;

  // Without workers: the same search in slices, leaving the page responsive between them.
  function solveHere(challenge, bits, done) {
    var start = 0;
    (function step() {
      var found = search(challenge, bits, start, 20000);
      if (found >= 0) return done(String(found));
      start += 20000;
      setTimeout(step, 0);
    })();
  }

  function solve(challenge, bits, done, failed) {
    if (window.Worker && scriptUrl) {
      try {
        var worker = new Worker(scriptUrl);
        worker.onmessage = function (event) { worker.terminate(); done(event.data.nonce); };
        worker.onerror = function () { worker.terminate(); solveHere(challenge, bits, done); };
        worker.postMessage({ challenge: challenge, bits: bits });
        return;
      } catch (error) { /* fall through to the page thread */ }
    }
    try { solveHere(challenge, bits, done); } catch (error) { failed(); }
  }

  function start(box) {
    var challenge = box.getAttribute("data-challenge");
    var bits = parseInt(box.getAttribute("data-bits"), 10);
    if (!challenge || !(bits >= 1 && bits <= 32)) return;
    var form = box.closest("form");
    var nonceInput = box.querySelector("[data-antibot-nonce]");
    var status = box.querySelector("[data-antibot-status]");
    var question = box.querySelector("[data-antibot-question]");
    var answer = question && question.querySelector("input");
    var solved = false, waiting = null;
    // A person who already typed an answer (or sees an error) keeps the question in view.
    var keepQuestion = box.querySelector(".field-error") !== null;

    status.textContent = box.getAttribute("data-working");
    if (question && !keepQuestion) {
      question.hidden = true;
      if (answer) answer.required = false;
    }
    solve(challenge, bits, function (nonce) {
      nonceInput.value = nonce;
      solved = true;
      status.textContent = box.getAttribute("data-done");
      if (waiting) {
        var submitter = waiting;
        waiting = null;
        if (form.requestSubmit) form.requestSubmit(submitter === true ? undefined : submitter);
        else form.submit();
      }
    }, function () {
      status.textContent = box.getAttribute("data-failed");
      if (question) { question.hidden = false; if (answer) answer.required = true; }
    });
    // Sent before the puzzle is solved: hold the form until it is, unless an answer is typed.
    if (form) {
      form.addEventListener("submit", function (event) {
        if (solved || (answer && answer.value.trim() !== "")) return;
        event.preventDefault();
        waiting = event.submitter || true;
      });
    }
  }

  function init() {
    var boxes = document.querySelectorAll("[data-antibot]");
    for (var i = 0; i < boxes.length; i++) start(boxes[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
