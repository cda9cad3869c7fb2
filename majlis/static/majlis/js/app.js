// Site-wide behaviour. Loaded with `defer`; no inline script anywhere (the CSP forbids it).
"use strict";

if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // The site works without it; only the offline page is lost.
    });
  });
}
