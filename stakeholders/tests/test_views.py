import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import (
    AuditLogEntry,
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


@pytest.fixture
def soest_contact():
    return ContactFactory(last_name="Sauerland", email="sauerland@example.org")


@pytest.fixture
def lippstadt_contact():
    from soest_office.tests.factories import municipality

    return ContactFactory(
        last_name="Lippmann", email="lippmann@example.org", municipality=municipality("lippstadt")
    )


# --- Every page renders for the office -----------------------------------------------------


def test_office_sees_every_page(client_for, office, soest_contact):
    org = OrganisationFactory()
    dl = DistributionListFactory()
    ListMembership.objects.create(distribution_list=dl, contact=soest_contact)
    InteractionFactory(contact=soest_contact)
    LegalBasisFactory(contact=soest_contact)
    Involvement.objects.create(
        project=make_project(), contact=soest_contact, role=Involvement.Role.PARTNER
    )
    client = client_for(office)
    pk = soest_contact.pk
    for name, kwargs in [
        ("contact_list", {}),
        ("contact_create", {}),
        ("contact_detail", {"pk": pk}),
        ("contact_update", {"pk": pk}),
        ("contact_erase", {"pk": pk}),
        ("organisation_list", {}),
        ("organisation_create", {}),
        ("organisation_detail", {"pk": org.pk}),
        ("organisation_update", {"pk": org.pk}),
        ("list_list", {}),
        ("list_create", {}),
        ("list_detail", {"pk": dl.pk}),
        ("list_update", {"pk": dl.pk}),
        ("duplicates", {}),
        ("retention", {}),
        ("audit_log", {}),
        ("import_upload", {}),
    ]:
        response = client.get(reverse(f"stakeholders:{name}", kwargs=kwargs))
        assert response.status_code == 200, name
        assert response.content.count(b"<h1") == 1, name


# --- Role matrix ----------------------------------------------------------------------------


def test_partner_sees_only_own_municipality(
    client_for, partner_soest, soest_contact, lippstadt_contact
):
    client = client_for(partner_soest)
    response = client.get(reverse("stakeholders:contact_list"))
    assert response.status_code == 200
    assert b"Sauerland" in response.content
    assert b"Lippmann" not in response.content
    assert client.get(lippstadt_contact.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("stakeholders:contact_update", args=[lippstadt_contact.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("stakeholders:contact_vcard", args=[lippstadt_contact.pk])).status_code
        == 404
    )
    export = client.get(reverse("stakeholders:export_csv") + "?q=Lippmann")
    assert b"Lippmann" not in export.content


def test_partner_search_cannot_find_foreign_contacts(client_for, partner_soest, lippstadt_contact):
    response = client_for(partner_soest).get(reverse("stakeholders:contact_list") + "?q=lippmann")
    assert b"Lippmann" not in response.content


def test_steering_and_no_role_get_403(client, steering, no_role_user, soest_contact):
    for user in (steering, no_role_user):
        client.force_login(user)
        assert client.get(reverse("stakeholders:contact_list")).status_code == 403
        assert client.get(soest_contact.get_absolute_url()).status_code == 403


def test_anonymous_is_sent_to_login(client, soest_contact):
    response = client.get(soest_contact.get_absolute_url())
    assert response.status_code == 302
    assert "/konto/anmelden/" in response["Location"]


@pytest.mark.parametrize(
    "name",
    ["list_list", "list_create", "duplicates", "retention", "audit_log", "import_upload"],
)
def test_partner_cannot_reach_office_pages(client_for, partner_soest, name):
    assert client_for(partner_soest).get(reverse(f"stakeholders:{name}")).status_code == 403


def test_partner_cannot_request_auskunft_or_erase(client_for, partner_soest, soest_contact):
    client = client_for(partner_soest)
    for name in ("auskunft_json", "auskunft_pdf", "contact_erase"):
        assert (
            client.get(reverse(f"stakeholders:{name}", args=[soest_contact.pk])).status_code == 403
        )
    assert (
        client.post(reverse("stakeholders:contact_erase", args=[soest_contact.pk])).status_code
        == 403
    )
    assert Contact.objects.filter(pk=soest_contact.pk).exists()


def test_partner_edits_own_contact(client_for, partner_soest, soest_contact):
    url = reverse("stakeholders:contact_update", args=[soest_contact.pk])
    response = client_for(partner_soest).post(
        url,
        {
            "last_name": "Sauerland",
            "first_name": "Sabine",
            "email": "sauerland@example.org",
            "municipality": soest_contact.municipality_id,
            "category": "other",
            "preferred_language": "de",
            "preferred_channel": "email",
        },
    )
    assert response.status_code == 302
    soest_contact.refresh_from_db()
    assert soest_contact.first_name == "Sabine"


def test_partner_cannot_move_contact_to_other_municipality(
    client_for, partner_soest, soest_contact
):
    from soest_office.tests.factories import municipality

    url = reverse("stakeholders:contact_update", args=[soest_contact.pk])
    response = client_for(partner_soest).post(
        url,
        {
            "last_name": "Sauerland",
            "municipality": municipality("lippstadt").pk,
            "category": "other",
            "preferred_language": "de",
            "preferred_channel": "email",
        },
    )
    assert response.status_code == 200
    assert "Kommune" in response.content.decode()
    soest_contact.refresh_from_db()
    assert soest_contact.municipality.slug == "soest"


def test_wrong_method_gets_405(client_for, office, soest_contact):
    client = client_for(office)
    assert (
        client.get(reverse("stakeholders:interaction_create", args=[soest_contact.pk])).status_code
        == 405
    )
    assert client.get(reverse("stakeholders:merge")).status_code == 405
    assert client.get(reverse("stakeholders:contact_bulk")).status_code == 405
    assert client.post(reverse("stakeholders:export_csv")).status_code == 405


# --- Create / edit validation ---------------------------------------------------------------


def _form_data(**extra):
    return {
        "last_name": "Neumann",
        "first_name": "Nora",
        "category": "other",
        "preferred_language": "de",
        "preferred_channel": "email",
        **extra,
    }


def test_create_validates_email_and_phone_in_german(client_for, office):
    response = client_for(office).post(
        reverse("stakeholders:contact_create"),
        _form_data(email="kein-at-zeichen", phone="abc"),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "gültige E-Mail-Adresse" in text
    assert "keine gültige Telefonnummer" in text
    assert not Contact.objects.filter(last_name="Neumann").exists()


def test_create_warns_about_duplicate_and_saves_after_confirmation(client_for, office):
    ContactFactory(last_name="Alt", email="nora@example.org")
    client = client_for(office)
    url = reverse("stakeholders:contact_create")
    response = client.post(url, _form_data(email="NORA@example.org"))
    assert response.status_code == 200
    assert "Möglicher Doppeleintrag" in response.content.decode()
    assert not Contact.objects.filter(last_name="Neumann").exists()

    response = client.post(url, _form_data(email="NORA@example.org", confirm_duplicate="on"))
    assert response.status_code == 302
    assert Contact.objects.filter(last_name="Neumann").exists()


def test_same_name_in_same_organisation_is_a_duplicate(client_for, office):
    org = OrganisationFactory()
    ContactFactory(first_name="Nora", last_name="Neumann", organisation=org, email="")
    response = client_for(office).post(
        reverse("stakeholders:contact_create"), _form_data(organisation=org.pk)
    )
    assert "Möglicher Doppeleintrag" in response.content.decode()


def test_log_interaction_and_consent_from_detail_page(client_for, office, soest_contact):
    client = client_for(office)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("stakeholders:interaction_create", args=[soest_contact.pk]),
        {"occurred_at": now, "channel": "phone", "summary": "Rückruf zum Breitband"},
    )
    assert response.status_code == 302
    assert Interaction.objects.get(contact=soest_contact).recorded_by == office
    response = client.post(
        reverse("stakeholders:legal_basis_create", args=[soest_contact.pk]),
        {"purpose": "newsletter", "status": "consent", "method": "form", "effective_at": now},
    )
    assert response.status_code == 302
    record = LegalBasisRecord.objects.get(contact=soest_contact)
    assert record.recorded_by == office


def test_future_interaction_is_rejected(client_for, office, soest_contact):
    future = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(office).post(
        reverse("stakeholders:interaction_create", args=[soest_contact.pk]),
        {"occurred_at": future, "channel": "phone", "summary": "x"},
    )
    assert response.status_code == 400
    assert "Zukunft" in response.content.decode()


# --- Bulk actions ---------------------------------------------------------------------------


def test_bulk_add_to_list_and_tag(client_for, office, soest_contact, lippstadt_contact):
    dl = DistributionListFactory()
    client = client_for(office)
    ids = [soest_contact.pk, lippstadt_contact.pk]
    client.post(
        reverse("stakeholders:contact_bulk"),
        {"action": "add_to_list", "distribution_list": dl.pk, "contacts": ids},
    )
    client.post(
        reverse("stakeholders:contact_bulk"), {"action": "tag", "tag": "Presse", "contacts": ids}
    )
    assert set(dl.members.values_list("pk", flat=True)) == set(ids)
    assert Contact.objects.filter(tags__name="Presse").count() == 2


def test_partner_bulk_cannot_touch_foreign_contacts(client_for, partner_soest, lippstadt_contact):
    client_for(partner_soest).post(
        reverse("stakeholders:contact_bulk"),
        {"action": "tag", "tag": "gehackt", "contacts": [lippstadt_contact.pk]},
    )
    assert not lippstadt_contact.tags.exists()


# --- Filters --------------------------------------------------------------------------------


def test_filter_by_consent_state_and_list(client_for, office):
    valid = consenting_contact(last_name="Gueltig")
    withdrawn = consenting_contact(last_name="Widerrufen")
    LegalBasisFactory(
        contact=withdrawn, status=LegalBasisRecord.Status.WITHDRAWN, effective_at=timezone.now()
    )
    dl = DistributionListFactory()
    ListMembership.objects.create(distribution_list=dl, contact=withdrawn)
    client = client_for(office)
    url = reverse("stakeholders:contact_list")
    text = client.get(url + "?consent=press:valid").content.decode()
    assert "Gueltig" in text
    assert "Widerrufen" not in text
    text = client.get(url + "?consent=press:withdrawn").content.decode()
    assert "Widerrufen" in text
    assert "Gueltig" not in text
    text = client.get(url + f"?distribution_list={dl.pk}").content.decode()
    assert "Widerrufen" in text
    assert "Gueltig" not in text
    assert valid.pk


# --- Erasure view: confirmed twice ----------------------------------------------------------


def test_erase_needs_two_confirmations(client_for, office, soest_contact):
    client = client_for(office)
    url = reverse("stakeholders:contact_erase", args=[soest_contact.pk])
    assert client.post(url, {}).status_code == 400
    step2 = client.post(url, {"confirm": "on"})
    assert step2.status_code == 200
    token = step2.context["token"]
    wrong = client.post(url, {"token": token, "typed_name": "Falsch"})
    assert wrong.status_code == 400
    assert Contact.objects.filter(pk=soest_contact.pk).exists()
    done = client.post(url, {"token": token, "typed_name": "sauerland"})
    assert done.status_code == 302
    assert not Contact.objects.filter(pk=soest_contact.pk).exists()
    assert AuditLogEntry.objects.filter(action="erasure", user=office).exists()


def test_erase_rejects_forged_token(client_for, office, soest_contact):
    response = client_for(office).post(
        reverse("stakeholders:contact_erase", args=[soest_contact.pk]),
        {"token": "gefaelscht", "typed_name": "Sauerland"},
    )
    assert response.status_code == 302
    assert Contact.objects.filter(pk=soest_contact.pk).exists()


# --- Merge view -----------------------------------------------------------------------------


def test_duplicates_page_lists_and_merges(client_for, office):
    a = ContactFactory(last_name="Doppelt", email="doppelt@example.org")
    b = ContactFactory(last_name="Doppelt2", email="DOPPELT@example.org")
    InteractionFactory(contact=b)
    client = client_for(office)
    page = client.get(reverse("stakeholders:duplicates")).content.decode()
    assert "Doppelt2" in page
    response = client.post(reverse("stakeholders:merge"), {"keep": a.pk, "merge": b.pk})
    assert response.status_code == 302
    assert a.interactions.count() == 1
    assert not Contact.objects.filter(pk=b.pk).exists()


# --- Query counts ---------------------------------------------------------------------------


def _fill(n):
    orgs = [OrganisationFactory() for _ in range(3)]
    for i in range(n):
        c = ContactFactory(organisation=orgs[i % 3])
        c.tags.create(name=f"t{c.pk}")


def test_contact_list_query_count_does_not_grow(client_for, office, django_assert_max_num_queries):
    client = client_for(office)
    url = reverse("stakeholders:contact_list")
    _fill(3)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _fill(20)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_contact_detail_query_count_does_not_grow(client_for, office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contact = ContactFactory()
    client = client_for(office)
    for _ in range(2):
        InteractionFactory(contact=contact)
        LegalBasisFactory(contact=contact)
    with CaptureQueriesContext(connection) as small:
        client.get(contact.get_absolute_url())
    for _ in range(15):
        InteractionFactory(contact=contact)
        LegalBasisFactory(contact=contact, purpose=Purpose.EVENTS)
    with CaptureQueriesContext(connection) as large:
        client.get(contact.get_absolute_url())
    assert len(large) == len(small)
