from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from majlis.accounts.choices import Language, OtpPurpose, OtpStatus, Role


class User(AbstractUser):
    """A person who signs in: a citizen or a staff member (staff hold StaffRole rows).

    Names are kept as their ordered parts (the four-part Arabic name) plus the display name that
    pages show; the English parts come from national SSO where it provides them.
    """

    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    name_parts_ar = models.JSONField(_("name parts (Arabic)"), default=list, blank=True)
    name_parts_en = models.JSONField(_("name parts (English)"), default=list, blank=True)
    phone = models.CharField(
        _("mobile number"), max_length=20, blank=True, help_text=_("E.164, e.g. +971501234567")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ARABIC
    )
    national_id = models.CharField(
        _("national ID"), max_length=32, blank=True,
        help_text=_("As the national sign-on service reported it."),
    )  # fmt: skip
    # Set when national SSO provided the value: later forms prefill it and do not let it change.
    phone_from_sso = models.BooleanField(_("mobile number from national sign-on"), default=False)
    email_from_sso = models.BooleanField(_("e-mail from national sign-on"), default=False)
    is_guest = models.BooleanField(
        _("guest"),
        default=False,
        help_text=_("Signed in with a mobile number and an SMS code; sees only what it started."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # One account and one guest identity per mobile number.
            models.UniqueConstraint(
                fields=["phone", "is_guest"],
                condition=~models.Q(phone=""),
                name="accounts_user_phone_unique",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    def get_short_name(self) -> str:
        return self.display_name or self.first_name


class StaffRole(models.Model):
    """A role a staff member holds within an authority, optionally one branch or department."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    authority = models.ForeignKey(
        "catalogue.Authority", verbose_name=_("authority"), on_delete=models.CASCADE,
        related_name="staff_roles",
    )  # fmt: skip
    branch = models.ForeignKey(
        "catalogue.Branch", verbose_name=_("branch"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="staff_roles",
    )  # fmt: skip
    department = models.ForeignKey(
        "catalogue.Department", verbose_name=_("department"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="staff_roles",
    )  # fmt: skip

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            # Coalesce makes "no branch" equal to itself, on SQLite as on PostgreSQL.
            models.UniqueConstraint(
                "user",
                "role",
                "authority",
                Coalesce("branch", 0),
                Coalesce("department", 0),
                name="accounts_staffrole_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class StandInIdentity(models.Model):
    """A fictitious citizen known to the stand-in national SSO that ships with Majlis.

    The stand-in is a real OpenID provider (allauth.idp.oidc) that issues codes and tokens for a
    user row; this row holds what a national register would: the subject it publishes, the
    national ID, the name in both languages and the phone. The user row has no usable password,
    so it can never sign in to the portal itself.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="standin_identity")
    subject = models.CharField(_("subject"), max_length=64, unique=True)
    national_id = models.CharField(_("national ID"), max_length=32, unique=True)
    pin_hash = models.CharField(_("PIN (hashed)"), max_length=200)
    name_parts_ar = models.JSONField(_("name parts (Arabic)"), default=list)
    name_parts_en = models.JSONField(_("name parts (English)"), default=list)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("stand-in national identity")
        verbose_name_plural = _("stand-in national identities")

    def __str__(self) -> str:
        return " ".join(self.name_parts_ar) or self.national_id


class OtpChallenge(models.Model):
    """One code sent by SMS to one phone, for the one browser session that asked for it.

    Only a keyed hash of the code is stored. A challenge dies when used, when it expires, when a
    newer code is sent in its place, or after its last allowed wrong try.
    """

    phone = models.CharField(_("mobile number"), max_length=20, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=OtpPurpose.choices)
    code_hash = models.CharField(max_length=96)  # salt$hmac-sha256
    session_hash = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=12, choices=OtpStatus.choices, default=OtpStatus.ACTIVE
    )
    wrong_tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    client_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["phone", "-created_at"], name="accounts_otp_phone_recent")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token of the mobile API, given after an SMS code; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("app sign-in")
        verbose_name_plural = _("app sign-ins")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
