"""A real Kannel gateway for tests: bearerbox + smsbox from Debian's kannel package, with the
fake SMSC of kannel-extras (`fakesmsc`) standing in for the mobile network."""

import random
import socket
import subprocess
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

FAKESMSC = "/usr/lib/kannel/test/fakesmsc"


def _bytes(escaped: str) -> bytes:
    """fakesmsc prints bytes URL-escaped, with + for a 0x20 byte."""
    return urllib.parse.unquote_to_bytes(escaped.replace("+", "%20"))


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port() -> int:
    """A free port *below* the ephemeral range. The gateway may start long after its ports were
    chosen (the R4 outage), and a port the kernel handed out by `bind(0)` can meanwhile become
    the local end of some outgoing connection (PostgreSQL, Redis, HTTP) of the same run."""
    low, _high = _ephemeral_range()
    for _ in range(200):
        port = random.randint(max(1024, low - 12000), low - 1)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise OSError("no free port below the ephemeral range")


def _wait_for_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


@dataclass
class KannelGateway:
    directory: Path
    inbound_url: str
    username: str = "majlis"
    password: str = "gateway-secret"
    ports: dict[str, int] = field(default_factory=dict)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[IO[bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ports = {name: free_port() for name in ("admin", "box", "smsc", "sendsms")}

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['sendsms']}/cgi-bin/sendsms"

    @property
    def handset_log(self) -> Path:
        """What the fake network delivered to phones, one line per message."""
        return self.directory / "fakesmsc.log"

    def start(self, *, citizen_sms: str) -> None:
        """Start the gateway; the fake network then sends `citizen_sms` ("from to text words")."""
        conf = self.directory / "kannel.conf"
        conf.write_text(
            f"""group = core
admin-port = {self.ports["admin"]}
admin-password = admin-secret
smsbox-port = {self.ports["box"]}
log-level = 1
log-file = "{self.directory}/bearerbox.log"
dlr-storage = internal
box-allow-ip = "127.0.0.1"

group = smsc
smsc = fake
smsc-id = fake
port = {self.ports["smsc"]}
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {self.ports["box"]}
sendsms-port = {self.ports["sendsms"]}
log-file = "{self.directory}/smsbox.log"
log-level = 1

group = sendsms-user
username = {self.username}
password = {self.password}
max-messages = 10
concatenation = true

group = sms-service
keyword = default
get-url = "{self.inbound_url}&from=%p&to=%P&text=%a&id=%I&coding=%c&charset=%C"
omit-empty = true
max-messages = 0
catch-all = true
"""
        )
        self._spawn(["bearerbox", "-v", "1", str(conf)], "bearerbox.out")
        _wait_for_port(self.ports["smsc"])
        self._spawn(
            [
                FAKESMSC,
                "-H",
                "127.0.0.1",
                "-r",
                str(self.ports["smsc"]),
                "-i",
                "3600",
                "-m",
                "-1",
                citizen_sms,
            ],
            "fakesmsc.log",
        )
        self._spawn(["smsbox", "-v", "1", str(conf)], "smsbox.out")
        _wait_for_port(self.ports["sendsms"])

    def _spawn(self, command: list[str], log: str) -> None:
        output = (self.directory / log).open("wb")
        self.logs.append(output)
        self.processes.append(
            subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
        )

    def delivered_texts(self) -> list[tuple[str, str, str]]:
        """(sender, receiver, text) of every message the fake network delivered to a phone,
        with concatenated parts (UDH) joined back together."""
        texts: list[tuple[str, str, str]] = []
        parts: dict[tuple[str, str, int], dict[int, bytes]] = {}
        totals: dict[tuple[str, str, int], int] = {}
        for line in self.handset_log.read_text(errors="replace").splitlines():
            if "Got message" not in line or "<" not in line:
                continue
            fields = line.split("<", 1)[1].rstrip(">").split(" ")
            sender, receiver, kind = fields[:3]
            if kind == "udh":
                # "udh <header> data <UCS-2 bytes>": header 05 00 03 <ref> <total> <seq>
                header = _bytes(fields[3])
                key = (sender, receiver, header[3])
                totals[key] = header[4]
                parts.setdefault(key, {})[header[5]] = _bytes(" ".join(fields[5:]))
                if len(parts[key]) == totals[key]:
                    pieces = parts.pop(key)
                    joined = b"".join(pieces[n] for n in sorted(pieces))
                    texts.append((sender, receiver, joined.decode("utf-16-be")))
            elif kind == "ucs-2":
                texts.append((sender, receiver, _bytes(" ".join(fields[3:])).decode("utf-16-be")))
            else:
                texts.append((sender, receiver, urllib.parse.unquote_plus(" ".join(fields[3:]))))
        return texts

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for output in self.logs:
            output.close()
