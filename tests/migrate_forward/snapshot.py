"""What a database holds, as JSON, for tests/test_migrate_forward.py.

Runs in `manage.py shell -c` under the old code (5ae78f4) AND today's code, so it uses only
what both have. Where a model changed, it reads whichever exists and writes the same shape:
DocumentText (old) and ExtractedText (new) both become `extracted_texts`, a SearchEntry's
field_of_action_id (old) and category_id (new) both become `category`. The old contacts' log
(AuditLogEntry) is recorded as it is; the test finds its entries among the AuditEvents.

Arguments come as JSON in the environment variable MIGRATE_FORWARD_SNAPSHOT:
{"out": path, "users": [username, ...], "queries": [query, ...]}.
"""

import datetime
import decimal
import json
import os

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection

from soest_office.search.engine import search

PROJECT_APPS = ("soest_office", "projects", "stakeholders", "news", "subscriptions")


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _plain(value):
    # Full precision: DjangoJSONEncoder would cut datetimes to milliseconds.
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"not serialisable: {value!r}")


def table_counts():
    """Rows per table of every model of the project's apps (many-to-many tables included),
    and on SQLite the rows of the search's FTS table, which no model describes."""
    counts = {}
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not model._meta.proxy:
                counts[model._meta.db_table] = model._base_manager.count()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM soest_search_fts")
            counts["soest_search_fts"] = cursor.fetchone()[0]
    return counts


def audit_events():
    """Every event of the central log; `area` exists only in the new code."""
    Event = apps.get_model("soest_office", "AuditEvent")
    return [{"area": "", **row} for row in Event.objects.order_by("pk").values()]


def audit_log_entries():
    """Every entry of the contacts' own log (old code only), with the user's name."""
    Entry = _model("stakeholders.AuditLogEntry")
    if Entry is None:
        return None
    return list(
        Entry.objects.order_by("pk").values(
            "id", "at", "user_id", "user__username", "action", "scope", "count"
        )
    )


def extracted_texts():
    """Texts extracted from files, keyed by (source, object_id) as ExtractedText is."""
    fields = ("file_name", "status", "text", "note", "extracted_at")
    ExtractedText = _model("soest_office.ExtractedText")
    if ExtractedText is not None:
        rows = ExtractedText.objects.values("source", "object_id", *fields)
    else:
        DocumentText = apps.get_model("soest_office", "DocumentText")
        rows = [
            {"source": "dokumente", "object_id": row.pop("document_id"), **row}
            for row in DocumentText.objects.values("document_id", *fields)
        ]
    return sorted(rows, key=lambda row: (row["source"], row["object_id"]))


def search_entries():
    """Each search entry's identity, title, facets and municipalities."""
    SearchEntry = apps.get_model("soest_office", "SearchEntry")
    names = {field.attname for field in SearchEntry._meta.concrete_fields}
    category = "category_id" if "category_id" in names else "field_of_action_id"
    municipalities = {}
    for entry_id, municipality_id in SearchEntry.municipalities.through.objects.values_list(
        "searchentry_id", "municipality_id"
    ):
        municipalities.setdefault(entry_id, []).append(municipality_id)
    rows = SearchEntry.objects.order_by("pk").values(
        "id", "source", "object_id", "title", "url", "year", category
    )
    return [
        {
            **{key: value for key, value in row.items() if key != category},
            "category": row[category],
            "municipalities": sorted(municipalities.get(row["id"], [])),
        }
        for row in rows
    ]


def search_answers(usernames, queries):
    """What the search answers each user: the hits shown (source key, title), sorted, and
    the count per type."""
    users = get_user_model().objects.in_bulk(usernames, field_name="username")
    answers = {}
    for username in usernames:
        for query in queries:
            result = search(users[username], query)
            answers[f"{username}: {query}"] = {
                "total": result.total,
                "fuzzy": result.fuzzy,
                "type_counts": {source.key: count for source, count in result.type_counts},
                "hits": sorted(
                    [group.source.key, hit.title] for group in result.groups for hit in group.hits
                ),
            }
    return answers


def search_structures():
    """The search's structures outside the models: the FTS tables and their trigger on
    SQLite, the indexes of the entry table on PostgreSQL (GIN, trigram, per source)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT type || ' ' || name FROM sqlite_master WHERE name LIKE 'soest_search%'"
            )
        else:
            cursor.execute(
                "SELECT 'index ' || indexname FROM pg_indexes "
                "WHERE tablename = 'soest_office_searchentry'"
            )
        return sorted(row[0] for row in cursor.fetchall())


def snapshot(usernames, queries):
    return {
        "tables": table_counts(),
        "audit_events": audit_events(),
        "audit_log_entries": audit_log_entries(),
        "extracted_texts": extracted_texts(),
        "search_entries": search_entries(),
        "search": search_answers(usernames, queries),
        "search_structures": search_structures(),
    }


arguments = json.loads(os.environ["MIGRATE_FORWARD_SNAPSHOT"])
with open(arguments["out"], "w", encoding="utf-8") as out:
    json.dump(snapshot(arguments["users"], arguments["queries"]), out, default=_plain, indent=1)
