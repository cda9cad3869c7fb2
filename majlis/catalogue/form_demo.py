"""Demo form definitions for the e-service references: Najran's appointment with the Emirate
(seed 001), Madinah's meeting with an official (002) and Amman's contractor permit renewal (003).

Labels are the seeds' own Arabic words. Choices of governorates, departments, gates and
officials are copied from the demo rows when the demo loads, so a version stays what it was.
Loading twice publishes no new version unless a definition here changed.
"""

from typing import Any

from django.dispatch import receiver
from django.utils.text import slugify

from majlis.catalogue.demo import demo_loaded
from majlis.catalogue.models import Authority, Service
from majlis.catalogue.services import form_definition_save


def _option(value: str, label_ar: str, label_en: str) -> dict[str, str]:
    return {"value": value, "label_ar": label_ar, "label_en": label_en}


def _rows(queryset: Any) -> list[dict[str, str]]:
    return [_option(slugify(row.name_en), row.name_ar, row.name_en) for row in queryset]


def _file(name: str, label_ar: str, label_en: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": "file", "label_ar": label_ar, "label_en": label_en,
            "kinds": ["pdf", "jpg", "jpeg", "png"], "max_mb": 5, **extra}  # fmt: skip


def _identity(*, email_required: bool) -> list[dict[str, Any]]:
    return [
        {"name": "full_name", "type": "name4", "label_ar": "الإسم الرباعي",
         "label_en": "Four-part name", "required": True, "prefill": "name"},
        {"name": "national_id", "type": "national_id", "label_ar": "رقم الهوية",
         "label_en": "ID number", "required": True, "prefill": "national_id", "country": "SA",
         "help_ar": "رقم الهوية الوطنية أو الإقامة (10 أرقام).",
         "help_en": "The national ID or iqama number (10 digits)."},
        {"name": "mobile", "type": "phone", "label_ar": "رقم الجوال", "label_en": "Mobile number",
         "required": True, "prefill": "phone"},
        {"name": "email", "type": "email", "label_ar": "البريد الإلكتروني", "label_en": "E-mail",
         "required": email_required, "prefill": "email"},
    ]  # fmt: skip


def najran_fields(authority: Authority) -> list[dict[str, Any]]:
    departments = authority.departments.filter(is_active=True, receives_visitors=True)
    return [
        {"name": "applicant_type", "type": "choice", "label_ar": "النوع", "label_en": "Type",
         "required": True, "widget": "radio",
         "options": [_option("public", "قطاع عام", "Public sector"),
                     _option("private", "قطاع خاص", "Private sector"),
                     _option("individual", "فرد", "Individual")]},
        *_identity(email_required=True),
        {"name": "governorate", "type": "choice", "label_ar": "المحافظة",
         "label_en": "Governorate", "widget": "select",
         "options": _rows(authority.governorates.filter(is_active=True))},
        {"name": "appointment_type", "type": "choice", "label_ar": "نوع الموعد",
         "label_en": "Appointment type", "required": True, "widget": "select",
         "help_ar": "اختيار نوع الزيارة", "help_en": "Choose the kind of visit.",
         "options": [_option("emir", "موعد مع سمو أمير المنطقة",
                             "Appointment with His Highness the Governor of the Region"),
                     _option("deputy", "موعد مع سمو نائب أمير المنطقة",
                             "Appointment with His Highness the Deputy Governor"),
                     _option("department", "موعد مع إدارة محددة",
                             "Appointment with a specific department")]},
        {"name": "destination", "type": "choice", "label_ar": "جهة الزيارة",
         "label_en": "Destination", "required": True, "widget": "select",
         "help_ar": "اختيار إدارة محددة من قائمة الإدارات المتاحة",
         "help_en": "Choose a department from the list of those available.",
         "show_if": {"field": "appointment_type", "value": "department"},
         "routes_to_department": True,
         "options": [_option(d.code, d.name_ar, d.name_en) for d in departments]},
        {"name": "entry_gate", "type": "choice", "label_ar": "بوابة الدخول",
         "label_en": "Entry gate", "required": True, "widget": "select",
         "options": _rows(authority.gates.filter(is_active=True))},
        {"name": "visit_reason", "type": "choice", "label_ar": "سبب الزيارة",
         "label_en": "Reason for the visit", "required": True, "widget": "select",
         "options": [_option("complaint", "شكوى", "Complaint"),
                     _option("request", "طلب", "Request"),
                     _option("follow-up", "متابعة معاملة", "Following up a transaction"),
                     _option("other", "أخرى", "Other")]},
        {"name": "visit_subject", "type": "textarea", "label_ar": "نص موضوع الزيارة",
         "label_en": "Subject of the visit", "required": True, "max_length": 2000,
         "help_ar": "قم بتوضيح سبب الزيارة هنا بشكل واضح",
         "help_en": "Explain the reason for the visit clearly."},
        _file("reason_letter", "خطاب موضوع الزيارة", "Letter on the subject of the visit",
              required=True),
        _file("id_copy", "صورة من هوية مقدم الطلب", "Copy of the applicant's ID", required=True),
        {"name": "has_belongings", "type": "choice", "label_ar": "هل لديك مرفقات أخرى؟",
         "label_en": "Are you bringing anything with you?", "required": True, "widget": "radio",
         "options": [_option("no", "لا", "No"), _option("yes", "نعم", "Yes")]},
        {"name": "belongings", "type": "multichoice", "label_ar": "مرفقات الزائر",
         "label_en": "What you are bringing", "required": True,
         "help_ar": "قم باختيار المرفقات التي مع الزائر",
         "help_en": "Choose what you will bring with you.",
         "show_if": {"field": "has_belongings", "value": "yes"},
         "options": [_option("car", "سيارة خاصة", "Private car"),
                     _option("phone", "هاتف محمول", "Mobile phone"),
                     _option("tablet", "جهاز لوحي", "Tablet"),
                     _option("laptop", "كمبيوتر محمول", "Laptop")]},
        {"name": "companions", "type": "group", "label_ar": "المرافقون",
         "label_en": "Companions", "min": 0, "max": 10,
         "add_label_ar": "إضافة مرافق", "add_label_en": "Add companion",
         "row_label_ar": "المرافق", "row_label_en": "Companion",
         "help_ar": "يمكنك إضافة أكثر من مرافق بالضغط على «إضافة مرافق».",
         "help_en": "Add as many companions as come with you.",
         "fields": [
             {"name": "name", "type": "text", "label_ar": "الاسم", "label_en": "Name",
              "required": True, "max_length": 200},
             {"name": "id_number", "type": "national_id", "label_ar": "رقم الهوية",
              "label_en": "ID number", "required": True, "country": "SA"},
             _file("id_image", "صورة الهوية", "ID image", required=True,
                   kinds=["jpg", "jpeg", "png", "pdf"]),
         ]},
        {"name": "declaration", "type": "declaration",
         "label_ar": "أقر وأتعهد بصحة البيانات المقدمة وفي حال عدم صحتها سوف تتم إحالتي لجهة "
                     "الاختصاص لتطبيق النظام بحق.",
         "label_en": "I declare that the information given is true; if it is not, I will be "
                     "referred to the competent authority for the law to be applied.",
         "help_ar": "التوقيع على الإقرار الالكتروني", "help_en": "The electronic declaration."},
    ]  # fmt: skip


