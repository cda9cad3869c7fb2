"""A service's form, built as a Django form from a FormVersion, in the citizen's language.

    form_class = form_class_for(version, language="ar", authority=authority)
    form = form_class(request.POST or None, request.FILES or None, user=request.user)
    if form.is_valid():
        answers = form.answers()   # JSON-serialisable, files as metadata
        files = form.uploads()     # {"reason_letter": UploadedFile, "companions.0.id_image": …}

Repeatable groups are formsets whose prefix is the group's name (`companions-0-name`,
`companions-TOTAL_FORMS`). Conditions (`show_if`) are decided on the server from the posted
values; the page's script only shows and hides. Fields filled from national sign-on are locked:
they render disabled, and whatever is posted for them is ignored.
"""

import datetime
import json
import os
from decimal import Decimal
from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from majlis.catalogue.form_schema import file_policy
from majlis.catalogue.models import Authority, FormVersion
from majlis.core.i18n import format_hijri
from majlis.core.national_id import InvalidNationalId, normalize_national_id
from majlis.core.phone import InvalidMobile, normalize_mobile

__all__ = ["DynamicForm", "file_policy", "form_class_for"]

NAME_PARTS = ("first", "father", "grandfather", "family")


def _text(meta: dict[str, Any], key: str, language: str) -> str:
    first, second = (f"{key}_ar", f"{key}_en") if language == "ar" else (f"{key}_en", f"{key}_ar")
    return str(meta.get(first) or meta.get(second) or "")


class FourPartNameWidget(forms.MultiWidget):
    """Four text boxes, each with its own visible label (first, father, grandfather, family)."""

    template_name = "catalogue/forms/name4.html"

    def __init__(self, part_labels: list[str], attrs: dict[str, Any] | None = None) -> None:
        self.part_labels = part_labels
        super().__init__(
            [forms.TextInput(attrs={"autocomplete": "off"}) for _p in NAME_PARTS], attrs
        )

    def decompress(self, value: Any) -> list[Any]:
        return list(value) if value else [None] * len(NAME_PARTS)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.part_labels, strict=True):
            subwidget["part_label"] = label
        return context


class FourPartNameField(forms.MultiValueField):
    """The four-part name as an ordered list of its parts."""

    def __init__(self, *, part_labels: list[str], **kwargs: Any) -> None:
        fields = [forms.CharField(max_length=60) for _p in NAME_PARTS]
        super().__init__(
            fields, widget=FourPartNameWidget(part_labels), require_all_fields=True, **kwargs
        )

    def compress(self, data_list: list[str]) -> list[str]:
        return [part.strip() for part in data_list] if data_list else []


