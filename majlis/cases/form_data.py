"""A service's form fed from JSON (the mobile API) instead of a browser's POST.

The API validates requests with the same Django form as the web page (one set of rules, one
wording of errors), so it turns the app's answers into the POST a browser would have sent:

    answers = {"full_name": ["أمينة", "سالم", "محمد", "العلي"], "declaration": True,
               "companions": [{"name": "سالم", "id_number": "1000000008"}]}
    files = {"reason_letter": <file>, "companions.0.id_image": <file>}
    data, files = form_data_from_answers(version, answers, files)
    # data: full_name_0..3, declaration=on, companions-TOTAL_FORMS=1, companions-0-name, …
    # files: reason_letter, companions-0-id_image

and back (`answers_from_form_data`) for drafts, which are kept in the POST's shape so that a draft
started in the app opens on the page and the other way round. The web page and the API also
share the steps after validation here: files accepted next to their field, the registry check,
the answers with the registry's reply.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from majlis.accounts.models import User
from majlis.catalogue.form_engine import DynamicForm
from majlis.catalogue.models import Authority, FormVersion
from majlis.catalogue.registry.base import Refusal
from majlis.catalogue.selectors import registry_lookup
from majlis.core.models import Upload
from majlis.core.uploads.errors import UploadRejected
from majlis.core.uploads.policy import MiB, UploadPolicy
from majlis.core.uploads.services import upload_accept

REGISTRY_FIELDS = ("contractor_number", "permit_number", "permit_year")
NAME_PART_COUNT = 4
_SCALARS = (str, int, float, bool)


class AnswersNotValid(Exception):
    """Answers of the wrong shape (an object where a text was expected, …): `errors` maps each
    answers path (`companions.1`, `full_name`) to its messages, in the active language."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _ticked(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("on", "true", "1", "yes")
    return value is True or (isinstance(value, int) and value == 1)


