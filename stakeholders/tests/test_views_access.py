"""Who may reach which contacts page: the role matrix of DESIGN.md for the stakeholders app
(partners see their municipality's contacts only, office-only pages, 403/404/405)."""

import pytest
from django.urls import reverse

from stakeholders.models import Contact

from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


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
    assert b"Lippmann" not in export.getvalue()


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


def test_organisation_and_list_pages_scoped_for_partner(client_for, partner_soest):
    from soest_office.tests.factories import municipality

    foreign = OrganisationFactory(municipality=municipality("lippstadt"))
    own = OrganisationFactory()
    client = client_for(partner_soest)
    assert client.get(foreign.get_absolute_url()).status_code == 404
    assert client.get(own.get_absolute_url()).status_code == 200
    assert (
        client.get(reverse("stakeholders:organisation_update", args=[foreign.pk])).status_code
        == 404
    )
    listing = client.get(reverse("stakeholders:organisation_list")).content.decode()
    assert own.name in listing
    assert foreign.name not in listing
