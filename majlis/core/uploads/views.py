"""Serving an upload, for views that have already checked the user may see it."""

from django.http import FileResponse, Http404

from majlis.core.models import Upload
from majlis.core.uploads.selectors import upload_is_servable
from majlis.core.uploads.storage import uploads_storage

# The file is a document, never a page: no script, no plug-in, no request of its own, even if a
# browser were to render it.
SANDBOX_CSP = "sandbox; default-src 'none'"


def upload_response(upload: Upload, *, inline: bool = False) -> FileResponse:
    """The file as a download (or, for a picture with `inline=True`, for an `<img>` preview).

    Only clean uploads are served; any other status is a 404, like a missing file. The type is
    the sniffed one, the name the sanitised display name (RFC 6266 `filename*`, so Arabic names
    survive), with `nosniff` and a sandbox CSP so that nothing in it can run on our origin.
    """
    if not upload_is_servable(upload):
        raise Http404
    try:
        stream = uploads_storage().open(upload.storage_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=not (inline and upload.is_image),
        filename=upload.display_name,
        content_type=upload.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