class HijriDateInput(forms.DateInput):
    """A Gregorian date box; the page shows the Umm al-Qura date beside it."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _field_for(meta: dict[str, Any], cls: type["DynamicForm"]) -> forms.Field:
    """A Django field for one entry of a definition, labelled and with errors in `cls.language`."""
    language = cls.language
    kind = meta["type"]
    required = bool(meta.get("required", False)) or kind == "declaration"
    common: dict[str, Any] = {
        "label": _text(meta, "label", language),
        "help_text": _text(meta, "help", language),
        "required": required,
        "error_messages": {"required": _("This field is required.")},
    }
    field: forms.Field
    if kind in ("text", "textarea"):
        widget = forms.Textarea(attrs={"rows": 4}) if kind == "textarea" else forms.TextInput
        field = forms.CharField(
            max_length=meta.get("max_length", 4000 if kind == "textarea" else 200),
            widget=widget, **common,
        )  # fmt: skip
    elif kind == "number":
        places = meta.get("decimal_places", 0)
        limits: dict[str, Any] = {"min_value": meta.get("min"), "max_value": meta.get("max")}
        attrs = {"inputmode": "numeric" if not places else "decimal", "dir": "ltr"}
        if places:
            field = forms.DecimalField(decimal_places=places, **limits, **common)
        else:
            field = forms.IntegerField(**limits, **common)
        field.widget.attrs.update(attrs)
    elif kind == "date":
        field = forms.DateField(widget=HijriDateInput(attrs={"dir": "ltr"}), **common)
    elif kind in ("choice", "multichoice"):
        options = [(o["value"], _text(o, "label", language)) for o in meta["options"]]
        if kind == "choice":
            if meta.get("widget") == "select":
                field = forms.ChoiceField(
                    choices=[("", _("Choose…")), *options], widget=forms.Select, **common
                )
            else:
                field = forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        else:
            field = forms.MultipleChoiceField(
                choices=options, widget=forms.CheckboxSelectMultiple, **common
            )
    elif kind == "phone":
        field = forms.CharField(
            max_length=20,
            widget=forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "dir": "ltr", "inputmode": "tel"}
            ),
            **common,
        )
    elif kind == "email":
        field = forms.EmailField(
            widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}), **common
        )
    elif kind == "national_id":
        field = forms.CharField(
            max_length=20,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
            **common,
        )
    elif kind == "name4":
        labels = [_("First name"), _("Father's name"), _("Grandfather's name"), _("Family name")]
        incomplete = _("Enter all four parts of the name.")
        common["error_messages"].update({"required": incomplete, "incomplete": incomplete})
        field = FourPartNameField(part_labels=labels, **common)
    elif kind == "file":
        policy = file_policy(meta)
        accept = ",".join(f".{kind}" for kind in policy["kinds"])
        field = forms.FileField(widget=forms.FileInput(attrs={"accept": accept}), **common)
    elif kind == "declaration":
        common["error_messages"]["required"] = _("Tick the declaration to continue.")
        field = forms.BooleanField(**common)
    else:  # pragma: no cover - definitions are validated on save
        raise ValueError(kind)
    return field


class DynamicForm(forms.Form):
    """A form built from a definition; subclasses made by `form_class_for` set the class data."""

    definition: ClassVar[list[dict[str, Any]]] = []
    language: ClassVar[str] = "ar"
    region: ClassVar[str] = "SA"
    country: ClassVar[str] = "SA"
    show_hijri: ClassVar[bool] = False
    version_id: ClassVar[int | None] = None
    group_classes: ClassVar[dict[str, type[BaseFormSet[Any]]]] = {}
    # Conditional fields are often hidden: a browser must not block the form on them.
    use_required_attribute = False

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metas = {meta["name"]: meta for meta in self.definition}
        self.locked: dict[str, Any] = {}
        self._prefill(user)
        self.hidden = self._hidden_names()
        self.groups: dict[str, BaseFormSet[Any]] = {}
        for name, formset_class in self.group_classes.items():
            bound = self.is_bound and name not in self.hidden
            self.groups[name] = formset_class(
                self.data if bound else None,
                self.files if bound else None,
                prefix=self.add_prefix(name),
                auto_id=str(self.auto_id) if self.auto_id else "",
            )
        for name in self.hidden:
            if name in self.fields:
                # Not required; its posted value and any error are dropped in clean(). It stays
                # enabled, so the page's script can show it again when the controller changes.
                self.fields[name].required = False

    # -- prefill and lock ---------------------------------------------------------------------

    def _prefill(self, user: Any) -> None:
        if user is None or not getattr(user, "is_authenticated", False):
            return
        from_sso = bool(getattr(user, "national_id", ""))
        parts = (user.name_parts_ar, user.name_parts_en)
        if self.language != "ar":
            parts = parts[::-1]
        name_parts = next((list(p) for p in parts if p), [])
        for name, meta in self.metas.items():
            source = meta.get("prefill")
            value: Any = None
            lock = False
            if source == "name":
                if meta["type"] == "name4" and len(name_parts) == len(NAME_PARTS):
                    value = name_parts
                elif meta["type"] == "text":
                    value = " ".join(name_parts) or user.display_name
                lock = from_sso
            elif source == "national_id":
                value, lock = user.national_id, from_sso
            elif source == "phone":
                value, lock = user.phone, bool(user.phone_from_sso)
            elif source == "email":
                value, lock = user.email, bool(user.email_from_sso)
            if not value:
                continue
            self.initial[name] = value
            if lock:
                self.locked[name] = value
                self.fields[name].disabled = True

    # -- conditions ---------------------------------------------------------------------------

    def _raw(self, name: str) -> Any:
        if name in self.locked:
            return self.locked[name]
        if not self.is_bound:
            return self.initial.get(name)
        widget = self.fields[name].widget
        return widget.value_from_datadict(self.data, self.files, self.add_prefix(name))

    def _hidden_names(self) -> set[str]:
        hidden: set[str] = set()
        # Controllers come before the fields they control (checked on save), so one pass works.
        for meta in self.definition:
            condition = meta.get("show_if")
            if not condition:
                continue
            controller = condition["field"]
            wanted = condition["value"] if isinstance(condition["value"], list) else [
                condition["value"]
            ]  # fmt: skip
            if controller in hidden:
                hidden.add(meta["name"])
                continue
            raw = self._raw(controller)
            if self.metas[controller]["type"] == "declaration":
                shown = bool(raw) and raw not in ("false", "0", "off") and True in wanted
            else:
                values = raw if isinstance(raw, list) else [raw]
                shown = any(str(value) in wanted for value in values if value is not None)
            if not shown:
                hidden.add(meta["name"])
        return hidden

    # -- validation ---------------------------------------------------------------------------

    def full_clean(self) -> None:
        # Errors in the form's language whatever the request's, kept as plain text.
        with translation.override(self.language):
            super().full_clean()
            if self.is_bound:
                for name, errors in list(self.errors.items()):
                    self.errors[name] = self.error_class(
                        [str(message) for message in errors],
                        error_class=errors.error_class,
                        renderer=self.renderer,
                    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.hidden:
            cleaned.pop(name, None)
            self.errors.pop(name, None)
        for name, meta in self.metas.items():
            if name in cleaned and name not in self.locked:
                try:
                    cleaned[name] = self._check(meta, cleaned[name])
                except ValidationError as error:
                    self.add_error(name, error)
        for name, value in self.locked.items():
            # What national sign-on said is kept as it is, whatever was posted.
            cleaned[name] = value
            self.errors.pop(name, None)
        return cleaned

    def _check(self, meta: dict[str, Any], value: Any) -> Any:
        """The rules Django's field types do not know: IDs, mobiles, files, dates."""
        kind = meta["type"]
        if value in (None, "", []):
            return value
        if kind == "phone":
            try:
                return normalize_mobile(value, self.region)
            except InvalidMobile:
                raise ValidationError(_("Enter a valid mobile number.")) from None
        if kind == "national_id":
            country = meta.get("country", self.country)
            try:
                return normalize_national_id(value, country)
            except InvalidNationalId as error:
                if error.code == "check_digit":
                    raise ValidationError(
                        _("This ID number is not valid: check it for a typo.")
                    ) from None
                raise ValidationError(_ID_FORMATS.get(country, _ID_FORMATS[""])()) from None
        if kind == "date" and meta.get("not_before_today"):
            today = timezone.localdate()
            if value < today:
                raise ValidationError(_("Choose today or a later date."))
        if kind == "file":
            policy = file_policy(meta)
            extension = os.path.splitext(value.name)[1].lstrip(".").lower()
            if extension not in policy["kinds"]:
                raise ValidationError(
                    _("Choose a file of one of these kinds: %(kinds)s.")
                    % {"kinds": ", ".join(policy["kinds"])}
                )
            if value.size > policy["max_bytes"]:
                raise ValidationError(
                    _("The file is larger than %(size)s MB.")
                    % {"size": policy["max_bytes"] // (1024 * 1024)}
                )
        return value

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, formset in self.groups.items():
            if name in self.hidden:
                continue
            with translation.override(self.language):
                valid = formset.is_valid() and valid
        return valid

    # -- results ------------------------------------------------------------------------------

    def answers(self) -> dict[str, Any]:
        """The cleaned values as JSON: dates ISO, decimals as text, files as {name, size}."""
        result: dict[str, Any] = {}
        for name, meta in self.metas.items():
            if name in self.hidden:
                continue
            if meta["type"] == "group":
                result[name] = [
                    row.answers()
                    for row in self.groups[name].forms
                    if row.has_changed() or not row.empty_permitted
                ]
            elif name in self.cleaned_data:
                result[name] = _json_value(self.cleaned_data[name])
        return result

    def uploads(self) -> dict[str, UploadedFile[Any]]:
        """Each uploaded file by its answers path: `reason_letter`, `companions.0.id_image`."""
        found: dict[str, UploadedFile[Any]] = {}
        for name, meta in self.metas.items():
            if name in self.hidden:
                continue
            if meta["type"] == "group":
                rows = [
                    r for r in self.groups[name].forms if r.has_changed() or not r.empty_permitted
                ]
                for index, row in enumerate(rows):
                    for path, upload in row.uploads().items():
                        found[f"{name}.{index}.{path}"] = upload
            elif meta["type"] == "file" and self.cleaned_data.get(name):
                found[name] = self.cleaned_data[name]
        return found

    # -- rendering ----------------------------------------------------------------------------

    def layout(self) -> list[dict[str, Any]]:
        """What the template draws, in order: each field or group with its display facts."""
        items: list[dict[str, Any]] = []
        hijri_locale = "ar-SA-u-ca-islamic-umalqura" if self.language == "ar" else (
            "en-u-ca-islamic-umalqura"
        )  # fmt: skip
        for meta in self.definition:
            name = meta["name"]
            condition = meta.get("show_if")
            item: dict[str, Any] = {
                "name": name,
                "type": meta["type"],
                "meta": meta,
                "hidden": name in self.hidden,
                "locked": name in self.locked,
                "required": bool(meta.get("required")) or meta["type"] == "declaration",
                "label": _text(meta, "label", self.language),
                "help": _text(meta, "help", self.language),
            }
            if condition:
                values = condition["value"] if isinstance(condition["value"], list) else [
                    condition["value"]
                ]  # fmt: skip
                item["show_if"] = self.add_prefix(condition["field"])
                item["show_values"] = json.dumps(
                    [str(v).lower() if v is True else v for v in values]
                )
            if meta["type"] == "group":
                item["formset"] = self.groups[name]
                item["add_label"] = _text(meta, "add_label", self.language) or _("Add")
                item["row_label"] = _text(meta, "row_label", self.language) or item["label"]
                item["max"] = meta.get("max", 20)
            else:
                field = self[name]
                item["field"] = field
                if meta["type"] == "file" and self.is_bound:
                    # A file accepted earlier (kept in the draft) or just now: not asked for again.
                    item["kept"] = getattr(self.files.get(field.html_name), "kept_upload", None)
                if meta["type"] == "date" and self.show_hijri:
                    item["hijri_locale"] = hijri_locale
                    item["hijri"] = _hijri_of(field.value(), self.language)
            items.append(item)
        return items


_ID_FORMATS = {
    "SA": lambda: _("Enter the 10-digit national ID or iqama number, starting with 1 or 2."),
    "AE": lambda: _("Enter the 15-digit Emirates ID, such as 784-1990-1234567-1."),
    "JO": lambda: _("Enter the 10-digit national number."),
    "OM": lambda: _("Enter the civil number (up to 9 digits)."),
    "": lambda: _("Enter a valid ID number."),
}


def _hijri_of(value: Any, language: str) -> str:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return ""
    if isinstance(value, datetime.date):
        return format_hijri(value, language)
    return ""


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, UploadedFile):
        return {"name": os.path.basename(value.name or ""), "size": value.size}
    return value


