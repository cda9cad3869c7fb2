"""The virus scan (QUALITY S10) against a real clamd loading the test signature in the repo."""

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from majlis.core.choices import UploadStatus
from majlis.core.models import AuditEntry, Upload
from majlis.core.tests import uploads_corpus as corpus
from majlis.core.tests.conftest import Clamd
from majlis.core.uploads.policy import UploadPolicy
from majlis.core.uploads.scanners import ClamdScanner, ConsoleScanner, scanner_from_settings
from majlis.core.uploads.services import upload_accept
from majlis.core.uploads.tasks import scan_retry_delay, upload_scan
from majlis.core.uploads.views import upload_response

pytestmark = pytest.mark.django_db


def accepted(name: str, data: bytes) -> Upload:
    file = SimpleUploadedFile(name, data)
    return upload_accept(file=file, owner=None, policy=UploadPolicy())


def pdf_carrying_eicar() -> bytes:
    """A plain PDF with the test string in a comment: upload_accept lets it through."""
    return corpus.plain_pdf().replace(b"\n", b"\n%" + corpus.EICAR + b"\n", 1)


def use_clamd(settings: Any, socket: Path) -> None:
    settings.VIRUS_SCANNER = "clamav"
    settings.CLAMAV_SOCKET = str(socket)
    settings.CLAMAV_HOST = ""


def test_it_finds_the_test_signature_with_a_real_clamd(clamd: Clamd) -> None:
    scanner = ClamdScanner(socket_path=str(clamd.socket), timeout=20)
    assert scanner.ping()
    found = scanner.scan(io.BytesIO(corpus.EICAR))
    assert found.infected
    assert found.detail.startswith("Majlis.Test.EICAR-1")
    clean = scanner.scan(io.BytesIO(corpus.image("PNG")))
    assert not clean.infected
    assert clean.detail == "clamav: OK"


def test_it_quarantines_eicar_and_deletes_the_file(
    settings: Any, upload_root: Path, clamd: Clamd
) -> None:
    upload = accepted("letter.pdf", pdf_carrying_eicar())
    stored = upload_root / upload.storage_name
    assert stored.exists()
    use_clamd(settings, clamd.socket)

    assert upload_scan.call(upload.pk) == UploadStatus.QUARANTINED

    upload.refresh_from_db()
    assert upload.status == UploadStatus.QUARANTINED
    assert "Majlis.Test.EICAR-1" in upload.scan_result
    assert upload.scanned_at is not None
    assert not stored.exists()
    with pytest.raises(Http404):
        upload_response(upload)
    entry = AuditEntry.objects.get(action="core.upload.quarantined")
    assert entry.object_id == str(upload.pk)


def test_it_marks_a_clean_file_clean_with_a_real_clamd(
    settings: Any, upload_root: Path, clamd: Clamd
) -> None:
    upload = accepted("letter.pdf", corpus.plain_pdf())
    use_clamd(settings, clamd.socket)
    assert upload_scan.call(upload.pk) == UploadStatus.CLEAN
    upload.refresh_from_db()
    assert upload.scan_result == "clamav: OK"
    response = upload_response(upload)
    assert response.status_code == 200
    response.file_to_stream.close()  # response.close() would signal the request finished
    assert AuditEntry.objects.filter(action="core.upload.scanned").count() == 1


def test_it_keeps_files_waiting_while_clamd_is_stopped_and_scans_them_when_it_is_back(
    settings: Any, upload_root: Path, own_clamd: Clamd
) -> None:
    upload = accepted("letter.pdf", pdf_carrying_eicar())
    use_clamd(settings, own_clamd.socket)
    own_clamd.stop()

    assert upload_scan.call(upload.pk) == UploadStatus.PENDING_SCAN

    upload.refresh_from_db()
    assert upload.status == UploadStatus.PENDING_SCAN
    assert upload.scan_attempts == 1
    assert upload.scan_result.startswith("waiting: clamd unreachable")
    assert (upload_root / upload.storage_name).exists()
    with pytest.raises(Http404):
        upload_response(upload)
    retry = DBTaskResult.objects.get(task_path="majlis.core.uploads.tasks.upload_scan")
    assert retry.args_kwargs["args"] == [upload.pk]
    assert retry.run_after > timezone.now() + timedelta(seconds=30)

    own_clamd.start()
    assert upload_scan.call(upload.pk) == UploadStatus.QUARANTINED
    upload.refresh_from_db()
    assert upload.scan_attempts == 2


def test_it_keeps_files_waiting_when_no_clamd_was_ever_there(
    settings: Any, upload_root: Path, tmp_path: Path
) -> None:
    upload = accepted("photo.png", corpus.image("PNG"))
    use_clamd(settings, tmp_path / "no-such.sock")
    assert upload_scan.call(upload.pk) == UploadStatus.PENDING_SCAN
    assert upload_scan.call(upload.pk) == UploadStatus.PENDING_SCAN
    upload.refresh_from_db()
    assert upload.status == UploadStatus.PENDING_SCAN
    assert upload.scan_attempts == 2
    with pytest.raises(Http404):
        upload_response(upload)


def test_it_rejects_a_file_clamd_will_not_scan(
    settings: Any, upload_root: Path, tmp_path: Path
) -> None:
    small = Clamd(tmp_path / "small", extra="StreamMaxLength 1K\n")
    small.start()
    try:
        upload = accepted("scan.pdf", corpus.plain_pdf() + b"%" + b"x" * 4000 + b"\n%%EOF\n")
        use_clamd(settings, small.socket)
        assert upload_scan.call(upload.pk) == UploadStatus.REJECTED
    finally:
        small.stop()
    upload.refresh_from_db()
    assert "size limit" in upload.scan_result
    assert not (upload_root / upload.storage_name).exists()


def test_it_says_the_console_scanner_scanned_nothing(upload_root: Path) -> None:
    upload = accepted("photo.png", corpus.image("PNG"))
    assert isinstance(scanner_from_settings(), ConsoleScanner)
    assert upload_scan.call(upload.pk) == UploadStatus.CLEAN
    upload.refresh_from_db()
    assert upload.scan_result == "not scanned (VIRUS_SCANNER=console)"


def test_it_scans_each_upload_once(upload_root: Path) -> None:
    upload = accepted("photo.png", corpus.image("PNG"))
    upload_scan.call(upload.pk)
    assert upload_scan.call(upload.pk) == "skipped"
    assert AuditEntry.objects.filter(action="core.upload.scanned").count() == 1


def test_it_uses_clamd_over_tcp_when_a_host_is_set(settings: Any) -> None:
    settings.VIRUS_SCANNER = "clamav"
    settings.CLAMAV_HOST = "clamav.internal"
    settings.CLAMAV_PORT = 3311
    scanner = scanner_from_settings()
    assert isinstance(scanner, ClamdScanner)
    assert (scanner.host, scanner.port) == ("clamav.internal", 3311)


def test_it_waits_longer_after_each_failed_scan(settings: Any) -> None:
    settings.UPLOADS_SCAN_RETRY_BASE_SECONDS = 60
    settings.UPLOADS_SCAN_RETRY_CAP_SECONDS = 1800
    delays = [scan_retry_delay(attempt).total_seconds() for attempt in range(1, 8)]
    assert delays == [60, 120, 240, 480, 960, 1800, 1800]
