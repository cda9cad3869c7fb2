"""Fixtures for the upload tests: a real clamd (the upload folder fixture is in conftest.py)."""

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"
SIGNATURES = Path(__file__).parent / "clamav" / "majlis-test.ndb"


class Clamd:
    """clamd in the foreground on a socket of its own, loading only the test signatures."""

    def __init__(self, folder: Path, *, extra: str = "") -> None:
        self.folder = folder
        self.socket = folder / "clamd.sock"
        self.process: subprocess.Popen[bytes] | None = None
        database = folder / "db"
        database.mkdir(parents=True, exist_ok=True)
        shutil.copy(SIGNATURES, database / SIGNATURES.name)
        self.config = folder / "clamd.conf"
        self.config.write_text(
            f"LocalSocket {self.socket}\n"
            f"DatabaseDirectory {database}\n"
            f"TemporaryDirectory {folder}\n"
            f"LogFile {folder / 'clamd.log'}\n"
            "Foreground yes\n" + extra
        )

    def start(self) -> None:
        if not Path(CLAMD).exists():
            pytest.fail("clamd is not installed: run scripts/system-deps.sh (clamav-daemon)")
        self.process = subprocess.Popen(  # noqa: S603 - our own binary and config
            [CLAMD, "-c", str(self.config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 30
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = (self.folder / "clamd.log").read_text(errors="replace")
                pytest.fail(f"clamd did not start:\n{log}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None
        self.socket.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clamd]:
    """A real clamd for the whole session (about a second to start with one signature)."""
    daemon = Clamd(tmp_path_factory.mktemp("clamd"))
    daemon.start()
    yield daemon
    daemon.stop()


@pytest.fixture
def own_clamd(tmp_path: Path) -> Iterator[Clamd]:
    """A clamd this test may stop and start again."""
    daemon = Clamd(tmp_path / "clamd")
    daemon.start()
    yield daemon
    daemon.stop()
