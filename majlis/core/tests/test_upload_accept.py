"""upload_accept against the hostile corpus (QUALITY S9): every file refused or neutralised."""

import gzip
import hashlib
import io
import os
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from majlis.core.choices import UploadStatus
from majlis.core.models import AuditEntry, Upload
from majlis.core.tests import uploads_corpus as corpus
from majlis.core.uploads.errors import UploadRejected
from majlis.core.uploads.policy import MiB, UploadPolicy
from majlis.core.uploads.services import upload_accept

pytestmark = pytest.mark.django_db

ANY = UploadPolicy(kinds={"image", "pdf"})


def accept(name: str, data: bytes, policy: UploadPolicy = ANY, **kwargs: object) -> Upload:
    # The browser's claim is always a harmless type: it must make no difference.
    file = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return upload_accept(file=file, owner=kwargs.get("owner"), policy=policy)


def stored_bytes(root: Path, upload: Upload) -> bytes:
    return (root / upload.storage_name).read_bytes()


# id, file name, content, expected code. Content is made when the test runs.
REFUSED: list[tuple[str, str, Callable[[], bytes], str]] = [
    # Web pages and scripts, whatever they are called.
    ("html-named-jpg", "photo.jpg", lambda: corpus.HTML, "type_not_accepted"),
    ("html-named-pdf", "letter.pdf", lambda: corpus.HTML, "type_not_accepted"),
    ("html-named-png", "scan.png", lambda: corpus.HTML, "type_not_accepted"),
    ("html-doctype", "id.jpg", lambda: b"<!DOCTYPE html>\n" + corpus.HTML, "type_not_accepted"),
    ("html-utf8-bom", "id.jpg", lambda: b"\xef\xbb\xbf" + corpus.HTML, "type_not_accepted"),
    ("html-utf16", "id.pdf", lambda: corpus.HTML.decode().encode("utf-16"), "type_not_accepted"),
    ("xhtml", "id.jpg", lambda: b'<?xml version="1.0"?>\n' + corpus.HTML, "type_not_accepted"),
    ("svg-named-jpg", "avatar.jpg", lambda: corpus.SVG, "type_not_accepted"),
    ("svg-named-pdf", "avatar.pdf", lambda: corpus.SVG, "type_not_accepted"),
    ("svg-xml-decl", "a.png", lambda: b'<?xml version="1.0"?>\n' + corpus.SVG, "type_not_accepted"),
    ("javascript", "a.png", lambda: b"fetch('/x',{method:'POST'});\n" * 4, "type_not_accepted"),
    ("php-named-png", "shell.png", lambda: b"<?php system($_GET['c']); ?>\n", "type_not_accepted"),
    (
        "shell-script",
        "run.jpg",
        lambda: b"#!/bin/sh\nrm -rf / --no-preserve-root\n",
        "type_not_accepted",
    ),
    (
        "python-script",
        "run.pdf",
        lambda: b"#!/usr/bin/env python3\nimport os\n",
        "type_not_accepted",
    ),
    ("plain-text", "notes.pdf", lambda: b"Just some notes.\n" * 10, "type_not_accepted"),
    ("csv", "list.jpg", lambda: b"name,id\nAmina,784-1990-1234567-1\n", "type_not_accepted"),
    ("rtf", "doc.pdf", lambda: b"{\\rtf1\\ansi Hello}", "type_not_accepted"),
    ("eicar-named-pdf", "virus.pdf", lambda: corpus.EICAR, "type_not_accepted"),
    # Programs.
    ("elf-executable", "photo.jpg", corpus.elf, "type_not_accepted"),
    ("pe-executable", "photo.pdf", corpus.pe, "type_not_accepted"),
    # Image formats not on the list, and GIF-based polyglots.
    ("gif", "a.gif", lambda: corpus.image("GIF"), "type_not_accepted"),
    (
        "gifar",
        "a.jpg",
        lambda: corpus.image("GIF") + corpus.zip_of({"A.class": b"\xca\xfe"}),
        "type_not_accepted",
    ),
    (
        "php-with-gif-header",
        "a.png",
        lambda: b"GIF89a<?php system($_GET['c']); ?>",
        "type_not_accepted",
    ),
    ("bmp", "a.jpg", lambda: corpus.image("BMP"), "type_not_accepted"),
    ("tiff", "a.jpg", lambda: corpus.image("TIFF"), "type_not_accepted"),
    ("ico", "a.png", lambda: corpus.image("ICO"), "type_not_accepted"),
    # Archives, bombs included.
    (
        "zip-named-pdf",
        "form.pdf",
        lambda: corpus.zip_of({"form.pdf": corpus.plain_pdf()}),
        "archive",
    ),
    ("zip-bomb", "photos.jpg", corpus.zip_bomb, "archive"),
    ("gzip", "a.pdf", lambda: gzip.compress(b"x" * 1000), "archive"),
    ("tar", "a.pdf", lambda: corpus.tar_of("a.pdf", corpus.plain_pdf()), "archive"),
    ("7z", "a.jpg", lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\0" * 64, "archive"),
    ("rar", "a.jpg", lambda: b"Rar!\x1a\x07\x01\x00" + b"\0" * 64, "archive"),
    # PDFs that act, carry files or cannot be checked.
    (
        "pdf-javascript-names",
        "a.pdf",
        lambda: corpus.pdf_catalog_with(b"/Names << /JavaScript 4 0 R >>"),
        "pdf_active_content",
    ),
    (
        "pdf-js-action",
        "a.pdf",
        lambda: corpus.pdf_catalog_with(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        "pdf_active_content",
    ),
    (
        "pdf-openaction",
        "a.pdf",
        lambda: corpus.pdf_catalog_with(b"/OpenAction << /S /URI /URI (http://x) >>"),
        "pdf_active_content",
    ),
    (
        "pdf-launch",
        "a.pdf",
        lambda: corpus.pdf_catalog_with(b"/Outlines << /A << /S /Launch /F (cmd.exe) >> >>"),
        "pdf_active_content",
    ),
    (
        "pdf-embedded-file",
        "a.pdf",
        lambda: corpus.pdf_catalog_with(
            b"/Names << /EmbeddedFiles 4 0 R >>", b"<< /Type /EmbeddedFile >>"
        ),
        "pdf_active_content",
    ),
    (
        "pdf-xfa",
        "a.pdf",
        lambda: corpus.pdf_catalog_with(b"/AcroForm << /Fields [] /XFA 4 0 R >>"),
        "pdf_active_content",
    ),
    (
        "pdf-additional-actions",
        "a.pdf",
        lambda: corpus.pdf_catalog_with(b"/AA << /WC << /S /JavaScript /JS (x) >> >>"),
        "pdf_active_content",
    ),
    (
        "pdf-richmedia",
        "a.pdf",
        lambda: corpus.pdf_catalog_with(b"/Annots [<< /Subtype /RichMedia >>]"),
        "pdf_active_content",
    ),
    (
        "pdf-submitform",
        "a.pdf",
        lambda: corpus.pdf_catalog_with(b"/Annots [<< /A << /S /SubmitForm >> >>]"),
        "pdf_active_content",
    ),
    (
        "pdf-hex-escaped-name",
        "a.pdf",
        lambda: corpus.pdf_catalog_with(b"/Open#41ction << /S /J#61vaScript /JS (x) >>"),
        "pdf_active_content",
    ),
    (
        "pdf-js-in-object-stream",
        "a.pdf",
        lambda: corpus.pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
        "pdf_active_content",
    ),
    (
        "pdf-launch-in-object-stream",
        "a.pdf",
        lambda: corpus.pdf_with_object_stream(b"<< /S /Launch /F (calc.exe) >>"),
        "pdf_active_content",
    ),
    (
        "pdf-object-stream-hex-filter",
        "a.pdf",
        lambda: corpus.pdf_with_object_stream(b"<< /S /JavaScript >>", filters=b"/ASCIIHexDecode"),
        "pdf_unchecked",
    ),
    (
        "pdf-object-stream-corrupt",
        "a.pdf",
        lambda: corpus.pdf(
            corpus.CATALOG,
            corpus.PAGES,
            corpus.PAGE,
            corpus.stream(
                b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", b"\x78\x9cnot zlib at all"
            ),
        ),
        "pdf_unchecked",
    ),
    (
        "pdf-object-stream-inflate-bomb",
        "a.pdf",
        lambda: corpus.pdf(
            corpus.CATALOG,
            corpus.PAGES,
            corpus.PAGE,
            corpus.stream(
                b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
                zlib.compress(b" " * (65 * MiB), 9),
            ),
        ),
        "pdf_unchecked",
    ),
    (
        "pdf-encrypted",
        "a.pdf",
        lambda: corpus.pdf(
            corpus.CATALOG,
            corpus.PAGES,
            corpus.PAGE,
            trailer=b"<< /Root 1 0 R /Encrypt << /Filter /Standard /V 2 >> >>",
        ),
        "pdf_encrypted",
    ),
    # PDF polyglots.
    (
        "pdf-html-polyglot",
        "a.pdf",
        lambda: b"%PDF-1.4\n" + corpus.HTML + corpus.plain_pdf()[9:],
        "mixed_content",
    ),
    (
        "pdf-svg-inside",
        "a.pdf",
        lambda: corpus.pdf_catalog_with(b"/Title (" + corpus.SVG + b")"),
        "mixed_content",
    ),
    (
        "pdf-zip-polyglot",
        "a.pdf",
        lambda: (
            corpus.plain_pdf() + corpus.zip_of({"x.html": corpus.HTML, "x.bin": os.urandom(4096)})
        ),
        "mixed_content",
    ),
    ("pdf-no-eof", "a.pdf", lambda: corpus.plain_pdf().replace(b"%%EOF", b""), "damaged"),
    # Pixel bombs: refused from the header, before decoding.
    (
        "png-20k-by-20k",
        "big.png",
        lambda: corpus.png_header_only(20_000, 20_000),
        "too_many_pixels",
    ),
    (
        "png-over-policy-pixels",
        "big.png",
        lambda: corpus.png_header_only(8_000, 8_000),
        "too_many_pixels",
    ),
    (
        "png-10k-by-10k",
        "big.png",
        lambda: corpus.png_header_only(10_000, 10_000),
        "too_many_pixels",
    ),
    (
        "jpeg-65k-by-65k",
        "big.jpg",
        lambda: corpus.jpeg_with_dimensions(65_000, 65_000),
        "too_many_pixels",
    ),
    # Damaged or disguised pictures.
    ("png-truncated", "a.png", lambda: corpus.noisy_png()[:3000], "damaged"),
    ("jpeg-truncated", "a.jpg", lambda: corpus.image("JPEG", (400, 300))[:300], "damaged"),
    ("jpeg-magic-then-html", "a.jpg", lambda: b"\xff\xd8\xff\xe0" + corpus.HTML, "damaged"),
    (
        "png-magic-then-php",
        "a.png",
        lambda: b"\x89PNG\r\n\x1a\n<?php system($_GET['c']); ?>",
        "type_not_accepted",
    ),
    # Nothing, or nothing useful.
    ("empty", "a.jpg", lambda: b"", "empty"),
    ("nul-bytes", "a.pdf", lambda: b"\0" * 1024, "type_not_accepted"),
    ("random-bytes", "a.jpg", lambda: bytes(range(256)) * 8, "type_not_accepted"),
]


@pytest.mark.parametrize(
    ("name", "make", "code"), [pytest.param(*case[1:], id=case[0]) for case in REFUSED]
)
def test_it_refuses_hostile_files(
    upload_root: Path, name: str, make: Callable[[], bytes], code: str
) -> None:
    with pytest.raises(UploadRejected) as refused:
        accept(name, make())
    assert refused.value.code == code
    assert refused.value.message
    assert not Upload.objects.exists()
    assert not any(path.is_file() for path in upload_root.rglob("*"))


def test_it_refuses_a_truncated_picture_after_weasyprint_was_loaded(upload_root: Path) -> None:
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES at import; the checks must not care."""
    from PIL import ImageFile

    from majlis.cases.pdf import html_to_pdf

    assert html_to_pdf("<p>x</p>").startswith(b"%PDF")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as any other library might leave it
    try:
        with pytest.raises(UploadRejected) as refused:
            accept("a.png", corpus.noisy_png()[:3000])
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    assert refused.value.code == "damaged"


def test_it_refuses_a_file_over_the_size_limit_while_reading(upload_root: Path) -> None:
    class Lying(SimpleUploadedFile):
        """Says it is small; the chunks tell the truth."""

        chunks_read = 0

        def chunks(self, chunk_size: int | None = None):
            for chunk in super().chunks(1024):
                Lying.chunks_read += 1
                yield chunk

    file = Lying("big.jpg", corpus.image("JPEG") + b"\0" * 100_000)
    file.size = 10
    with pytest.raises(UploadRejected) as refused:
        upload_accept(file=file, owner=None, policy=UploadPolicy(max_bytes=4096))
    assert refused.value.code == "too_large"
    assert Lying.chunks_read <= 5  # stopped reading at the limit


def test_it_refuses_a_declared_oversize_file_without_reading_it(upload_root: Path) -> None:
    with translation.override("en"), pytest.raises(UploadRejected) as refused:
        accept("big.pdf", corpus.plain_pdf() + b"%" * 5000, UploadPolicy(max_bytes=2048))
    assert refused.value.code == "too_large"
    assert "2.0\xa0KB" in refused.value.message  # "2.0 KB", the limit in words


@pytest.mark.parametrize(
    ("kinds", "name", "data", "wording"),
    [
        pytest.param(
            {"image"}, "a.pdf", corpus.plain_pdf(), "JPG or PNG picture", id="pdf-to-image-field"
        ),
        pytest.param(
            {"pdf"}, "a.png", corpus.image("PNG"), "upload a PDF", id="image-to-pdf-field"
        ),
        pytest.param(
            {"image", "pdf"}, "a.gif", corpus.image("GIF"), "JPG, PNG or PDF", id="gif-to-any"
        ),
    ],
)
def test_it_names_what_the_field_takes(
    upload_root: Path, kinds: set[str], name: str, data: bytes, wording: str
) -> None:
    with translation.override("en"), pytest.raises(UploadRejected) as refused:
        accept(name, data, UploadPolicy(kinds=kinds))
    assert refused.value.code == "type_not_accepted"
    assert wording in refused.value.message


# --- Neutralised: accepted, with what was dangerous gone -------------------------------------


def test_it_strips_gps_and_camera_exif_from_a_jpeg(upload_root: Path) -> None:
    original = corpus.jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is really there
    upload = accept("family.jpg", original)
    stored = stored_bytes(upload_root, upload)
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "JPEG"
    assert not picture.getexif()
    assert b"Exif" not in stored
    assert b"MajlisPhone" not in stored
    assert upload.content_type == "image/jpeg"
    assert upload.size == len(stored)


def test_it_strips_exif_from_webp(upload_root: Path) -> None:
    upload = accept("a.webp", corpus.image("WEBP", exif=corpus.gps_exif().tobytes()))
    stored = stored_bytes(upload_root, upload)
    assert Image.open(io.BytesIO(stored)).format == "WEBP"
    assert b"EXIF" not in stored
    assert b"MajlisPhone" not in stored


def test_it_applies_the_exif_orientation(upload_root: Path) -> None:
    upload = accept("turned.jpg", corpus.jpeg_rotated())
    picture = Image.open(io.BytesIO(stored_bytes(upload_root, upload)))
    assert picture.size == (24, 32)
    assert not picture.getexif()


@pytest.mark.parametrize(
    ("name", "make", "payload"),
    [
        pytest.param(
            "a.jpg",
            lambda: corpus.jpeg_with_comment(corpus.HTML),
            b"<script",
            id="jpeg-html-polyglot",
        ),
        pytest.param(
            "a.jpg", lambda: corpus.jpeg_with_comment(corpus.SVG), b"<svg", id="jpeg-svg-polyglot"
        ),
        pytest.param(
            "a.jpg",
            lambda: corpus.image("JPEG") + corpus.zip_of({"x.html": corpus.HTML}),
            b"PK\x03\x04",
            id="jpeg-zip-polyglot",
        ),
        pytest.param(
            "a.jpg", lambda: corpus.image("JPEG") + corpus.EICAR, b"EICAR", id="jpeg-eicar-trailer"
        ),
        pytest.param(
            "a.png", lambda: corpus.png_with_text(corpus.HTML), b"<script", id="png-text-chunk-html"
        ),
        pytest.param(
            "a.png", lambda: corpus.image("PNG") + corpus.HTML, b"<html", id="png-html-trailer"
        ),
        pytest.param(
            "a.png",
            lambda: corpus.png_with_text(b"<?php system($_GET['c']); ?>"),
            b"<?php",
            id="png-php-chunk",
        ),
    ],
)
def test_it_neutralises_polyglot_images(
    upload_root: Path, name: str, make: Callable[[], bytes], payload: bytes
) -> None:
    original = make()
    assert payload in original
    upload = accept(name, original)
    stored = stored_bytes(upload_root, upload)
    assert payload not in stored
    Image.open(io.BytesIO(stored)).verify()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("../../etc/passwd.jpg", "passwd.png", id="path-traversal"),
        pytest.param("..\\..\\Windows\\System32\\evil.jpg", "evil.png", id="windows-traversal"),
        pytest.param("/etc/shadow", "shadow.png", id="absolute-path"),
        pytest.param("a\r\nContent-Type: text/html.png", "html.png", id="header-injection"),
        pytest.param("photo.php\x00.png", "photo.php.png", id="nul-byte"),
        pytest.param("photo\u202egnp.exe", "photognp.png", id="right-to-left-override"),
        pytest.param("page.html", "page.png", id="html-extension"),
        pytest.param("جواز السفر.jpeg", "جواز السفر.png", id="arabic"),
        pytest.param("   .png", "file.png", id="blank-name"),
        pytest.param("...", "file.png", id="only-dots"),
        pytest.param(".htaccess", "file.png", id="dot-file"),
        pytest.param('a"b<c>|d?.png', "a_b_c__d_.png", id="reserved-characters"),
        pytest.param("x" * 400 + ".png", "x" * 120 + ".png", id="very-long"),
    ],
)
def test_it_keeps_only_a_safe_display_name(upload_root: Path, name: str, expected: str) -> None:
    upload = accept(name, corpus.image("PNG"))
    assert upload.display_name == expected
    assert not any(ord(char) < 32 or char in "\u202e\u202d" for char in upload.display_name)
    # The stored file's name is Majlis's own: random, under a date folder, inside the root.
    assert "passwd" not in upload.storage_name
    assert ".." not in upload.storage_name
    assert (upload_root / upload.storage_name).resolve().is_relative_to(upload_root.resolve())


# --- Good files ------------------------------------------------------------------------------


def _palette_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 200, 10)).convert("P").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        pytest.param("photo.jpg", lambda: corpus.image("JPEG"), "image/jpeg", id="jpeg"),
        pytest.param("photo.png", lambda: corpus.image("PNG"), "image/png", id="png"),
        pytest.param("photo.webp", lambda: corpus.image("WEBP"), "image/webp", id="webp"),
        pytest.param("palette.png", lambda: _palette_png(), "image/png", id="png-palette"),
        pytest.param("letter.pdf", corpus.plain_pdf, "application/pdf", id="pdf-handmade"),
        pytest.param("scan.pdf", corpus.pdf_from_pillow, "application/pdf", id="pdf-from-pillow"),
        pytest.param(
            "objects.pdf",
            lambda: corpus.pdf_with_object_stream(
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
            ),
            "application/pdf",
            id="pdf-clean-object-stream",
        ),
        pytest.param(
            "image.pdf",
            lambda: corpus.pdf(
                corpus.CATALOG,
                corpus.PAGES,
                corpus.PAGE,
                corpus.stream(
                    b"/Subtype /Image /Filter /FlateDecode", zlib.compress(b"/JS /AA " * 1000)
                ),
            ),
            "application/pdf",
            id="pdf-image-stream-bytes-ignored",
        ),
    ],
)
def test_it_accepts_good_files(
    upload_root: Path, name: str, make: Callable[[], bytes], content_type: str
) -> None:
    data = make()
    upload = accept(name, data)
    assert upload.content_type == content_type
    assert upload.status == UploadStatus.PENDING_SCAN
    assert len(upload.public_id) >= 22
    stored = stored_bytes(upload_root, upload)
    assert upload.sha256 == hashlib.sha256(stored).hexdigest()
    if content_type == "application/pdf":
        assert stored == data  # PDFs are kept exactly as sent


def test_it_records_the_owner_and_an_audit_entry(upload_root: Path, django_user_model) -> None:
    amina = django_user_model.objects.create_user(username="amina", password="x")
    upload = accept("id.png", corpus.image("PNG"), owner=amina)
    assert upload.uploaded_by == amina
    entry = AuditEntry.objects.get(action="core.upload.accepted")
    assert entry.actor == amina
    assert entry.object_id == str(upload.pk)
    assert entry.data["sha256"] == upload.sha256


def test_it_queues_the_scan_after_commit(
    upload_root: Path, django_capture_on_commit_callbacks
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        upload = accept("id.png", corpus.image("PNG"))
    task = DBTaskResult.objects.get(task_path="majlis.core.uploads.tasks.upload_scan")
    assert task.args_kwargs["args"] == [upload.pk]