def madinah_fields(authority: Authority) -> list[dict[str, Any]]:
    officials = authority.officials.filter(is_active=True)
    return [
        *_identity(email_required=False),
        {"name": "office_name", "type": "text", "label_ar": "اسم المكتب الهندسي",
         "label_en": "Engineering office", "required": True, "max_length": 200},
        {"name": "classification_number", "type": "text", "label_ar": "رقم التصنيف",
         "label_en": "Classification number", "required": True, "max_length": 30,
         "help_ar": "رقم تصنيف المكتب الهندسي.", "help_en": "The office's classification number."},
        _file("petition_letter", "خطاب المعروض", "Petition letter", required=True),
        _file("id_copy", "صورة من الهوية", "Copy of the ID", required=True),
        {"name": "other_attachments", "type": "group", "label_ar": "مرفقات أخرى",
         "label_en": "Other attachments", "min": 0, "max": 5,
         "add_label_ar": "إضافة مرفق", "add_label_en": "Add an attachment",
         "row_label_ar": "المرفق", "row_label_en": "Attachment",
         "fields": [_file("file", "المرفق", "Attachment", required=True)]},
        {"name": "official", "type": "choice", "label_ar": "المسئول",
         "label_en": "Official to meet", "required": True, "widget": "select",
         "options": [_option(slugify(o.name_en), f"{o.name_ar} — {o.title_ar}",
                             f"{o.name_en} — {o.title_en}") for o in officials]},
        {"name": "notes", "type": "textarea", "label_ar": "الملاحظات", "label_en": "Notes",
         "max_length": 2000},
        {"name": "requested_date", "type": "date", "label_ar": "تاريخ الموعد",
         "label_en": "Requested date", "required": True, "not_before_today": True},
    ]  # fmt: skip


def amman_fields(_authority: Authority) -> list[dict[str, Any]]:
    return [
        {"name": "contractor_number", "type": "text", "label_ar": "رقم المقاول",
         "label_en": "Contractor number", "required": True, "max_length": 20},
        {"name": "permit_number", "type": "text", "label_ar": "رقم التصريح",
         "label_en": "Permit number", "required": True, "max_length": 20},
        {"name": "permit_year", "type": "number", "label_ar": "سنة التصريح",
         "label_en": "Permit year", "required": True, "min": 2000, "max": 2100},
        {"name": "renewal_reason", "type": "textarea", "label_ar": "سبب التجديد",
         "label_en": "Reason for renewal", "required": True, "max_length": 2000},
        {"name": "phone", "type": "phone", "label_ar": "رقم الهاتف", "label_en": "Phone number",
         "required": True, "prefill": "phone"},
    ]  # fmt: skip


DEMO_FORMS = {
    ("najran", "emirate-appointment"): najran_fields,
    ("madinah", "meet-an-official"): madinah_fields,
    ("amman", "contractor-permit-renewal"): amman_fields,
}


@receiver(demo_loaded)
def form_demo_load(**_kwargs: Any) -> None:
    for (slug, service_slug), build in DEMO_FORMS.items():
        service = Service.objects.select_related("authority").get(
            authority__slug=slug, slug=service_slug
        )
        form_definition_save(service=service, fields=build(service.authority))
