"""The editorial workflow: allowed and refused transitions per role, through the views."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from news import services
from news.models import PressRelease
from news.tests.factories import PressReleaseFactory

S = PressRelease.Status

pytestmark = pytest.mark.django_db


def action_url(release, action):
    return reverse("news:editorial_action", kwargs={"pk": release.pk, "action": action})


def form_data(**overrides):
    data = {
        "title": "Förderbescheid übergeben",
        "dateline": "Soest",
        "teaser": "Das Land NRW fördert das Projektbüro.",
        "body": "Die **Modellregion** startet.",
        "tag_names": "Soest, Smart City",
    }
    data.update(overrides)
    return data


def test_partner_writes_a_draft(client_for, partner_soest):
    response = client_for(partner_soest).post(reverse("news:editorial_create"), form_data())
    release = PressRelease.objects.get()
    assert response.status_code == 302
    assert response["Location"] == release.get_editorial_url()
    assert release.status == S.DRAFT
    assert release.author == partner_soest
    assert sorted(t.name for t in release.tags.all()) == ["Smart City", "Soest"]
    assert release.history.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "x" * 201}, "title", "höchstens 200 Zeichen"),
        ({"title": ""}, "title", "Bitte geben Sie einen Titel ein."),
        ({"body": "   "}, "body", "Bitte schreiben Sie den Text der Meldung."),
    ],
)
def test_bad_input_gets_german_errors_and_keeps_the_text(
    client_for, office, overrides, field, message
):
    response = client_for(office).post(reverse("news:editorial_create"), form_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Das Land NRW fördert das Projektbüro." in response.content.decode()
    assert not PressRelease.objects.exists()


def test_steering_may_not_write(client_for, steering):
    assert client_for(steering).get(reverse("news:editorial_create")).status_code == 403


def test_user_without_role_sees_no_editorial_pages(client_for, no_role_user):
    client = client_for(no_role_user)
    assert client.get(reverse("news:editorial_create")).status_code == 404
    assert client.get(reverse("news:editorial_list")).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("news:editorial_list"))
    assert response.status_code == 302
    assert "/konto/anmelden/" in response["Location"]


def test_partner_submits_own_draft_and_can_no_longer_edit(client_for, partner_soest):
    release = PressReleaseFactory(author=partner_soest)
    client = client_for(partner_soest)
    assert client.post(action_url(release, "einreichen")).status_code == 302
    release.refresh_from_db()
    assert release.status == S.SUBMITTED
    url = reverse("news:editorial_update", kwargs={"pk": release.pk})
    assert client.get(url).status_code == 403


def test_partner_does_not_see_another_partners_draft(client_for, partner_soest, partner_lippstadt):
    release = PressReleaseFactory(author=partner_soest)
    client = client_for(partner_lippstadt)
    assert client.get(release.get_editorial_url()).status_code == 404
    assert client.post(action_url(release, "einreichen")).status_code == 404


@pytest.mark.parametrize("action", ["freigeben", "veroeffentlichen", "archivieren", "planen"])
def test_partner_cannot_approve_or_publish_by_crafting_a_post(client_for, partner_soest, action):
    release = PressReleaseFactory(author=partner_soest, status=S.SUBMITTED)
    response = client_for(partner_soest).post(
        action_url(release, action), {"publish_at": "2099-01-01T10:00"}
    )
    assert response.status_code == 403
    release.refresh_from_db()
    assert release.status == S.SUBMITTED


def test_steering_reads_published_only_and_cannot_act(client_for, steering):
    published = PressReleaseFactory(published=True)
    draft = PressReleaseFactory()
    client = client_for(steering)
    assert client.get(published.get_editorial_url()).status_code == 200
    assert client.get(draft.get_editorial_url()).status_code == 404
    assert client.post(action_url(published, "archivieren")).status_code == 403
    url = reverse("news:editorial_update", kwargs={"pk": published.pk})
    assert client.get(url).status_code == 403


def test_workflow_actions_refuse_get(client_for, office):
    release = PressReleaseFactory(status=S.SUBMITTED)
    assert client_for(office).get(action_url(release, "freigeben")).status_code == 405


def test_unknown_action_is_404(client_for, office):
    release = PressReleaseFactory()
    assert client_for(office).post(action_url(release, "loeschen")).status_code == 404


def test_office_approves_a_partners_release_then_publishes_and_archives(
    client_for, office, partner_soest
):
    release = PressReleaseFactory(author=partner_soest, status=S.SUBMITTED)
    client = client_for(office)
    client.post(action_url(release, "freigeben"))
    release.refresh_from_db()
    assert (release.status, release.approved_by) == (S.APPROVED, office)
    client.post(action_url(release, "veroeffentlichen"))
    release.refresh_from_db()
    assert release.status == S.PUBLISHED
    assert release.published_at is not None
    client.post(action_url(release, "archivieren"))
    release.refresh_from_db()
    assert release.status == S.ARCHIVED
    reasons = list(
        release.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons[-3:] == ["Freigegeben", "Veröffentlicht", "Archiviert"]


def test_four_eyes_author_cannot_approve_own_release(client_for, office, office2):
    release = PressReleaseFactory(author=office, status=S.SUBMITTED)
    response = client_for(office).post(action_url(release, "freigeben"), follow=True)
    release.refresh_from_db()
    assert release.status == S.SUBMITTED
    assert "Vier-Augen-Prinzip" in response.content.decode()
    client_for(office2).post(action_url(release, "freigeben"))
    release.refresh_from_db()
    assert (release.status, release.approved_by) == (S.APPROVED, office2)


def test_a_one_person_office_is_no_silent_fallback(client_for, office):
    """The only office member approves their own release only after turning the
    one-person office on knowingly (news/tests/test_four_eyes.py has the audit)."""
    release = PressReleaseFactory(author=office, status=S.SUBMITTED)
    assert client_for(office).post(action_url(release, "freigeben")).status_code == 403
    release.refresh_from_db()
    assert release.status == S.SUBMITTED
    client_for(office).post(
        reverse("news:editorial_one_person_office"), {"enabled": "1", "confirm": "1"}
    )
    client_for(office).post(action_url(release, "freigeben"))
    release.refresh_from_db()
    assert release.status == S.APPROVED


def test_four_eyes_can_be_switched_off(client_for, office, office2, settings):
    settings.NEWS_FOUR_EYES = False
    release = PressReleaseFactory(author=office, status=S.SUBMITTED)
    client_for(office).post(action_url(release, "freigeben"))
    release.refresh_from_db()
    assert release.status == S.APPROVED


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.DRAFT, "freigeben"),
        (S.DRAFT, "veroeffentlichen"),
        (S.SUBMITTED, "veroeffentlichen"),
        (S.PUBLISHED, "einreichen"),
        (S.APPROVED, "archivieren"),
        (S.ARCHIVED, "veroeffentlichen"),
    ],
)
def test_office_cannot_skip_workflow_steps(client_for, office, status, action):
    extra = {"published_at": timezone.now()} if status in (S.PUBLISHED, S.ARCHIVED) else {}
    release = PressReleaseFactory(status=status, **extra)
    response = client_for(office).post(action_url(release, action), follow=True)
    release.refresh_from_db()
    assert release.status == status
    assert "nicht möglich" in response.content.decode()


def test_office_schedules_in_the_future_only(client_for, office):
    release = PressReleaseFactory(status=S.APPROVED)
    client = client_for(office)
    response = client.post(
        action_url(release, "planen"), {"publish_at": "2001-01-01T10:00"}, follow=True
    )
    assert "in der Zukunft" in response.content.decode()
    release.refresh_from_db()
    assert release.status == S.APPROVED
    when = timezone.localtime() + dt.timedelta(days=2)
    client.post(action_url(release, "planen"), {"publish_at": when.strftime("%Y-%m-%dT%H:%M")})
    release.refresh_from_db()
    assert release.status == S.SCHEDULED
    assert release.publish_at.strftime("%Y%m%d%H%M") == when.astimezone(dt.UTC).strftime(
        "%Y%m%d%H%M"
    )
    client.post(action_url(release, "planung-aufheben"))
    release.refresh_from_db()
    assert (release.status, release.publish_at) == (S.APPROVED, None)


def test_returning_sends_back_to_draft_with_the_note_in_the_history(client_for, office):
    release = PressReleaseFactory(status=S.SUBMITTED)
    client_for(office).post(action_url(release, "zurueckgeben"), {"note": "Zahlen prüfen"})
    release.refresh_from_db()
    assert release.status == S.DRAFT
    assert "Zahlen prüfen" in release.history.latest().history_change_reason


def test_editing_an_approved_release_needs_a_new_approval(client_for, office, office2):
    release = PressReleaseFactory(status=S.APPROVED, approved_by=office2)
    url = reverse("news:editorial_update", kwargs={"pk": release.pk})
    response = client_for(office).post(url, form_data(title="Geänderter Titel"))
    assert response.status_code == 302
    release.refresh_from_db()
    assert (release.status, release.approved_by, release.title) == (
        S.SUBMITTED,
        None,
        "Geänderter Titel",
    )


def test_history_page_shows_field_diffs(client_for, office):
    release = PressReleaseFactory(title="Alter Titel")
    services.release_update(
        release=release, user=office, fields={"title": "Neuer Titel"}, tag_names=["Soest"]
    )
    response = client_for(office).get(reverse("news:editorial_history", kwargs={"pk": release.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alter Titel" in html
    assert "Neuer Titel" in html
    assert "Stichwörter" in html


def test_preview_renders_sanitised_markdown(client_for, partner_soest):
    url = reverse("news:editorial_preview")
    client = client_for(partner_soest)
    response = client.post(url, {"body": "**fett** <script>alert(1)</script>"})
    assert response.status_code == 200
    html = response.json()["html"]
    assert "<strong>fett</strong>" in html
    assert "<script>" not in html
    assert client.get(url).status_code == 405


def test_preview_refuses_steering(client_for, steering):
    assert (
        client_for(steering).post(reverse("news:editorial_preview"), {"body": "x"}).status_code
        == 403
    )


def test_editorial_list_shows_by_status(client_for, office):
    PressReleaseFactory(title="Ein Entwurf")
    PressReleaseFactory(title="Schon erschienen", published=True)
    client = client_for(office)
    response = client.get(reverse("news:editorial_list"), {"status": "draft"})
    html = response.content.decode()
    assert "Ein Entwurf" in html
    assert "Schon erschienen" not in html


@pytest.mark.parametrize("count", [2, 12])
def test_editorial_list_query_count_is_constant(
    client_for, office, django_assert_num_queries, logged_in_queries, count
):
    PressReleaseFactory.create_batch(count)
    client = client_for(office)
    client.get(reverse("news:editorial_list"))  # warm the session
    # 11: the office also reads the one-person-office setting (issue 16).
    with django_assert_num_queries(logged_in_queries(11)):
        client.get(reverse("news:editorial_list"))


def test_overdue_scheduled_release_warns_the_office(client_for, office):
    PressReleaseFactory(
        title="Überfällig",
        status=S.SCHEDULED,
        publish_at=timezone.now() - dt.timedelta(hours=1),
    )
    html = client_for(office).get(reverse("news:editorial_list")).content.decode()
    assert "Geplante Veröffentlichung überfällig" in html
    home = client_for(office).get("/").content.decode()
    assert "überfällig" in home


def test_publishing_warns_when_image_rights_end_soon(client_for, office):
    release = PressReleaseFactory(
        status=S.APPROVED,
        image="presse/2026/bild.jpg",
        image_alt="Bild",
        image_credit="Foto: Kreis Soest",
        image_rights_until=timezone.localdate() + dt.timedelta(days=10),
    )
    response = client_for(office).post(action_url(release, "veroeffentlichen"), follow=True)
    assert "Die Bildrechte enden am" in response.content.decode()


def test_history_is_404_outside_scope_and_refuses_post(client_for, partner_lippstadt, office):
    release = PressReleaseFactory()
    url = reverse("news:editorial_history", kwargs={"pk": release.pk})
    assert client_for(partner_lippstadt).get(url).status_code == 404
    assert client_for(office).post(url).status_code == 405


def test_partner_may_not_edit_foreign_or_published_release(client_for, partner_soest):
    published = PressReleaseFactory(published=True, author=partner_soest)
    url = reverse("news:editorial_update", kwargs={"pk": published.pk})
    assert client_for(partner_soest).get(url).status_code == 403
    assert client_for(partner_soest).post(url, form_data()).status_code == 403


@pytest.mark.parametrize("changes", [1, 6])
def test_editorial_detail_query_count_is_constant(
    client_for, office, django_assert_num_queries, logged_in_queries, changes
):
    release = PressReleaseFactory(author=office)
    for i in range(changes):
        services.release_update(
            release=release, user=office, fields={"title": f"Fassung {i}"}, tag_names=[f"T{i}"]
        )
    client = client_for(office)
    client.get(release.get_editorial_url())
    with django_assert_num_queries(logged_in_queries(12)):
        client.get(release.get_editorial_url())
