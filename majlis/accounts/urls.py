from django.urls import path

from majlis.accounts.views import guest, portal

app_name = "accounts"

urlpatterns = [
    path("login/", portal.SignInView.as_view(), name="login"),
    path("logout/", portal.SignOutView.as_view(), name="logout"),
    path("home/", portal.home, name="home"),
    path("guest/", guest.start, name="guest_start"),
    path("guest/code/", guest.code, name="guest_code"),
    path("guest/resend/", guest.resend, name="guest_resend"),
    path("guest/cancel/", guest.cancel, name="guest_cancel"),
]
