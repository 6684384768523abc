"""Merging two contacts with a choice per field: where both have a different value the
office picks one, the other is kept in the notes and the history; the strict states stay."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from soest_office.models import AuditEvent
from stakeholders import services
from stakeholders.models import Contact, LegalBasisRecord, Purpose

from .factories import ContactFactory, LegalBasisFactory, OrganisationFactory

# A merge reads two contacts and the legal bases of each: a fixed two, not an N+1 (zeal
# sees the two lookups through one helper as one line repeating).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.nplusone_allowed(
        {"model": "stakeholders.Contact", "field": "get()"},
        {"model": "stakeholders.Contact", "field": "legal_basis_records"},
    ),
]


@pytest.fixture
def pair():
    keep = ContactFactory(
        first_name="Jörg",
        last_name="Größe",
        email="joerg@stadt.example",
        phone="02921 103-1",
        mobile="",
        street="Markt 1",
        city="Soest",
        postal_code="59494",
        notes="",
    )
    merge = ContactFactory(
        first_name="Jörg",
        last_name="Groesse",
        email="j.groesse@privat.example",
        phone="02921 999-9",
        mobile="0170 1234567",
        street="Markt 1",
        city="Soest",
        postal_code="59494",
        notes="",
        do_not_contact=True,
    )
    return keep, merge


def _choice_url(keep, merge):
    return reverse("stakeholders:merge_choose", args=[keep.pk, merge.pk])


def test_conflicts_are_the_fields_where_both_have_different_values(pair):
    keep, merge = pair
    conflicts = {
        c.field: (c.keep_value, c.merge_value) for c in services.merge_conflicts(keep, merge)
    }
    assert conflicts == {
        "last_name": ("Größe", "Groesse"),
        "email": ("joerg@stadt.example", "j.groesse@privat.example"),
        "phone": ("02921 103-1", "02921 999-9"),
    }  # equal values (first name, address) and a value only one has (mobile) are no choice


def test_merge_page_shows_a_radio_per_conflicting_field(client_for, office, pair):
    keep, merge = pair
    response = client_for(office).get(_choice_url(keep, merge))

    assert response.status_code == 200
    html = response.content.decode()
    for field in ("last_name", "email", "phone"):
        assert html.count(f'name="choice_{field}"') == 2
    assert 'name="choice_first_name"' not in html
    assert "0170 1234567" in html  # taken over without a choice (empty in the kept one)
    assert "Hier: gesetzt." in html  # do not contact


def test_office_picks_per_field_and_the_other_value_is_kept_and_shown(client_for, office, pair):
    keep, merge = pair
    org = OrganisationFactory(name="Stadtwerke")
    Contact.objects.filter(pk=merge.pk).update(organisation=org)
    merge.refresh_from_db()
    client = client_for(office)

    response = client.post(
        reverse("stakeholders:merge"),
        {
            "keep": keep.pk,
            "merge": merge.pk,
            "choice_last_name": keep.pk,
            "choice_email": merge.pk,
            "choice_phone": merge.pk,
        },
    )

    assert response.status_code == 302
    assert not Contact.objects.filter(pk=merge.pk).exists()
    keep.refresh_from_db()
    assert keep.last_name == "Größe"
    assert keep.email == "j.groesse@privat.example"
    assert keep.phone == "02921 999-9"
    assert keep.mobile == "0170 1234567"
    assert keep.organisation == org
    # The address not chosen is still usable; the phone not chosen is noted.
    assert keep.email_secondary == "joerg@stadt.example"
    assert "nicht übernommen" in keep.notes
    assert "Telefon: 02921 103-1" in keep.notes
    assert "Nachname: Groesse" in keep.notes
    # The strict state survives.
    assert keep.do_not_contact is True
    # History: the values before and the reason of the change.
    latest = keep.history.latest("history_date")
    assert latest.history_change_reason == f"Zusammenführung mit Nr. {merge.pk}"
    assert keep.history.filter(phone="02921 103-1").exists()
    page = client.get(keep.get_absolute_url()).content.decode()
    assert "Telefon: 02921 103-1" in page


def test_a_withdrawal_stays_whatever_is_chosen(office, pair):
    keep, merge = pair
    LegalBasisFactory(contact=keep, effective_at=timezone.now())
    services.consent_withdraw(
        contact=merge,
        purpose=Purpose.PRESS,
        source="Brief",
        at=timezone.now() - dt.timedelta(days=1),
    )

    services.contact_merge(keep=keep, merge=merge, user=office, choices={"email": keep.pk})

    basis = services.current_basis(contact=keep, purpose=Purpose.PRESS)
    assert basis.status == LegalBasisRecord.Status.WITHDRAWN


def test_a_choice_naming_a_third_contact_is_refused_and_nothing_changes(client_for, office, pair):
    keep, merge = pair
    third = ContactFactory(last_name="Dritter", phone="0000 000-0")
    before = (keep.last_name, keep.email, keep.phone)
    client = client_for(office)

    response = client.post(
        reverse("stakeholders:merge"),
        {
            "keep": keep.pk,
            "merge": merge.pk,
            "choice_last_name": keep.pk,
            "choice_email": keep.pk,
            "choice_phone": third.pk,
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert (
        f"Die Auswahl für »Telefon« gehört zu keinem der beiden Kontakte (Nr. {keep.pk} "
        f"und Nr. {merge.pk}). Es wurde nichts geändert."
    ) in html
    assert Contact.objects.filter(pk=merge.pk).exists()
    keep.refresh_from_db()
    assert (keep.last_name, keep.email, keep.phone) == before
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.MERGE).exists()


def test_a_choice_for_a_field_without_conflict_naming_a_third_contact_is_refused(
    client_for, office, pair
):
    keep, merge = pair
    third = ContactFactory(last_name="Dritter")

    response = client_for(office).post(
        reverse("stakeholders:merge"),
        {
            "keep": keep.pk,
            "merge": merge.pk,
            "choice_last_name": keep.pk,
            "choice_email": keep.pk,
            "choice_phone": keep.pk,
            "choice_city": third.pk,
        },
    )

    assert response.status_code == 400
    assert "gehört zu keinem der beiden Kontakte" in response.content.decode()
    assert Contact.objects.filter(pk=merge.pk).exists()


def test_a_missing_choice_is_asked_for(client_for, office, pair):
    keep, merge = pair

    response = client_for(office).post(
        reverse("stakeholders:merge"), {"keep": keep.pk, "merge": merge.pk, "choice_email": keep.pk}
    )

    assert response.status_code == 400
    assert "Bitte wählen Sie, welcher Wert für »Telefon« bleibt." in response.content.decode()
    assert Contact.objects.filter(pk=merge.pk).exists()


def test_the_service_refuses_a_third_contact_before_changing_anything(office, pair):
    keep, merge = pair
    third = ContactFactory()

    with pytest.raises(services.MergeChoiceError, match="keinem der beiden Kontakte"):
        services.contact_merge(keep=keep, merge=merge, user=office, choices={"phone": third.pk})

    assert Contact.objects.filter(pk=merge.pk).exists()


def test_partner_and_steering_get_403_on_the_merge_page(client_for, partner_soest, steering, pair):
    keep, merge = pair
    for user in (partner_soest, steering):
        assert client_for(user).get(_choice_url(keep, merge)).status_code == 403


def test_choosing_the_other_address_keeps_the_first_as_second_address(office):
    keep = ContactFactory(email="a@example.org", email_secondary="b@example.org")
    merge = ContactFactory(email="b@example.org", email_secondary="")

    services.contact_merge(keep=keep, merge=merge, user=office, choices={"email": merge.pk})

    keep.refresh_from_db()
    assert keep.email == "b@example.org"
    assert keep.email_secondary == "a@example.org"
