"""The project's URLconf plus the benchmark's "limit" view (only in the benchmark)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("__bench__/limit/", views.limit, name="bench_limit"),
    path("", include("soest_office.urls")),
]
