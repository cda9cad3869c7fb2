"""Accepting an upload: check it, store what is safe to keep, and queue its virus scan."""

import hashlib
import io
import secrets
import tempfile

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from majlis.core.models import Upload
from majlis.core.services import audit_record
from majlis.core.uploads import inspect
from majlis.core.uploads.errors import rejected
from majlis.core.uploads.policy import UploadPolicy
from majlis.core.uploads.storage import uploads_storage
from majlis.core.uploads.tasks import enqueue_scan

CHUNK = 64 * 1024
# Uploads up to this size are checked in memory; larger ones are spooled to a temporary file.
SPOOL_IN_MEMORY = 1024 * 1024


def _read_bounded(file: File[bytes], *, max_bytes: int) -> tempfile.SpooledTemporaryFile[bytes]:
    """Copy the upload in chunks, stopping as soon as it is over the limit."""
    declared = getattr(file, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise rejected("too_large", max_bytes=max_bytes)
    # Closed by the caller's `with`, or here when the upload is refused.
    spool: tempfile.SpooledTemporaryFile[bytes] = tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY)  # noqa: SIM115
    total = 0
    try:
        for chunk in file.chunks(CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise rejected("too_large", max_bytes=max_bytes)
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    if total == 0:
        spool.close()
        raise rejected("empty")
    spool.seek(0)
    return spool


def _checked_content(
    spool: tempfile.SpooledTemporaryFile[bytes], policy: UploadPolicy
) -> tuple[bytes, str, str]:
    """The bytes to store, their MIME type and extension, or UploadRejected."""
    content_type = inspect.sniff(spool.read(inspect.SNIFF_BYTES))
    spool.seek(0)
    if content_type in inspect.ARCHIVE_TYPES:
        raise rejected("archive")
    accepted = policy.accepted_types()
    if content_type not in accepted:
        raise rejected("type_not_accepted", kinds=policy.kinds)
    fmt, extension = accepted[content_type]
    if fmt == "PDF":
        data = spool.read()  # at most policy.max_bytes
        inspect.check_pdf(data)
        return data, content_type, extension
    source = io.BytesIO(spool.read())
    return (
        inspect.reencode_image(source, fmt=fmt, max_pixels=policy.max_pixels),
        content_type,
        extension,
    )


@transaction.atomic
def upload_accept(
    *, file: File[bytes], owner: AbstractBaseUser | None, policy: UploadPolicy
) -> Upload:
    """Check `file` against `policy` and keep it, waiting for its virus scan.

    Raises `UploadRejected(code, message)` with a translated message for the form. The type is
    read from the bytes (libmagic), never from the name or the browser; images are re-encoded
    (EXIF and GPS gone); PDFs with active content, archives, HTML, SVG and anything else are
    refused. The returned upload is `pending_scan` and is served only once a scan says clean.
    """
    with _read_bounded(file, max_bytes=policy.max_bytes) as spool:
        content, content_type, extension = _checked_content(spool, policy)
    today = timezone.now()
    # The storage name is ours alone: date folders and 128 random bits, no part of the user's name.
    name = f"{today:%Y/%m}/{secrets.token_hex(16)}{extension}"
    stored = uploads_storage().save(name, ContentFile(content))
    try:
        upload = Upload.objects.create(
            display_name=inspect.display_name(file.name or "", extension=extension),
            storage_name=stored,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by_id=owner.pk if owner is not None else None,
        )
        audit_record(
            action="core.upload.accepted",
            obj=upload,
            actor=owner,
            data={"type": content_type, "size": upload.size, "sha256": upload.sha256},
        )
    except BaseException:
        uploads_storage().delete(stored)
        raise
    upload_id = upload.pk
    transaction.on_commit(lambda: enqueue_scan(upload_id))
    return upload
