"""The checks on an upload's bytes: its real type, its name, and what images and PDFs may carry.

Nothing here trusts the file name or the browser's content type. The type is what libmagic reads
in the bytes; images are decoded and written again (so whatever else the file held is gone), and
PDFs, which are kept as sent, are searched for active content.
"""

import io
import re
import unicodedata
import zlib
from typing import IO

import magic
from PIL import Image, ImageFile, ImageOps

from majlis.core.uploads.errors import rejected

SNIFF_BYTES = 64 * 1024

# What libmagic calls archives: refused with their own message (a zip bomb is just a zip).
ARCHIVE_TYPES = frozenset(
    {
        "application/zip",
        "application/x-zip-compressed",
        "application/java-archive",
        "application/gzip",
        "application/x-gzip",
        "application/x-bzip2",
        "application/x-xz",
        "application/x-lzma",
        "application/x-lzip",
        "application/zstd",
        "application/x-7z-compressed",
        "application/x-rar",
        "application/vnd.rar",
        "application/x-rar-compressed",
        "application/x-tar",
        "application/x-compress",
        "application/x-archive",
        "application/x-cpio",
        "application/vnd.ms-cab-compressed",
    }
)


def sniff(head: bytes) -> str:
    """The MIME type libmagic reads in the first bytes of a file."""
    return str(magic.from_buffer(head, mime=True))


# --- Names ------------------------------------------------------------------------------------

_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_UNSAFE_CHARACTERS = set('/\\:*?"<>|')


def display_name(raw: str, *, extension: str) -> str:
    """The user's file name made safe to show and to offer in a download, never used as a path.

    Folders are dropped (`../../etc/passwd.jpg` is `passwd.jpg`), as are control and format
    characters (NUL, new lines, right-to-left overrides that make `gpj.exe` read `exe.jpg`), and
    the extension is the one of the type the bytes really are.
    """
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if char.isspace() else char
        for char in name
        if unicodedata.category(char) not in _UNSAFE_CATEGORIES or char.isspace()
    )
    name = "".join("_" if char in _UNSAFE_CHARACTERS else char for char in name)
    name = " ".join(name.split())
    stem, dot, _extension = name.rpartition(".")
    stem = (stem if dot else name).strip(" .")[:120].strip(" .") or "file"
    return stem + extension


# --- Images -----------------------------------------------------------------------------------

_JPEG_MODES = {"L", "RGB"}
_PNG_MODES = {"1", "L", "LA", "RGB", "RGBA", "I;16"}


def reencode_image(source: IO[bytes], *, fmt: str, max_pixels: int) -> bytes:
    """Decode the picture and write a new file of the same format from its pixels alone.

    Its size is read from the header and checked before anything is decoded (Pillow's own bomb
    check, `Image.MAX_IMAGE_PIXELS`, backs it up). Orientation is applied, then EXIF (GPS
    included), ICC, XMP, comments, text chunks, other frames and any trailing bytes are left
    behind.
    """
    image: Image.Image
    # A library may have told Pillow to pad truncated files (WeasyPrint does, on import): a
    # damaged picture must be refused, whatever else runs in this process.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image = Image.open(source, formats=[fmt])
        width, height = image.size
        if width * height > max_pixels:
            raise rejected("too_many_pixels")
        image.load()
        image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise rejected("too_many_pixels") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise rejected("damaged") from exc
    if fmt == "JPEG" and image.mode not in _JPEG_MODES:
        image = image.convert("RGB")
    elif fmt == "PNG" and image.mode not in _PNG_MODES:
        image = image.convert("RGBA")
    elif fmt == "WEBP" and image.mode not in {"RGB", "RGBA"}:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    # Pillow's PNG writer copies an ICC profile from `info`; the others take only what is passed.
    image.info = {}
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=90, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG")
    else:
        image.save(out, "WEBP", quality=90)
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------------

