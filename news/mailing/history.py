"""The Kontakthistorie entries of sent press mails, written in bulk after a batch (or by
the reconciler for a batch whose worker was killed), each mail exactly once."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Min

from stakeholders import services as stakeholder_services

from ..models import Delivery, PressRelease


def record_history(delivery_ids) -> int:
    """Log sent mails in the Kontakthistorie (naming the release's first project) and
    clear their claim, in one transaction. Only rows still waiting for it are taken, under
    a row lock: the batch and the reconciler never log a mail twice. Returns the count."""
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(of=("self",))
            .filter(
                pk__in=list(delivery_ids),
                status=Delivery.Status.SENT,
                claimed_at__isnull=False,
            )
            .select_related("distribution__release")
            .only("pk", "contact_id", "sent_at", "distribution__release__title")
        )
        if not rows:
            return 0
        release_ids = {d.distribution.release_id for d in rows}
        first_project = dict(
            PressRelease.projects.through.objects.filter(pressrelease_id__in=release_ids)
            .values("pressrelease_id")
            .annotate(first=Min("project_id"))
            .values_list("pressrelease_id", "first")
        )
        stakeholder_services.interactions_record_mailings(
            mailings=[
                stakeholder_services.MailingRecord(
                    contact_id=d.contact_id,
                    subject=d.distribution.release.title,
                    sent_at=d.sent_at,
                    project_id=first_project.get(d.distribution.release_id),
                )
                for d in rows
                if d.contact_id is not None
            ]
        )
        Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(claimed_at=None)
    return len(rows)
