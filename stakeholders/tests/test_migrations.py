"""Migrations 0004/0005: every entry of the contacts' old log (AuditLogEntry) arrives in the one
audit log (soest_office.AuditEvent) with its time, user, kind, target and count; the copies the
old code wrote into the central log are not doubled. Runs on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("soest_office", "0008_search_vector_per_source"),
    ("stakeholders", "0003_contact_search_trigram_indexes"),
]
AFTER = [("stakeholders", "0005_delete_auditlogentry")]
LONG_SCOPE = "q=" + "Verwaltung Soest " * 29  # 495 characters: more than the old target held

# (action, scope, count) of the old log -> (kind, details) of the new one; the area follows
# from the scope
CASES = [
    ("export_csv", "q=Soest, municipality=1", 120, "export", {"format": "csv", "anzahl": 120}),
    ("export_xlsx", "alle sichtbaren Kontakte", 3, "export", {"format": "xlsx", "anzahl": 3}),
    ("export_vcard", "Verteiler Presse", 40, "export", {"format": "vcard", "anzahl": 40}),
    ("export_vcard", "Kontakt 17", 1, "export", {"format": "vcard", "anzahl": 1}),
    ("auskunft_json", "Kontakt 17", 1, "auskunft", {"format": "json", "anzahl": 1}),
    ("auskunft_pdf", "Kontakt 17", 1, "auskunft", {"format": "pdf", "anzahl": 1}),
    ("erasure", "", 2, "erasure", {"anzahl": 2}),
    ("import", "Import presse.csv", 250, "import", {"anzahl": 250}),
    ("merge", "Kontakt 17", 2, "merge", {"anzahl": 2}),
    (
        "export_csv",
        "Einwilligungsnachweis Abonnement 3",
        1,
        "export",
        {"format": "csv", "anzahl": 1},
    ),
    ("export_csv", LONG_SCOPE, 7, "export", {"format": "csv", "anzahl": 7}),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_log():
    """The database as it was before the fold, restored to the newest state afterwards."""
    try:
        yield migrate(BEFORE)
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_every_old_entry_arrives_in_the_central_log(old_log):
    apps = old_log
    User = apps.get_model("soest_office", "User")
    Entry = apps.get_model("stakeholders", "AuditLogEntry")
    Event = apps.get_model("soest_office", "AuditEvent")
    office = User.objects.create(username="buero", email="buero@example.org")
    partner = User.objects.create(username="soest", email="soest@example.org")
    start = timezone.now().replace(microsecond=123456) - dt.timedelta(days=400)
    expected = []
    for i, (action, scope, count, kind, details) in enumerate(CASES):
        user = [office, partner, None][i % 3]
        entry = Entry.objects.create(user=user, action=action, scope=scope, count=count)
        at = start + dt.timedelta(days=i, microseconds=i)
        Entry.objects.filter(pk=entry.pk).update(at=at)  # auto_now_add set "now"
        area = "abo" if scope.startswith("Einwilligungsnachweis") else "kontakte"
        expected.append((at, kind, user, scope, details, area))
    # The old code's short copy of the first entry, a few milliseconds later, and an account
    # event that stays as it is.
    copy = Event.objects.create(
        kind="export",
        actor=office,
        actor_name="buero",
        target="Kontakte: Export CSV",
        details={"scope": CASES[0][1], "count": 120},
    )
    Event.objects.filter(pk=copy.pk).update(created_at=start + dt.timedelta(milliseconds=4))
    login = Event.objects.create(kind="login", actor=office, actor_name="buero", target="Büro")
    Event.objects.filter(pk=login.pk).update(created_at=start)

    apps = migrate(AFTER)

    Event = apps.get_model("soest_office", "AuditEvent")
    with pytest.raises(LookupError):
        apps.get_model("stakeholders", "AuditLogEntry")
    assert "stakeholders_auditlogentry" not in connection.introspection.table_names()
    events = Event.objects.exclude(kind="login").order_by("created_at", "pk")
    assert events.count() == len(CASES)  # the copy is not doubled
    for event, (at, kind, user, scope, details, area) in zip(events, expected, strict=True):
        assert event.created_at == at
        assert (event.kind, event.actor_id, event.target) == (
            kind,
            getattr(user, "pk", None),
            scope,
        )
        assert event.actor_name == (user.username if user else "")
        assert (event.details, event.area) == (details, area)
    assert Event.objects.get(pk=copy.pk).created_at == expected[0][0]  # folded in place
    login_after = Event.objects.get(kind="login")
    assert (login_after.created_at, login_after.area, login_after.target) == (start, "", "Büro")

    # Back (the entries return for the old code) and forth again: nothing doubles.
    apps = migrate([("stakeholders", "0003_contact_search_trigram_indexes")])
    Entry = apps.get_model("stakeholders", "AuditLogEntry")
    assert Entry.objects.count() == len(CASES)
    assert set(Entry.objects.values_list("at", "action", "scope", "count")) == {
        (at, action, scope, count)
        for (at, *_rest), (action, scope, count, *_new) in zip(expected, CASES, strict=True)
    }
    apps = migrate(AFTER)
    assert apps.get_model("soest_office", "AuditEvent").objects.count() == len(CASES) + 1
