"""What a form field accepts: kinds of file, bytes and pixels."""

from collections.abc import Collection
from dataclasses import dataclass, field

from PIL import Image

# Each kind and the types it admits, as libmagic names them: type -> (Pillow format, extension).
KIND_TYPES: dict[str, dict[str, tuple[str, str]]] = {
    "image": {
        "image/jpeg": ("JPEG", ".jpg"),
        "image/png": ("PNG", ".png"),
        "image/webp": ("WEBP", ".webp"),
    },
    "pdf": {"application/pdf": ("PDF", ".pdf")},
}

MiB = 1024 * 1024


@dataclass(frozen=True)
class UploadPolicy:
    """The rules for one field: `UploadPolicy(kinds={"image"}, max_bytes=5 * MiB)`.

    `max_pixels` bounds an image's width × height, read from its header before anything is
    decoded; it can be no more than Pillow's own bomb limit (`Image.MAX_IMAGE_PIXELS`).
    """

    kinds: Collection[str] = field(default_factory=lambda: frozenset({"image", "pdf"}))
    max_bytes: int = 10 * MiB
    max_pixels: int = 50_000_000

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(KIND_TYPES)
        if unknown or not self.kinds:
            raise ValueError(f"kinds must be among {sorted(KIND_TYPES)}, got {sorted(self.kinds)}")
        if self.max_bytes < 1:
            raise ValueError("max_bytes must be positive")
        bomb = Image.MAX_IMAGE_PIXELS
        if self.max_pixels < 1 or (bomb is not None and self.max_pixels > bomb):
            raise ValueError(f"max_pixels must be between 1 and {bomb}")

    def accepted_types(self) -> dict[str, tuple[str, str]]:
        types: dict[str, tuple[str, str]] = {}
        for kind in sorted(self.kinds):
            types.update(KIND_TYPES[kind])
        return types
