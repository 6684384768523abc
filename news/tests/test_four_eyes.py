"""Four eyes for real: the loopholes of issue 16, one test each."""

import pytest
from django.urls import reverse

from news import corrections, services
from news.models import PressRelease
from news.tests.factories import PressReleaseFactory
from soest_office.access import Role
from soest_office.models import AuditEvent
from soest_office.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
S = PressRelease.Status


def action_url(release, action):
    return reverse("news:editorial_action", args=[release.pk, action])


def edit(release, user, **changes):
    """Save the release's content through the service, as the editor form does."""
    fields = {name: getattr(release, name) for name in services.CONTENT_FIELDS}
    fields.update(changes)
    return services.release_update(
        release=release,
        user=user,
        fields=fields,
        tag_names=[t.name for t in release.tags.all()],
        municipalities=list(release.municipalities.all()),
        projects=list(release.projects.all()),
        correction_note=changes.pop("correction_note", "") if "correction_note" in changes else "",
    )


@pytest.fixture
def office3(db):
    return UserFactory(username="buero3", role=Role.OFFICE)


def test_a_colleague_who_rewrote_a_submitted_release_cannot_approve_it(
    client_for, office, office2, office3
):
    release = PressReleaseFactory(author=office, status=S.SUBMITTED, body="Erster Text")
    edit(release, office2, body="Von der Kollegin umgeschrieben")

    response = client_for(office2).post(action_url(release, "freigeben"))

    assert response.status_code == 403
    assert "Vier-Augen-Prinzip" in response.content.decode()
    release.refresh_from_db()
    assert (release.status, release.approved_by) == (S.SUBMITTED, None)
    # A third person, who neither wrote nor changed it, approves.
    client_for(office3).post(action_url(release, "freigeben"))
    release.refresh_from_db()
    assert (release.status, release.approved_by) == (S.APPROVED, office3)


def test_a_forged_approval_post_by_the_author_is_a_german_403_and_changes_nothing(
    client_for, office, office2
):
    release = PressReleaseFactory(author=office, status=S.SUBMITTED)
    version = release.version
    detail = client_for(office).get(release.get_editorial_url()).content.decode()
    assert action_url(release, "freigeben") not in detail  # no button offered

    response = client_for(office).post(action_url(release, "freigeben"))

    assert response.status_code == 403
    assert "Wer eine Meldung verfasst oder nach dem Einreichen geändert hat" in (
        response.content.decode()
    )
    release.refresh_from_db()
    assert (release.status, release.approved_by, release.version) == (S.SUBMITTED, None, version)


def test_any_change_after_approval_needs_a_new_approval(client_for, office, office2):
    release = PressReleaseFactory(author=office, status=S.SUBMITTED)
    services.release_approve(release=release, user=office2)
    release.refresh_from_db()
    edit(release, office, teaser="Nachträglich geänderter Vorspann")
    release.refresh_from_db()
    assert (release.status, release.approved_by) == (S.SUBMITTED, None)
    with pytest.raises(services.WorkflowError):
        services.release_publish(release=release, user=office2)


def test_a_published_release_changes_only_as_an_approved_dated_correction(
    client, client_for, office, office2, office3
):
    release = PressReleaseFactory(author=office, published=True, body="Alter Text")
    with pytest.raises(services.WorkflowError, match="Korrekturhinweis"):
        edit(release, office2, body="Neuer Text ohne Hinweis")
    edit(release, office2, body="Neuer Text", correction_note="Datum der Veranstaltung korrigiert")
    release.refresh_from_db()
    assert release.body == "Alter Text"  # public until approved
    assert release.correction_draft["fields"] == {"body": "Neuer Text"}
    page = client.get(release.get_absolute_url()).content.decode()
    assert "Neuer Text" not in page
    editorial = client_for(office3).get(release.get_editorial_url()).content.decode()
    assert "Korrektur vorgeschlagen von" in editorial
    assert "<dt>Text</dt>" in editorial

    # Neither the author nor the proposer approves the correction.
    for user in (office, office2):
        response = client_for(user).post(action_url(release, "korrektur-freigeben"))
        assert response.status_code == 403
    release.refresh_from_db()
    assert release.body == "Alter Text"

    client_for(office3).post(action_url(release, "korrektur-freigeben"))
    release.refresh_from_db()
    assert release.body == "Neuer Text"
    assert release.approved_by == office3
    assert release.correction_draft == {}
    page = client.get(release.get_absolute_url()).content.decode()
    assert "Neuer Text" in page
    assert "Korrektur vom" in page
    assert "Datum der Veranstaltung korrigiert" in page
    feed = client.get(reverse("news:feed_rss")).content.decode()
    assert "Korrektur vom" in feed
    assert "Datum der Veranstaltung korrigiert" in feed


def test_a_correction_cannot_change_the_image_or_relations(office, office2):
    from soest_office.models import Municipality

    release = PressReleaseFactory(author=office, published=True)
    fields = {name: getattr(release, name) for name in services.CONTENT_FIELDS}
    with pytest.raises(services.WorkflowError, match="nur Texte korrigieren"):
        services.release_update(
            release=release,
            user=office2,
            fields=fields,
            municipalities=[Municipality.objects.get(slug="soest")],
            correction_note="Kommune ergänzt",
        )


def test_the_one_person_office_is_turned_on_knowingly_and_audited(client_for, office):
    release = PressReleaseFactory(author=office, status=S.SUBMITTED)
    client = client_for(office)
    url = reverse("news:editorial_one_person_office")
    client.post(url, {"enabled": "1"})  # without the confirmation: nothing happens
    assert client.post(action_url(release, "freigeben")).status_code == 403

    client.post(url, {"enabled": "1", "confirm": "1"})
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SETTING_CHANGE)
    assert (event.actor, event.details["one_person_office"]) == (office, True)
    client.post(action_url(release, "freigeben"))
    release.refresh_from_db()
    assert release.status == S.APPROVED
    latest = release.history.order_by("-history_date").first()
    assert "Ein-Personen-Büro" in latest.history_change_reason


def test_the_one_person_office_does_not_help_once_a_second_member_is_active(
    client_for, office, office2
):
    corrections.set_one_person_office(user=office, enabled=True)
    release = PressReleaseFactory(author=office, status=S.SUBMITTED)
    assert client_for(office).post(action_url(release, "freigeben")).status_code == 403
