"""Small shared types."""

from typing import Protocol


class Bilingual(Protocol):
    """Any object with `<field>_ar` / `<field>_en` attributes (checked at run time by name)."""
