from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from majlis.catalogue.choices import Country, RegistryConnectorKind, ServiceKind
from majlis.catalogue.form_schema import validate_form_fields
from majlis.catalogue.validators import (
    validate_authority_slug,
    validate_colour,
    validate_reference_code,
    validate_ticket_prefix,
    validate_time_zone,
)
from majlis.core.i18n import localized


class BilingualNamed(models.Model):
    """Abstract: a name that staff type in both languages, and a display order."""

    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name_en"]

    def __str__(self) -> str:
        return localized(self, "name")


class Authority(BilingualNamed):
    """A government body that runs its services on this deployment (the tenant)."""

    slug = models.SlugField(
        _("address"), unique=True, validators=[validate_authority_slug],
        help_text=_("The first part of the authority's web address, e.g. ajman."),
    )  # fmt: skip
    code = models.CharField(
        _("reference code"), max_length=6, unique=True, validators=[validate_reference_code],
        help_text=_("Begins the authority's request numbers, e.g. NJR."),
    )  # fmt: skip
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Dubai", validators=[validate_time_zone]
    )
    show_hijri = models.BooleanField(
        _("show Hijri dates"), default=False,
        help_text=_("Show Hijri dates beside Gregorian ones and use the Hijri year in numbers."),
    )  # fmt: skip
    phone_region = models.CharField(
        _("phone region"), max_length=2, choices=Country.choices,
        help_text=_("Local mobile numbers such as 05… are read as numbers of this country."),
    )  # fmt: skip
    logo = models.ImageField(_("logo"), upload_to="authorities/", blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#92722A", validators=[validate_colour]
    )
    secondary_colour = models.CharField(
        _("secondary colour"), max_length=7, default="#232528", validators=[validate_colour]
    )
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("contact telephone"), max_length=32, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    sso_provider_id = models.CharField(
        _("national sign-on"), max_length=64, blank=True,
        help_text=_("The provider ID of the national sign-on service citizens use here (a social "
                    "application of type OpenID Connect), e.g. uaepass."),
    )  # fmt: skip
    registry_connector = models.CharField(
        _("contractor registry"), max_length=10, choices=RegistryConnectorKind.choices,
        default=RegistryConnectorKind.TABLE,
        help_text=_("Where contractor permits are checked: the table kept here, or the "
                    "registry's web service at the address below."),
    )  # fmt: skip
    registry_url = models.URLField(
        _("registry web service address"), blank=True,
        help_text=_("Asked with ?contractor=…&permit=…&year=…; the access token is set on the "
                    "server (REGISTRY_TOKEN), never here."),
    )  # fmt: skip

    class Meta(BilingualNamed.Meta):
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")

    def clean(self) -> None:
        super().clean()
        if self.registry_connector == RegistryConnectorKind.HTTP and not self.registry_url:
            raise ValidationError(
                {"registry_url": _("Give the address of the registry's web service.")}
            )


class Branch(BilingualNamed):
    """A service centre of an authority; its prefix starts its queue tickets (MN-006)."""

    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.CASCADE, related_name="branches"
    )
    ticket_prefix = models.CharField(
        _("ticket prefix"), max_length=4, validators=[validate_ticket_prefix]
    )
    address_ar = models.CharField(_("address (Arabic)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)

    class Meta(BilingualNamed.Meta):
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "ticket_prefix"], name="catalogue_branch_prefix_unique"
            )
        ]


class Department(BilingualNamed):
    """An administrative unit that handles requests, appointments and contacts."""

    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.CASCADE,
        related_name="departments",
    )  # fmt: skip
    code = models.SlugField(_("code"), max_length=40)
    receives_visitors = models.BooleanField(
        _("receives visitors"), default=True,
        help_text=_("Offered as a destination when a citizen asks to visit a specific department."),
    )  # fmt: skip

    class Meta(BilingualNamed.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["authority", "code"], name="catalogue_department_code")
        ]


class Official(BilingualNamed):
    """A person in office whom citizens may ask to meet (the Madinah service)."""

    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.CASCADE, related_name="officials"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="officials",
    )  # fmt: skip
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="official_posts",
    )  # fmt: skip

    class Meta(BilingualNamed.Meta):
        verbose_name = _("official")
        verbose_name_plural = _("officials")


class EntryGate(BilingualNamed):
    """A gate of the authority's premises where visitors are checked in."""

    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.CASCADE, related_name="gates"
    )

    class Meta(BilingualNamed.Meta):
        verbose_name = _("entry gate")
        verbose_name_plural = _("entry gates")


class Governorate(BilingualNamed):
    """A governorate of the authority's region, as applicants state where they come from."""

    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.CASCADE,
        related_name="governorates",
    )  # fmt: skip

    class Meta(BilingualNamed.Meta):
        verbose_name = _("governorate")
        verbose_name_plural = _("governorates")


