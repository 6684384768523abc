"""The project's URLconf plus the benchmark's references (only in the benchmark): the
"limit" view and, when the project has no admin for projects, the "peer" admin site."""

from django.urls import include, path

from . import admin, views

urlpatterns = [
    path("__bench__/limit/", views.limit, name="bench_limit"),
    path("__bench__/admin/", admin.site.urls),
    path("", include("soest_office.urls")),
]
