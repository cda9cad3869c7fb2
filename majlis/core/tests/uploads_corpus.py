"""Files made in code for the upload tests: good ones, and the hostile corpus (QUALITY S9).

Nothing is downloaded. The EICAR test string is assembled from two halves so that this source
file is not itself detected by a virus scanner on a developer's machine.
"""

import io
import struct
import tarfile
import zipfile
import zlib

from PIL import ExifTags, Image

EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)


def image(fmt: str = "PNG", size: tuple[int, int] = (32, 24), **save: object) -> bytes:
    picture = Image.new("RGB", size, (200, 30, 30))
    for x in range(size[0] // 2):  # not one flat colour, so orientation can be checked
        picture.putpixel((x, 0), (0, 0, 255))
    out = io.BytesIO()
    picture.save(out, fmt, **save)
    return out.getvalue()


def noisy_png(size: int = 64) -> bytes:
    import os

    out = io.BytesIO()
    Image.frombytes("RGB", (size, size), os.urandom(size * size * 3)).save(out, "PNG")
    return out.getvalue()


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "MajlisPhone"
    exif[ExifTags.Base.Model] = "Secret model 9"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (25.0, 24.0, 17.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (55.0, 26.0, 41.0)
    return exif


def jpeg_with_gps() -> bytes:
    return image("JPEG", exif=gps_exif().tobytes())


def jpeg_rotated() -> bytes:
    """A 32×24 picture whose EXIF says "rotate 90°": it must come out 24×32."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    return image("JPEG", exif=exif.tobytes())


def jpeg_with_comment(comment: bytes) -> bytes:
    """A JPEG with a COM segment right after SOI (a JPEG+HTML polyglot when it holds HTML)."""
    data = image("JPEG")
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + data[2:]


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int) -> bytes:
    """A tiny file that claims width × height pixels (a pixel bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + png_chunk(b"IEND", b"")
    )


def png_with_text(text: bytes) -> bytes:
    data = image("PNG")
    return data[:33] + png_chunk(b"tEXt", b"Comment\0" + text) + data[33:]


def jpeg_with_dimensions(width: int, height: int) -> bytes:
    data = bytearray(image("JPEG"))
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return out.getvalue()


def zip_bomb() -> bytes:
    """50 MB of zeros in about 50 kB, ten times over in one archive."""
    zeros = b"\0" * (50 * 1024 * 1024)
    return zip_of({f"part{index}.bin": zeros for index in range(10)})


def tar_of(name: str, body: bytes) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        info = tarfile.TarInfo(name)
        info.size = len(body)
        archive.addfile(info, io.BytesIO(body))
    return out.getvalue()


def elf() -> bytes:
    header = b"\x7fELF\x02\x01\x01\x00" + b"\0" * 8
    header += struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x400078, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    return header + b"\0" * 200


def pe() -> bytes:
    dos = bytearray(b"MZ" + b"\0" * 62)
    dos[0x3C:0x40] = struct.pack("<I", 64)
    coff = b"PE\0\0" + struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 224, 0x102)
    optional = struct.pack("<H", 0x10B) + b"\0" * 222
    return bytes(dos) + coff + optional + b"\0" * 256


def pdf(*objects: bytes, trailer: bytes = b"<< /Root 1 0 R /Size 4 >>", tail: bytes = b"") -> bytes:
    """A small PDF from object bodies (numbered from 1), catalog first."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    return out + tail


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def plain_pdf() -> bytes:
    return pdf(CATALOG, PAGES, PAGE)


def pdf_catalog_with(extra: bytes, *more: bytes) -> bytes:
    return pdf(b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>", PAGES, PAGE, *more)


def stream(dictionary: bytes, body: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"


def pdf_with_object_stream(inner: bytes, *, filters: bytes = b"/FlateDecode") -> bytes:
    """Object 4 is an object stream holding object 5 = `inner`."""
    header = b"5 0 "
    body = header + inner
    encoded = zlib.compress(body) if filters == b"/FlateDecode" else body
    if filters == b"/ASCIIHexDecode":
        encoded = body.hex().encode() + b">"
    dictionary = b"/Type /ObjStm /N 1 /First %d /Filter %s" % (len(header), filters)
    return pdf(CATALOG, PAGES, PAGE, stream(dictionary, encoded))


def pdf_from_pillow(pages: int = 2) -> bytes:
    out = io.BytesIO()
    first, *rest = [Image.new("RGB", (200, 280), (255, 255, 255)) for _ in range(pages)]
    first.save(out, "PDF", save_all=True, append_images=rest)
    return out.getvalue()
