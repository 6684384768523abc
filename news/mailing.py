"""Press mailings: distribution, per-recipient delivery, retries, reconciliation, unsubscribe.

Guarantees (see docs/presse.md):
- one Delivery row per (distribution, contact) under a unique constraint; sending a release
  again only adds recipients who have none;
- a batch claims its rows (queued → sending) in one transaction before any mail goes out
  (rows locked by another worker are skipped), and marks each row sent by its own UPDATE
  right after the SMTP server took the mail; a worker killed mid-batch leaves at most the
  one mail in flight unmarked. The reconciler hands the rows left in "sending" back: that
  one mail may go out twice (SMTP has no exactly-once), no mail is lost;
- a sent row keeps its claim time until the batch has logged it in the Kontakthistorie
  (in bulk, after the batch); the reconciler logs what a killed worker left unlogged, and
  the row lock taken while logging keeps both from logging a mail twice;
- consent is checked again when the batch starts, for the whole batch in one query: a
  withdrawal counts from the next batch on (and a running batch takes seconds);
- tasks are queued on commit only.
"""

from __future__ import annotations

import logging
import smtplib
import socket
from collections import defaultdict, deque
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import Count, F, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from soest_office import access
from stakeholders import services as stakeholder_services
from stakeholders.models import Contact, DistributionList, Involvement, Purpose

from .markdown import markdown_to_text
from .models import Delivery, Distribution, PressRelease

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "news.unsubscribe"
TEMPORARY_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    ConnectionError,
    TimeoutError,
    socket.timeout,
    OSError,
)


# --- Recipients -----------------------------------------------------------------------------


def salutation_for(contact: Contact) -> str:
    """'Sehr geehrte Frau Dr. Weber,' – or a neutral greeting without a salutation."""
    last = " ".join(p for p in (contact.title, contact.last_name) if p)
    if contact.salutation == Contact.Salutation.MS:
        return f"Sehr geehrte Frau {last},"
    if contact.salutation == Contact.Salutation.MR:
        return f"Sehr geehrter Herr {last},"
    return f"Guten Tag {contact.full_name},"


def effective_recipients(*, lists, extra_contacts=()) -> list[tuple[Contact, str]]:
    """(contact, purpose) pairs the mailing would reach: each list's members with a current
    legal basis for the list's purpose, plus extra contacts with one for press; one per
    contact and per e-mail address (first list wins)."""
    seen_contacts, seen_emails, result = set(), set(), []

    def take(contacts, purpose):
        for contact in contacts.order_by("last_name", "first_name", "pk"):
            email = contact.email.strip().lower()
            if contact.pk in seen_contacts or email in seen_emails:
                continue
            seen_contacts.add(contact.pk)
            seen_emails.add(email)
            result.append((contact, purpose))

    for distribution_list in lists:
        take(
            stakeholder_services.effective_recipients(distribution_list=distribution_list),
            distribution_list.purpose,
        )
    extra_ids = [c.pk for c in extra_contacts]
    if extra_ids:
        take(
            stakeholder_services.recipients_for_purpose(
                purpose=Purpose.PRESS, contacts=Contact.objects.filter(pk__in=extra_ids)
            ),
            Purpose.PRESS,
        )
    return result


def excluded_members(*, lists) -> int:
    """How many list members the consent rule leaves out (shown before sending)."""
    members = Contact.objects.filter(memberships__distribution_list__in=lists).distinct().count()
    reachable = {c.pk for c, _p in effective_recipients(lists=lists)}
    return max(0, members - len(reachable))


