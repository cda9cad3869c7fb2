"""No third-party requests (QUALITY P7): nothing in our CSS or templates points off-site."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REMOTE = re.compile(r"""(?:url\(\s*["']?|(?:src|href)=["'])(?:https?:)?//""", re.IGNORECASE)


def test_it_builds_a_stylesheet_without_remote_fonts_or_images():
    css = (ROOT / "majlis/static/majlis/css/app.css").read_text()
    assert "@font-face" not in css or not REMOTE.search(css)
    assert not REMOTE.search(css), REMOTE.search(css)


def test_it_has_no_template_that_loads_from_another_origin():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("majlis/**/templates/**/*.html")
        if REMOTE.search(path.read_text())
    ]
    assert offenders == []
