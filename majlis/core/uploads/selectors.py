"""Reading uploads. Access gates belong to the app that owns the thing an upload is attached to
(a case, a message): it finds the upload through its own rows, then serves it."""

from majlis.core.choices import UploadStatus
from majlis.core.models import Upload


def upload_get(*, public_id: str) -> Upload | None:
    """The upload with this public id, whatever its status (no access check: see above)."""
    return Upload.objects.filter(public_id=public_id).first()


def upload_is_servable(upload: Upload) -> bool:
    """Only a file a scan found clean may leave the server."""
    return upload.status == UploadStatus.CLEAN
