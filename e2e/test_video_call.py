"""The must-show journey of Qareeb (seeds/000), in Arabic: a guest joins the Ajman branch from
the service card with an SMS code, the agent calls them from the console, they meet by WebRTC
through our signalling socket in two Chromium contexts (fake camera and microphone), see each
other's video, mute and turn the camera off, the agent finishes, and the citizen rates the call.

It runs against an ASGI server (uvicorn serving config.asgi in a thread; sockets need ASGI) and
inside a network namespace that has only a loopback interface, so nothing in the call can leave
the machine: run plainly, the test re-runs this file under `unshare -n` and passes when that run
passes. Inside, PostgreSQL is reached through its Unix socket, and Redis is not used (the
in-memory channel layer serves the one process).
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, axe_violations, describe, page_problems

ROOT = Path(__file__).resolve().parent.parent
IN_NETNS = os.environ.get("MAJLIS_E2E_NETNS") == "1"
MEDIA_ARGS = [
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
]  # fmt: skip


def _inner_environment() -> dict[str, str]:
    env = dict(os.environ, MAJLIS_E2E_NETNS="1")
    env.pop("REDIS_URL", None)
    # Connections closed after each request: a pool would keep the test database busy at its end.
    env["DATABASE_POOL"] = "false"
    url = urlsplit(env.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/majlis"))
    if url.scheme.startswith("postgres"):
        # No TCP to the host's loopback from a new namespace: the Unix socket, under a name of
        # its own so the outer run's test database is left alone.
        user = f"{url.username}@" if url.username else ""
        env["DATABASE_URL"] = urlunsplit((url.scheme, user, f"{url.path}_netns", "", ""))
    return env


if not IN_NETNS:

    def test_it_runs_the_video_call_in_a_loopback_only_network() -> None:
        unshare = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]
        command = [
            *unshare, "sh", "-c", 'ip link set lo up && exec "$0" "$@"',
            sys.executable, "-m", "pytest", str(Path(__file__).relative_to(ROOT)), "-q",
            "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestUnraisableExceptionWarning",
        ]  # fmt: skip
        result = subprocess.run(  # noqa: S603  (fixed arguments)
            command, cwd=ROOT, env=_inner_environment(), capture_output=True, text=True,
            timeout=600, check=False,
        )  # fmt: skip
        output = result.stdout[-8000:] + result.stderr[-4000:]
        assert result.returncode == 0, output
        assert "1 passed" in result.stdout, output

else:

    @pytest.fixture
    def call_site(asgi_site: str) -> Iterator[str]:
        """The shared app server (`e2e/conftest.py`), and afterwards no connection left that
        would keep this namespace's test database from being dropped."""
        yield asgi_site
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )

    def _session_cookie(user: Any, *, staff: bool, url: str) -> dict[str, Any]:
        from django.conf import settings
        from django.test import Client

        from majlis.accounts.testing import sign_in_staff

        client = Client()
        if staff:
            sign_in_staff(client, user)
        else:
            client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        return {"name": name, "value": client.cookies[name].value, "url": url}

    _STATS = """async (kind) => {
      const pc = document.querySelector("[data-call]").callPeer;
      let frames = 0;
      (await pc.getStats()).forEach((s) => {
        if (s.type === "inbound-rtp" && s.kind === kind) frames += s.framesDecoded || 0;
      });
      return frames;
    }"""
    _MORE_FRAMES = f"async (target) => (await ({_STATS})('video')) > target"
    _CLOCK = """() => /^(29|30):[0-5][0-9]$/.test(
      document.querySelector('[data-call-timer]').textContent)"""
    _SENDING = """(kind) => {
      const pc = document.querySelector("[data-call]").callPeer;
      const senders = pc.getSenders().filter((s) => s.track && s.track.kind === kind);
      return senders.map((s) => s.track.enabled);
    }"""

    def _last_code(phone: str) -> str:
        import re

        from majlis.notifications.choices import MessageKind
        from majlis.notifications.models import Message

        body = (
            Message.objects.filter(recipient=phone, kind=MessageKind.SIGN_IN_CODE).latest("id").body
        )
        found = re.search(r"\b\d{6}\b", body)
        assert found is not None
        return found[0]

    def test_it_connects_a_citizen_and_an_agent_by_video(call_site: str) -> None:
        """Seeds/000 end to end: a guest joins the Ajman branch by SMS code, the agent calls
        them from the console, they talk by video, the call ends and the citizen rates it."""
        from playwright.sync_api import expect, sync_playwright

        from majlis.accounts.models import User
        from majlis.catalogue.models import Branch, Service
        from majlis.queueing import services as queueing
        from majlis.queueing.models import Counter, Ticket

        branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
        service = Service.objects.get(authority__slug="ajman", slug="qareeb")
        agent = User.objects.get(username="ajman.video")
        queueing.shift_open(
            agent=agent, counter=Counter.objects.get(branch=branch, number="1"), services=[service]
        )

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *MEDIA_ARGS]
            )
            contexts = {}
            for role, width in (("citizen", 375), ("agent", 1280)):
                context = browser.new_context(
                    base_url=call_site, viewport={"width": width, "height": 900},
                    permissions=["camera", "microphone"], service_workers="block",
                )  # fmt: skip
                context.set_default_timeout(20_000)
                cookies = [{"name": "majlis_language", "value": "ar", "url": call_site}]
                if role == "agent":
                    cookies.append(_session_cookie(agent, staff=True, url=call_site))
                context.add_cookies(cookies)
                contexts[role] = context

            # The citizen, on a phone, continues as a guest: mobile, branch, terms, SMS code.
            page = contexts["citizen"].new_page()
            page.goto("/ajman/services/qareeb/")
            page.get_by_role("link", name="ابدأ الخدمة").click()
            page.get_by_label("رقم الهاتف المتحرك").fill("0501230001")
            page.get_by_label("عجمان").check()
            page.get_by_label("قد قرأت الشروط والأحكام وأوافق عليها").check()
            page.get_by_role("button", name="إرسال").click()
            page.get_by_label("كلمة المرور لمرة واحدة (OTP)").fill(_last_code("+971501230001"))
            page.get_by_role("button", name="اتصال").click()
            expect(page.get_by_text("رقمك هو")).to_be_visible()
            ticket = Ticket.objects.get(phone="+971501230001")
            assert ticket.code == "AJ-001"
            problems = page_problems(page, language="ar")
            problems += [describe(page.url, v) for v in axe_violations(page)]
            assert not problems, "\n".join(problems)

            # The agent calls the next citizen from the console; the waiting page turns.
            agent_page = contexts["agent"].new_page()
            agent_page.goto("/staff/queue/")
            agent_page.get_by_role("button", name="نداء التالي").click()
            agent_page.wait_for_selector('[data-call][data-status="waiting_start"]')
            expect(page.get_by_text("حان دورك الآن")).to_be_visible()
            page.get_by_role("button", name="ابدأ المحادثة").click()
            call_path = f"/ajman/video/{ticket.public_id}/"
            page.wait_for_url(f"**{call_path}")

            for each in (page, agent_page):
                each.wait_for_selector(
                    '[data-call][data-ice="connected"], [data-call][data-ice="completed"]'
                )
                each.wait_for_function(
                    "() => document.querySelector('[data-call-remote]').videoWidth > 0"
                )
                first = each.evaluate(_STATS, "video")
                each.wait_for_function(_MORE_FRAMES, arg=first + 10)  # and keeps decoding
                assert first > 0
                assert each.locator("[data-call-status]").inner_text() == "تم الاتصال."
                each.wait_for_function(_CLOCK)  # the 30 minutes counting down

            # The citizen's call page at 375 px, in Arabic, during the call.
            problems = page_problems(page, language="ar")
            problems += [describe(page.url, v) for v in axe_violations(page)]
            assert not problems, "\n".join(problems)

            mute = page.get_by_role("button", name="كتم الميكروفون")
            mute.click()
            assert page.evaluate(_SENDING, "audio") == [False]
            assert (
                page.get_by_role("button", name="إلغاء كتم الميكروفون").get_attribute(
                    "aria-pressed"
                )
                == "true"
            )
            page.get_by_role("button", name="إلغاء كتم الميكروفون").click()
            assert page.evaluate(_SENDING, "audio") == [True]
            page.get_by_role("button", name="إيقاف الكاميرا").click()
            assert page.evaluate(_SENDING, "video") == [False]
            page.get_by_role("button", name="تشغيل الكاميرا").click()
            assert page.evaluate(_SENDING, "video") == [True]
            agent_page.get_by_role("button", name="كتم الميكروفون").click()
            assert agent_page.evaluate(_SENDING, "audio") == [False]

            # The agent ends the call: the citizen's page goes on by itself.
            agent_page.get_by_role("button", name="إنهاء", exact=True).click()
            page.wait_for_url(f"**/ajman/feedback/tickets/{ticket.public_id}/")
            ticket.refresh_from_db()
            assert ticket.status == "done"
            from majlis.video.models import CallSession

            assert CallSession.objects.get(ticket=ticket).end_reason == "agent_finished"

            # The rating screen: stars and a comment, stored in feedback.
            problems = page_problems(page, language="ar")
            problems += [describe(page.url, v) for v in axe_violations(page)]
            assert not problems, "\n".join(problems)
            page.get_by_role("radio", name="راضٍ", exact=True).check()
            page.get_by_label("ملاحظاتك (اختياري)").fill("شكرًا على المساعدة")
            page.get_by_role("button", name="إرسال").click()
            expect(page.get_by_text("شكرًا لك، رأيك يهمنا.")).to_be_visible()
            from majlis.feedback.models import Rating

            rating = Rating.objects.get(ticket=ticket)
            assert rating.stars == 4
            assert rating.agent == agent
            browser.close()