class Service(BilingualNamed):
    """One service an authority offers, with the facts its public service card shows.

    Free-text lists (conditions, documents, channels) are typed one item per line.
    """

    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.CASCADE, related_name="services"
    )
    slug = models.SlugField(_("address"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("responsible department"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="services",
    )  # fmt: skip
    branches = models.ManyToManyField(
        Branch, verbose_name=_("branches"), blank=True, related_name="services"
    )
    description_ar = models.TextField(_("description (Arabic)"))
    description_en = models.TextField(_("description (English)"))
    conditions_ar = models.TextField(_("conditions (Arabic)"), blank=True)
    conditions_en = models.TextField(_("conditions (English)"), blank=True)
    documents_ar = models.TextField(_("required documents (Arabic)"), blank=True)
    documents_en = models.TextField(_("required documents (English)"), blank=True)
    fees_ar = models.CharField(_("fees (Arabic)"), max_length=200, blank=True)
    fees_en = models.CharField(_("fees (English)"), max_length=200, blank=True)
    beneficiaries_ar = models.CharField(_("beneficiaries (Arabic)"), max_length=200, blank=True)
    beneficiaries_en = models.CharField(_("beneficiaries (English)"), max_length=200, blank=True)
    duration_ar = models.CharField(_("expected duration (Arabic)"), max_length=200, blank=True)
    duration_en = models.CharField(_("expected duration (English)"), max_length=200, blank=True)
    channels_ar = models.TextField(_("alternative channels (Arabic)"), blank=True)
    channels_en = models.TextField(_("alternative channels (English)"), blank=True)
    sign_in_note_ar = models.CharField(_("sign-in note (Arabic)"), max_length=300, blank=True)
    sign_in_note_en = models.CharField(_("sign-in note (English)"), max_length=300, blank=True)
    allow_guest = models.BooleanField(
        _("guests may use it"), default=False,
        help_text=_(
            "A citizen without an account may start it with a mobile number and an SMS code."
        ),
    )  # fmt: skip
    max_call_minutes = models.PositiveSmallIntegerField(
        _("longest video call (minutes)"), null=True, blank=True
    )
    sla_days = models.PositiveSmallIntegerField(
        _("days to decide a request"), default=5,
        help_text=_("The due date of a request; the clock stops while the citizen is asked."),
    )  # fmt: skip

    class Meta(BilingualNamed.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(fields=["authority", "slug"], name="catalogue_service_slug")
        ]


class ContractorPermit(models.Model):
    """A row of an authority's contractor registry (Amman's permit renewal checks against it).

    Kept in the admin; a real registry can replace it through the registry connector.
    """

    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.CASCADE,
        related_name="contractor_permits",
    )  # fmt: skip
    contractor_number = models.CharField(_("contractor number"), max_length=20)
    permit_number = models.CharField(_("permit number"), max_length=20)
    permit_year = models.PositiveSmallIntegerField(_("permit year"))
    contractor_name_ar = models.CharField(_("contractor name (Arabic)"), max_length=200)
    contractor_name_en = models.CharField(_("contractor name (English)"), max_length=200)
    classification = models.CharField(_("classification"), max_length=50, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("contractor permit")
        verbose_name_plural = _("contractor registry")
        ordering = ["authority", "contractor_number", "-permit_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "contractor_number", "permit_number", "permit_year"],
                name="catalogue_contractor_permit_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contractor_number}/{self.permit_number}/{self.permit_year}"


class FormDefinition(models.Model):
    """The form citizens fill in to request a service: the fields staff edit in the admin.

    Saving a changed definition publishes it as a new FormVersion; requests point at the version
    they were submitted with, so editing never changes what an old request asked.
    """

    service = models.OneToOneField(
        Service, verbose_name=_("service"), on_delete=models.CASCADE,
        related_name="form_definition",
    )  # fmt: skip
    fields = models.JSONField(
        _("fields"), default=list, validators=[validate_form_fields],
        help_text=_("A JSON list of fields in display order; docs/form-definitions.md describes "
                    "each kind of field and its settings."),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("form definition")
        verbose_name_plural = _("form definitions")
        ordering = ["service__authority__position", "service__position"]

    def __str__(self) -> str:
        return str(self.service)


class FormVersion(models.Model):
    """An immutable snapshot of a form definition's fields, numbered from 1 per definition."""

    definition = models.ForeignKey(
        FormDefinition, verbose_name=_("form definition"), on_delete=models.PROTECT,
        related_name="versions",
    )  # fmt: skip
    number = models.PositiveIntegerField(_("version"))
    fields = models.JSONField(_("fields"))
    created_at = models.DateTimeField(_("published"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["definition", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "number"], name="catalogue_formversion_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.definition} · v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A version is a record of what citizens were asked: it is written once, never changed.
        if not self._state.adding:
            raise ValueError("A form version cannot be changed; publish a new one.")
        super().save(*args, **kwargs)