class _Builder:
    """Walks the definition once, writing POST keys and noting answers of the wrong shape."""

    def __init__(self, files: Mapping[str, Any], strict: bool) -> None:
        self.data: MultiValueDict[str, str] = MultiValueDict()
        self.files: MultiValueDict[str, Any] = MultiValueDict()
        self.posted_files = files
        self.strict = strict
        self.errors: dict[str, list[str]] = {}

    def wrong(self, path: str) -> None:
        if self.strict:
            self.errors.setdefault(path, []).append(_("This value is not valid."))

    def fill(
        self, fields: list[dict[str, Any]], answers: Mapping[str, Any], key: str, path: str
    ) -> None:
        for meta in fields:
            name, kind = meta["name"], meta["type"]
            self.one(meta, answers.get(name), f"{key}{name}", f"{path}{name}", kind)

    def one(self, meta: dict[str, Any], value: Any, key: str, path: str, kind: str) -> None:
        if kind == "file":
            posted = self.posted_files.get(path)
            if posted is not None:
                self.files[key] = posted
            return
        if kind == "group":
            self.group(meta, value, key, path)
            return
        if value is None:
            return
        if kind == "name4":
            parts = value if isinstance(value, list) else [value]
            if not all(isinstance(part, _SCALARS) for part in parts):
                self.wrong(path)
                return
            for index, part in enumerate(parts[:NAME_PART_COUNT]):
                self.data[f"{key}_{index}"] = _text(part)
        elif kind == "multichoice":
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(item, _SCALARS) for item in values):
                self.wrong(path)
                return
            self.data.setlist(key, [_text(item) for item in values])
        elif kind == "declaration":
            if not isinstance(value, _SCALARS):
                self.wrong(path)
            elif _ticked(value):
                self.data[key] = "on"
        elif isinstance(value, _SCALARS):
            self.data[key] = _text(value)
        else:
            self.wrong(path)

    def group(self, meta: dict[str, Any], rows: Any, key: str, path: str) -> None:
        if rows is None:
            rows = []
        if not isinstance(rows, list):
            self.wrong(path)
            rows = []
        self.data[f"{key}-TOTAL_FORMS"] = str(len(rows))
        self.data[f"{key}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                self.wrong(f"{path}.{index}")
                row = {}
            self.fill(meta["fields"], row, f"{key}-{index}-", f"{path}.{index}.")


def form_data_from_answers(
    version: FormVersion,
    answers: Mapping[str, Any],
    files: Mapping[str, Any],
    *,
    strict: bool = True,
) -> tuple[MultiValueDict[str, str], MultiValueDict[str, Any]]:
    """The POST data and files a browser would send for these answers and files.

    `files` maps answers paths (`reason_letter`, `companions.0.id_image`) to uploaded files.
    Keys the form does not have are left out, so nothing but the form's fields reaches it.
    With `strict`, an answer of the wrong shape raises AnswersNotValid (every one at once);
    without it (drafts), such answers are dropped.
    """
    builder = _Builder(files, strict)
    builder.fill(version.fields, answers, "", "")
    if builder.errors:
        raise AnswersNotValid(builder.errors)
    return builder.data, builder.files


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        return text


def _read(fields: list[dict[str, Any]], data: Mapping[str, list[str]], key: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for meta in fields:
        name, kind = meta["name"], meta["type"]
        here = f"{key}{name}"
        if kind == "file":
            continue
        if kind == "group":
            try:
                count = int((data.get(f"{here}-TOTAL_FORMS") or ["0"])[0])
            except ValueError:
                count = 0
            count = max(0, min(count, int(meta.get("max", 20))))
            found[name] = [
                _read(meta["fields"], data, f"{here}-{index}-") for index in range(count)
            ]
        elif kind == "name4":
            parts = [(data.get(f"{here}_{index}") or [""])[0] for index in range(NAME_PART_COUNT)]
            if any(parts):
                found[name] = parts
        elif kind == "multichoice":
            if here in data:
                found[name] = list(data[here])
        elif kind == "declaration":
            if here in data:
                found[name] = _ticked((data[here] or [""])[0])
        elif data.get(here):
            value = data[here][0]
            found[name] = _number(value) if kind == "number" else value
    return found


def answers_from_form_data(version: FormVersion, data: Mapping[str, list[str]]) -> dict[str, Any]:
    """The answers (as the API takes them) of a draft kept in the POST's shape ({key: [values]}).

    Files are not part of it: a draft's files are kept apart (`CaseDraft.files`).
    """
    return _read(version.fields, data, "")


def file_path(key: str) -> str:
    """A POST key as an answers path (`companions-0-id_image` → `companions.0.id_image`)."""
    return key.replace("-", ".")


# -- after validation: files, the registry, the answers ------------------------------------------


def _file_slots(form: DynamicForm) -> list[tuple[Any, str]]:
    """Every file field of the form and its group rows, as (the form it is in, its name)."""
    slots: list[tuple[Any, str]] = []
    for name, meta in form.metas.items():
        if name in form.hidden:
            continue
        if meta["type"] == "file":
            slots.append((form, name))
        elif meta["type"] == "group":
            for row in form.groups[name].forms:
                slots += [(row, n) for n, m in row.metas.items() if m["type"] == "file"]
    return slots


def file_field_policy(meta: Mapping[str, Any]) -> UploadPolicy:
    """The upload rules of a file field: PDF stays PDF, any picture extension means a picture."""
    kinds = {"pdf" if kind == "pdf" else "image" for kind in meta.get("kinds", ["pdf", "jpg"])}
    return UploadPolicy(kinds=kinds, max_bytes=int(meta.get("max_mb", 5)) * MiB)


def form_files_accept(form: DynamicForm, user: User) -> dict[str, Upload]:
    """Keep each posted file whose field has no error; a refusal becomes its field's error.

    Returns the uploads by POST key; each accepted file also carries its upload as
    `kept_upload`, which `form_uploads` reads. Call after `form.is_valid()`.
    """
    accepted: dict[str, Upload] = {}
    for owner, name in _file_slots(form):
        key = owner.add_prefix(name)
        posted = form.files.get(key)
        if posted is None or getattr(posted, "kept_upload", None) or owner.errors.get(name):
            continue
        try:
            upload = upload_accept(
                file=posted, owner=user, policy=file_field_policy(owner.metas[name])
            )
        except UploadRejected as refusal:
            owner.add_error(name, refusal.message)
            continue
        posted.kept_upload = upload  # type: ignore[attr-defined]
        accepted[key] = upload
    return accepted


def form_errors_by_path(form: DynamicForm) -> dict[str, list[str]]:
    """The form's errors keyed by answers path: `visit_subject`, `companions.1.id_number`,
    `companions` (about the rows as a whole), `__all__` (about the whole form)."""
    errors = {name: [str(e) for e in problems] for name, problems in form.errors.items()}
    for name, formset in form.groups.items():
        if name in form.hidden or not formset.is_bound:
            continue
        if formset.non_form_errors():
            errors[name] = [str(e) for e in formset.non_form_errors()]
        for index, row in enumerate(formset.forms):
            for field, problems in row.errors.items():
                path = f"{name}.{index}" if field == "__all__" else f"{name}.{index}.{field}"
                errors[path] = [str(e) for e in problems]
    return errors


def form_uploads(form: DynamicForm) -> dict[str, Upload]:
    """The accepted uploads of a valid form by answers path, for `services.case_submit`."""
    return {path: _kept(file) for path, file in form.uploads().items()}


def _kept(file: Any) -> Upload:
    upload: Upload = file.kept_upload  # set by form_files_accept
    return upload


def form_registry_check(form: DynamicForm, authority: Authority) -> Any:
    """The registry's answer when the form asks for a permit (Amman), else None.

    A refusal is added to the form as the error of the field it is about (or the whole form's).
    """
    if not all(name in form.metas for name in REGISTRY_FIELDS):
        return None
    values = {name: form.cleaned_data.get(name) for name in REGISTRY_FIELDS}
    if any(value in (None, "") for value in values.values()):
        return None
    result = registry_lookup(authority=authority, **values)
    if not permit_renewable(result):
        form.add_error(result.field or None, result.message)
    return result


def permit_renewable(result: Any) -> bool:
    """A permit the registry knows; an expired one too, since renewing it is the point."""
    return result.permit is not None and result.refusal in (None, Refusal.EXPIRED)


def registry_answer(result: Any) -> dict[str, Any]:
    """What a request keeps of the registry's reply: the contractor as the registry names them."""
    permit = result.permit
    expires: datetime.date | None = permit.expires_on
    return {
        "contractor_name_ar": permit.name_ar,
        "contractor_name_en": permit.name_en,
        "classification": permit.classification,
        "expires_on": expires.isoformat() if expires else None,
        "expired": permit.expired,
    }


def form_answers(form: DynamicForm, registry: Any) -> dict[str, Any]:
    """The answers of a valid form as the request keeps them, with the registry's reply."""
    answers = form.answers()
    if registry is not None and permit_renewable(registry):
        answers["registry"] = registry_answer(registry)
    return answers
