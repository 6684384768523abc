"""The contact list at scale (issue 6): a filter form that does not grow with projects and
distribution lists, keyset pages instead of OFFSET, and the text search."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soest_office.tests.factories import municipality
from stakeholders.models import Contact, Involvement, ListMembership, Tag

from .factories import ContactFactory, DistributionListFactory, OrganisationFactory, make_project

pytestmark = pytest.mark.django_db

URL = reverse("stakeholders:contact_list")


def _names(response) -> list[str]:
    """Last names in the table, in order."""
    return re.findall(
        r'id="auswahl-\d+" aria-label="(?:Erika )?([^"]+) auswählen"', response.content.decode()
    )


def _projects(n, start=0):
    return [
        make_project(slug=f"projekt-{i}", title=f"Projekt Nummer {i}")
        for i in range(start, start + n)
    ]


def _lists(n, start=0):
    return [DistributionListFactory(name=f"Verteiler Nummer {i}") for i in range(start, start + n)]


# --- Filter form: text fields with a few suggestions instead of <select>s ------------------


def test_filter_form_does_not_grow_with_projects_lists_and_tags(client_for, office):
    ContactFactory()
    client = client_for(office)
    _projects(40)
    _lists(40)
    Tag.objects.bulk_create([Tag(name=f"Schlagwort {i}") for i in range(50)])
    small = client.get(URL).content.decode()
    _projects(80, start=40)
    _lists(80, start=40)
    Tag.objects.bulk_create([Tag(name=f"Schlagwort {i}") for i in range(50, 150)])
    large = client.get(URL).content.decode()
    assert large.count("<option") == small.count("<option")
    assert abs(len(large) - len(small)) < 300  # same size, whichever names are suggested
    # Projects, lists and tags are text fields with a datalist, not selects.
    for name in ("project", "distribution_list", "tag"):
        assert re.search(rf'<input type="text" name="{name}"[^>]* list="vorschlaege-', large)
    assert '<datalist id="vorschlaege-projekte">' in large
    assert '<datalist id="vorschlaege-verteiler">' in large
    assert '<datalist id="vorschlaege-schlagwoerter">' in large


def _involved(contact, project):
    Involvement.objects.create(project=project, contact=contact, role=Involvement.Role.PARTNER)


def test_filter_by_project_title_slug_or_id(client_for, office):
    breitband = make_project(slug="breitband", title="Breitband Soest")
    portal = make_project(slug="portal", title="Bürgerportal")
    _involved(ContactFactory(last_name="Breit"), breitband)
    _involved(ContactFactory(last_name="Portmann"), portal)
    client = client_for(office)
    for value in ("Breitband Soest", "breitband soest", "breitband", "Breitb", str(breitband.pk)):
        response = client.get(URL, {"project": value})
        assert _names(response) == ["Breit"], value
    # An id from an old link shows the project's title in the field.
    response = client.get(URL, {"project": breitband.pk})
    assert 'value="Breitband Soest"' in response.content.decode()


def test_unknown_or_ambiguous_project_gives_a_german_error_and_no_contacts(client_for, office):
    make_project(slug="a", title="Radweg Nord")
    make_project(slug="b", title="Radweg Süd")
    ContactFactory(last_name="Irgendwer")
    client = client_for(office)
    response = client.get(URL, {"project": "Seilbahn"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Kein Projekt passt zu »Seilbahn«" in text
    assert _names(response) == []
    assert "export.csv" not in text  # no export of an unfiltered list by mistake
    text = client.get(URL, {"project": "Radweg"}).content.decode()
    assert "»Radweg« passt auf mehrere Projekte: Radweg Nord; Radweg Süd." in text


def test_filter_by_distribution_list_and_tag_names(client_for, office):
    presse = DistributionListFactory(name="Lokalpresse Hellweg")
    DistributionListFactory(name="Newsletter")
    in_list = ContactFactory(last_name="Listig")
    ListMembership.objects.create(distribution_list=presse, contact=in_list)
    tagged = ContactFactory(last_name="Markiert")
    tagged.tags.add(Tag.objects.create(name="Breitband"))
    ContactFactory(last_name="Ohne")
    client = client_for(office)
    assert _names(client.get(URL, {"distribution_list": "lokalpresse"})) == ["Listig"]
    assert _names(client.get(URL, {"distribution_list": presse.pk})) == ["Listig"]
    assert _names(client.get(URL, {"tag": "breitband"})) == ["Markiert"]
    text = client.get(URL, {"distribution_list": "Fax"}).content.decode()
    assert "Kein Verteiler passt zu »Fax«" in text


def test_partner_sees_no_distribution_lists_in_filter_or_bulk_form(
    client_for, partner_soest, office
):
    secret = DistributionListFactory(name="Geheimer Verteiler")
    own = ContactFactory(last_name="Eigen")
    ListMembership.objects.create(distribution_list=secret, contact=own)
    ContactFactory(last_name="Fremd", municipality=municipality("lippstadt"))
    client = client_for(partner_soest)
    response = client.get(URL, {"distribution_list": secret.pk})
    text = response.content.decode()
    assert 'name="distribution_list"' not in text
    assert "vorschlaege-verteiler" not in text
    assert "Geheimer Verteiler" not in text
    assert _names(response) == ["Eigen"]  # the parameter is ignored, the scope stays


def test_steering_group_sees_no_contacts(client_for, steering):
    ContactFactory()
    assert client_for(steering).get(URL, {"project": "x"}).status_code == 403


# --- Bulk actions with the lighter fields ---------------------------------------------------


def test_bulk_add_to_list_by_name(client_for, office):
    dl = DistributionListFactory(name="Lokalpresse Hellweg")
    a, b = ContactFactory(), ContactFactory()
    response = client_for(office).post(
        reverse("stakeholders:contact_bulk"),
        {
            "action": "add_to_list",
            "distribution_list": "Lokalpresse Hellweg",
            "contacts": [a.pk, b.pk],
        },
    )
    assert response.status_code == 302
    assert set(dl.members.values_list("pk", flat=True)) == {a.pk, b.pk}


def test_bulk_add_to_unknown_list_is_a_german_error(client_for, office):
    a = ContactFactory()
    client = client_for(office)
    response = client.post(
        reverse("stakeholders:contact_bulk"),
        {"action": "add_to_list", "distribution_list": "Gibtsnicht", "contacts": [a.pk]},
        follow=True,
    )
    assert "Kein Verteiler passt zu »Gibtsnicht«" in response.content.decode()
    assert not ListMembership.objects.exists()


def test_partner_cannot_add_to_a_list_by_name(client_for, partner_soest):
    dl = DistributionListFactory(name="Lokalpresse Hellweg")
    own = ContactFactory()
    client_for(partner_soest).post(
        reverse("stakeholders:contact_bulk"),
        {"action": "add_to_list", "distribution_list": dl.name, "contacts": [own.pk]},
    )
    assert not ListMembership.objects.exists()


# --- Keyset pages ---------------------------------------------------------------------------


def _next_link(response):
    match = re.search(r'rel="next" href="([^"]+)"', response.content.decode())
    return match and match.group(1).replace("&amp;", "&")


def test_keyset_pages_walk_every_contact_once_in_order(client_for, office):
    # Equal names on page boundaries: the primary key breaks the tie.
    for i in range(130):
        ContactFactory(last_name=f"Name{i // 7:02d}", first_name="Eva" if i % 2 else "")
    client = client_for(office)
    seen, url = [], URL
    while url:
        response = client.get(url if url.startswith("/") else URL + url)
        assert response.status_code == 200
        rows = re.findall(r'name="contacts" value="(\d+)"', response.content.decode())
        seen += [int(pk) for pk in rows]
        url = _next_link(response)
    expected = list(
        Contact.objects.order_by("last_name", "first_name", "pk").values_list("pk", flat=True)
    )
    assert seen == expected
    assert "130 Kontakte gefunden" in client.get(URL).content.decode()


def test_keyset_links_keep_the_filter(client_for, office):
    for i in range(60):
        ContactFactory(last_name=f"Muster{i:02d}")
    ContactFactory(last_name="Anders")
    client = client_for(office)
    response = client.get(URL, {"q": "Muster"})
    link = _next_link(response)
    assert "q=Muster" in link
    assert "nach=" in link
    second = client.get(URL + link)
    assert _names(second) == [f"Muster{i:02d}" for i in range(50, 60)]
    assert 'rel="prev"' in second.content.decode()


def test_invalid_cursor_shows_the_first_page_with_a_german_message(client_for, office):
    ContactFactory(last_name="Erster")
    response = client_for(office).get(URL, {"nach": "kaputt!"})
    assert response.status_code == 200
    assert "ungültig" in response.content.decode()
    assert _names(response) == ["Erster"]


def test_partner_pages_stay_in_the_own_municipality(client_for, partner_soest):
    lippstadt = municipality("lippstadt")
    for i in range(60):
        ContactFactory(last_name=f"Soest{i:02d}")
        ContactFactory(last_name=f"Fremd{i:02d}", municipality=lippstadt)
    client = client_for(partner_soest)
    first = client.get(URL)
    second = client.get(URL + _next_link(first))
    names = _names(first) + _names(second)
    assert names == [f"Soest{i:02d}" for i in range(60)]


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
        assert response.status_code == 200
    return len(captured)


def _fill(n, offset=0):
    org = OrganisationFactory(name="Stadtwerke Soest")
    tag = Tag.objects.get_or_create(name="Presse")[0]
    project = make_project(slug=f"p{offset}", title=f"Projekt {offset}")
    dl = DistributionListFactory()
    for i in range(offset, offset + n):
        contact = ContactFactory(last_name=f"Muster{i:04d}", organisation=org)
        contact.tags.add(tag)
        _involved(contact, project)
        ListMembership.objects.create(distribution_list=dl, contact=contact)
    return project, dl


@pytest.mark.parametrize("role", ["office", "partner_soest"])
def test_list_search_and_deep_page_queries_do_not_grow(
    request, client_for, django_assert_max_num_queries, role
):
    client = client_for(request.getfixturevalue(role))
    _fill(60)
    client.get(URL)  # warm the session
    page2 = _next_link(client.get(URL))
    small = {
        "list": _queries(client, URL),
        "page2": _queries(client, URL + page2),
        "search": _queries(client, URL, q="Muster Stadtwerke"),
        "filtered": _queries(client, URL, project="Projekt 0", tag="Presse", kind="business"),
    }
    _fill(140, offset=60)
    deep = _next_link(client.get(URL + _next_link(client.get(URL))))  # page 3
    large = {
        "list": _queries(client, URL),
        "page2": _queries(client, URL + deep),
        "search": _queries(client, URL, q="Muster Stadtwerke"),
        "filtered": _queries(client, URL, project="Projekt 0", tag="Presse", kind="business"),
    }
    assert small == large
    for url, params in [(URL, {}), (URL + deep, {}), (URL, {"q": "Muster Stadtwerke"})]:
        with django_assert_max_num_queries(12):
            client.get(url, params)


# --- Text search ----------------------------------------------------------------------------


def test_text_search_matches_names_email_and_organisation_with_all_words(client_for, office):
    stadtwerke = OrganisationFactory(name="Stadtwerke Lippstadt")
    ContactFactory(first_name="Greta", last_name="Quast", email="g.quast@example.org")
    ContactFactory(first_name="Quentin", last_name="Adler", email="adler@example.org")
    ContactFactory(first_name="Ida", last_name="Berg", email="berg@quastmail.de")
    ContactFactory(first_name="Ole", last_name="Dorn", organisation=stadtwerke, email="")
    ContactFactory(first_name="Paula", last_name="Eck", email="")
    client = client_for(office)
    assert _names(client.get(URL, {"q": "QUAST"})) == ["Ida Berg", "Greta Quast"]
    assert _names(client.get(URL, {"q": "stadtwerke"})) == ["Ole Dorn"]
    assert _names(client.get(URL, {"q": "dorn lippstadt"})) == ["Ole Dorn"]
    assert _names(client.get(URL, {"q": "quast greta"})) == ["Greta Quast"]
    assert "1 Kontakt gefunden" in client.get(URL, {"q": "Adler"}).content.decode()
