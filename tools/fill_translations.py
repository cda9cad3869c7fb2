"""Fill the Arabic catalogue from JSON files of translations, then drop obsolete entries.

Usage: .venv/bin/python tools/fill_translations.py translations/*.json
Each file maps a msgid to its Arabic text, or to {"plural": [six forms]} for a plural entry
(Arabic has six: zero, one, two, few, many, other). `--missing` lists what is still untranslated.
"""

import json
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "majlis/locale/ar/LC_MESSAGES/django.po"


def _untranslated(entry: polib.POEntry) -> bool:
    return "fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values()))


def main(argv: list[str]) -> int:
    po = polib.pofile(str(CATALOGUE), wrapwidth=100)
    known: dict[str, object] = {}
    for name in [a for a in argv if not a.startswith("--")]:
        known.update(json.loads(Path(name).read_text(encoding="utf-8")))
    for entry in po:
        if entry.obsolete or entry.msgid not in known:
            continue
        value = known[entry.msgid]
        if entry.msgid_plural:
            forms = value["plural"] if isinstance(value, dict) else [value] * 6
            entry.msgstr_plural = dict(enumerate(forms))
        elif isinstance(value, str):
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    for entry in [e for e in po if e.obsolete]:
        po.remove(entry)
    po.save()
    missing = [e.msgid for e in po if not e.obsolete and _untranslated(e)]
    if "--missing" in argv:
        print(json.dumps(dict.fromkeys(missing, ""), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
