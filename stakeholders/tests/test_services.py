import datetime as dt

import pytest
from django.utils import timezone

from soest_office.models import AuditEvent
from soest_office.plugins import PERSONAL_DATA, PersonalData
from stakeholders import dsgvo, services
from stakeholders.models import (
    Contact,
    Interaction,
    Involvement,
    LegalBasisRecord,
    ListMembership,
    Purpose,
)

from .factories import (
    ContactFactory,
    DistributionListFactory,
    InteractionFactory,
    LegalBasisFactory,
    OrganisationFactory,
    consenting_contact,
    make_project,
)

pytestmark = pytest.mark.django_db

Status = LegalBasisRecord.Status


def _members(dl, *contacts):
    for c in contacts:
        ListMembership.objects.create(distribution_list=dl, contact=c)


def test_effective_recipients_need_email_current_basis_and_no_block():
    dl = DistributionListFactory(purpose=Purpose.PRESS)
    ok = consenting_contact()
    journalist = ContactFactory()
    LegalBasisFactory(contact=journalist, status=Status.LEGITIMATE_INTEREST)
    no_email = consenting_contact(email="")
    blocked = consenting_contact(do_not_contact=True)
    no_basis = ContactFactory()
    other_purpose = consenting_contact(purpose=Purpose.NEWSLETTER)
    withdrawn = consenting_contact()
    services.consent_withdraw(contact=withdrawn, purpose=Purpose.PRESS, source="Abmeldelink")
    not_member = consenting_contact()
    _members(dl, ok, journalist, no_email, blocked, no_basis, other_purpose, withdrawn)

    result = set(services.effective_recipients(distribution_list=dl))

    assert result == {ok, journalist}
    assert not_member not in result


def test_only_the_latest_legal_basis_counts_and_history_is_kept():
    contact = ContactFactory()
    now = timezone.now()
    LegalBasisFactory(contact=contact, effective_at=now - dt.timedelta(days=10))
    LegalBasisFactory(
        contact=contact, status=Status.WITHDRAWN, effective_at=now - dt.timedelta(days=5)
    )
    qs = Contact.objects.filter(pk=contact.pk)
    assert not services.recipients_for_purpose(purpose=Purpose.PRESS, contacts=qs).exists()

    LegalBasisFactory(contact=contact, effective_at=now - dt.timedelta(days=1))

    assert services.recipients_for_purpose(purpose=Purpose.PRESS, contacts=qs).exists()
    assert contact.legal_basis_records.count() == 3


def test_recipients_for_purpose_rejects_unknown_purpose():
    with pytest.raises(ValueError, match="Unbekannter Zweck"):
        services.recipients_for_purpose(purpose="spam", contacts=Contact.objects.all())


def test_consent_withdraw_takes_effect_immediately_and_is_idempotent():
    contact = consenting_contact()
    qs = Contact.objects.filter(pk=contact.pk)

    first = services.consent_withdraw(contact=contact, purpose=Purpose.PRESS, source="Abmeldelink")
    second = services.consent_withdraw(contact=contact, purpose=Purpose.PRESS, source="Abmeldelink")

    assert first.pk == second.pk
    assert first.method == LegalBasisRecord.Method.UNSUBSCRIBE
    assert not services.recipients_for_purpose(purpose=Purpose.PRESS, contacts=qs).exists()


def test_interaction_record_mailing_appears_once_in_history():
    contact = ContactFactory()
    sent = timezone.now()
    services.interaction_record_mailing(contact=contact, subject="Neues Bürgerportal", sent_at=sent)
    services.interaction_record_mailing(contact=contact, subject="Neues Bürgerportal", sent_at=sent)
    entries = contact.interactions.all()
    assert len(entries) == 1
    assert entries[0].channel == Interaction.Channel.MAILING
    assert "Neues Bürgerportal" in entries[0].summary


def test_merge_keeps_everything_and_withdrawal_survives(office):
    project = make_project()
    keep = ContactFactory(email="a@example.org", phone="")
    merge = ContactFactory(email="b@example.org", phone="02921 103-0", do_not_contact=True)
    LegalBasisFactory(contact=keep, effective_at=timezone.now())  # newer consent
    LegalBasisFactory(contact=merge, effective_at=timezone.now() - dt.timedelta(days=3))
    services.consent_withdraw(
        contact=merge,
        purpose=Purpose.PRESS,
        source="Brief",
        at=timezone.now() - dt.timedelta(days=2),
    )
    InteractionFactory(contact=merge)
    InteractionFactory(contact=keep)
    Involvement.objects.create(project=project, contact=merge, role=Involvement.Role.PARTNER)
    dl = DistributionListFactory()
    _members(dl, merge)
    services.contacts_tag(contacts=Contact.objects.filter(pk=merge.pk), name="Digitalbeirat")

    merge_pk = merge.pk
    services.contact_merge(keep=keep, merge=merge, user=office)

    keep.refresh_from_db()
    assert not Contact.objects.filter(pk=merge_pk).exists()
    assert keep.interactions.count() == 2
    assert keep.involvements.get().project == project
    assert keep.legal_basis_records.count() == 4  # 1 + 2 moved + withdrawal carried over
    assert services.current_basis(contact=keep, purpose=Purpose.PRESS).status == Status.WITHDRAWN
    assert keep.do_not_contact is True
    assert keep.phone == "02921 103-0"
    assert keep.email_secondary == "b@example.org"
    assert list(keep.distribution_lists.all()) == [dl]
    assert [t.name for t in keep.tags.all()] == ["Digitalbeirat"]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.MERGE)
    assert (event.actor, event.target, event.area) == (office, f"Kontakt {keep.pk}", "kontakte")
    assert event.details == {"anzahl": 2, "übernommen_aus": f"Kontakt {merge_pk}"}
    # The merged record's field history now belongs to the kept contact, without a deletion.
    assert keep.history.filter(email="b@example.org").exists()
    assert not keep.history.filter(history_type="-").exists()
    assert not Contact.history.filter(id=merge_pk).exists()


