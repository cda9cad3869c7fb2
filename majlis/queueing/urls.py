from django.urls import path

from majlis.queueing.views import board, portal, staff

app_name = "queueing"

# Mounted at /<authority>/queue/ under the `portal` namespace (config/urls.py).
portal_urlpatterns = [
    path("tickets/<str:public_id>/", portal.ticket, name="ticket"),
    path("tickets/<str:public_id>/status", portal.ticket_status, name="ticket_status"),
    path("tickets/<str:public_id>/cancel", portal.ticket_cancel, name="ticket_cancel"),
    path("tickets/<str:public_id>/more-time", portal.ticket_more_time, name="ticket_more_time"),
    path("board/<str:prefix>/", board.board, name="board"),
    path("<slug:service_slug>/", portal.join, name="join"),
    path("<slug:service_slug>/code/", portal.join_code, name="join_code"),
    path("<slug:service_slug>/code/resend", portal.join_resend, name="join_resend"),
    path("<slug:service_slug>/code/cancel", portal.join_cancel, name="join_cancel"),
]
# Mounted at /staff/queue/ under the `staff` namespace; staff with TOTP only (middleware).
staff_urlpatterns = [
    path("", staff.console, name="console"),
    path("live", staff.console_live, name="console_live"),
    path("shift/open", staff.shift_open, name="shift_open"),
    path("shift/status", staff.shift_status, name="shift_status"),
    path("shift/close", staff.shift_close, name="shift_close"),
    path("call-next", staff.call_next, name="call_next"),
    path("tickets/<str:public_id>/transfer", staff.ticket_transfer, name="ticket_transfer"),
    path("tickets/<str:public_id>/notes", staff.ticket_note, name="ticket_note"),
    path("tickets/<str:public_id>/<slug:action>", staff.ticket_action, name="ticket_action"),
    path("supervisor/<slug:slug>/<str:prefix>/", staff.supervisor, name="supervisor"),
    path("supervisor/<slug:slug>/<str:prefix>/live", staff.supervisor_live, name="supervisor_live"),
]
