"""Why an upload was refused: one code and one translated sentence per reason, for the form."""

from collections.abc import Collection

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class UploadRejected(Exception):
    """The file was refused; `message` is ready to show beside the field, in the active language."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


def _type_message(kinds: Collection[str]) -> str:
    if set(kinds) == {"image"}:
        return _("This file type is not accepted: upload a JPG or PNG picture.")
    if set(kinds) == {"pdf"}:
        return _("This file type is not accepted: upload a PDF.")
    return _("This file type is not accepted: upload a JPG, PNG or PDF.")


def rejected(code: str, *, kinds: Collection[str] = (), max_bytes: int = 0) -> UploadRejected:
    """The exception for `code`, its message in the active language."""
    messages = {
        "empty": lambda: _("This file is empty."),
        "too_large": lambda: (
            _("This file is too large: the limit is %(limit)s.")
            % {"limit": filesizeformat(max_bytes)}
        ),
        "type_not_accepted": lambda: _type_message(kinds),
        "archive": lambda: _(
            "Compressed folders (such as ZIP) are not accepted: upload each file on its own."
        ),
        "too_many_pixels": lambda: _(
            "This picture is too large in width and height: upload a smaller copy."
        ),
        "damaged": lambda: _("This file is damaged or incomplete and cannot be opened."),
        "pdf_active_content": lambda: _(
            "This PDF contains scripts, actions or attached files, which are not accepted: "
            "save it again as a plain PDF (for example with “Print to PDF”) and upload that."
        ),
        "pdf_encrypted": lambda: _(
            "This PDF is protected with a password: upload a copy without the password."
        ),
        "pdf_unchecked": lambda: _(
            "This PDF could not be checked: save it again as a plain PDF (for example with "
            "“Print to PDF”) and upload that."
        ),
        "mixed_content": lambda: _(
            "This file hides other content (such as a web page) inside it and is not accepted."
        ),
    }
    return UploadRejected(code, messages[code]())