def suggested_contacts(*, release: PressRelease):
    """Contacts involved in the release's projects or belonging to its municipalities, with a
    current legal basis for press mailings."""
    project_ids = [p.pk for p in release.projects.all()]
    municipality_ids = [m.pk for m in release.municipalities.all()]
    if not project_ids and not municipality_ids:
        return Contact.objects.none()
    involved = Involvement.objects.filter(project_id__in=project_ids).values("contact_id")
    candidates = Contact.objects.filter(
        Q(pk__in=involved) | Q(municipality_id__in=municipality_ids)
    )
    return stakeholder_services.recipients_for_purpose(
        purpose=Purpose.PRESS, contacts=candidates
    ).order_by("last_name", "first_name")


# --- Sending: creation and dispatch ---------------------------------------------------------


@transaction.atomic
def distribution_send(
    *, release: PressRelease, user, lists=(), extra_contacts=()
) -> tuple[Distribution, int]:
    """Create the deliveries for the chosen lists (and extra contacts) and queue the sending
    after commit. Idempotent: recipients that already have a delivery for this release get
    none again. Returns the distribution and the number of new deliveries."""
    if not access.can_publish_press(user):
        raise PermissionDenied
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    if not release.is_public:
        raise ValidationError(_("Nur veröffentlichte Meldungen können versandt werden."))
    recipients = effective_recipients(lists=lists, extra_contacts=extra_contacts)
    if not recipients:
        raise ValidationError(_("Die Auswahl erreicht niemanden mit gültiger Einwilligung."))
    distribution, _created = Distribution.objects.get_or_create(
        release=release, defaults={"created_by": user}
    )
    distribution.lists.add(*lists)
    existing_emails = {
        e.lower() for e in distribution.deliveries.values_list("email", flat=True) if e
    }
    rows = [
        Delivery(
            distribution=distribution,
            contact=contact,
            purpose=purpose,
            email=contact.email.strip(),
            name=contact.full_name[:250],
            salutation=salutation_for(contact)[:300],
        )
        for contact, purpose in recipients
        if contact.email.strip().lower() not in existing_emails
    ]
    before = distribution.deliveries.count()
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    added = distribution.deliveries.count() - before
    distribution_dispatch_on_commit(distribution_id=distribution.pk)
    return distribution, added


def distribution_dispatch_on_commit(*, distribution_id: int) -> None:
    from .tasks import dispatch_distribution

    transaction.on_commit(lambda: dispatch_distribution.delay(distribution_id))


