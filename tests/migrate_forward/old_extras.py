"""Rows the forward migrations must carry over that neither seed_demo nor the benchmark
generator writes. Runs in `manage.py shell -c` with the OLD code (5ae78f4) only: it uses the
contacts' own log (stakeholders.AuditLogEntry) and DocumentText, which today's code lacks.

- One entry per action of the old log through `stakeholders.services.audit_log`, which also
  wrote a short copy into the central AuditEvent log (the migration folds such copies), and
  one written directly, as older entries were: with an earlier time, no user or a partner,
  a scope of the full 500 characters or one of the subscriptions' consent proofs.
- A project document whose extracted text holds a word found nowhere else, so the search
  answers show whether the text survived the move to ExtractedText.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from projects.models import Document, Project
from soest_office.search.models import DocumentText
from stakeholders.models import AuditLogEntry
from stakeholders.services import audit_log

DOCUMENT_WORD = "Mikrorohrverband"
LONG_SCOPE = ("Kontakte gefiltert nach Kommune Soest, Kategorie Presse, Schlagwort " * 10)[:500]
SUBSCRIPTION_SCOPE = "Einwilligungsnachweis Abonnement (Newsletter Digitale Modellregion)"


def add_audit_log_entries():
    users = get_user_model().objects.in_bulk(["buero", "soest", "lenkung"], field_name="username")
    office, partner = users["buero"], users["soest"]
    earlier = timezone.now() - datetime.timedelta(days=400)
    for number, action in enumerate(AuditLogEntry.Action.values, start=1):
        audit_log(user=office, action=action, scope=f"Kontakte: Auswahl {number}", count=number)
        # Twice in a row with the same user and count: each entry must keep its own copy.
        audit_log(user=office, action=action, scope=f"Kontakte: Auswahl {number}b", count=number)
        entry = AuditLogEntry.objects.create(
            user=(None, partner)[number % 2],
            action=action,
            scope=LONG_SCOPE if number % 3 else SUBSCRIPTION_SCOPE,
            count=10 * number,
        )
        # `at` is auto_now_add: an older entry gets its time afterwards.
        AuditLogEntry.objects.filter(pk=entry.pk).update(
            at=earlier + datetime.timedelta(hours=number, microseconds=number)
        )


def add_document_text():
    project = Project.objects.order_by("pk").first()
    office = get_user_model().objects.get(username="buero")
    document = Document(
        project=project,
        title="Trassenplan Glasfaser",
        kind=Document.Kind.CONCEPT,
        original_name="trassenplan.txt",
        uploaded_by=office,
    )
    # The extraction task, queued on commit, finds this text for the stored file and keeps it.
    document.file.save("trassenplan.txt", ContentFile(b"Trassenplan"), save=False)
    document.size = document.file.size
    document.save()
    DocumentText.objects.create(
        document=document,
        file_name=document.file.name,
        status=DocumentText.Status.DONE,
        text=f"Verlegung im {DOCUMENT_WORD} entlang der Kreisstraße 12.",
        note="",
    )


with transaction.atomic():
    add_audit_log_entries()
    add_document_text()
