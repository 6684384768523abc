"""Press mailings: distribution, per-recipient delivery, retries, reconciliation, unsubscribe.

Guarantees (see docs/presse.md):
- one Delivery row per (distribution, contact) under a unique constraint; sending a release
  again only adds recipients who have none;
- a row is claimed (queued → sending) by a conditional UPDATE before its mail goes out, and
  marked sent in the same transaction that logs it in the Kontakthistorie; a worker killed
  mid-batch leaves at most the one row in flight in "sending", which the reconciler hands
  back: that mail may go out twice (SMTP has no exactly-once), no mail is lost;
- consent is checked again right before each mail: a withdrawal counts immediately;
- tasks are queued on commit only.
"""

from __future__ import annotations

import logging
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
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


# Apps that send releases for another purpose supply that purpose's personal links
# ({"manage_url": ..., "unsubscribe_url": ...}); the subscriptions app registers "newsletter".
MAIL_LINK_PROVIDERS: dict = {}


def build_message(delivery: Delivery, release: PressRelease, connection) -> mail.EmailMessage:
    """Personal mail with text and HTML parts, the embargo at the top, List-Unsubscribe."""
    provider = MAIL_LINK_PROVIDERS.get(delivery.purpose)
    links = provider(delivery) if provider else {}
    link = links.get("unsubscribe_url") or unsubscribe_url(delivery.pk)
    context = {
        "delivery": delivery,
        "release": release,
        "body_text": markdown_to_text(release.body),
        "body_html": release.body_html(),
        "release_url": f"{settings.SITE_URL}{release.get_absolute_url()}",
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


def _claim(delivery_id: int) -> bool:
    now = timezone.now()
    return bool(
        Delivery.objects.filter(pk=delivery_id)
        .due(now)
        .update(status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def _finish(delivery_id: int, status: str, *, error: str = "", **extra) -> None:
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
        status=status, error=error[:500], claimed_at=None, **extra
    )


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
    """Send the given deliveries over one SMTP connection.

    Returns {"sent": n, "failed": n, "skipped": n, "retry_in": seconds or None}. Rows that
    another worker claimed, or that are no longer due, are left alone.
    """
    summary = {"sent": 0, "failed": 0, "skipped": 0, "retry_in": None}
    first_project: dict[int, object] = {}
    connection = mail.get_connection(fail_silently=False)
    opened = False
    try:
        for delivery_id in delivery_ids:
            if not _claim(delivery_id):
                continue
            delivery = Delivery.objects.select_related("distribution__release__press_contact").get(
                pk=delivery_id
            )
            release = delivery.distribution.release
            if not _still_consenting(delivery):
                _finish(
                    delivery.pk,
                    Delivery.Status.SKIPPED,
                    error=_("Keine gültige Einwilligung mehr (z. B. abgemeldet)."),
                )
                summary["skipped"] += 1
                continue
            try:
                if not opened:
                    connection.open()
                    opened = True
                build_message(delivery, release, connection).send()
            except smtplib.SMTPRecipientsRefused as exc:
                code, reason = next(iter(exc.recipients.values()), (550, b""))
                summary["retry_in"] = _handle_code(delivery, code, reason, summary)
                continue
            except smtplib.SMTPResponseException as exc:
                summary["retry_in"] = _handle_code(delivery, exc.smtp_code, exc.smtp_error, summary)
                if exc.smtp_code in (421,):
                    break  # the server closes the connection: leave the rest queued
                continue
            except TEMPORARY_ERRORS as exc:
                delay = _temporary_failure(delivery, exc.__class__.__name__)
                summary["retry_in"] = delay.total_seconds() if delay else summary["retry_in"]
                summary["failed"] += delay is None
                break  # the connection is gone; the remaining rows stay queued
            # The Kontakthistorie names the release's first project; looked up once per release.
            if release.pk not in first_project:
                first_project[release.pk] = release.projects.order_by("pk").first()
            _mark_sent(delivery, release, project=first_project[release.pk])
            summary["sent"] += 1
    finally:
        if opened:
            try:
                connection.close()
            except Exception:  # closing a broken connection must not mask the real error
                logger.debug("closing SMTP connection failed", exc_info=True)
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


def _still_consenting(delivery: Delivery) -> bool:
    if delivery.contact_id is None:
        return False
    return (
        stakeholder_services.recipients_for_purpose(
            purpose=delivery.purpose, contacts=Contact.objects.filter(pk=delivery.contact_id)
        )
        .filter(email__iexact=delivery.email)
        .exists()
    )


def _mark_sent(delivery: Delivery, release: PressRelease, *, project) -> None:
    now = timezone.now()
    with transaction.atomic():
        _finish(delivery.pk, Delivery.Status.SENT, sent_at=now, next_attempt_at=None)
        if delivery.contact_id:
            stakeholder_services.interaction_record_mailing(
                contact=Contact(pk=delivery.contact_id),
                subject=release.title,
                sent_at=now,
                project=project,
            )


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
    if released or dispatched:
        logger.warning(
            "press deliveries reconciled: %s released, %s distributions dispatched",
            released,
            len(dispatched),
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
