from django.urls import path

from majlis.cases.views import apply, documents, portal, staff

app_name = "cases"

# Mounted at /<authority>/requests/ under the `portal` namespace (config/urls.py).
portal_urlpatterns = [
    path("", portal.mine, name="mine"),
    path("inquiry/", documents.inquiry, name="inquiry"),
    path("new/<slug:service_slug>/", apply.start, name="start"),
    path("new/<slug:service_slug>/draft", apply.draft_save, name="draft_save"),
    path("new/<slug:service_slug>/draft/discard", apply.draft_discard, name="draft_discard"),
    path("new/<slug:service_slug>/previous/", portal.previous, name="previous"),
    path("<str:reference>/", portal.detail, name="detail"),
    path("<str:reference>/submitted/", apply.submitted, name="submitted"),
    path("<str:reference>/reply", portal.reply, name="reply"),
    path("<str:reference>/cancel", portal.cancel, name="cancel"),
    path("<str:reference>/files/<str:upload_id>", portal.file, name="file"),
    path("<str:reference>/summary.pdf", documents.summary_for_citizen, name="summary"),
]
# Mounted at /staff/requests/ under the `staff` namespace; staff with TOTP only (middleware).
staff_urlpatterns = [
    path("", staff.inbox, name="inbox"),
    path("assign", staff.bulk_assign, name="bulk_assign"),
    path("<str:reference>/", staff.detail, name="detail"),
    path("<str:reference>/move/<slug:move>", staff.move, name="move"),
    path("<str:reference>/ask", staff.ask, name="ask"),
    path("<str:reference>/message", staff.message, name="message"),
    path("<str:reference>/note", staff.note, name="note"),
    path("<str:reference>/assign", staff.assign, name="assign"),
    path("<str:reference>/route", staff.route, name="route"),
    path("<str:reference>/files/<str:upload_id>", staff.file, name="file"),
    path("<str:reference>/summary.pdf", documents.summary_for_staff, name="summary"),
]
