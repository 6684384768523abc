"""Sending one batch of deliveries over one SMTP connection.

A batch claims its rows (queued → sending) in one transaction before any mail goes out
(rows locked by another worker are skipped), checks consent again for the whole batch, and
marks each row sent by its own UPDATE right after the SMTP server took the mail; a worker
killed mid-batch leaves at most the one mail in flight unmarked. Temporary failures are
queued again with a backoff, up to NEWS_MAX_ATTEMPTS.
"""

from __future__ import annotations

import logging
import smtplib
import socket
from collections import defaultdict, deque
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders import services as stakeholder_services
from stakeholders.models import Contact

from ..models import Delivery, Distribution
from .history import record_history
from .messages import ReleaseParts, build_message, personal_links

logger = logging.getLogger(__name__)


TEMPORARY_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    ConnectionError,
    TimeoutError,
    socket.timeout,
    OSError,
)


def _claim_batch(delivery_ids: list[int]) -> list[Delivery]:
    """queued -> sending for the due rows among `delivery_ids`, in one transaction. Rows
    another worker holds (locked) or already finished are not claimed. Returns the claimed
    rows as they are now (attempt counted)."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=delivery_ids)
            .due(now)
            .order_by("pk")
        )
        if rows:
            Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(
                status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    for delivery in rows:
        delivery.status, delivery.claimed_at = Delivery.Status.SENDING, now
        delivery.attempts += 1
    return rows


def _give_back(deliveries) -> None:
    """Claimed rows that were not tried (the connection broke, or an error stopped the
    batch): queued again, their claim not counted as an attempt."""
    ids = [d.pk for d in deliveries]
    if ids:
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.QUEUED, claimed_at=None, attempts=F("attempts") - 1
        )


def _finish(delivery_id: int, status: str, *, error: str = "", **extra) -> None:
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
        status=status, error=error[:500], claimed_at=None, **extra
    )


def _mark_sent(delivery_id: int, now) -> None:
    """sending -> sent right after the SMTP server took the mail, one row at a time: a
    worker killed mid-batch leaves at most the one mail in flight unmarked. `claimed_at`
    stays set until the Kontakthistorie has the mail (`record_history`)."""
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SENT, sent_at=now, next_attempt_at=None, error=""
    )


@contextmanager
def _asynchronous_commits():
    """While a batch sends, PostgreSQL acknowledges its commits before their WAL reaches the
    disk (`synchronous_commit = off` for this session only): marking a mail sent then costs
    a round trip instead of a disk flush. A killed worker loses nothing by this (the
    database has the commit); only a crash of PostgreSQL itself could forget the last
    fraction of a second of "sent" marks, and those mails would go out a second time — a
    duplicate, never a loss. The batch's claim and its Kontakthistorie stay synchronous."""
    if db_connection.vendor != "postgresql" or db_connection.in_atomic_block:
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        try:
            with db_connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:  # a broken connection is closed and replaced anyway
            logger.debug("resetting synchronous_commit failed", exc_info=True)


def _backoff(attempts: int) -> timedelta:
    base = settings.NEWS_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _temporary_failure(delivery: Delivery, reason: str) -> timedelta | None:
    """Queue again with backoff, or fail for good after NEWS_MAX_ATTEMPTS."""
    if delivery.attempts >= settings.NEWS_MAX_ATTEMPTS:
        _finish(
            delivery.pk,
            Delivery.Status.FAILED,
            error=_("Nach %(n)d Versuchen aufgegeben: %(reason)s")
            % {"n": delivery.attempts, "reason": reason},
        )
        return None
    delay = _backoff(delivery.attempts)
    _finish(
        delivery.pk,
        Delivery.Status.QUEUED,
        error=_("Vorübergehender Fehler, neuer Versuch folgt: %(reason)s") % {"reason": reason},
        next_attempt_at=timezone.now() + delay,
    )
    return delay


