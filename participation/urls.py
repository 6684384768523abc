from django.urls import path

from . import views

app_name = "participation"

urlpatterns = [
    # Public (no login): the participation of a public project, and the signed links.
    path("vorhaben/<slug:slug>/beteiligung/", views.public_list, name="public_list"),
    path("vorhaben/<slug:slug>/beteiligung/gesendet/", views.submitted, name="submitted"),
    path(
        "vorhaben/<slug:slug>/beteiligung/<int:pk>/unterstuetzen/",
        views.support,
        name="support",
    ),
    path("beteiligung/bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("beteiligung/unterstuetzung/<str:token>/", views.support_confirm, name="support_confirm"),
    path("beteiligung/zurueckziehen/<str:token>/", views.withdraw, name="withdraw"),
    # Intranet (office only)
    path("beteiligung/verwaltung/", views.OfficeListView.as_view(), name="office_list"),
    path(
        "beteiligung/verwaltung/export.<str:fmt>",
        views.OfficeExportView.as_view(),
        name="office_export",
    ),
    path(
        "beteiligung/verwaltung/<int:pk>/",
        views.OfficeDetailView.as_view(),
        name="office_detail",
    ),
    path(
        "beteiligung/verwaltung/vorhaben/<slug:slug>/",
        views.OfficeSummaryView.as_view(),
        name="office_summary",
    ),
    path(
        "beteiligung/verwaltung/vorhaben/<slug:slug>/einstellungen/",
        views.OfficeSettingsView.as_view(),
        name="office_settings",
    ),
]
