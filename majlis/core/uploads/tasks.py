"""The virus scan of an upload, as a background task (QUALITY S10).

`pending_scan` → `clean`, `quarantined` (infected: the file is deleted, its hash and the
signature's name are kept) or `rejected` (the scanner refused it, e.g. over its size limit: the
file is deleted too). With the scanner down, the upload stays `pending_scan` and the task runs
again later, with a growing delay; it is never served meanwhile.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from majlis.core.choices import UploadStatus
from majlis.core.models import AuditEntry, Upload
from majlis.core.uploads.scanners import ScannerUnavailable, scanner_from_settings
from majlis.core.uploads.storage import uploads_storage

logger = logging.getLogger(__name__)


def scan_retry_delay(attempt: int) -> timedelta:
    base = settings.UPLOADS_SCAN_RETRY_BASE_SECONDS
    cap = settings.UPLOADS_SCAN_RETRY_CAP_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempt - 1, 0), cap))


def enqueue_scan(upload_id: int, *, when: timedelta | None = None) -> None:
    if when is not None and upload_scan.get_backend().supports_defer:
        upload_scan.using(run_after=timezone.now() + when).enqueue(upload_id)
    elif when is None:
        upload_scan.enqueue(upload_id)
    else:
        logger.warning("upload %s: the task backend cannot defer; scan not retried", upload_id)


def _record(upload: Upload, status: str, detail: str) -> None:
    # An AuditEntry row as core.services.audit_record writes it: tasks do not import services.
    AuditEntry.objects.create(
        actor_label="system",
        action=f"core.upload.{'scanned' if status == UploadStatus.CLEAN else status}",
        content_type_id=_upload_content_type_id(),
        object_id=str(upload.pk),
        object_repr=str(upload)[:200],
        data={"status": status, "scan_result": detail},
    )


def _upload_content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Upload).pk


@task()
def upload_scan(upload_id: int) -> str:
    upload = Upload.objects.filter(pk=upload_id, status=UploadStatus.PENDING_SCAN).first()
    if upload is None:
        return "skipped"  # scanned already, or gone
    scanner = scanner_from_settings()
    attempts = upload.scan_attempts + 1
    Upload.objects.filter(pk=upload_id).update(scan_attempts=F("scan_attempts") + 1)
    storage = uploads_storage()
    try:
        with storage.open(upload.storage_name, "rb") as stream:
            result = scanner.scan(stream)
    except ScannerUnavailable as exc:
        delay = scan_retry_delay(attempts)
        Upload.objects.filter(pk=upload_id, status=UploadStatus.PENDING_SCAN).update(
            scan_result=f"waiting: {exc}"[:300]
        )
        logger.warning(
            "upload %s: %s scanner unavailable (attempt %s), retrying in %s s",
            upload.public_id, scanner.name, attempts, int(delay.total_seconds()),
        )  # fmt: skip
        enqueue_scan(upload_id, when=delay)
        return UploadStatus.PENDING_SCAN.value
    except FileNotFoundError:
        result_status, detail = UploadStatus.REJECTED, "file missing from storage"
    else:
        if result.infected:
            result_status, detail = UploadStatus.QUARANTINED, f"{scanner.name}: {result.detail}"
        elif result.refused:
            result_status, detail = UploadStatus.REJECTED, result.detail
        else:
            result_status, detail = UploadStatus.CLEAN, result.detail
    if result_status != UploadStatus.CLEAN:
        # Out of reach for good: nothing serves it, and the bytes are gone from the disk.
        storage.delete(upload.storage_name)
        logger.warning("upload %s: %s (%s)", upload.public_id, result_status, detail)
    saved = Upload.objects.filter(pk=upload_id, status=UploadStatus.PENDING_SCAN).update(
        status=result_status, scan_result=detail[:300], scanned_at=timezone.now()
    )
    if saved:
        _record(upload, result_status, detail[:300])
    return str(result_status)