def deliveries_send(*, delivery_ids: list[int]) -> dict:
    """Send the given deliveries as one batch over one SMTP connection.

    Per batch: one claim (queued -> sending), one consent check, one read of the releases,
    one lookup of personal links; per mail: the SMTP send and one UPDATE marking it sent;
    after the batch: the Kontakthistorie entries in bulk. Rows that another worker claimed,
    or that are no longer due, are left alone; claimed rows the batch did not get to (the
    connection broke) are queued again. Returns {"sent": n, "failed": n, "skipped": n,
    "retry_in": seconds or None}.
    """
    summary = {"sent": 0, "failed": 0, "skipped": 0, "retry_in": None}
    claimed = _claim_batch(delivery_ids)
    if not claimed:
        return summary
    consenting = _consenting(claimed)
    skipped = [d.pk for d in claimed if d.pk not in consenting]
    if skipped:
        Delivery.objects.filter(pk__in=skipped, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.SKIPPED,
            error=_("Keine gültige Einwilligung mehr (z. B. abgemeldet)."),
            claimed_at=None,
        )
        summary["skipped"] = len(skipped)
    pending = deque(d for d in claimed if d.pk in consenting)
    if not pending:
        return summary
    parts = {
        distribution.pk: ReleaseParts.of(distribution.release)
        for distribution in Distribution.objects.filter(
            pk__in={d.distribution_id for d in pending}
        ).select_related("release__press_contact")
    }
    links = personal_links(list(pending))
    sent: list[int] = []
    connection = mail.get_connection(fail_silently=False)
    opened = False
    try:
        with _asynchronous_commits():
            while pending:
                delivery = pending.popleft()
                shared = parts[delivery.distribution_id]
                # Built outside the SMTP error handling: a bug here is no network failure.
                message = build_message(
                    delivery,
                    shared.release,
                    connection,
                    links=links.get(delivery.pk, {}),
                    parts=shared,
                )
                try:
                    if not opened:
                        connection.open()
                        opened = True
                    message.send()
                except smtplib.SMTPRecipientsRefused as exc:
                    code, reason = next(iter(exc.recipients.values()), (550, b""))
                    summary["retry_in"] = _handle_code(delivery, code, reason, summary)
                    continue
                except smtplib.SMTPResponseException as exc:
                    summary["retry_in"] = _handle_code(
                        delivery, exc.smtp_code, exc.smtp_error, summary
                    )
                    if exc.smtp_code in (421,):
                        break  # the server closes the connection: the rest goes back to the queue
                    continue
                except TEMPORARY_ERRORS as exc:
                    delay = _temporary_failure(delivery, exc.__class__.__name__)
                    summary["retry_in"] = delay.total_seconds() if delay else summary["retry_in"]
                    summary["failed"] += delay is None
                    break  # the connection is gone; the rest goes back to the queue
                _mark_sent(delivery.pk, timezone.now())
                sent.append(delivery.pk)
                summary["sent"] += 1
    finally:
        # Whatever stopped the loop: untried rows are queued again, the sent ones logged.
        # (A row that raised an unexpected error stays "sending"; the reconciler hands it
        # back and gives up on it after NEWS_MAX_ATTEMPTS.)
        if opened:
            try:
                connection.close()
            except Exception:  # closing a broken connection must not mask the real error
                logger.debug("closing SMTP connection failed", exc_info=True)
        _give_back(pending)
        if sent:
            record_history(sent)
    if pending and summary["retry_in"] is None:
        summary["retry_in"] = 1
    return summary


def _handle_code(delivery: Delivery, code: int, reason, summary) -> float | None:
    text = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
    text = f"{code} {text}".strip()
    if 400 <= code < 500:
        delay = _temporary_failure(delivery, text)
        if delay is None:
            summary["failed"] += 1
            return summary["retry_in"]
        return delay.total_seconds()
    _finish(delivery.pk, Delivery.Status.FAILED, error=_("Abgewiesen: %(r)s") % {"r": text})
    summary["failed"] += 1
    return summary["retry_in"]


def _consenting(deliveries: list[Delivery]) -> set[int]:
    """Ids of the deliveries whose contact may still be written to for the delivery's
    purpose at the delivery's address, right now: one query per purpose in the batch."""
    by_purpose: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        if delivery.contact_id is not None:
            by_purpose[delivery.purpose].append(delivery)
    result = set()
    for purpose, group in by_purpose.items():
        current = dict(
            stakeholder_services.recipients_for_purpose(
                purpose=purpose,
                contacts=Contact.objects.filter(pk__in=[d.contact_id for d in group]),
            ).values_list("pk", "email")
        )
        for delivery in group:
            email = current.get(delivery.contact_id)
            if email is not None and email.strip().casefold() == delivery.email.casefold():
                result.add(delivery.pk)
    return result