def _form_class(
    fields: list[dict[str, Any]], *, language: str, authority: Authority | None,
    version_id: int | None, class_name: str,
) -> type[DynamicForm]:  # fmt: skip
    attrs: dict[str, Any] = {
        "definition": fields,
        "language": language,
        "region": authority.phone_region if authority else "SA",
        "country": authority.country if authority else "SA",
        "show_hijri": authority.show_hijri if authority else False,
        "version_id": version_id,
    }
    cls = cast(type[DynamicForm], type(class_name, (DynamicForm,), attrs))
    groups: dict[str, type[BaseFormSet[Any]]] = {}
    with translation.override(language):
        for meta in fields:
            if meta["type"] == "group":
                row_class = _form_class(
                    meta["fields"], language=language, authority=authority,
                    version_id=version_id, class_name=f"{class_name}_{meta['name']}",
                )  # fmt: skip
                minimum, maximum = meta.get("min", 0), meta.get("max", 20)
                groups[meta["name"]] = formset_factory(
                    row_class, extra=0, min_num=minimum, max_num=maximum, absolute_max=maximum,
                    validate_min=True, validate_max=True,
                )  # fmt: skip
            else:
                cls.base_fields[meta["name"]] = _field_for(meta, cls)
    cls.group_classes = groups
    return cls


def form_class_for(
    version: FormVersion | list[dict[str, Any]],
    *,
    language: str,
    authority: Authority | None = None,
) -> type[DynamicForm]:
    """The Django form class for a version (or a bare list of fields) in `language` ("ar"/"en").

    `authority` gives the phone region, the ID country and whether Hijri dates are shown;
    by default the version's own service's authority.
    """
    language = "ar" if language.startswith("ar") else "en"
    if isinstance(version, FormVersion):
        authority = authority or version.definition.service.authority
        return _form_class(
            version.fields, language=language, authority=authority, version_id=version.pk,
            class_name=f"ServiceForm{version.pk}",
        )  # fmt: skip
    return _form_class(
        version, language=language, authority=authority, version_id=None, class_name="ServiceForm"
    )
