// "Turn on notifications on this device": subscribe through the service worker and hand the
// subscription to the server. Shown only where the browser can do it.
"use strict";

(function () {
  const offer = document.querySelector(".push-offer");
  if (!offer || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  offer.hidden = false;
  const status = offer.querySelector(".push-status");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  const key = offer.dataset.vapidKey.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(key + "=".repeat((4 - (key.length % 4)) % 4)), (c) => c.charCodeAt(0));

  offer.querySelector(".push-enable").addEventListener("click", async () => {
    if ((await Notification.requestPermission()) !== "granted") {
      status.textContent = status.dataset.refused;
      return;
    }
    const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: bytes,
    });
    const response = await fetch(offer.dataset.subscribeUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      body: JSON.stringify(subscription.toJSON()),
      credentials: "same-origin",
    });
    if (response.ok) {
      status.textContent = status.dataset.done;
      window.setTimeout(() => window.location.reload(), 1500);
    }
  });
})();
