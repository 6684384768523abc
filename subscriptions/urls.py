from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("gesendet/", views.requested, name="requested"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("verwalten/<str:token>/", views.manage, name="manage"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Intranet (office only)
    path("verwaltung/", views.OfficeOverviewView.as_view(), name="office_overview"),
    path("verwaltung/abonnenten/", views.OfficeSubscriberListView.as_view(), name="office_list"),
    path(
        "verwaltung/abonnenten/<int:pk>/",
        views.OfficeSubscriberDetailView.as_view(),
        name="office_subscriber",
    ),
    path(
        "verwaltung/abonnenten/<int:pk>/nachweis.csv",
        views.OfficeProofExportView.as_view(),
        name="office_proof_csv",
    ),
]