# Names that make a PDF do something when opened or clicked, or carry other files.
PDF_ACTIVE_NAMES = frozenset(
    {
        "JavaScript",  # a script, or the document's table of scripts
        "JS",  # the script of a JavaScript action
        "OpenAction",  # an action run when the document opens
        "AA",  # actions run on page, field or document events
        "Launch",  # runs a program or opens a file
        "EmbeddedFile",  # an attached file
        "EmbeddedFiles",  # the document's table of attached files
        "FileAttachment",  # an annotation holding a file
        "XFA",  # an XML form, which can carry its own scripts
        "RichMedia",  # Flash and video players
        "SubmitForm",  # sends form data to a server
        "ImportData",  # reads form data from a file
        "GoToE",  # opens an embedded document
    }
)
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r /()<>\[\]{}%]+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<![A-Za-z])stream\r?\n")
# HTML a browser would act on if the file were ever sniffed as a page: a PDF+HTML polyglot. None
# of these can start a PDF hex string (their second letter is not a hex digit).
_HTML = re.compile(
    rb"<\s*(?:script|html|body|iframe|svg|object|embed|meta|img|form|!doctype)[\s>/]", re.I
)
PDF_INFLATE_BUDGET = 64 * 1024 * 1024
_FILTERS = frozenset(
    {"FlateDecode", "Fl", "LZWDecode", "LZW", "ASCII85Decode", "A85", "ASCIIHexDecode", "AHx"}
    | {"RunLengthDecode", "RL", "Crypt", "DCTDecode", "JPXDecode", "JBIG2Decode", "CCITTFaxDecode"}
)


def _names(data: bytes) -> set[str]:
    return {
        _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")
        for raw in _NAME.findall(data)
    }


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that can act (scripts, actions, launches), carries files or XML forms, is
    encrypted (so cannot be read), or hides another format (HTML, or bytes after its end).

    Names are read with `#xx` escapes decoded, in the file's objects (stream contents left out:
    compressed bytes would match by chance) and inside every object stream, where PDF 1.5 and
    later keep most dictionaries. An object stream compressed other than with FlateDecode, or
    that does not inflate, is refused as uncheckable; inflating stops at PDF_INFLATE_BUDGET.
    """
    if not data.startswith(b"%PDF-"):
        raise rejected("mixed_content")
    end = data.rfind(b"%%EOF")
    if end == -1:
        raise rejected("damaged")
    if len(data) - end > 1024:  # readers look for %%EOF in the last 1024 bytes; more is a rider
        raise rejected("mixed_content")
    if _HTML.search(data):
        raise rejected("mixed_content")
    skeleton: list[bytes] = []
    inflated: list[bytes] = []
    budget = PDF_INFLATE_BUDGET
    position = 0
    for match in _STREAM.finditer(data):
        if match.start() < position:
            continue  # the word inside a stream's own contents
        start = match.end()
        stop = data.find(b"endstream", start)
        stop = len(data) if stop == -1 else stop
        skeleton.append(data[position:start])
        position = stop
        dictionary = _names(data[data.rfind(b"obj", 0, match.start()) : match.start()])
        if "ObjStm" not in dictionary:
            continue  # page content, images, fonts: no dictionaries inside
        filters = dictionary & _FILTERS
        if not filters:
            inflated.append(data[start:stop])
            continue
        if not filters <= {"FlateDecode", "Fl"}:
            raise rejected("pdf_unchecked")
        try:
            plain = zlib.decompressobj().decompress(data[start:stop], budget + 1)
        except zlib.error:
            raise rejected("pdf_unchecked") from None
        if len(plain) > budget:
            raise rejected("pdf_unchecked")
        budget -= len(plain)
        inflated.append(plain)
    skeleton.append(data[position:])
    names = _names(b"".join(skeleton))
    for plain in inflated:
        names |= _names(plain)
    if "Encrypt" in names:
        raise rejected("pdf_encrypted")
    if names & PDF_ACTIVE_NAMES:
        raise rejected("pdf_active_content")
