from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import api_v1, export_views, sitemaps, twofactor, views
from .accounts import views as account_views
from .search import views as search_views

office_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Every public page of the apps (soest_office.sitemaps, `<app>/sitemaps.py`).
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
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
        "barrierefreiheit/rueckmeldungen/<int:pk>/beantwortet/",
        views.FeedbackAnsweredView.as_view(),
        name="feedback_answered",
    ),
    path(
        "leichte-sprache/",
        views.public_page("soest_office/leichte_sprache.html"),
        name="leichte_sprache",
    ),
    path("protokoll/", views.AuditLogView.as_view(), name="audit_log"),
    path("protokoll/aufbewahrung/", views.RetentionView.as_view(), name="retention"),
    path("exporte/<slug:token>/", export_views.ExportJobView.as_view(), name="export_job"),
    path(
        "exporte/<slug:token>/datei/",
        export_views.ExportJobDownloadView.as_view(),
        name="export_download",
    ),
    path("konto/zwei-faktor/", twofactor.TwoFactorView.as_view(), name="two_factor"),
    path("konto/anmelden/code/", twofactor.OTPVerifyView.as_view(), name="otp_verify"),
    # Accounts from the intranet (soest_office.accounts, docs/konten.md).
    path("konto/verwaltung/", account_views.AccountListView.as_view(), name="account_list"),
    path("konto/verwaltung/einladen/", account_views.InviteView.as_view(), name="account_invite"),
    path(
        "konto/verwaltung/einstellungen/",
        account_views.AccountSettingsView.as_view(),
        name="account_settings",
    ),
    path(
        "konto/verwaltung/<int:pk>/",
        account_views.AccountDetailView.as_view(),
        name="account_detail",
    ),
    path(
        "konto/verwaltung/<int:pk>/deaktivieren/",
        account_views.AccountActionView.as_view(action="deactivate"),
        name="account_deactivate",
    ),
    path(
        "konto/verwaltung/<int:pk>/zwei-faktor-zuruecksetzen/",
        account_views.AccountActionView.as_view(action="second_factor"),
        name="account_second_factor_reset",
    ),
    path(
        "konto/verwaltung/einladungen/<int:pk>/erneut-senden/",
        account_views.InvitationResendView.as_view(),
        name="invitation_resend",
    ),
    path(
        "konto/einladung/<str:token>/",
        account_views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("aufgaben/", views.InboxView.as_view(), name="inbox"),
    # Shadows admin's own login (listed before admin/ below), which knows no second factor.
    path("admin/login/", views.AdminLoginRedirectView.as_view(), name="admin_login"),
]

# German error pages in the site's layout (soest_office/errors.py).
handler400 = "soest_office.errors.bad_request"
handler403 = "soest_office.errors.permission_denied"
handler404 = "soest_office.errors.page_not_found"
handler500 = "soest_office.errors.server_error"

admin.site.site_header = "Projektbüro Digitale Modellregion – Verwaltung"
admin.site.site_title = "Projektbüro Verwaltung"

urlpatterns = [
    path("", include((office_patterns, "soest_office"))),
    path("projekte/", include("projects.urls")),
    path("vorhaben/", include("projects.public_urls")),
    path("kontakte/", include("stakeholders.urls")),
    path("presse/abo/", include("subscriptions.urls")),
    path("", include("participation.urls")),
    path("presse/", include("news.urls")),
    path("", include("meetings.urls")),
    path("admin/", admin.site.urls),
    # The open-data API; apps plug in their routes from <app>/api.py (soest_office.opendata).
    path("api/v1/", api_v1.urlpatterns_of(api_v1.build_api())),
]
