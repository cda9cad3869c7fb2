"""Demo data: the five reference authorities of the user guides, their services, and one staff
account per role. Every person here is fictitious. Loading is idempotent: rows are found by their
natural keys and brought back to these values, and passwords are set only when an account is new.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.dispatch import Signal

from majlis.accounts.choices import Role
from majlis.accounts.demo import sso_demo_load
from majlis.accounts.models import StaffRole, User
from majlis.catalogue.choices import Country, ServiceKind
from majlis.catalogue.models import (
    Authority,
    Branch,
    ContractorPermit,
    Department,
    EntryGate,
    Governorate,
    Official,
    Service,
)
from majlis.core.services import audit_record

# Sent at the end of demo_load(); the domains above the catalogue add their own demo rows.
demo_loaded = Signal()

# The published demo password; load_demo refuses to run in production.
DEMO_PASSWORD = "majlis-demo"  # noqa: S105  # nosec B105

AUTHORITIES: list[dict[str, Any]] = [
    {
        "slug": "ajman", "code": "AJM", "country": Country.UAE, "phone_region": Country.UAE,
        "time_zone": "Asia/Dubai", "show_hijri": False, "position": 1,
        "name_ar": "دائرة البلدية والتخطيط - عجمان",
        "name_en": "Ajman Municipality and Planning Department",
        "primary_colour": "#7A5A1E", "secondary_colour": "#232528", "phone": "80070",
        "sso_provider_id": "uaepass",
    },
    {
        "slug": "najran", "code": "NJR", "country": Country.SAUDI_ARABIA,
        "phone_region": Country.SAUDI_ARABIA, "time_zone": "Asia/Riyadh", "show_hijri": True,
        "position": 2, "name_ar": "إمارة منطقة نجران", "name_en": "Najran Region Emirate",
        "primary_colour": "#0E6B46", "secondary_colour": "#1F2A24", "sso_provider_id": "nafath",
    },
    {
        "slug": "madinah", "code": "MDN", "country": Country.SAUDI_ARABIA,
        "phone_region": Country.SAUDI_ARABIA, "time_zone": "Asia/Riyadh", "show_hijri": True,
        "position": 3, "name_ar": "أمانة منطقة المدينة المنورة",
        "name_en": "Madinah Regional Municipality", "primary_colour": "#1A5E63",
        "secondary_colour": "#22313A", "phone": "920011940", "sso_provider_id": "nafath",
    },
    {
        "slug": "amman", "code": "GAM", "country": Country.JORDAN, "phone_region": Country.JORDAN,
        "time_zone": "Asia/Amman", "show_hijri": False, "position": 4,
        "name_ar": "أمانة عمّان الكبرى", "name_en": "Greater Amman Municipality",
        "primary_colour": "#8A1C22", "secondary_colour": "#2B2325",
    },
    {
        "slug": "muscat", "code": "MCT", "country": Country.OMAN, "phone_region": Country.OMAN,
        "time_zone": "Asia/Muscat", "show_hijri": False, "position": 5,
        "name_ar": "بلدية مسقط", "name_en": "Muscat Municipality",
        "primary_colour": "#6E2340", "secondary_colour": "#2A2226", "phone": "80077222",
    },
]  # fmt: skip

BRANCHES = {
    "ajman": [
        ("AJ", "عجمان", "Ajman", "مركز سعادة المتعاملين، مدينة عجمان", "Customer Happiness Centre, Ajman City"),
        ("MS", "مصفوت", "Masfout", "مركز سعادة المتعاملين، مدينة مصفوت", "Customer Happiness Centre, Masfout"),
        ("MN", "المنامة", "Manama", "مركز سعادة المتعاملين، مدينة المنامة", "Customer Happiness Centre, Manama"),
    ],
}  # fmt: skip

DEPARTMENTS = {
    "ajman": [
        ("customer-happiness", "إدارة سعادة المتعاملين", "Customer Happiness Department"),
        ("building-permits", "إدارة تراخيص البناء", "Building Permits Department"),
    ],
    "najran": [
        ("citizens-affairs", "إدارة شؤون المواطنين", "Citizens' Affairs Department"),
        ("rights", "إدارة الحقوق العامة", "Public Rights Department"),
        ("security-affairs", "إدارة الشؤون الأمنية", "Security Affairs Department"),
        ("development", "إدارة التنمية والمشاريع", "Development and Projects Department"),
        ("admin-finance", "إدارة الشؤون الإدارية والمالية", "Administrative and Financial Affairs"),
    ],
    "madinah": [
        ("customer-service", "مركز خدمة العملاء", "Customer Service Centre"),
        ("building-licences", "إدارة رخص البناء", "Building Licences Department"),
        ("urban-planning", "إدارة التخطيط العمراني", "Urban Planning Department"),
    ],
    "amman": [
        ("contractors", "قسم تصاريح المقاولين", "Contractor Permits Section"),
        ("complaints", "وحدة الشكاوى", "Complaints Unit"),
    ],
    "muscat": [
        ("contact-centre", "مركز الاتصالات", "Contact Centre"),
        ("health-control", "المديرية العامة للرقابة الصحية", "Directorate General of Health Control"),
        ("roads", "المديرية العامة للطرق والإنارة", "Directorate General of Roads and Lighting"),
        ("cleanliness", "المديرية العامة للنظافة", "Directorate General of Cleanliness"),
        ("planning", "المديرية العامة للتخطيط والتراخيص", "Directorate General of Planning and Permits"),
        ("parks", "المديرية العامة للحدائق", "Directorate General of Parks"),
    ],
}  # fmt: skip

GATES = {
    "najran": [
        ("البوابة الرئيسية", "Main gate"),
        ("البوابة الشمالية", "North gate"),
        ("بوابة المراجعين", "Visitors' gate"),
    ],
}

GOVERNORATES = {
    "najran": [
        ("نجران", "Najran"), ("شرورة", "Sharurah"), ("حبونا", "Hubuna"),
        ("بدر الجنوب", "Badr Al-Janub"), ("يدمة", "Yadamah"), ("ثار", "Thar"),
        ("خباش", "Khubash"), ("الخرخير", "Al-Kharkhir"),
    ],
}  # fmt: skip

OFFICIALS = {
    "madinah": [
        ("building-licences", "م. ماجد عبدالرحمن الساعدي", "Eng. Majed Abdulrahman Al-Saadi",
         "مدير إدارة رخص البناء", "Director of Building Licences"),
        ("urban-planning", "م. رنا خالد العمري", "Eng. Rana Khalid Al-Omari",
         "مديرة إدارة التخطيط العمراني", "Director of Urban Planning"),
        ("customer-service", "أ. بندر سعيد القحطاني", "Mr. Bandar Saeed Al-Qahtani",
         "مدير مركز خدمة العملاء", "Director of the Customer Service Centre"),
        (None, "م. عادل فهد الجهني", "Eng. Adel Fahad Al-Juhani",
         "وكيل الأمين للتعمير والمشاريع", "Deputy Mayor for Construction and Projects"),
    ],
}  # fmt: skip

NAJRAN_CARD = {
    "conditions_ar": "بيانات مقدم الطلب (الاسم، رقم الهوية).\nإرفاق صورة من هوية مقدم الطلب.\nإرفاق خطاب سبب الزيارة.",
    "conditions_en": "The applicant's details (name, ID number).\nA copy of the applicant's ID.\nA letter stating the reason for the visit.",
    "documents_ar": "صورة الهوية الوطنية أو الإقامة.\nخطاب موضوع الزيارة.",
    "documents_en": "A copy of the national ID or residence permit.\nThe letter on the subject of the visit.",
    "fees_ar": "لا يوجد رسوم", "fees_en": "None",
    "beneficiaries_ar": "المواطنون / المقيمون", "beneficiaries_en": "Citizens / residents",
    "duration_ar": "حسب اتفاقية مستوى الخدمة", "duration_en": "As set by the service level agreement",
    "channels_ar": "مواقع الإمارة", "channels_en": "The Emirate's offices",
    "sign_in_note_ar": "لاستخدام الخدمات يتوجب عليك الدخول من خلال النفاذ الوطني الموحد.",
    "sign_in_note_en": "You must sign in through the National Single Sign-On (Nafath) to use the services.",
}  # fmt: skip

SERVICES: dict[str, list[dict[str, Any]]] = {
    "ajman": [
        {
            "slug": "qareeb", "kind": ServiceKind.VIDEO_QUEUE, "allow_guest": True,
            "max_call_minutes": 30, "department": "customer-happiness", "branches": ["AJ", "MS", "MN"],
            "name_ar": "قريب — الاتصال المرئي", "name_en": "Qareeb — video call",
            "description_ar": "قريب خدمة للاتصال المرئي لمتعاملي الدائرة، تمكنهم من إجراء اتصال مرئي مباشر مع مقدمي الخدمات في مراكز سعادة المتعاملين في مدينة عجمان ومدينة مصفوت ومدينة المنامة، للاستفسار عن الخدمات المقدمة في الدائرة.",
            "description_en": "Qareeb is the department's video-call channel: customers talk face to face with the service staff of the customer happiness centres in Ajman City, Masfout and Manama about any of the department's services.",
            "conditions_ar": "رقم هاتف متحرك إماراتي لاستلام كلمة المرور لمرة واحدة.\nالموافقة على الشروط والأحكام.\nمتصفح Google Chrome أو Microsoft Edge أو Firefox مع كاميرا وميكروفون.",
            "conditions_en": "A UAE mobile number to receive the one-time password.\nAcceptance of the terms and conditions.\nGoogle Chrome, Microsoft Edge or Firefox with a camera and microphone.",
            "fees_ar": "لا يوجد رسوم", "fees_en": "None",
            "beneficiaries_ar": "جميع المتعاملين", "beneficiaries_en": "All customers",
            "duration_ar": "مدة الاتصال 30 دقيقة بحد أقصى", "duration_en": "Calls last at most 30 minutes",
            "channels_ar": "مراكز سعادة المتعاملين في عجمان ومصفوت والمنامة\nالتطبيق الذكي MPDA",
            "channels_en": "Customer happiness centres in Ajman, Masfout and Manama\nThe MPDA smart app",
        },
        {
            "slug": "centre-ticket", "kind": ServiceKind.WALK_IN_QUEUE, "allow_guest": True,
            "department": "customer-happiness", "branches": ["AJ", "MS", "MN"],
            "name_ar": "حجز رقم انتظار في مركز سعادة المتعاملين",
            "name_en": "Queue ticket at a customer happiness centre",
            "description_ar": "احصل على رقم انتظار لمركز سعادة المتعاملين قبل وصولك، وتابع دورك من هاتفك.",
            "description_en": "Take a queue number for a customer happiness centre before you arrive and follow your turn on your phone.",
            "fees_ar": "لا يوجد رسوم", "fees_en": "None",
            "beneficiaries_ar": "جميع المتعاملين", "beneficiaries_en": "All customers",
            "duration_ar": "حسب عدد المنتظرين", "duration_en": "Depends on the number of people waiting",
            "channels_ar": "أجهزة إصدار الأرقام في المراكز", "channels_en": "Ticket machines at the centres",
        },
    ],
    "najran": [
        {
            "slug": "emirate-appointment", "kind": ServiceKind.APPOINTMENT,
            "department": "citizens-affairs",
            "name_ar": "طلب موعد مع الإمارة", "name_en": "Appointment with the Emirate",
            "description_ar": "تتيح هذه الخدمة إمكانية التقدم بطلب موعد في الإمارة.",
            "description_en": "Request an appointment at the Emirate.",
            **NAJRAN_CARD,
        },
    ],
    "madinah": [
        {
            "slug": "meet-an-official", "kind": ServiceKind.APPOINTMENT,
            "department": "customer-service",
            "name_ar": "طلب مقابلة مسؤول (خاص بالمكاتب الهندسية)",
            "name_en": "Meeting with an official (engineering offices)",
            "description_ar": "خدمة تمكن مندوب المكتب الهندسي من رفع طلب لمقابلة مسؤول تتم دراسته من خلال مركز خدمة العملاء.",
            "description_en": "A representative of an engineering office asks to meet an official; the customer service centre studies the request.",
            "conditions_ar": "أن يكون مقدم الطلب مندوباً معتمداً لمكتب هندسي.\nرقم تصنيف المكتب الهندسي.",
            "conditions_en": "The applicant is an accredited representative of an engineering office.\nThe office's classification number.",
            "documents_ar": "خطاب المعروض.\nصورة من الهوية.\nمرفقات أخرى إن وجدت.",
            "documents_en": "The petition letter.\nA copy of the ID.\nOther attachments, if any.",
            "fees_ar": "لا يوجد رسوم", "fees_en": "None",
            "beneficiaries_ar": "المكاتب الهندسية", "beneficiaries_en": "Engineering offices",
            "duration_ar": "حسب دراسة الطلب", "duration_en": "Once the request has been studied",
            "channels_ar": "مركز خدمة العملاء 920011940", "channels_en": "Customer service centre 920011940",
            "sign_in_note_ar": "يتم تسجيل الدخول عن طريق النفاذ الوطني الموحد.",
            "sign_in_note_en": "Sign in through the National Single Sign-On.",
        },
    ],
    "amman": [
        {
            "slug": "contractor-permit-renewal", "kind": ServiceKind.E_SERVICE, "allow_guest": True,
            "department": "contractors",
            "name_ar": "تجديد تصريح مقاولين", "name_en": "Contractor permit renewal",
            "description_ar": "يدخل المقاول رقم المقاول ورقم التصريح وسنة التصريح، فيتحقق النظام من سجل المقاولين ويعرض اسم المقاول، ثم يدخل سبب التجديد ورقم الهاتف ورمز التحقق.",
            "description_en": "Enter the contractor number, permit number and permit year; the system checks the contractor registry and shows the contractor's name, then you give the renewal reason, a phone number and the verification code.",
            "conditions_ar": "أن يكون المقاول مسجلاً في سجل المقاولين لدى الأمانة.\nتصريح صادر سابقاً.",
            "conditions_en": "The contractor is listed in the municipality's contractor registry.\nA previously issued permit.",
            "fees_ar": "حسب فئة التصريح", "fees_en": "According to the permit category",
            "beneficiaries_ar": "المقاولون", "beneficiaries_en": "Contractors",
            "duration_ar": "ثلاثة أيام عمل", "duration_en": "Three working days",
            "channels_ar": "مبنى الأمانة الرئيسي", "channels_en": "The municipality's main building",
        },
    ],
    "muscat": [
        {
            "slug": "inquiries", "kind": ServiceKind.CONTACT, "allow_guest": True,
            "department": "contact-centre",
            "name_ar": "الاستفسارات", "name_en": "Inquiries",
            "description_ar": "اسأل عن إجراءات خدمات البلدية أو حالة معاملة، وسيصلك الرد بالوسيلة التي تفضلها.",
            "description_en": "Ask about a municipal service's procedure or the status of a transaction; the answer reaches you by the channel you prefer.",
            "fees_ar": "لا يوجد رسوم", "fees_en": "None",
            "beneficiaries_ar": "الجميع", "beneficiaries_en": "Everyone",
            "duration_ar": "حسب مستوى الدعم", "duration_en": "Depends on the support tier",
            "channels_ar": "الخط الساخن 80077222\nالرسائل النصية إلى 90888\nالبريد الإلكتروني\nتطبيق الهاتف",
            "channels_en": "Hotline 80077222\nSMS to 90888\nE-mail\nThe mobile app",
        },
        {
            "slug": "complaints", "kind": ServiceKind.CONTACT, "allow_guest": True,
            "department": "contact-centre",
            "name_ar": "الملاحظات والشكاوى", "name_en": "Reports and complaints",
            "description_ar": "أبلغ عن ملاحظة أو شكوى مع صور وموقعك، وتوجَّه إلى الدائرة المختصة لمتابعتها.",
            "description_en": "Report an issue or a complaint with photos and your location; it goes to the responsible directorate for follow-up.",
            "fees_ar": "لا يوجد رسوم", "fees_en": "None",
            "beneficiaries_ar": "الجميع", "beneficiaries_en": "Everyone",
            "duration_ar": "حسب نوع البلاغ", "duration_en": "Depends on the kind of report",
            "channels_ar": "الخط الساخن 80077222\nالفاكس 80077222\nالبريد الإلكتروني\nتطبيق الهاتف مع الصور والموقع",
            "channels_en": "Hotline 80077222\nFax 80077222\nE-mail\nThe mobile app with photos and location",
        },
        {
            "slug": "suggestions", "kind": ServiceKind.CONTACT, "allow_guest": True,
            "department": "contact-centre",
            "name_ar": "الاقتراحات", "name_en": "Suggestions",
            "description_ar": "شاركنا اقتراحاتك لتحسين خدمات البلدية.",
            "description_en": "Share your ideas for better municipal services.",
            "fees_ar": "لا يوجد رسوم", "fees_en": "None",
            "beneficiaries_ar": "الجميع", "beneficiaries_en": "Everyone",
            "channels_ar": "البريد الإلكتروني\nتطبيق الهاتف", "channels_en": "E-mail\nThe mobile app",
        },
    ],
}  # fmt: skip

CONTRACTORS = [
    ("10231", "P-5521", 2025, "مؤسسة الربوة للمقاولات", "Al-Rabwa Contracting Est.", "الثالثة"),
    ("10231", "P-4410", 2024, "مؤسسة الربوة للمقاولات", "Al-Rabwa Contracting Est.", "الثالثة"),
    ("20877", "P-6034", 2025, "شركة جبل اللويبدة للإنشاءات", "Jabal Al-Weibdeh Construction Co.", "الأولى"),
    ("31540", "P-7102", 2026, "مكتب السنديان للأعمال الإنشائية", "Al-Sindiyan Building Works", "الثانية"),
]  # fmt: skip


@dataclass(frozen=True)
class DemoStaff:
    username: str
    authority: str
    role: Role
    name_ar: str
    branch: str | None = None
    department: str | None = None


STAFF = [
    DemoStaff("ajman.video", "ajman", Role.VIDEO_AGENT, "سارة أحمد المطوع"),
    DemoStaff("ajman.counter", "ajman", Role.COUNTER_AGENT, "راشد محمد الكعبي", branch="AJ"),
    DemoStaff("ajman.supervisor", "ajman", Role.SUPERVISOR, "مريم سالم الشامسي"),
    DemoStaff("najran.officer", "najran", Role.DEPARTMENT_OFFICER, "خالد ناصر اليامي",
              department="citizens-affairs"),
    DemoStaff("najran.triage", "najran", Role.TRIAGE, "نورة علي الشهري"),
    DemoStaff("najran.gate", "najran", Role.GATE_OFFICER, "فهد سعد آل منصور"),
    DemoStaff("najran.admin", "najran", Role.AUTHORITY_ADMIN, "عبدالله حمد القحطاني"),
    DemoStaff("madinah.triage", "madinah", Role.TRIAGE, "هدى يوسف الحربي", department="customer-service"),
    DemoStaff("madinah.officer", "madinah", Role.DEPARTMENT_OFFICER, "ياسر عمر المحمدي",
              department="building-licences"),
    DemoStaff("amman.officer", "amman", Role.DEPARTMENT_OFFICER, "ليلى حسن العبادي", department="contractors"),
    DemoStaff("muscat.tier1", "muscat", Role.CONTACT_TIER1, "سالم خميس البلوشي", department="contact-centre"),
    DemoStaff("muscat.tier2", "muscat", Role.CONTACT_TIER2, "عائشة سيف الهنائي", department="contact-centre"),
    DemoStaff("muscat.tier3", "muscat", Role.CONTACT_TIER3, "ماجد سعيد الرواحي", department="health-control"),
]  # fmt: skip

# Staff see the catalogue; authority administrators also edit it.
_CATALOGUE_MODELS = ("authority", "branch", "department", "official", "entrygate", "governorate",
                     "service", "contractorpermit", "formdefinition")  # fmt: skip


def _groups() -> tuple[Group, Group]:
    # Group names are data shown on both languages' pages, so they carry both.
    viewers, _created = Group.objects.get_or_create(name="الموظفون (Staff)")
    admins, _created = Group.objects.get_or_create(name="مديرو الجهات (Authority administrators)")
    view = Permission.objects.filter(
        content_type__app_label="catalogue", codename__in=[f"view_{m}" for m in _CATALOGUE_MODELS]
    )
    edit = Permission.objects.filter(
        content_type__app_label="catalogue",
        codename__regex=r"^(add|change|delete|view)_(" + "|".join(_CATALOGUE_MODELS) + ")$",
    ).exclude(codename__in=["add_authority", "delete_authority"])
    viewers.permissions.set(view)
    admins.permissions.set(edit)
    return viewers, admins


def _user(username: str, display_name: str, **extra: Any) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Create or refresh the demo data; returns counts of what exists afterwards."""
    authorities: dict[str, Authority] = {}
    for row in AUTHORITIES:
        values = {key: value for key, value in row.items() if key != "slug"}
        authorities[row["slug"]], _c = Authority.objects.update_or_create(
            slug=row["slug"], defaults=values
        )
    branches: dict[tuple[str, str], Branch] = {}
    departments: dict[tuple[str, str], Department] = {}
    for slug, branch_rows in BRANCHES.items():
        for position, (prefix, name_ar, name_en, address_ar, address_en) in enumerate(branch_rows):
            branches[slug, prefix], _c = Branch.objects.update_or_create(
                authority=authorities[slug], ticket_prefix=prefix,
                defaults={"name_ar": name_ar, "name_en": name_en, "address_ar": address_ar,
                          "address_en": address_en, "position": position},
            )  # fmt: skip
    for slug, department_rows in DEPARTMENTS.items():
        for position, (code, name_ar, name_en) in enumerate(department_rows):
            departments[slug, code], _c = Department.objects.update_or_create(
                authority=authorities[slug], code=code,
                defaults={"name_ar": name_ar, "name_en": name_en, "position": position},
            )  # fmt: skip
    tables: tuple[tuple[type[EntryGate] | type[Governorate], dict[str, list[tuple[str, str]]]], ...]
    tables = ((EntryGate, GATES), (Governorate, GOVERNORATES))
    for model, table in tables:
        for slug, pairs in table.items():
            for position, (name_ar, name_en) in enumerate(pairs):
                model.objects.update_or_create(
                    authority=authorities[slug], name_en=name_en,
                    defaults={"name_ar": name_ar, "position": position},
                )  # fmt: skip
    for slug, official_rows in OFFICIALS.items():
        for position, (dept, name_ar, name_en, title_ar, title_en) in enumerate(official_rows):
            Official.objects.update_or_create(
                authority=authorities[slug], name_en=name_en,
                defaults={"name_ar": name_ar, "title_ar": title_ar, "title_en": title_en,
                          "department": departments[slug, dept] if dept else None,
                          "position": position},
            )  # fmt: skip
    for slug, service_rows in SERVICES.items():
        for position, row in enumerate(service_rows):
            values = dict(row)
            branch_prefixes = values.pop("branches", [])
            dept = values.pop("department", None)
            service, _c = Service.objects.update_or_create(
                authority=authorities[slug], slug=values.pop("slug"),
                defaults={**values, "position": position,
                          "department": departments[slug, dept] if dept else None},
            )  # fmt: skip
            service.branches.set([branches[slug, prefix] for prefix in branch_prefixes])
    for number, permit, year, name_ar, name_en, classification in CONTRACTORS:
        ContractorPermit.objects.update_or_create(
            authority=authorities["amman"], contractor_number=number, permit_number=permit,
            permit_year=year,
            defaults={"contractor_name_ar": name_ar, "contractor_name_en": name_en,
                      "classification": classification, "expires_on": date(year + 1, 12, 31)},
        )  # fmt: skip

    viewers, admins = _groups()
    _user("admin", "مدير النظام", is_staff=True, is_superuser=True)
    for staff in STAFF:
        user, _c = _user(staff.username, staff.name_ar, is_staff=True)
        user.groups.add(admins if staff.role == Role.AUTHORITY_ADMIN else viewers)
        StaffRole.objects.get_or_create(
            user=user, role=staff.role, authority=authorities[staff.authority],
            branch=branches[staff.authority, staff.branch] if staff.branch else None,
            department=departments[staff.authority, staff.department] if staff.department else None,
        )  # fmt: skip
    # National SSO: "UAE PASS" and "Nafath" are the stand-in that ships with Majlis, when it is on.
    if settings.SSO_STANDIN:
        sso_demo_load()
    demo_loaded.send(sender=Authority)
    counts = {
        "authorities": Authority.objects.count(),
        "services": Service.objects.count(),
        "staff": User.objects.filter(is_staff=True).count(),
    }
    audit_record(action="catalogue.demo.loaded", actor_label="load_demo", data=counts)
    return counts