def test_erase_leaves_nothing_personal_incl_history(office):
    org = OrganisationFactory()
    contact = ContactFactory(
        first_name="Gisela", last_name="Geheim", email="gisela@example.org", organisation=org
    )
    contact.phone = "0171 1234567"
    contact.save()  # a second history row
    LegalBasisFactory(contact=contact)
    InteractionFactory(contact=contact, summary="Gisela erzählte von ihrer Krankheit")
    dl = DistributionListFactory()
    _members(dl, contact)
    hook_calls = []
    with PERSONAL_DATA.replaced(PersonalData(key="test", erase=hook_calls.append)):
        services.contact_erase(contact=contact, user=office)

    assert hook_calls
    assert hook_calls[0].last_name == "Geheim"
    assert not Contact.objects.filter(last_name="Geheim").exists()
    assert not Contact.history.filter(last_name="Geheim").exists()
    assert not Contact.history.filter(email="gisela@example.org").exists()
    assert not LegalBasisRecord.objects.exists()
    assert not ListMembership.objects.exists()
    anonymous = Interaction.objects.get()
    assert anonymous.contact is None
    assert anonymous.summary == ""
    log = AuditEvent.objects.get(kind=AuditEvent.Kind.ERASURE)
    assert log.actor == office
    assert (log.target, log.details) == ("", {"anzahl": 1})


def test_auskunft_contains_every_section_and_registered_extras():
    contact = consenting_contact(first_name="Paul", last_name="Presse")
    InteractionFactory(contact=contact, summary="Interview")
    dl = DistributionListFactory(name="Presseverteiler")
    _members(dl, contact)
    extra = PersonalData(key="test", label="Zustellungen", auskunft=lambda c: [{"Betreff": "PM 1"}])
    with PERSONAL_DATA.replaced(extra):
        data = dsgvo.auskunft_data(contact)
    assert data["person"]["Nachname"] == "Presse"
    titles = {s["title"]: s["rows"] for s in data["abschnitte"]}
    assert titles["Kontakthistorie"][0]["Zusammenfassung"] == "Interview"
    assert titles["Verteiler"][0]["Verteiler"] == "Presseverteiler"
    assert (
        titles["Rechtsgrundlagen (Einwilligungen, Widerrufe)"][0]["Rechtsgrundlage"]
        == "Einwilligung"
    )
    assert titles["Zustellungen"] == [{"Betreff": "PM 1"}]


def test_erasure_leaves_the_name_in_no_table_of_the_database(office, client_for):
    """Search every text column of every model (incl. history tables) for the person."""
    from django.apps import apps
    from django.db import models as dj_models
    from django.urls import reverse

    contact = ContactFactory(
        first_name="Wilhelmine", last_name="Geheimnisträger", email="wilhelmine@geheim.example"
    )
    contact.notes = "Wilhelmine mag keine Anrufe"
    contact.save()
    LegalBasisFactory(contact=contact, source="Formular von Wilhelmine")
    InteractionFactory(contact=contact, summary="Wilhelmine Geheimnisträger rief an")
    client = client_for(office)
    client.get(reverse("stakeholders:export_csv") + "?q=Geheimnisträger")
    client.get(reverse("stakeholders:auskunft_json", args=[contact.pk]))

    services.contact_erase(contact=contact, user=office)

    leftovers = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (dj_models.CharField, dj_models.TextField))
        ]
        for field in text_fields:
            for needle in ("Geheimnisträger", "Wilhelmine", "geheim.example"):
                if model._default_manager.filter(**{f"{field}__icontains": needle}).exists():
                    leftovers.append(f"{model._meta.label}.{field}: {needle}")
    assert leftovers == []
    # The log itself stays, without the name in its filter or details.
    export = AuditEvent.objects.get(kind="export")
    assert export.target == "q=[gelöscht]"
    assert "Geheimnisträger" not in str(export.details)


def test_recipients_for_purpose_lists_each_person_once_across_joins():
    contact = consenting_contact()
    for slug in ("a", "b"):
        Involvement.objects.create(
            project=make_project(slug=slug), contact=contact, role=Involvement.Role.PARTNER
        )
    joined = Contact.objects.filter(involvements__project__slug__in=["a", "b"])
    assert joined.count() == 2
    result = services.recipients_for_purpose(purpose=Purpose.PRESS, contacts=joined)
    assert list(result) == [contact]
