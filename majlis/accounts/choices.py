from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a staff member does; each role is held within an authority (and maybe a unit)."""

    VIDEO_AGENT = "video_agent", _("Video agent")
    COUNTER_AGENT = "counter_agent", _("Counter agent")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    TRIAGE = "triage", _("Customer-service triage")
    CONTACT_TIER1 = "contact_tier1", _("Contact centre, tier 1")
    CONTACT_TIER2 = "contact_tier2", _("Contact centre, tier 2")
    CONTACT_TIER3 = "contact_tier3", _("Contact centre, tier 3")
    GATE_OFFICER = "gate_officer", _("Gate officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    AUTHORITY_ADMIN = "authority_admin", _("Authority administrator")


class Language(models.TextChoices):
    ARABIC = "ar", "العربية"
    ENGLISH = "en", "English"


class OtpPurpose(models.TextChoices):
    GUEST_SIGN_IN = "guest_sign_in", _("Guest sign-in")
    VERIFY_PHONE = "verify_phone", _("Verify a mobile number")
    RESET_PASSWORD = "reset_password", _("Reset a password")


class OtpStatus(models.TextChoices):
    ACTIVE = "active", _("Waiting for the code")
    USED = "used", _("Used")
    REPLACED = "replaced", _("Replaced by a newer code")
    EXHAUSTED = "exhausted", _("Too many wrong tries")
