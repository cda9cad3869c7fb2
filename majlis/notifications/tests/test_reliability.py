"""QUALITY R3 and R4 for SMS, against the real Kannel gateway.

R3: workers are killed (SIGKILL) at random moments while 1,000 SMS go out; the sweeper hands what
they dropped to the next worker. Nothing may be lost, and since Kannel cannot de-duplicate on our
message id, a phone may get a text twice only for a message a kill interrupted mid-send.

R4: the gateway is down while messages are queued, then comes back: retries with back-off send
every message, each exactly once.
"""

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from majlis.notifications.choices import Channel, MessageKind, MessageStatus
from majlis.notifications.models import Message
from majlis.notifications.providers import _load
from majlis.notifications.services import message_send
from majlis.notifications.tasks import sweep_stuck_messages
from majlis.notifications.tests.kannel_gateway import KannelGateway

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = "kannel-callback-token-for-reliability"


def _worker_env(gateway: KannelGateway, live_url: str) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SMS_PROVIDER": "kannel",
        "KANNEL_SENDSMS_URL": gateway.sendsms_url,
        "KANNEL_USERNAME": gateway.username,
        "KANNEL_PASSWORD": gateway.password,
        "KANNEL_CALLBACK_BASE": live_url,
        "KANNEL_CALLBACK_TOKEN": TOKEN,
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
        "NOTIFICATIONS_RETRY_CAP_SECONDS": "4",
        "NOTIFICATIONS_MAX_ATTEMPTS": "50",
        "LOG_LEVEL": "WARNING",
    }


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "majlis.cli", "db_worker", "--queue-name", "*",
             "--no-reload", "--interval", "0.05"],
            env=env, stdout=subprocess.DEVNULL, stderr=output,
        )  # fmt: skip


def _queue(count: int, tag: str) -> None:
    for index in range(count):
        message_send(
            channel=Channel.SMS,
            kind=MessageKind.STATUS_CHANGED,
            recipient="+971501230099",
            language="en",
            context={"reference": f"{tag}-{index:04d}", "status": "approved"},
        )


def _pending() -> int:
    done = (MessageStatus.SENT, MessageStatus.DELIVERED)
    return Message.objects.exclude(status__in=done).count()


def _delivered(gateway: KannelGateway, tag: str) -> Counter[str]:
    references: Counter[str] = Counter()
    for _sender, _receiver, text in gateway.delivered_texts():
        for word in text.split():
            if word.startswith(f"{tag}-"):
                references[word] += 1
    return references


@pytest.fixture
def gateway(tmp_path, live_server, settings):
    gateway = KannelGateway(
        tmp_path, inbound_url=f"{live_server.url}/notifications/kannel/inbound/?token={TOKEN}"
    )
    settings.KANNEL_CALLBACK_TOKEN = TOKEN
    _load.cache_clear()
    yield gateway
    gateway.stop()
    _load.cache_clear()


def test_it_loses_no_sms_when_workers_are_killed_mid_send(gateway, live_server, tmp_path):
    gateway.start(citizen_sms="968900000000 90888 text nop")
    env = _worker_env(gateway, live_server.url)
    log = tmp_path / "workers.log"
    _queue(1000, "R3")
    rng = random.Random(1448)
    workers = {_start_worker(env, log): time.monotonic() for _ in range(3)}
    kills = 0
    deadline = time.monotonic() + 300
    try:
        _waited(_sent, lambda sent: sent > 0, timeout=30)  # the workers are up
        while kills < 15 and _pending() and time.monotonic() < deadline:
            time.sleep(rng.uniform(0.3, 1.2))
            ready = [w for w, started in workers.items() if time.monotonic() - started > 2.5]
            if not ready:
                continue
            victim = rng.choice(ready)
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait()
            kills += 1
            del workers[victim]
            workers[_start_worker(env, log)] = time.monotonic()
            # Hand on what the dead worker held; a live worker never holds a message 3 s.
            sweep_stuck_messages(
                sending_grace=timedelta(seconds=3), queued_grace=timedelta(seconds=1)
            )
        while _pending() and time.monotonic() < deadline:
            time.sleep(1)
            sweep_stuck_messages(
                sending_grace=timedelta(seconds=3), queued_grace=timedelta(seconds=1)
            )
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=10)
    assert _pending() == 0
    delivered = _waited(lambda: _delivered(gateway, "R3"), lambda c: len(c) == 1000)
    duplicates = sum(count - 1 for count in delivered.values())
    print(f"R3: 1000 SMS, {kills} kills, {duplicates} duplicates at the phone")
    assert len(delivered) == 1000  # none lost
    assert kills == 15
    assert duplicates <= kills


def _sent() -> int:
    return Message.objects.filter(status__in=(MessageStatus.SENT, MessageStatus.DELIVERED)).count()


def test_it_sends_the_backlog_once_when_the_gateway_comes_back(gateway, live_server, tmp_path):
    env = _worker_env(gateway, live_server.url)
    worker = _start_worker(env, tmp_path / "workers.log")
    try:
        _queue(200, "R4")
        # The gateway is down: every message fails at least once and waits to be retried.
        never_tried = _waited(lambda: Message.objects.filter(attempts=0).count(),
                              lambda count: count == 0, timeout=90)  # fmt: skip
        assert never_tried == 0
        # …and is retried, with back-off, while the gateway stays down.
        retried = _waited(lambda: Message.objects.filter(attempts__gte=2).count(),
                          lambda count: count > 0, timeout=90)  # fmt: skip
        assert retried > 0
        assert not Message.objects.filter(
            status__in=(MessageStatus.SENT, MessageStatus.DELIVERED)
        ).exists()
        gateway.start(citizen_sms="968900000000 90888 text nop")
        _waited(_pending, lambda pending: pending == 0, timeout=300)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    delivered = _waited(lambda: _delivered(gateway, "R4"), lambda c: len(c) == 200)
    assert len(delivered) == 200
    assert set(delivered.values()) == {1}  # each exactly once


def _waited(read, ok, timeout: float = 60):
    deadline = time.monotonic() + timeout
    value = read()
    while not ok(value) and time.monotonic() < deadline:
        time.sleep(0.25)
        value = read()
    return value
