"""On PostgreSQL the contact list's text search is answered from the trigram indexes of
migration 0003, at a realistic size, without reading the contact or organisation table
row by row (issue 6)."""

import random

import pytest
from django.db import connection
from django.test import RequestFactory

from soest_office.models import Municipality
from stakeholders.filters import ContactFilter
from stakeholders.models import Contact, Organisation
from stakeholders.views.contacts import CONTACT_ORDERING, COUNT_LIMIT, contact_list_queryset

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="EXPLAIN der Trigramm-Indizes braucht PostgreSQL (DATABASE_URL, zweiter Lauf)",
)

CONTACTS, ORGANISATIONS = 20_000, 8_000  # scale 1 of the benchmark: 30,000 in 8,000
SYLLABLES = ["ber", "hof", "mann", "lin", "dorf", "sen", "kamp", "rich", "wald", "stein"]
FIRST = ["Anna", "Bernd", "Clara", "Dieter", "Eva", "Frank", "Greta", "Hans", "Ida", "Jan"]
KINDS = [
    *("Stadtwerke", "Bäckerei", "Sportverein", "Grundschule", "Arztpraxis", "Kanzlei"),
    *("Zeitung", "Autohaus", "Apotheke", "Feuerwehr", "Volkshochschule", "Musikschule"),
    *("Sparkasse", "Kirchengemeinde", "Kindergarten", "Pflegedienst", "Tischlerei"),
    *("Steuerberatung", "Ingenieurbüro", "Heimatverein", "Gymnasium", "Bürgerstiftung"),
    *("Verkehrsverein", "Wohnungsbau", "Handwerkskammer", "Landwirtschaft", "Brauerei"),
]
TOWNS = [
    *("Soest", "Lippstadt", "Werl", "Iserlohn", "Erwitte", "Geseke", "Warstein", "Rüthen"),
    *("Anröchte", "Bad Sassendorf", "Ense", "Lippetal", "Möhnesee", "Welver", "Wickede"),
    *("Menden", "Hemer", "Arnsberg", "Meschede", "Brilon"),
]


@pytest.fixture
def many_contacts(db):
    """20,000 contacts in 8,000 organisations, 2 % of them named Schulz (like the benchmark)."""
    rnd = random.Random(6)
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{rnd.choice(KINDS)} {rnd.choice(TOWNS)} {i}",
                municipality_id=rnd.choice(municipalities),
            )
            for i in range(ORGANISATIONS)
        ]
    )
    contacts = []
    for i in range(CONTACTS):
        last = (
            "Schulz"
            if rnd.random() < 0.02
            else "".join(rnd.choice(SYLLABLES) for _ in range(3)).capitalize()
        )
        first = rnd.choice(FIRST)
        contacts.append(
            Contact(
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.{i}@example.org".lower(),
                organisation=rnd.choice(organisations),
                municipality_id=rnd.choice(municipalities),
            )
        )
    Contact.objects.bulk_create(contacts, batch_size=2000)
    with connection.cursor() as cursor:
        # What autovacuum does in production: move the GIN pending lists into the index.
        for index in (
            "contact_first_name_trgm",
            "contact_last_name_trgm",
            "contact_email_trgm",
            "organisation_name_trgm",
        ):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE stakeholders_contact")
        cursor.execute("ANALYZE stakeholders_organisation")


def _queries(user, q):
    request = RequestFactory().get("/kontakte/", {"q": q})
    request.user = user
    qs = ContactFilter(request.GET, queryset=contact_list_queryset(user), request=request).qs
    page = qs.order_by(*CONTACT_ORDERING)[:51]
    counted = qs.order_by().values("pk")[: COUNT_LIMIT + 1]
    return page, counted


@pytest.mark.parametrize("role", ["office", "partner_soest"])
@pytest.mark.parametrize("q", ["Schulz", "hofmann", "Stadtwerke Soest", "greta.berlin"])
def test_contact_search_reads_no_big_table_row_by_row(request, many_contacts, role, q):
    user = request.getfixturevalue(role)
    page, counted = _queries(user, q)
    expected = {
        c.pk
        for c in Contact.objects.visible_to(user).select_related("organisation")
        if all(
            w.lower() in f"{c.first_name} {c.last_name} {c.email} {c.organisation.name}".lower()
            for w in q.split()
        )
    }
    assert expected  # the search finds something
    assert {c.pk for c in page} <= expected
    assert len(page) == min(51, len(expected))
    assert set(counted.values_list("pk", flat=True)) == expected
    for qs in (page, counted):
        plan = qs.explain()
        assert "Seq Scan on stakeholders_contact" not in plan, plan
        assert "Seq Scan on stakeholders_organisation" not in plan, plan
        assert "contact_last_name_trgm" in plan, plan
        assert "organisation_name_trgm" in plan, plan
