"""The shape of a service's form definition, and the check that a definition is well formed.

A definition is a JSON list of fields, in display order. Every field has a `name` (lower-case
letters, digits and `_`), a `type` (below), `label_ar` / `label_en`, optional `help_ar` /
`help_en`, `required` (default false), and options of its type:

- text, textarea: `max_length`
- number: `min`, `max`, `decimal_places` (0 = whole numbers)
- date: `not_before_today` (true refuses past dates)
- choice, multichoice: `options`: [{value, label_ar, label_en}]; `widget` "radio" / "select"
  (choice) or "checkboxes" (multichoice); a choice with `routes_to_department` true has
  department codes as values and sends the request to the department chosen
- phone, email: no options (phones use the authority's region)
- national_id: `country` (SA, AE, JO, OM; default the authority's country)
- name4: the four-part name (first, father, grandfather, family), stored as an ordered list
- file: `kinds` (file name extensions such as pdf, jpg, png), `max_mb`
- declaration: a checkbox that must be ticked (always required)
- group: a repeatable group: `fields` (any type but group), `min`, `max`,
  `add_label_ar` / `add_label_en` ("Add companion"), `row_label_ar` / `row_label_en` (each row's
  heading before its number: "Companion 2")

Any field may carry `show_if`: {"field": <an earlier field at the same level>, "value": <one
value or a list>}: the field is shown, and required if it is, only when that field has one of
those values; hidden fields are not validated and not kept. `prefill` ("name", "national_id",
"phone", "email") fills the field from the signed-in identity.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIELD_TYPES = (
    "text", "textarea", "number", "date", "choice", "multichoice", "phone", "email",
    "national_id", "name4", "file", "declaration", "group",
)  # fmt: skip
CHOICE_TYPES = ("choice", "multichoice")
PREFILL_SOURCES = {
    "name": ("name4", "text"),
    "national_id": ("national_id",),
    "phone": ("phone",),
    "email": ("email",),
}
ID_COUNTRIES = ("SA", "AE", "JO", "OM")
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_KIND = re.compile(r"[a-z0-9]{1,10}")
_COMMON_KEYS = {"name", "type", "label_ar", "label_en", "help_ar", "help_en", "required",
                "show_if", "prefill"}  # fmt: skip
TYPE_KEYS: dict[str, set[str]] = {
    "text": {"max_length"},
    "textarea": {"max_length"},
    "number": {"min", "max", "decimal_places"},
    "date": {"not_before_today"},
    "choice": {"options", "widget", "routes_to_department"},
    "multichoice": {"options", "widget"},
    "phone": set(),
    "email": set(),
    "national_id": {"country"},
    "name4": set(),
    "file": {"kinds", "max_mb"},
    "declaration": set(),
    "group": {
        "fields",
        "min",
        "max",
        "add_label_ar",
        "add_label_en",
        "row_label_ar",
        "row_label_en",
    },
}
DEFAULT_FILE_KINDS = ("pdf", "jpg", "jpeg", "png")
DEFAULT_FILE_MAX_MB = 5


def _where(index: int, field: Any, parent: str) -> str:
    name = field.get("name") if isinstance(field, dict) else None
    spot = f"{parent}.{index + 1}" if parent else str(index + 1)
    return f"{spot} ({name})" if isinstance(name, str) and name else spot


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_options(field: dict[str, Any], where: str, errors: list[str]) -> None:
    options = field.get("options")
    if not isinstance(options, list) or not options:
        errors.append(
            _("Field %(field)s: give the options as a non-empty list.") % {"field": where}
        )
        return
    seen: set[str] = set()
    for option in options:
        if not (
            isinstance(option, dict)
            and isinstance(option.get("value"), str)
            and option["value"]
            and isinstance(option.get("label_ar"), str)
            and option["label_ar"].strip()
            and isinstance(option.get("label_en"), str)
            and option["label_en"].strip()
        ):
            errors.append(
                _("Field %(field)s: every option needs a value, label_ar and label_en.")
                % {"field": where}
            )
            return
        if option["value"] in seen:
            errors.append(
                _("Field %(field)s: the option value “%(value)s” appears twice.")
                % {"field": where, "value": option["value"]}
            )
        seen.add(option["value"])


def _check_type_options(field: dict[str, Any], where: str, errors: list[str]) -> None:
    kind = field["type"]
    unknown = sorted(set(field) - _COMMON_KEYS - TYPE_KEYS[kind])
    if unknown:
        errors.append(
            _("Field %(field)s: unknown setting(s) %(keys)s for this type.")
            % {"field": where, "keys": ", ".join(unknown)}
        )
    for key in ("max_length", "min", "max", "decimal_places", "max_mb"):
        if key in field and not _is_int(field[key]):
            errors.append(
                _("Field %(field)s: %(key)s must be a whole number.") % {"field": where, "key": key}
            )
    if _is_int(field.get("min")) and _is_int(field.get("max")) and field["min"] > field["max"]:
        errors.append(_("Field %(field)s: min is greater than max.") % {"field": where})
    if kind in CHOICE_TYPES:
        _check_options(field, where, errors)
    if kind == "national_id" and field.get("country", "SA") not in ID_COUNTRIES:
        errors.append(
            _("Field %(field)s: country must be one of %(countries)s.")
            % {"field": where, "countries": ", ".join(ID_COUNTRIES)}
        )
    if kind == "file":
        kinds = field.get("kinds", list(DEFAULT_FILE_KINDS))
        if not (isinstance(kinds, list) and kinds and all(
            isinstance(k, str) and _KIND.fullmatch(k) for k in kinds
        )):  # fmt: skip
            errors.append(
                _("Field %(field)s: kinds must be a list of file name extensions such as pdf.")
                % {"field": where}
            )
    prefill = field.get("prefill")
    if prefill is not None and kind not in PREFILL_SOURCES.get(prefill, ()):
        errors.append(
            _("Field %(field)s: it cannot be filled from “%(source)s”.")
            % {"field": where, "source": prefill}
        )


def _check_condition(
    field: dict[str, Any], where: str, earlier: dict[str, dict[str, Any]], errors: list[str]
) -> None:
    condition = field.get("show_if")
    if condition is None:
        return
    if not (isinstance(condition, dict) and set(condition) == {"field", "value"}):
        errors.append(
            _("Field %(field)s: show_if needs exactly “field” and “value”.") % {"field": where}
        )
        return
    controller = earlier.get(condition["field"])
    if controller is None:
        errors.append(
            _("Field %(field)s: show_if refers to “%(other)s”, which is not a field before it.")
            % {"field": where, "other": condition["field"]}
        )
        return
    values = condition["value"] if isinstance(condition["value"], list) else [condition["value"]]
    if controller["type"] in CHOICE_TYPES:
        known = {o.get("value") for o in controller.get("options", []) if isinstance(o, dict)}
        for value in values:
            if value not in known:
                errors.append(
                    _("Field %(field)s: “%(other)s” has no option “%(value)s”.")
                    % {"field": where, "other": condition["field"], "value": value}
                )
    elif controller["type"] != "declaration":
        errors.append(
            _("Field %(field)s: a field can only depend on a choice or a checkbox.")
            % {"field": where}
        )


def _check_fields(fields: Any, parent: str, errors: list[str]) -> None:
    if not isinstance(fields, list):
        errors.append(_("A form definition is a list of fields."))
        return
    earlier: dict[str, dict[str, Any]] = {}
    for index, field in enumerate(fields):
        where = _where(index, field, parent)
        if not isinstance(field, dict):
            errors.append(_("Field %(field)s: a field is an object.") % {"field": where})
            continue
        name, kind = field.get("name"), field.get("type")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            errors.append(
                _("Field %(field)s: the name must be lower-case Latin letters, digits or _.")
                % {"field": where}
            )
            continue
        if name in earlier:
            errors.append(
                _("Field %(field)s: the name “%(name)s” is used twice.")
                % {"field": where, "name": name}
            )
        if kind not in FIELD_TYPES:
            errors.append(
                _("Field %(field)s: unknown type “%(type)s”.") % {"field": where, "type": kind}
            )
            continue
        if kind == "group" and parent:
            errors.append(_("Field %(field)s: a group cannot hold a group.") % {"field": where})
            continue
        for key in ("label_ar", "label_en"):
            if not isinstance(field.get(key), str) or not field[key].strip():
                errors.append(
                    _("Field %(field)s: %(key)s is required.") % {"field": where, "key": key}
                )
        if "required" in field and not isinstance(field["required"], bool):
            errors.append(_("Field %(field)s: required is true or false.") % {"field": where})
        _check_type_options(field, where, errors)
        _check_condition(field, where, earlier, errors)
        if kind == "group":
            _check_fields(field.get("fields"), where, errors)
        earlier[name] = field


def validate_form_fields(fields: Any) -> None:
    """Raise a ValidationError listing every problem of the definition, in the active language."""
    errors: list[str] = []
    _check_fields(fields, "", errors)
    if errors:
        raise ValidationError(errors)


def file_policy(field: dict[str, Any]) -> dict[str, Any]:
    """The declared rules of a file field, for the upload module: kinds and the size limit.

    `{"kinds": ["pdf", "jpg"], "max_bytes": 5242880}`. The upload module sniffs the content and
    enforces these; the form itself checks only the name's extension and the declared size.
    """
    kinds = [kind.lower() for kind in field.get("kinds", DEFAULT_FILE_KINDS)]
    return {
        "kinds": kinds,
        "max_bytes": int(field.get("max_mb", DEFAULT_FILE_MAX_MB)) * 1024 * 1024,
    }
