"""The shapes of the requests (cases) part of the mobile API: a service's form, a request, its
thread, drafts and the public inquiry."""

import datetime
from typing import Any

from ninja import Field, Schema


class OptionOut(Schema):
    value: str
    label_ar: str
    label_en: str


class ShowIfOut(Schema):
    """Show (and require) the field only while `field` has one of `values`; a declaration
    (checkbox) controller has the value true when ticked."""

    field: str
    values: list[str | bool]


class FieldOut(Schema):
    """One field of a form. Options that do not apply to its type are null.

    Types: text, textarea, number, date (YYYY-MM-DD), choice, multichoice (a list), phone, email,
    national_id, name4 (a list of the four parts: first, father, grandfather, family), file (sent
    as a part of the multipart body named by its answers path), declaration (true), group.
    """

    name: str
    type: str
    required: bool
    label_ar: str
    label_en: str
    help_ar: str
    help_en: str
    prefill: str | None = None
    show_if: ShowIfOut | None = None
    options: list[OptionOut] | None = None
    widget: str | None = None
    max_length: int | None = None
    min: int | None = None
    max: int | None = None
    decimal_places: int | None = None
    not_before_today: bool | None = None
    country: str | None = None
    kinds: list[str] | None = Field(None, description="File name extensions accepted.")
    max_mb: int | None = Field(None, description="The largest file accepted, in MB.")


class FormFieldOut(FieldOut):
    """A field at the top of the form. A group (type `group`) is repeatable: its answer is a
    list of objects, one per row, with `fields` in each; a file in row 1 is the part
    `<group>.1.<field>`. `min` and `max` bound the rows."""

    fields: list[FieldOut] | None = None
    add_label_ar: str | None = None
    add_label_en: str | None = None
    row_label_ar: str | None = None
    row_label_en: str | None = None


class FormOut(Schema):
    authority: str
    service: str
    name: str
    version: int = Field(
        description="The form's version number: send it with the request, so that an answer "
        "to a form that has changed since is refused instead of misread."
    )
    sign_in_required: bool = Field(
        description="Filing needs the national sign-on: a token from an SMS code is not enough."
    )
    registry_check: bool = Field(
        description="The form asks for a permit that is checked in the registry "
        "(GET …/registry before filing shows whose it is)."
    )
    fields: list[FormFieldOut]


class PermitOut(Schema):
    contractor_name_ar: str
    contractor_name_en: str
    classification: str
    expires_on: datetime.date | None
    expired: bool = Field(description="An expired permit can still be renewed.")


class SubmittedOut(Schema):
    reference: str
    status: str
    submitted_at: datetime.datetime


class CaseSummaryOut(Schema):
    reference: str
    authority: str
    service: str
    service_name: str
    status: str
    status_label: str
    submitted_at: datetime.datetime
    unread: int = Field(description="Messages from the officers not read yet.")


class CasePageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[CaseSummaryOut]


class FileOut(Schema):
    id: str
    path: str = Field(description="The answers path of a form's file; empty in a message.")
    name: str
    size: int
    content_type: str
    available: bool = Field(description="False until the virus scan has passed it.")
    download: str


class DocumentOut(Schema):
    """An item of the officer's checklist; send its file as the part `document_<id>`."""

    id: int
    label: str
    fulfilled: bool


class MessageOut(Schema):
    author: str = Field(description="citizen or staff")
    body: str
    created_at: datetime.datetime
    documents: list[DocumentOut]
    files: list[FileOut]


class CaseOut(CaseSummaryOut):
    updated_at: datetime.datetime
    closed_at: datetime.datetime | None
    decision_note: str
    agreed_at: datetime.datetime | None
    answers: dict[str, Any]
    files: list[FileOut]
    messages: list[MessageOut]
    can_reply: bool
    can_cancel: bool


class InquiryOut(Schema):
    reference: str
    status: str
    status_label: str


class DraftIn(Schema):
    answers: dict[str, Any]


class DraftOut(Schema):
    authority: str
    service: str
    version: int
    answers: dict[str, Any]
    files: list[str] = Field(description="Answers paths of files kept from the web page.")
    updated_at: datetime.datetime
