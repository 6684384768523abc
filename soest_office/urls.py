from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import export_views, twofactor, views
from .search import views as search_views

office_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("konto/anmelden/", views.LoginView.as_view(), name="login"),
    path("konto/abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/passwort/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "konto/passwort/geaendert/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("konto/passwort-vergessen/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "konto/passwort-vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/passwort-neu/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/passwort-neu/fertig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("suche/", search_views.SearchView.as_view(), name="search"),
    path("suche/vorschlaege/", search_views.SuggestView.as_view(), name="search_suggest"),
    path("impressum/", views.public_page("soest_office/impressum.html"), name="impressum"),
    path("datenschutz/", views.public_page("soest_office/datenschutz.html"), name="datenschutz"),
    path(
        "barrierefreiheit/",
        views.public_page("soest_office/barrierefreiheit.html"),
        name="barrierefreiheit",
    ),
    path(
        "barrierefreiheit/rueckmeldung/",
        views.AccessibilityFeedbackView.as_view(),
        name="feedback",
    ),
    path(
        "barrierefreiheit/rueckmeldung/danke/",
        views.public_page("soest_office/feedback_thanks.html"),
        name="feedback_thanks",
    ),
    path(
        "barrierefreiheit/rueckmeldungen/",
        views.AccessibilityFeedbackListView.as_view(),
        name="feedback_list",
    ),
    path(
        "leichte-sprache/",
        views.public_page("soest_office/leichte_sprache.html"),
        name="leichte_sprache",
    ),
    path("protokoll/", views.AuditLogView.as_view(), name="audit_log"),
    path("exporte/<slug:token>/", export_views.ExportJobView.as_view(), name="export_job"),
    path(
        "exporte/<slug:token>/datei/",
        export_views.ExportJobDownloadView.as_view(),
        name="export_download",
    ),
    path("konto/zwei-faktor/", twofactor.TwoFactorView.as_view(), name="two_factor"),
    path("konto/anmelden/code/", twofactor.OTPVerifyView.as_view(), name="otp_verify"),
    # Shadows admin's own login (listed before admin/ below), which knows no second factor.
    path("admin/login/", views.AdminLoginRedirectView.as_view(), name="admin_login"),
]

admin.site.site_header = "Projektbüro Digitale Modellregion – Verwaltung"
admin.site.site_title = "Projektbüro Verwaltung"

urlpatterns = [
    path("", include((office_patterns, "soest_office"))),
    path("projekte/", include("projects.urls")),
    path("kontakte/", include("stakeholders.urls")),
    path("presse/abo/", include("subscriptions.urls")),
    path("presse/", include("news.urls")),
    path("", include("meetings.urls")),
    path("admin/", admin.site.urls),
]
