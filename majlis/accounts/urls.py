from django.urls import path

from majlis.accounts.views import portal

app_name = "accounts"

urlpatterns = [
    path("login/", portal.SignInView.as_view(), name="login"),
    path("logout/", portal.SignOutView.as_view(), name="logout"),
    path("home/", portal.home, name="home"),
]
