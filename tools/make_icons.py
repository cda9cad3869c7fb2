"""Draws the web-app icons (a stylised majlis arch) into majlis/static/majlis/icons/.

Run with the project's Python after changing the design: `.venv/bin/python tools/make_icons.py`.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "majlis" / "static" / "majlis" / "icons"
BROWN = (108, 69, 39)
GOLD = (214, 176, 98)


def draw(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new(
        "RGB" if maskable else "RGBA", (size, size), BROWN if maskable else (0, 0, 0, 0)
    )
    pen = ImageDraw.Draw(image)
    inset = size * (0.2 if maskable else 0.04)
    if not maskable:
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size * 0.22, fill=BROWN)
    left, right = inset + size * 0.12, size - inset - size * 0.12
    top, bottom = inset + size * 0.12, size - inset - size * 0.14
    width = right - left
    # An arch: a half circle on two posts, the shape of a majlis doorway.
    pen.pieslice((left, top, right, top + width), 180, 360, fill=GOLD)
    pen.rectangle((left, top + width / 2, right, bottom), fill=GOLD)
    door = width * 0.36
    cx = (left + right) / 2
    pen.pieslice(
        (cx - door / 2, top + width * 0.35, cx + door / 2, top + width * 0.35 + door),
        180,
        360,
        fill=BROWN,
    )
    pen.rectangle((cx - door / 2, top + width * 0.35 + door / 2, cx + door / 2, bottom), fill=BROWN)
    return image


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    draw(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