def distribution_dispatch(*, distribution_id: int) -> int:
    """Queue one batch task per NEWS_BATCH_SIZE due deliveries. Safe to call repeatedly: a
    batch only sends the rows it can still claim. Returns the number of batches queued."""
    from .tasks import send_delivery_batch

    Distribution.objects.filter(pk=distribution_id).update(last_dispatched_at=timezone.now())
    ids = list(
        Delivery.objects.filter(distribution_id=distribution_id)
        .due()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = settings.NEWS_BATCH_SIZE
    batches = [ids[i : i + size] for i in range(0, len(ids), size)]
    for batch in batches:
        send_delivery_batch.delay(batch)
    return len(batches)


# --- Sending: one batch over one SMTP connection --------------------------------------------


def unsubscribe_token(delivery_id: int) -> str:
    return signing.dumps(delivery_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(delivery_id: int) -> str:
    path = reverse("news:unsubscribe", kwargs={"token": unsubscribe_token(delivery_id)})
    return f"{settings.SITE_URL}{path}"


# Apps that send releases for another purpose supply that purpose's personal links: a
# callable taking a list of deliveries and returning {delivery.pk: {"manage_url": ...,
# "unsubscribe_url": ...}} (one lookup per batch); the subscriptions app registers
# "newsletter".
MAIL_LINK_PROVIDERS: dict = {}


@dataclass
class ReleaseParts:
    """What every mail of one release shares, rendered once per batch."""

    release: PressRelease
    body_text: str
    body_html: str
    release_url: str

    @classmethod
    def of(cls, release: PressRelease) -> ReleaseParts:
        return cls(
            release=release,
            body_text=markdown_to_text(release.body),
            body_html=release.body_html(),
            release_url=f"{settings.SITE_URL}{release.get_absolute_url()}",
        )


def personal_links(deliveries: list[Delivery]) -> dict[int, dict]:
    """delivery pk -> the personal links its purpose's provider supplies (one call per
    purpose and batch)."""
    result: dict[int, dict] = {}
    by_purpose: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        by_purpose[delivery.purpose].append(delivery)
    for purpose, group in by_purpose.items():
        provider = MAIL_LINK_PROVIDERS.get(purpose)
        if provider:
            result.update(provider(group))
    return result


def build_message(
    delivery: Delivery,
    release: PressRelease,
    connection,
    *,
    links: dict | None = None,
    parts: ReleaseParts | None = None,
) -> mail.EmailMessage:
    """Personal mail with text and HTML parts, the embargo at the top, List-Unsubscribe.
    A batch passes the shared `parts` and the recipient's `links` it looked up in bulk."""
    if links is None:
        links = personal_links([delivery]).get(delivery.pk, {})
    parts = parts or ReleaseParts.of(release)
    link = links.get("unsubscribe_url") or unsubscribe_url(delivery.pk)
    context = {
        "delivery": delivery,
        "release": release,
        "body_text": parts.body_text,
        "body_html": parts.body_html,
        "release_url": parts.release_url,
        "unsubscribe_url": link,
        "manage_url": links.get("manage_url", ""),
        "is_newsletter": delivery.purpose == "newsletter",
    }
    subject = release.title
    if release.embargo_note:
        subject = f"[{release.embargo_note}] {subject}"
    message = mail.EmailMultiAlternatives(
        # One line whatever was typed: a line break in a header would be refused.
        subject=" ".join(f"Pressemitteilung: {subject}".split())[:250],
        body=render_to_string("news/mail/release.txt", context),
        to=[delivery.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Stable per delivery: a resend after a crash carries the same Message-ID, so
            # receiving systems can recognise the duplicate.
            "Message-ID": f"<presse-{delivery.distribution_id}-{delivery.pk}@{_domain()}>",
            "X-Soest-Delivery": str(delivery.pk),
        },
    )
    message.attach_alternative(render_to_string("news/mail/release.html", context), "text/html")
    return message


def _domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >")
    return address or "localhost"


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
    stays set until the Kontakthistorie has the mail (`_record_history`)."""
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
            _record_history(sent)
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


def _record_history(delivery_ids) -> int:
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


# --- Reconciliation, bounces, unsubscribe ---------------------------------------------------


def deliveries_reconcile(*, stale_seconds: int | None = None) -> dict:
    """Hand back deliveries stuck in "sending" (worker killed) and dispatch distributions
    whose queued rows nobody is working on. Idempotent; run from beat."""
    if stale_seconds is None:
        stale_seconds = settings.NEWS_DELIVERY_STALE_SECONDS
    now = timezone.now()
    limit = now - timedelta(seconds=stale_seconds)
    stuck = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=limit)
    # A row that crashed its worker again and again must not loop forever.
    stuck.filter(attempts__gte=settings.NEWS_MAX_ATTEMPTS).update(
        status=Delivery.Status.FAILED,
        claimed_at=None,
        error=_("Versand %(n)d-mal abgebrochen") % {"n": settings.NEWS_MAX_ATTEMPTS},
    )
    released = stuck.update(status=Delivery.Status.QUEUED, claimed_at=None)
    # Mails a killed worker sent and marked, but did not get to log in the Kontakthistorie.
    logged = 0
    while True:
        unlogged = list(
            Delivery.objects.filter(
                status=Delivery.Status.SENT, claimed_at__isnull=False, claimed_at__lt=limit
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:500]
        )
        done = _record_history(unlogged) if unlogged else 0
        logged += done
        if done < 500:
            break
    waiting = (
        Distribution.objects.filter(
            Q(last_dispatched_at__isnull=True) | Q(last_dispatched_at__lt=limit),
            pk__in=Delivery.objects.due(now).values("distribution_id"),
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    dispatched = list(waiting)
    for distribution_id in dispatched:
        distribution_dispatch(distribution_id=distribution_id)
    if released or dispatched or logged:
        logger.warning(
            "press deliveries reconciled: %s released, %s distributions dispatched, "
            "%s sent mails logged",
            released,
            len(dispatched),
            logged,
        )
    return {"released": released, "dispatched": len(dispatched)}


@transaction.atomic
def delivery_mark_bounced(*, delivery: Delivery, user, reason: str = "") -> Delivery:
    """A sent mail came back (noted by hand from the bounce in the office's mailbox)."""
    if not access.can_publish_press(user):
        raise PermissionDenied
    if delivery.status != Delivery.Status.SENT:
        raise ValidationError(_("Nur gesendete Mails können als unzustellbar markiert werden."))
    delivery.status = Delivery.Status.BOUNCED
    delivery.error = (reason or _("als unzustellbar gemeldet"))[:500]
    delivery.save(update_fields=["status", "error", "updated_at"])
    return delivery


def delivery_from_token(token: str) -> Delivery | None:
    try:
        delivery_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Delivery.objects.select_related("contact").filter(pk=delivery_id).first()


@transaction.atomic
def delivery_unsubscribe(*, delivery: Delivery) -> bool:
    """Withdraw the contact's consent for the mailing's purpose, effective now. Queued mails
    to the contact are skipped from then on. Returns False when the contact is gone."""
    if delivery.contact_id is None:
        return False
    stakeholder_services.consent_withdraw(
        contact=delivery.contact,
        purpose=delivery.purpose,
        source=_("Abmeldelink in Pressemitteilung (Versand %(id)d)")
        % {"id": delivery.distribution_id},
    )
    Delivery.objects.filter(contact_id=delivery.contact_id, purpose=delivery.purpose).filter(
        status=Delivery.Status.QUEUED
    ).update(status=Delivery.Status.SKIPPED, error=_("abgemeldet"))
    return True


def distribution_progress(distribution: Distribution) -> dict:
    counts = dict(
        distribution.deliveries.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    total = sum(counts.values())
    finished = sum(
        counts.get(s, 0)
        for s in (
            Delivery.Status.SENT,
            Delivery.Status.FAILED,
            Delivery.Status.SKIPPED,
            Delivery.Status.BOUNCED,
        )
    )
    return {
        "total": total,
        "finished": finished,
        "percent": round(100 * finished / total) if total else 100,
        "counts": {s: counts.get(s, 0) for s in Delivery.Status.values},
        "done": finished == total,
    }


# --- DSGVO hooks (registered with stakeholders.dsgvo in NewsConfig.ready) -----------------


def auskunft_section(contact):
    rows = [
        {
            "Pressemitteilung": d.distribution.release.title,
            "E-Mail-Adresse": d.email,
            "Zweck": d.purpose,
            "Status": d.get_status_display(),
            "gesendet am": d.sent_at,
            "Grund": d.error,
        }
        for d in Delivery.objects.filter(contact=contact)
        .select_related("distribution__release")
        .order_by("pk")
    ]
    return _("Versand von Pressemitteilungen"), rows


def erase_deliveries(contact) -> None:
    """Anonymise the contact's deliveries: the counts stay, the person goes."""
    Delivery.objects.filter(contact=contact).update(
        contact=None, email="", name="", salutation="", error=""
    )


def merge_deliveries(keep, merge) -> None:
    """Move deliveries to the kept contact, unless it already has one for that mailing."""
    taken = Delivery.objects.filter(contact=keep).values("distribution_id")
    Delivery.objects.filter(contact=merge).exclude(distribution_id__in=taken).update(contact=keep)
    Delivery.objects.filter(contact=merge).update(contact=None)


def lists_for_choice():
    return DistributionList.objects.order_by("name")
