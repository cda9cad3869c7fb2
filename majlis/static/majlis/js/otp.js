// The OTP screen's countdown ("expires in 2:57") and the resend button's cooldown.
// The server enforces both; this only shows them. Times come from the server in ISO 8601.
"use strict";

(function () {
  const timer = document.querySelector("[data-otp-expires]");
  if (timer) {
    const expires = Date.parse(timer.dataset.otpExpires);
    const display = timer.querySelector(".otp-countdown");
    const expired = document.querySelector(".otp-expired");
    const tick = () => {
      const left = Math.max(0, Math.round((expires - Date.now()) / 1000));
      display.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
      if (left === 0) {
        timer.hidden = true;
        if (expired) expired.hidden = false;
        return;
      }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
  const resend = document.querySelector("[data-otp-resend-at]");
  if (resend) {
    const at = Date.parse(resend.dataset.otpResendAt);
    const label = resend.textContent;
    const wait = () => {
      const left = Math.max(0, Math.ceil((at - Date.now()) / 1000));
      if (left > 0) {
        resend.disabled = true;
        resend.textContent = `${label} (${left})`;
        window.setTimeout(wait, 1000);
      } else {
        resend.disabled = false;
        resend.textContent = label;
      }
    };
    wait();
  }
})();
