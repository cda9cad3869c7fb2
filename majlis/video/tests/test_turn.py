"""TURN credentials against a real coturn on loopback: an allocation with our credentials
succeeds and relays data; a wrong secret or an expired username is refused by the server."""

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from aioice import stun
from aioice.turn import create_turn_endpoint

from majlis.core.testing import run_async
from majlis.video.turn import ice_servers, turn_credentials

SECRET = "a-test-secret-for-coturn-only"
TURNSERVER = shutil.which("turnserver") or "/usr/bin/turnserver"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("127.0.0.1", 0))
        return int(udp.getsockname()[1])


@pytest.fixture(scope="module")
def coturn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """coturn in the foreground on a free loopback port, with the REST-API shared secret."""
    port = _free_port()
    folder = tmp_path_factory.mktemp("coturn")
    log = (folder / "turnserver.log").open("wb")
    process = subprocess.Popen(  # noqa: S603  (a fixed program and arguments)
        [
            TURNSERVER, "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
            f"--listening-port={port}", "--use-auth-secret", f"--static-auth-secret={SECRET}",
            "--realm=majlis.test", "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers",
            "--fingerprint", f"--pidfile={folder}/turnserver.pid", "--log-file=stdout",
            "--simple-log", "--min-port=40000", "--max-port=40999",
        ],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(100):  # it also listens on TCP on the same port: wait for that
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError((folder / "turnserver.log").read_text()) from None
                time.sleep(0.1)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


class _Receiver(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.received: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.received.put_nowait(data)


async def _allocate(server: tuple[str, int], username: str, password: str) -> Any:
    return await create_turn_endpoint(_Receiver, server_addr=server, username=username,
                                      password=password)  # fmt: skip


def test_it_allocates_a_relay_with_our_credentials_and_relays_data(coturn: tuple[str, int]) -> None:
    async def run() -> tuple[bytes, tuple[str, int]]:
        first = turn_credentials(user_id=7, secret=SECRET, ttl=3600)
        second = turn_credentials(user_id=8, secret=SECRET, ttl=3600)
        transport_a, _ = await _allocate(coturn, *first)
        transport_b, receiver_b = await _allocate(coturn, *second)
        try:
            relayed_a = transport_a.get_extra_info("sockname")
            relayed_b = transport_b.get_extra_info("sockname")
            # A TURN server relays only from peers the allocation has a permission for: B's
            # first packet to A's relay opens B to A, then A's reach B (A -> relay A -> relay B).
            for _ in range(50):
                transport_b.sendto(b"open", relayed_a)
                transport_a.sendto(b"salaam", relayed_b)
                try:
                    return await asyncio.wait_for(receiver_b.received.get(), timeout=0.2), relayed_b
                except TimeoutError:
                    continue
            raise AssertionError("nothing was relayed")
        finally:
            transport_a.close()
            transport_b.close()

    data, relayed = run_async(run)
    assert data == b"salaam"
    assert relayed[0] == "127.0.0.1"


def test_it_is_refused_with_a_wrong_secret(coturn: tuple[str, int]) -> None:
    username, password = turn_credentials(user_id=7, secret="not-the-secret", ttl=3600)
    with pytest.raises(stun.TransactionFailed) as refused:
        run_async(_allocate, coturn, username, password)
    assert refused.value.response.attributes["ERROR-CODE"][0] == 401


def test_it_is_refused_once_the_username_has_expired(coturn: tuple[str, int]) -> None:
    username, password = turn_credentials(user_id=7, secret=SECRET, ttl=600, now=time.time() - 3600)
    with pytest.raises(stun.TransactionFailed) as refused:
        run_async(_allocate, coturn, username, password)
    assert refused.value.response.attributes["ERROR-CODE"][0] == 401


def test_it_hands_out_turn_only_when_configured(settings: Any) -> None:
    settings.STUN_URLS = ["stun:turn.example.org:3478"]
    settings.TURN_URLS = []
    settings.TURN_SECRET = ""
    assert ice_servers(user_id=1) == [{"urls": ["stun:turn.example.org:3478"]}]
    settings.TURN_URLS = ["turn:turn.example.org:3478?transport=udp"]
    settings.TURN_SECRET = SECRET
    settings.TURN_TTL_SECONDS = 600
    stun_entry, turn_entry = ice_servers(user_id=42)
    assert stun_entry == {"urls": ["stun:turn.example.org:3478"]}
    expiry, user = turn_entry["username"].split(":")
    assert user == "42"
    assert 590 <= int(expiry) - time.time() <= 600
    assert (
        turn_entry["credential"]
        == turn_credentials(user_id=42, secret=SECRET, ttl=0, now=int(expiry))[1]
    )
    assert SECRET not in str(turn_entry)
