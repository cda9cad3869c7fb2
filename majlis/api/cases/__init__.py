"""Requests (e-services) in the mobile API: the same actions as the citizen's pages — a service's
form, filing with files, drafts, the citizen's requests and their thread, replies with the
documents asked for, cancelling, downloads and the public inquiry."""

# Filing first: its fixed paths (/requests/inquiry, /requests/drafts/…) must come before the
# /requests/{reference} ones of following, or a reference would swallow them.
from majlis.api.cases import filing, following  # noqa: F401  (they add their operations)
from majlis.api.cases.base import router

__all__ = ["router"]
