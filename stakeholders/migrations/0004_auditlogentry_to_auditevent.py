"""Move the contacts' processing log (AuditLogEntry) into the one audit log (AuditEvent).

Every entry becomes one event, nothing is dropped:
- action -> kind: export_csv/_xlsx/_vcard -> export, auskunft_json/_pdf -> auskunft; erasure,
  import and merge keep their name. The format goes to details["format"] (csv, xlsx, vcard,
  json, pdf), the count to details["anzahl"].
- scope -> target, unchanged (both hold 500 characters); user -> actor, its username ->
  actor_name; `at` -> created_at, exactly (auto_now_add stamps "now" on insert, so the time
  is written afterwards with bulk_update).
- area "abo" for the subscriptions' consent-proof exports, "kontakte" for all others.

`services.audit_log` also wrote a short copy of most entries into the central log (target
"Kontakte: Export CSV", details {"scope", "count"}, the same user, a few milliseconds later).
Such a copy is not doubled: the entry's data replaces it in place. An event that already is
the entry (same kind, user, time and target in the area: this ran before, e.g. before a
rollback) is left alone, so running the migration twice adds nothing.

Reverse: the events of the areas kontakte/abo go back into AuditLogEntry (which reversing
0005 recreates empty); the events stay, as the old code kept its copies too.
"""

import datetime

from django.db import migrations
from django.db.models import Q

BATCH = 1000
AREA = "kontakte"
AREA_SUBSCRIPTIONS = "abo"
SUBSCRIPTION_SCOPE = "Einwilligungsnachweis Abonnement"
# old action -> (kind of AuditEvent, format in details)
ACTIONS = {
    "export_csv": ("export", "csv"),
    "export_xlsx": ("export", "xlsx"),
    "export_vcard": ("export", "vcard"),
    "auskunft_json": ("auskunft", "json"),
    "auskunft_pdf": ("auskunft", "pdf"),
    "erasure": ("erasure", None),
    "import": ("import", None),
    "merge": ("merge", None),
}
KINDS = sorted({kind for kind, _format in ACTIONS.values()})
# The copies written by services.audit_log: "Kontakte: <label of the action>".
COPY_PREFIX = "Kontakte: "
COPY_WINDOW = datetime.timedelta(seconds=5)


def _area(scope: str) -> str:
    return AREA_SUBSCRIPTIONS if scope.startswith(SUBSCRIPTION_SCOPE) else AREA


def _details(fmt, count) -> dict:
    details = {"format": fmt} if fmt else {}
    details["anzahl"] = count
    return details


def _is_copy(event) -> bool:
    return (
        event.area == ""
        and event.target.startswith(COPY_PREFIX)
        and isinstance(event.details, dict)
        and "count" in event.details
    )


def _take_copy(copies, at):
    """The earliest unused copy written within COPY_WINDOW after `at`, removed from the list."""
    for i, event in enumerate(copies or []):
        if at <= event.created_at <= at + COPY_WINDOW:
            return copies.pop(i)
    return None


def _insert(model, objects, connection) -> None:
    """Insert `objects` so that each gets its primary key (needed for bulk_update)."""
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objects, batch_size=BATCH)
    else:
        for obj in objects:
            obj.save()


def forwards(apps, schema_editor):
    try:
        Entry = apps.get_model("stakeholders", "AuditLogEntry")
    except LookupError:
        # The test suite re-runs data migrations with today's models, which lack the old log.
        return
    Event = apps.get_model("soest_office", "AuditEvent")
    User = apps.get_model("soest_office", "User")

    entries = list(
        Entry.objects.order_by("at", "pk").values_list("user_id", "action", "scope", "count", "at")
    )
    if not entries:
        return
    usernames = dict(
        User.objects.filter(pk__in={e[0] for e in entries if e[0]}).values_list("pk", "username")
    )

    folded = set()
    copies = {}
    candidates = Event.objects.filter(kind__in=KINDS).filter(
        Q(area__in=[AREA, AREA_SUBSCRIPTIONS]) | Q(area="", target__startswith=COPY_PREFIX)
    )
    for event in candidates.order_by("created_at", "pk"):
        if event.area:
            folded.add((event.kind, event.actor_id, event.created_at, event.target))
        elif _is_copy(event):
            key = (event.kind, event.actor_id, event.details.get("count"))
            copies.setdefault(key, []).append(event)

    to_create, times, to_update = [], [], []
    for user_id, action, scope, count, at in entries:
        kind, fmt = ACTIONS[action]
        if (kind, user_id, at, scope) in folded:
            continue
        values = {
            "kind": kind,
            "actor_id": user_id,
            "actor_name": usernames.get(user_id, ""),
            "target": scope,
            "details": _details(fmt, count),
            "area": _area(scope),
        }
        copy = _take_copy(copies.get((kind, user_id, count)), at)
        if copy is not None:
            for name, value in values.items():
                setattr(copy, name, value)
            copy.created_at = at
            to_update.append(copy)
        else:
            to_create.append(Event(**values))
            times.append(at)

    _insert(Event, to_create, schema_editor.connection)
    for event, at in zip(to_create, times, strict=True):
        event.created_at = at  # auto_now_add stamped the time of this migration
    Event.objects.bulk_update(to_create, ["created_at"], batch_size=BATCH)
    Event.objects.bulk_update(
        to_update,
        ["kind", "actor_id", "actor_name", "target", "details", "area", "created_at"],
        batch_size=BATCH,
    )
    # A copy without its entry (none is expected) still came from the contacts' log.
    leftover = [event.pk for events in copies.values() for event in events]
    for start in range(0, len(leftover), BATCH):
        Event.objects.filter(pk__in=leftover[start : start + BATCH]).update(area=AREA)


def backwards(apps, schema_editor):
    Entry = apps.get_model("stakeholders", "AuditLogEntry")
    Event = apps.get_model("soest_office", "AuditEvent")
    actions = {value: action for action, value in ACTIONS.items()}
    existing = set(Entry.objects.values_list("action", "user_id", "at", "scope"))
    entries, times = [], []
    events = Event.objects.filter(area__in=[AREA, AREA_SUBSCRIPTIONS], kind__in=KINDS)
    for event in events.order_by("created_at", "pk").iterator(chunk_size=BATCH):
        details = event.details if isinstance(event.details, dict) else {}
        action = actions.get((event.kind, details.get("format")))
        if action is None or "anzahl" not in details:
            continue  # a copy of an entry that exists anyway
        if (action, event.actor_id, event.created_at, event.target) in existing:
            continue
        entries.append(
            Entry(
                user_id=event.actor_id,
                action=action,
                scope=event.target[:500],
                count=max(0, int(details["anzahl"] or 0)),
            )
        )
        times.append(event.created_at)
    _insert(Entry, entries, schema_editor.connection)
    for entry, at in zip(entries, times, strict=True):
        entry.at = at
    Entry.objects.bulk_update(entries, ["at"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0003_contact_search_trigram_indexes"),
        ("soest_office", "0009_auditevent_area_merge"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
