"""Virus scanners (QUALITY S10): ClamAV's daemon, and the console stand-in that scans nothing.

A scanner reads a stored file and says clean, infected (with the signature's name) or refused
(clamd would not scan it, e.g. over its StreamMaxLength). `ScannerUnavailable` means "ask again
later": the upload stays waiting and is never served meanwhile.
"""

import logging
import socket
import struct
from dataclasses import dataclass
from typing import IO, Protocol

from django.conf import settings

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    detail: str
    refused: bool = False


class ScannerUnavailable(Exception):
    """The scanner could not be reached or gave no verdict; try again later."""


class Scanner(Protocol):
    name: str

    def scan(self, stream: IO[bytes]) -> ScanResult: ...


class ConsoleScanner:
    """Scans nothing and says so: every file is clean, its scan result "not scanned".

    The default of the embedded profile, for demos and development where no clamd runs. It is a
    real choice an operator can make (`VIRUS_SCANNER=console`), shown as such on every upload.
    """

    name = "console"

    def scan(self, stream: IO[bytes]) -> ScanResult:
        logger.info("virus scan skipped: VIRUS_SCANNER=console marks every upload clean")
        return ScanResult(infected=False, detail="not scanned (VIRUS_SCANNER=console)")


class ClamdScanner:
    """ClamAV's daemon, over its local socket or TCP, with the INSTREAM command.

    The file is sent in chunks, each prefixed with its length as 4 bytes in network order, and a
    zero length ends it; clamd answers `stream: OK`, `stream: <signature> FOUND` or `… ERROR`.
    """

    name = "clamav"

    def __init__(
        self, *, socket_path: str = "", host: str = "", port: int = 3310, timeout: float = 60
    ) -> None:
        if not (socket_path or host):
            raise ValueError("ClamdScanner needs a socket path or a host")
        self.socket_path = socket_path
        self.host = host
        self.port = port
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        if self.host:
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError:
            sock.close()
            raise
        return sock

    @staticmethod
    def _reply(sock: socket.socket) -> str:
        data = b""
        while not data.endswith(b"\0") and len(data) < 4096:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.rstrip(b"\0").decode("utf-8", "replace").strip()

    def ping(self) -> bool:
        try:
            with self._connect() as sock:
                sock.sendall(b"zPING\0")
                return self._reply(sock) == "PONG"
        except OSError:
            return False

    def scan(self, stream: IO[bytes]) -> ScanResult:
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                try:
                    while chunk := stream.read(CHUNK):
                        sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                    sock.sendall(struct.pack("!L", 0))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # clamd hung up mid-stream (over its size limit): its reply says why
                reply = self._reply(sock)
        except OSError as exc:
            raise ScannerUnavailable(f"clamd unreachable: {exc}") from exc
        if reply.startswith("stream:"):
            verdict = reply.removeprefix("stream:").strip()
            if verdict == "OK":
                return ScanResult(infected=False, detail="clamav: OK")
            if verdict.endswith(" FOUND"):
                return ScanResult(infected=True, detail=verdict.removesuffix(" FOUND"))
        if "size limit exceeded" in reply:
            return ScanResult(infected=False, refused=True, detail=f"clamav: {reply}")
        raise ScannerUnavailable(f"clamd gave no verdict: {reply[:200]!r}")


def scanner_from_settings() -> Scanner:
    if settings.VIRUS_SCANNER == "clamav":
        return ClamdScanner(
            socket_path=settings.CLAMAV_SOCKET,
            host=settings.CLAMAV_HOST,
            port=settings.CLAMAV_PORT,
            timeout=settings.CLAMAV_TIMEOUT,
        )
    return ConsoleScanner()
