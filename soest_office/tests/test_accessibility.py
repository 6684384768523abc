import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache

from soest_office.models import AccessibilityFeedback
from soest_office.tasks import send_accessibility_feedback

URL = "/barrierefreiheit/rueckmeldung/"
VALID = {
    "message": "Der Kalender lässt sich mit der Tastatur nicht bedienen.",
    "page_url": "/presse/",
    "name": "Maria Beispiel",
    "email": "maria@example.org",
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_statement_names_method_results_body_and_links_the_form(client, db):
    html = client.get("/barrierefreiheit/").content.decode()
    assert "axe-core" in html
    assert "Tabulatortaste" in html
    assert "Ergebnis:" in html
    assert "Ombudsstelle für barrierefreie Informationstechnik" in html
    assert "§ 10d BGG NRW" in html
    assert f'href="{URL}"' in html
    assert 'href="/leichte-sprache/"' in html


def test_footer_links_feedback_and_leichte_sprache_on_every_page(client, db):
    html = client.get("/konto/anmelden/").content.decode()
    assert f'href="{URL}"' in html
    assert 'href="/leichte-sprache/"' in html


def test_leichte_sprache_page_is_public_and_short(client, db):
    response = client.get("/leichte-sprache/")
    assert response.status_code == 200
    assert "Leichte Sprache" in response.content.decode()


def _mail_callbacks(callbacks):
    """The on-commit work but the cache generations' renewal (soest_office.caching: the
    inbox count of the office is kept until feedback is written)."""
    return [c for c in callbacks if "bump_written" not in c.__qualname__]


def test_anonymous_report_is_stored_and_mailed_to_the_office_after_commit(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.OFFICE_EMAIL = "buero@modellregion.example"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, VALID)
    assert response.status_code == 302
    assert response["Location"] == "/barrierefreiheit/rueckmeldung/danke/"
    assert len(_mail_callbacks(callbacks)) == 1
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.message == VALID["message"]
    assert feedback.mailed_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["buero@modellregion.example"]
    assert message.reply_to == ["maria@example.org"]
    assert "Tastatur nicht bedienen" in message.body


def test_mail_task_is_idempotent(db):
    feedback = AccessibilityFeedback.objects.create(message="Kontrast zu schwach im Menü")
    assert send_accessibility_feedback(feedback_id=feedback.pk) is True
    assert send_accessibility_feedback(feedback_id=feedback.pk) is False
    assert send_accessibility_feedback(feedback_id=999999) is False
    assert len(mail.outbox) == 1


def test_mail_is_not_queued_when_the_transaction_rolls_back(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(URL, VALID)
    assert len(_mail_callbacks(callbacks)) == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({**VALID, "message": ""}, "Bitte beschreiben Sie kurz, was nicht zugänglich war."),
        ({**VALID, "message": "zu kurz"}, "mindestens 10 Zeichen"),
        ({**VALID, "email": "keine-adresse"}, "gültige E-Mail-Adresse"),
        ({**VALID, "message": "x" * 5001}, "höchstens 5.000 Zeichen"),
    ],
)
def test_invalid_input_keeps_the_text_and_says_why_in_german(client, db, data, error):
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert "Maria Beispiel" in html  # nothing the user typed is lost
    assert AccessibilityFeedback.objects.count() == 0


def test_honeypot_filled_by_a_bot_is_dropped_silently(client, db):
    response = client.post(URL, {**VALID, "website": "http://spam.example"})
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.count() == 0
    assert mail.outbox == []


def test_per_ip_rate_limit_with_german_message(client, db, settings):
    settings.ACCESSIBILITY_FEEDBACK_LIMIT = 2
    for _ in range(2):
        assert client.post(URL, VALID, REMOTE_ADDR="198.51.100.7").status_code == 302
    blocked = client.post(URL, VALID, REMOTE_ADDR="198.51.100.7")
    assert blocked.status_code == 429
    assert "später noch einmal" in blocked.content.decode()
    assert "Tastatur nicht bedienen" in blocked.content.decode()
    # Another address is not affected.
    assert client.post(URL, VALID, REMOTE_ADDR="198.51.100.8").status_code == 302
    assert AccessibilityFeedback.objects.count() == 3


def test_page_url_is_prefilled_from_the_link(client, db):
    html = client.get(URL, {"seite": "/impressum/"}).content.decode()
    assert 'value="/impressum/"' in html


def test_office_reads_the_reports(client_for, office):
    AccessibilityFeedback.objects.create(message="Bilder ohne Alternativtext <b>fett</b>")
    html = client_for(office).get("/barrierefreiheit/rueckmeldungen/").content.decode()
    assert "Bilder ohne Alternativtext &lt;b&gt;fett&lt;/b&gt;" in html


@pytest.mark.parametrize("role", ["partner_soest", "steering", "no_role_user"])
def test_reports_are_404_for_others(role, request, db, client_for):
    client = client_for(request.getfixturevalue(role))
    assert client.get("/barrierefreiheit/rueckmeldungen/").status_code == 404


@pytest.mark.parametrize("size", [2, 30])
def test_report_list_query_count_is_constant(client_for, office, django_assert_num_queries, size):
    client = client_for(office)
    client.get("/")
    AccessibilityFeedback.objects.bulk_create(
        [AccessibilityFeedback(message=f"Meldung {i} mit Text") for i in range(size)]
    )
    # the user with its role (one query), count, page, the sliding session's save (3 with
    # savepoint), and the session read unless the cached_db engine (production
    # configuration) serves it
    with django_assert_num_queries(6 + session_read_queries()):
        assert client.get("/barrierefreiheit/rueckmeldungen/").status_code == 200


def session_read_queries() -> int:
    return 0 if django_settings.SESSION_ENGINE.endswith("cached_db") else 1
