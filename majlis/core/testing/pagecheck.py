"""The page checker: run on every HTML page a test renders (house style, habit 10).

It checks what every page must get right whatever it shows: a successful status, HTML whose
elements nest and close, exactly one `h1` that the `<title>` starts with, `lang`/`dir` that match
the active language, no duplicate ids, and a label for every form control.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
# Elements whose end tag HTML lets an author leave out; closed implicitly by their parent.
OPTIONAL_END = {"p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
                "tfoot", "colgroup", "caption", "rt", "rp"}  # fmt: skip
UNLABELLED_OK = {"hidden", "submit", "button", "image", "reset"}
# Inside these, text is code, data or another language on purpose.
NOT_UI_TEXT = {"script", "style", "code", "pre", "bdi", "kbd", "samp", "svg", "template"}
TEXT_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
# Names that stay in Latin letters on Arabic pages.
# "English" is the language's own name, as language pickers show it.
LATIN_ALLOWED = {
    "UAE PASS",
    "Majlis",
    "Google Chrome",
    "Microsoft Edge",
    "Firefox",
    "MPDA",
    "English",
}
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@dataclass
class _Control:
    tag: str
    id: str | None
    labelled: bool


@dataclass
class PageFacts:
    """What the parser saw, kept for assertions beyond the standard checks."""

    problems: list[str] = field(default_factory=list)
    lang: str | None = None
    dir: str | None = None
    title: str = ""
    h1: list[str] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)
    controls: list[_Control] = field(default_factory=list)
    label_targets: set[str] = field(default_factory=set)
    latin_only: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self.stack: list[str] = []
        self.label_depth = 0
        self.in_title = False
        self.h1_depth = 0
        self.h1_text: list[str] = []
        # (tag, is this element's text exempt from the Arabic check?) for every open element.
        self.exempt: list[bool] = []
        # One entry per open <fieldset>: whether its <legend> has been seen (it names the group).
        self.fieldsets: list[bool] = []

    def _text_exempt(self) -> bool:
        return bool(self.exempt) and self.exempt[-1]

    def _note_text(self, text: str) -> None:
        text = " ".join(text.split())
        if not text or _ARABIC.search(text) or not _LATIN_WORD.search(text):
            return
        if text in LATIN_ALLOWED:
            return
        self.facts.latin_only.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        if tag == "html":
            self.facts.lang = values.get("lang")
            self.facts.dir = values.get("dir")
        if "id" in values:
            self.facts.ids[values["id"]] = self.facts.ids.get(values["id"], 0) + 1
        if tag == "fieldset":
            self.fieldsets.append(False)
        if tag == "legend" and self.fieldsets:
            self.fieldsets[-1] = True
        if tag == "label":
            self.label_depth += 1
            if values.get("for"):
                self.facts.label_targets.add(values["for"])
        if tag == "title" and not self.stack.count("svg"):
            self.in_title = True
        if tag == "h1":
            self.h1_depth += 1
            self.h1_text = []
        if tag in {"input", "select", "textarea"}:
            kind = values.get("type", "text").lower()
            if not (tag == "input" and kind in UNLABELLED_OK):
                labelled = bool(
                    self.label_depth
                    or (self.fieldsets and self.fieldsets[-1])
                    or values.get("aria-label", "").strip()
                    or values.get("aria-labelledby", "").strip()
                    or values.get("title", "").strip()
                )
                self.facts.controls.append(_Control(tag, values.get("id"), labelled))
        exempt = (
            self._text_exempt()
            or tag in NOT_UI_TEXT
            or ("lang" in values and tag != "html" and not values["lang"].startswith("ar"))
        )
        if not exempt:
            for name in TEXT_ATTRIBUTES:
                if values.get(name):
                    self._note_text(values[name])
        if tag not in VOID:
            self.stack.append(tag)
            self.exempt.append(exempt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()
            self.exempt.pop()
            self._closed(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if tag not in self.stack:
            if tag not in OPTIONAL_END:
                self.facts.problems.append(f"end tag </{tag}> without a start tag")
            return
        while self.stack:
            top = self.stack.pop()
            self.exempt.pop()
            self._closed(top)
            if top == tag:
                return
            if top not in OPTIONAL_END:
                self.facts.problems.append(f"<{top}> not closed before </{tag}>")

    def _closed(self, tag: str) -> None:
        if tag == "label":
            self.label_depth -= 1
        elif tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()
        elif tag == "title":
            self.in_title = False
        elif tag == "h1":
            self.h1_depth -= 1
            self.facts.h1.append(" ".join("".join(self.h1_text).split()))

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.facts.title += data
        if self.h1_depth:
            self.h1_text.append(data)
        if not self._text_exempt():
            self._note_text(data)


def inspect_page(html: str) -> PageFacts:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    facts = parser.facts
    leftover = [tag for tag in parser.stack if tag not in OPTIONAL_END | {"html", "body", "head"}]
    if leftover:
        facts.problems.append(f"elements never closed: {', '.join(leftover)}")
    facts.title = " ".join(facts.title.split())
    return facts


def check_page(html: str, *, language: str) -> list[str]:
    """Every problem found on the page; an empty list means it passes."""
    facts = inspect_page(html)
    problems = list(facts.problems)
    expected_dir = "rtl" if language == "ar" else "ltr"
    if facts.lang != language:
        problems.append(f'<html lang="{facts.lang}">, expected "{language}"')
    if facts.dir != expected_dir:
        problems.append(f'<html dir="{facts.dir}">, expected "{expected_dir}"')
    if len(facts.h1) != 1:
        problems.append(f"{len(facts.h1)} h1 elements, expected exactly one: {facts.h1}")
    elif not facts.h1[0] or not facts.title.startswith(facts.h1[0]):
        problems.append(f"<title> {facts.title!r} does not start with the h1 {facts.h1[0]!r}")
    duplicates = sorted(name for name, count in facts.ids.items() if count > 1)
    if duplicates:
        problems.append(f"duplicate ids: {', '.join(duplicates)}")
    if language == "ar":
        problems.extend(
            f"untranslated text on an Arabic page: {text!r}" for text in facts.latin_only
        )
    for control in facts.controls:
        if not control.labelled and not (control.id and control.id in facts.label_targets):
            problems.append(f"<{control.tag} id={control.id!r}> has no label")
    return problems
