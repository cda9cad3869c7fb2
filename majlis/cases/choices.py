from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """Where a request stands (DESIGN §1.2: "under processing", "waiting for you", …)."""

    SUBMITTED = "submitted", _("Submitted")
    PROCESSING = "processing", _("Under processing")
    WAITING_CITIZEN = "waiting_citizen", _("Waiting for you")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = frozenset(
    {
        CaseStatus.SUBMITTED,
        CaseStatus.PROCESSING,
        CaseStatus.WAITING_CITIZEN,
        CaseStatus.RESUBMITTED,
    }
)
CLOSED_STATUSES = frozenset(
    {CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.COMPLETED, CaseStatus.CANCELLED}
)


class CaseAction(models.TextChoices):
    """What someone may do to a request; the workflow table in services says who and from where."""

    START = "start", _("Start processing")
    REQUEST_INFO = "request_info", _("Ask the citizen")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    COMPLETE = "complete", _("Complete")
    CANCEL = "cancel", _("Cancel the request")
    REPLY = "reply", _("Reply")


class MessageAuthor(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    STAFF = "staff", _("Staff")
