"""The product's URLs (links in messages resolve as in production) plus the bench endpoints."""

from django.urls import path

from bench.benchsite import views
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/insert/", views.plain_insert),
    path("bench/join/", views.ticket_join),
    path("bench/writes/", views.same_writes),
    *product_urlpatterns,
]
