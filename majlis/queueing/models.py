import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from majlis.catalogue.models import Branch, Service
from majlis.queueing.choices import ShiftStatus, TicketChannel, TicketPriority, TicketStatus


def new_public_id() -> str:
    """A random, unguessable handle for links (72 bits); users never see primary keys."""
    return secrets.token_urlsafe(9)


class QueuePolicy(models.Model):
    """How one queued service behaves: when to warn, how long a called citizen has, and how
    priority tickets are placed. A service without a row uses the defaults."""

    service = models.OneToOneField(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="queue_policy"
    )
    near_ahead = models.PositiveSmallIntegerField(
        _("warn when this many are ahead"), default=3,
        help_text=_("An SMS \"your turn is near\" goes out when this many people are ahead."),
    )  # fmt: skip
    grace_seconds = models.PositiveIntegerField(
        _("time to answer a call (seconds)"), default=180,
        help_text=_("A called citizen who has not started by then is marked as not answering, "
                    "and the next one is called."),
    )  # fmt: skip
    more_time_places = models.PositiveSmallIntegerField(
        _('places given back by "I need more time"'), default=3
    )
    priority_lead_minutes = models.PositiveSmallIntegerField(
        _("lead of priority tickets (minutes)"), default=15,
        help_text=_("A priority ticket is placed as if it had joined this much earlier."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("queue policy")
        verbose_name_plural = _("queue policies")

    def __str__(self) -> str:
        return str(self.service)


class Counter(models.Model):
    """A desk of a branch where an agent serves: a counter in the hall or a video desk."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="counters"
    )
    number = models.CharField(_("number"), max_length=8)
    name_ar = models.CharField(_("name (Arabic)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_video = models.BooleanField(_("video desk"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["branch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "number"], name="queueing_counter_number")
        ]

    def __str__(self) -> str:
        from majlis.core.i18n import localized

        return localized(self, "name")


class BranchDay(models.Model):
    """A branch's queue on one local day: where its ticket numbers start, and a version that
    grows with every change that moves someone's place, so a waiting page can tell whether it
    missed an update (versions move in the same transaction as the change: commit order).
    """

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)
    version = models.PositiveBigIntegerField(default=0)
    # PostgreSQL numbers tickets from the branch's sequence: the day's numbers are its values
    # minus this offset (decision 0015); `last_number` counts them on SQLite only.
    # Empty until the day's first join sets it (a day row can start with any other change).
    base = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("branch day")
        verbose_name_plural = _("branch days")
        constraints = [
            models.UniqueConstraint(fields=["branch", "day"], name="queueing_branchday_unique")
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.day} #{self.last_number} v{self.version}"


class AgentShift(models.Model):
    """An agent's time at a desk, serving some services; open while `ended_at` is empty."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE,
        related_name="queue_shifts",
    )  # fmt: skip
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="+"
    )
    counter = models.ForeignKey(
        Counter, verbose_name=_("counter"), on_delete=models.PROTECT, related_name="shifts"
    )
    services = models.ManyToManyField(Service, verbose_name=_("services"), related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=ShiftStatus.choices, default=ShiftStatus.AVAILABLE
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent shift")
        verbose_name_plural = _("agent shifts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent"], condition=Q(ended_at__isnull=True), name="queueing_shift_one_open"
            ),
            models.UniqueConstraint(
                fields=["counter"], condition=Q(ended_at__isnull=True),
                name="queueing_shift_counter_open",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.agent} @ {self.counter}"


class Ticket(models.Model):
    """One place in a branch's queue for one service: `MN-006` on the citizen's screen.

    `sort_key` orders the queue (smaller is served first): the join time in milliseconds,
    moved earlier for priority tickets and to the booked time for appointment tickets. Every
    waiting page counts the waiting tickets of its service with a smaller key to know its place.
    """

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="tickets"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("ticket"), max_length=16)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("citizen"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="queue_tickets",
    )  # fmt: skip
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="ar")
    channel = models.CharField(
        _("channel"), max_length=16, choices=TicketChannel.choices, default=TicketChannel.WEB
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=TicketPriority.choices, default=TicketPriority.NORMAL
    )
    sort_key = models.BigIntegerField(_("place in the queue"))
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    served_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("left the queue at"), null=True, blank=True)
    counter = models.ForeignKey(
        Counter, verbose_name=_("counter"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="served_tickets",
    )  # fmt: skip
    times_called = models.PositiveSmallIntegerField(_("times called"), default=0)
    more_time_used = models.BooleanField(_("asked for more time"), default=False)
    near_notified = models.BooleanField(_("told the turn is near"), default=False)
    transferred_to = models.OneToOneField(
        "self", verbose_name=_("transferred to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="transferred_from",
    )  # fmt: skip

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-day", "branch", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "day", "number"], name="queueing_ticket_number_unique"
            ),
            # One open ticket per citizen and service: a double click or a second device finds it.
            models.UniqueConstraint(
                fields=["citizen", "service"],
                condition=Q(citizen__isnull=False)
                & Q(status__in=["waiting", "called", "serving", "on_hold"]),
                name="queueing_ticket_one_open",
            ),
        ]
        indexes = [
            models.Index(
                fields=["branch", "service", "sort_key"],
                condition=Q(status="waiting"),
                name="queueing_ticket_waiting",
            ),
            models.Index(fields=["service", "-finished_at"], name="queueing_ticket_history"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_final(self) -> bool:
        from majlis.queueing.choices import FINAL

        return self.status in FINAL


class TicketNote(models.Model):
    """An agent's note on a ticket; citizens never see it."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket note")
        verbose_name_plural = _("ticket notes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.ticket} · {self.created_at:%H:%M}"
