"""The citizen's side: submit, double opt-in, bad input, spam protection, support, withdraw."""

import pytest
from django.core import mail
from django.urls import reverse

from participation import tokens
from participation.models import Contribution, Support
from projects.models import Notification

from .factories import ContributionFactory, ParticipationFactory
from .helpers import form_data, link_in, list_url, support_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def participation():
    return ParticipationFactory()


def submit(client, participation, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(list_url(participation), form_data(participation, **overrides))


def test_without_address_the_contribution_waits_for_moderation_and_the_office_hears(
    client, participation, office, django_capture_on_commit_callbacks
):
    response = submit(client, participation, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.status == Contribution.Status.PENDING
    assert contribution.consent_text.version == "1"
    assert Notification.objects.filter(recipient=office, kind="contribution").count() == 1
    page = client.get(list_url(participation)).content.decode()
    assert "Trinkbrunnen" not in page  # not public before moderation


def test_with_address_double_opt_in_and_replay(
    client, participation, office, django_capture_on_commit_callbacks
):
    submit(client, participation, django_capture_on_commit_callbacks, email="a@example.org")
    contribution = Contribution.objects.get()
    assert contribution.status == Contribution.Status.UNCONFIRMED
    assert not Notification.objects.exists()  # the office hears only of confirmed ones
    (message,) = mail.outbox
    assert message.to == ["a@example.org"]
    link = link_in(message, "/beteiligung/bestaetigen/")
    assert b"Ja, Beitrag best" in client.get(link).content  # GET confirms nothing
    assert Contribution.objects.get().status == Contribution.Status.UNCONFIRMED
    assert b"ist best" in client.post(link).content
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING
    assert contribution.confirmed_at is not None
    replay = client.post(link)
    assert "bereits verwendet" in replay.content.decode()
    assert Notification.objects.filter(kind="contribution").count() == 1


def test_tampered_and_foreign_tokens_are_refused_in_german(client, participation):
    contribution = ContributionFactory(participation=participation, status="unconfirmed")
    token = tokens.make(contribution, tokens.CONFIRM_SALT)
    for bad in (token[:-3] + "abc", "x", tokens.make(contribution, tokens.SUPPORT_SALT)):
        response = client.post(reverse("participation:confirm", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "ungültig" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == "unconfirmed"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "Evil \u202egnp.exe"}, "Schreibrichtung"),
        ({"title": "Zero\u200bwidth"}, "unsichtbare"),
        ({"title": "Ѕoest braucht Bänke"}, "verschiedener Schriften"),  # Cyrillic S
        ({"author_name": "Eva\r\nBcc: x@example.org"}, "Zeilenumbrüche"),
        ({"text": "x" * 4001}, "höchstens 4000 Zeichen"),
        ({"title": "t" * 121}, "höchstens 120 Zeichen"),
        ({"email": "a@example.org\r\nBcc: b@example.org"}, "unzulässige Zeichen"),
        ({"consent": None}, "Einverständnis"),
        ({"title": ""}, "Titel ein"),
        ({"show_name": "on"}, "Namen ein"),
    ],
)
def test_bad_input_gets_a_german_message_and_stores_nothing(
    client, participation, django_capture_on_commit_callbacks, overrides, message
):
    response = submit(client, participation, django_capture_on_commit_callbacks, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Contribution.objects.exists()
    assert mail.outbox == []


def test_full_width_letters_are_normalised(
    client, participation, django_capture_on_commit_callbacks
):
    submit(client, participation, django_capture_on_commit_callbacks, title="Ｓｏｅｓｔ Markt")
    assert Contribution.objects.get().title == "Soest Markt"


def test_honeypot_and_speed(client, participation, settings, django_capture_on_commit_callbacks):
    response = submit(client, participation, django_capture_on_commit_callbacks, website="x")
    assert response.status_code == 302  # the bot learns nothing
    assert not Contribution.objects.exists()
    settings.PARTICIPATION_MIN_FILL_SECONDS = 60
    response = submit(client, participation, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "schneller, als ein Mensch" in response.content.decode()
    response = submit(client, participation, django_capture_on_commit_callbacks, started="forged")
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_rate_limit_per_ip(client, participation, settings, django_capture_on_commit_callbacks):
    settings.PARTICIPATION_RATE_PER_IP = 3
    for n in range(3):
        assert (
            submit(
                client, participation, django_capture_on_commit_callbacks, title=f"T {n}"
            ).status_code
            == 302
        )
    response = submit(client, participation, django_capture_on_commit_callbacks, title="T 4")
    assert response.status_code == 429
    assert "zu viele Beiträge" in response.content.decode()
    assert Contribution.objects.count() == 3
    other = client.post(list_url(participation), form_data(participation), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302  # another address is not blocked


def test_rate_limit_per_address(
    client, participation, settings, django_capture_on_commit_callbacks
):
    settings.PARTICIPATION_MAILS_PER_ADDRESS = 2
    for n in range(4):
        submit(
            client,
            participation,
            django_capture_on_commit_callbacks,
            title=f"T {n}",
            email="viel@example.org",
            REMOTE_ADDR=f"10.0.0.{n}",
        )
    assert len(mail.outbox) == 2


def test_closed_or_private_participation(client, participation, django_capture_on_commit_callbacks):
    participation.ends_on = participation.starts_on
    participation.starts_on = participation.starts_on.replace(year=2020)
    participation.ends_on = participation.starts_on
    participation.save()
    response = submit(client, participation, django_capture_on_commit_callbacks)
    assert response.status_code == 409
    assert not Contribution.objects.exists()
    participation.project.is_public = False
    participation.project.save()
    assert client.get(list_url(participation)).status_code == 404


def test_support_once_per_address_and_never_for_a_rejected_idea(
    client, participation, django_capture_on_commit_callbacks
):
    idea = ContributionFactory(participation=participation)
    url = reverse(
        "participation:support", kwargs={"slug": participation.project.slug, "pk": idea.pk}
    )
    links = []
    for _round in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, support_data()).status_code == 200
        links.append(link_in(mail.outbox[-1], "/beteiligung/unterstuetzung/"))
    assert "Ihre Unterstützung zählt" in client.post(links[0]).content.decode()
    second = client.post(links[1])
    assert second.status_code in (400, 409)  # the pending twin was removed or refused
    replay = client.post(links[0])
    assert "bereits verwendet" in replay.content.decode()
    support = Support.objects.get()
    assert support.email == ""  # only the hash stays
    assert support.confirmed_at is not None
    # A third request from the same address sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, support_data())
    assert len(mail.outbox) == 2

    other = ContributionFactory(participation=participation)
    other_url = reverse(
        "participation:support", kwargs={"slug": participation.project.slug, "pk": other.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(other_url, support_data("neu@example.org"))
    link = link_in(mail.outbox[-1], "/beteiligung/unterstuetzung/")
    Contribution.objects.filter(pk=other.pk).update(status="rejected")
    refused = client.post(link)
    assert refused.status_code == 409
    assert "nicht (mehr) veröffentlicht" in refused.content.decode()
    assert client.post(other_url, support_data("x@example.org")).status_code == 404
    assert not Support.objects.filter(contribution=other, confirmed_at__isnull=False).exists()


def test_withdraw_address_only_then_everything(client, participation):
    contribution = ContributionFactory(
        participation=participation, email="w@example.org", author_name="Wanda", show_name=True
    )
    url = reverse(
        "participation:withdraw", kwargs={"token": tokens.make(contribution, tokens.WITHDRAW_SALT)}
    )
    client.post(url, {"what": "address"})
    contribution.refresh_from_db()
    assert (contribution.email, contribution.author_name, contribution.status) == (
        "",
        "",
        "accepted",
    )
    client.post(url, {"what": "all"})
    contribution.refresh_from_db()
    assert contribution.status == "withdrawn"
    assert contribution.text == ""
    assert "bereits zurückgezogen" in client.post(url, {"what": "all"}).content.decode()
    assert (
        "Noch keine veröffentlichten Beiträge"
        in client.get(list_url(participation)).content.decode()
    )


def test_moderation_notice_at_once_or_in_the_digest_as_each_office_member_chose(
    client, participation, office, office2, django_capture_on_commit_callbacks
):
    from projects.models import ProjectUserSettings

    ProjectUserSettings.objects.create(user=office, mail_mode="immediate")
    submit(client, participation, django_capture_on_commit_callbacks)
    notices = Notification.objects.filter(kind="contribution")
    assert notices.count() == 2
    assert [m.to for m in mail.outbox] == [[office.email]]  # office2 reads it in the digest
    assert "wartet auf Moderation" in mail.outbox[0].subject
    assert "Trinkbrunnen" not in mail.outbox[0].body  # the text stays in the intranet
    assert notices.get(recipient=office2).sent_at is None
