"""allauth mounts these under accounts/ as the provider's routes (the names it reverses)."""

from django.urls import path

from majlis.accounts.sso import views

urlpatterns = [
    path("oidc/<str:provider_id>/login/", views.login, name="openid_connect_login"),
    path("oidc/<str:provider_id>/login/callback/", views.callback, name="openid_connect_callback"),
]
