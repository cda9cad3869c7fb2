"""Serving uploads: clean only, as attachments, nosniff and a sandbox CSP; never by URL."""

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from majlis.core.choices import UploadStatus
from majlis.core.models import Upload
from majlis.core.tests import uploads_corpus as corpus
from majlis.core.uploads.policy import UploadPolicy
from majlis.core.uploads.services import upload_accept
from majlis.core.uploads.storage import uploads_storage
from majlis.core.uploads.tasks import upload_scan

pytestmark = pytest.mark.django_db


def clean_upload(name: str, data: bytes) -> Upload:
    upload = upload_accept(file=SimpleUploadedFile(name, data), owner=None, policy=UploadPolicy())
    upload_scan.call(upload.pk)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.CLEAN
    return upload


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def assert_locked_down(response: Any) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.urls("majlis.core.tests.upload_urls")
def test_it_serves_a_clean_pdf_as_an_attachment(client: Client, upload_root: Path) -> None:
    upload = clean_upload("رسالة التعريف.pdf", corpus.plain_pdf())
    response = client.get(f"/file/{upload.public_id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("رسالة التعريف.pdf")
    )
    assert_locked_down(response)
    assert body(response) == corpus.plain_pdf()


@pytest.mark.urls("majlis.core.tests.upload_urls")
def test_it_names_an_ascii_download_plainly(client: Client, upload_root: Path) -> None:
    upload = clean_upload('../../a"b.jpg', corpus.image("JPEG"))
    response = client.get(f"/file/{upload.public_id}/")
    assert response["Content-Disposition"] == 'attachment; filename="a_b.jpg"'
    assert response["Content-Type"] == "image/jpeg"
    body(response)


@pytest.mark.urls("majlis.core.tests.upload_urls")
def test_it_previews_a_picture_inline_still_sandboxed(client: Client, upload_root: Path) -> None:
    upload = clean_upload("id.png", corpus.image("PNG"))
    response = client.get(f"/file/{upload.public_id}/?inline=1")
    assert response["Content-Disposition"] == 'inline; filename="id.png"'
    assert response["Content-Type"] == "image/png"
    assert_locked_down(response)
    body(response)


@pytest.mark.urls("majlis.core.tests.upload_urls")
def test_it_never_shows_a_pdf_inline(client: Client, upload_root: Path) -> None:
    upload = clean_upload("a.pdf", corpus.plain_pdf())
    response = client.get(f"/file/{upload.public_id}/?inline=1")
    assert response["Content-Disposition"].startswith("attachment;")
    body(response)


@pytest.mark.urls("majlis.core.tests.upload_urls")
@pytest.mark.parametrize(
    "status", [UploadStatus.PENDING_SCAN, UploadStatus.QUARANTINED, UploadStatus.REJECTED]
)
def test_it_answers_404_for_anything_not_clean(
    client: Client, upload_root: Path, status: UploadStatus
) -> None:
    upload = upload_accept(
        file=SimpleUploadedFile("a.png", corpus.image("PNG")), owner=None, policy=UploadPolicy()
    )
    Upload.objects.filter(pk=upload.pk).update(status=status)
    response = client.get(f"/file/{upload.public_id}/")
    missing = client.get("/file/no-such-upload/")
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content


def test_it_offers_no_url_for_an_upload(upload_root: Path) -> None:
    with pytest.raises(ValueError, match="no URL"):
        uploads_storage().url("2026/01/x.png")


def test_it_keeps_uploads_outside_every_served_folder() -> None:
    root = Path(django_settings.UPLOADS_ROOT).resolve()
    served = [Path(django_settings.STATIC_ROOT), *map(Path, django_settings.STATICFILES_DIRS)]
    for folder in served:
        assert not root.is_relative_to(folder.resolve())
    storage = uploads_storage()
    assert isinstance(storage, FileSystemStorage)
    assert Path(storage.location).resolve() == root


def test_it_serves_nothing_under_media_or_static(client: Client, upload_root: Path) -> None:
    upload = clean_upload("id.png", corpus.image("PNG"))
    name = upload.storage_name
    assert (upload_root / name).exists()
    for path in (
        f"/media/{name}",
        f"/media/private/{name}",
        f"/static/{name}",
        f"/static/../media/private/{name}",
        f"/{name}",
        f"/media/{upload.public_id}",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
