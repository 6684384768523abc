"""Messages of the projects app: reminders, report events, the weekly digest.

Every message is a Notification row whose `cause` is unique per recipient, so the same cause
never mails anyone twice, whichever job or request triggers it and however often. Users with
mail_mode "immediate" get each message by its own mail (queued after commit); the others get
it in their weekly digest. Review duties (REVIEW_DUTIES) follow `review_mail_mode` instead,
immediate unless the user chose the digest for them too.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from soest_office.access import Role, prime_roles

from .models import (
    DigestRun,
    Milestone,
    Notification,
    Project,
    ProjectContact,
    ProjectUserSettings,
)
from .rules import PROJECT

# Projects in these states get no reminders (nothing to report yet, or nothing any more).
REMINDER_STATUSES = [Project.Status.PLANNED, Project.Status.IN_PROGRESS, Project.Status.PAUSED]


# Kinds that ask the recipient to act (review duties): mailed by `review_mail_mode`, which
# defaults to immediate; the rest follow `mail_mode` (immediate or the weekly digest).
REVIEW_DUTIES = {Notification.Kind.REPORT_SUBMITTED}


def _office_users():
    return (
        get_user_model().objects.filter(is_active=True, groups__name=Role.OFFICE.value).distinct()
    )


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def notify(*, recipients, project: Project, kind: str, cause: str, subject: str, body: str):
    """Create one Notification per recipient for this cause (skipping recipients who already
    have it) and queue immediate mails after commit. Returns the new notifications."""
    from .tasks import deliver_notification

    # Only people whom the project rule lets see the project hear about it (a contact
    # person whose account lost its role does not).
    prime_roles(recipients)
    recipients = [u for u in recipients if u is not None and u.email and PROJECT.allows(u, project)]
    recipients = list({user.pk: user for user in recipients}.values())
    if not recipients:
        return []
    review = kind in REVIEW_DUTIES
    field = "review_mail_mode" if review else "mail_mode"
    default = ProjectUserSettings._meta.get_field(field).default
    modes = dict(
        ProjectUserSettings.objects.filter(user__in=recipients).values_list("user_id", field)
    )
    # Set-based, whatever the number of recipients: one read of who has this cause already,
    # one insert for the others (their ids come back from the insert). Only if a concurrent
    # job inserted the same cause in between does the unique constraint refuse the batch;
    # then each row is tried on its own, skipping the ones that exist.
    cause = cause[:120]
    have = set(
        Notification.objects.filter(cause=cause, recipient__in=recipients).values_list(
            "recipient_id", flat=True
        )
    )
    fresh = [
        Notification(
            recipient=user,
            project=project,
            kind=kind,
            cause=cause,
            subject=subject[:200],
            body=body,
        )
        for user in recipients
        if user.pk not in have
    ]
    if not fresh:
        return []
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(fresh)
    except IntegrityError:
        created = []
        for notification in fresh:
            try:
                with transaction.atomic():
                    notification.save()
            except IntegrityError:
                continue  # this recipient got the message meanwhile
            created.append(notification)
    for notification in created:
        if modes.get(notification.recipient_id, default) == ProjectUserSettings.MailMode.IMMEDIATE:
            transaction.on_commit(
                lambda pk=notification.pk: deliver_notification.delay(notification_id=pk)
            )
    return created


def report_submitted(report, *, submitted_at):
    """Tell the project's responsible office member (or, without one, the whole office) of
    a submission. The cause names the report and the moment it was submitted."""
    project = report.project
    recipients = (
        [project.responsible]
        if project.responsible_id and project.responsible.is_active
        else list(_office_users())
    )
    return notify(
        recipients=recipients,
        project=project,
        kind=Notification.Kind.REPORT_SUBMITTED,
        cause=f"report-submitted:{report.pk}:{submitted_at:%Y%m%d%H%M%S}",
        subject=_("Neuer Sachstandsbericht: %(p)s") % {"p": project.title},
        body=_(
            "%(author)s hat einen Sachstandsbericht zum Stichtag %(date)s für „%(p)s“ "
            "eingereicht (Ampel: %(light)s).\n\nPrüfen: %(url)s"
        )
        % {
            "author": report.author,
            "date": formats.date_format(report.reporting_date, "d.m.Y"),
            "p": project.title,
            "light": report.get_traffic_light_display(),
            "url": _url(report.get_absolute_url()),
        },
    )


def report_reviewed(report, *, status, reviewed_at, comment):
    """Tell the author that the office accepted or returned the report (the review's status,
    moment and comment are the event's, not whatever the report holds by the time this runs)."""
    project = report.project
    accepted = status == report.Status.ACCEPTED
    body = (
        _("Ihr Sachstandsbericht zum %(date)s für „%(p)s“ wurde vom Projektbüro angenommen.")
        if accepted
        else _(
            "Ihr Sachstandsbericht zum %(date)s für „%(p)s“ wurde zurückgegeben.\n\n"
            "Kommentar des Projektbüros:\n%(comment)s"
        )
    ) % {
        "date": formats.date_format(report.reporting_date, "d.m.Y"),
        "p": project.title,
        "comment": comment,
    }
    return notify(
        recipients=[report.author],
        project=project,
        kind=Notification.Kind.REPORT_ACCEPTED if accepted else Notification.Kind.REPORT_RETURNED,
        cause=f"report-{status}:{report.pk}:{reviewed_at:%Y%m%d%H%M%S}",
        subject=(_("Bericht angenommen: %(p)s") if accepted else _("Bericht zurückgegeben: %(p)s"))
        % {"p": project.title},
        body=f"{body}\n\n{_url(report.get_absolute_url())}",
    )


def light_changed(project, *, old_light, new_light, reason, report):
    """Tell the office that an accepted report moved the project's traffic light."""
    return notify(
        recipients=list(_office_users()),
        project=project,
        kind=Notification.Kind.LIGHT_CHANGED,
        cause=f"light:{project.pk}:{report.pk}",
        subject=_("Ampel geändert: %(p)s") % {"p": project.title},
        body=_(
            "Die Ampel von „%(p)s“ steht jetzt auf %(new)s (vorher %(old)s).\n%(reason)s\n\n%(url)s"
        )
        % {
            "p": project.title,
            "new": Project.TrafficLight(new_light).label,
            "old": Project.TrafficLight(old_light).label,
            "reason": reason,
            "url": _url(project.get_absolute_url()),
        },
    )


def _contacts_by_project(project_ids):
    """Contact persons per project; projects without any fall back to the partner users of
    the lead municipality. Two queries for any number of projects."""
    result: dict[int, list] = {pk: [] for pk in project_ids}
    for contact in ProjectContact.objects.filter(project_id__in=project_ids).select_related("user"):
        result[contact.project_id].append(contact.user)
    missing = [pk for pk, users in result.items() if not users]
    if missing:
        leads = dict(Project.objects.filter(pk__in=missing).values_list("pk", "lead_municipality"))
        partners = get_user_model().objects.filter(
            is_active=True,
            groups__name=Role.PARTNER.value,
            municipality_id__in=set(leads.values()),
        )
        by_municipality: dict[int, list] = {}
        for user in partners:
            by_municipality.setdefault(user.municipality_id, []).append(user)
        for pk in missing:
            result[pk] = by_municipality.get(leads[pk], [])
    return result


def reminders_run(*, today: datetime.date | None = None) -> int:
    """Create reminders for missing reports and overdue milestones. Idempotent: the cause
    names the period (for reports) or the milestone and its due date, so a second run on the
    same day, or any day of the same period, creates nothing. Returns the number created."""
    today = today or timezone.localdate()
    interval = settings.PROJECTS_REPORT_INTERVAL_DAYS
    projects = list(
        Project.objects.active()
        .filter(status__in=REMINDER_STATUSES)
        .without_report_since(interval, today=today)
    )
    milestones = list(
        Milestone.objects.overdue(today=today)
        .filter(project__archived_at__isnull=True, project__status__in=REMINDER_STATUSES)
        .select_related("project")
    )
    contacts = _contacts_by_project({p.pk for p in projects} | {m.project_id for m in milestones})
    created = 0
    for project in projects:
        basis = project.last_report_date or project.start_date or project.created_at.date()
        period = (today - basis).days // interval
        created += len(
            notify(
                recipients=contacts[project.pk],
                project=project,
                kind=Notification.Kind.REMINDER_REPORT,
                cause=f"no-report:{project.pk}:{basis.isoformat()}:{period}",
                subject=_("Erinnerung: Sachstandsbericht für „%(p)s“") % {"p": project.title},
                body=_(
                    "Für „%(p)s“ liegt seit mehr als %(days)s Tagen kein angenommener "
                    "Sachstandsbericht vor (letzter Stichtag: %(last)s).\n\n"
                    "Bericht erfassen: %(url)s"
                )
                % {
                    "p": project.title,
                    "days": interval,
                    "last": formats.date_format(project.last_report_date, "d.m.Y")
                    if project.last_report_date
                    else _("noch keiner"),
                    "url": _url(f"{project.get_absolute_url()}berichte/neu/"),
                },
            )
        )
    for milestone in milestones:
        project = milestone.project
        created += len(
            notify(
                recipients=contacts[project.pk],
                project=project,
                kind=Notification.Kind.REMINDER_MILESTONE,
                cause=f"milestone:{milestone.pk}:{milestone.due_date.isoformat()}",
                subject=_("Meilenstein überfällig: %(m)s") % {"m": milestone.title},
                body=_(
                    "Der Meilenstein „%(m)s“ von „%(p)s“ war am %(due)s fällig und ist noch "
                    "nicht als erledigt markiert.\n\n%(url)s"
                )
                % {
                    "m": milestone.title,
                    "p": project.title,
                    "due": formats.date_format(milestone.due_date, "d.m.Y"),
                    "url": _url(project.get_absolute_url()),
                },
            )
        )
    return created + proof_reminders_run(today=today)


def proof_reminders_run(*, today: datetime.date) -> int:
    """Remind the office of each Verwendungs- and Zwischennachweis due within
    PROJECTS_PROOF_REMINDER_DAYS (or overdue by up to 30 days), once per proof and due date."""
    from .models import FundingDecision
    from .services.proof import upcoming_dues, with_submitted

    decisions = (
        with_submitted(FundingDecision.objects)
        .filter(
            project__archived_at__isnull=True,
            period_end__gte=today - datetime.timedelta(days=3 * 366),
        )
        .select_related("project")
    )
    dues = upcoming_dues(decisions, today=today, ahead_days=settings.PROJECTS_PROOF_REMINDER_DAYS)
    if not dues:
        return 0
    office = list(_office_users())
    created = 0
    for due in dues:
        decision, project = due.decision, due.decision.project
        created += len(
            notify(
                recipients=office,
                project=project,
                kind=Notification.Kind.REMINDER_PROOF,
                cause=f"proof:{decision.pk}:{due.kind}:{due.due.isoformat()}",
                subject=_("Erinnerung: %(kind)s für „%(p)s“ fällig am %(due)s")
                % {
                    "kind": due.title,
                    "p": project.title,
                    "due": formats.date_format(due.due, "d.m.Y"),
                },
                body=_(
                    "Der %(kind)s zum Förderbescheid „%(d)s“ des Projekts „%(p)s“ ist am "
                    "%(due)s fällig.\n\nMit einem Klick erstellen: %(url)s\n\nIst er schon "
                    "eingereicht, vermerken Sie das dort unter „Erstellte Nachweise“; dann endet "
                    "diese Erinnerung."
                )
                % {
                    "kind": due.title,
                    "d": decision,
                    "p": project.title,
                    "due": formats.date_format(due.due, "d.m.Y"),
                    "url": _url(f"{project.get_absolute_url()}foerderung/{decision.pk}/"),
                },
            )
        )
    return created


def deliver(notification_id: int) -> bool:
    """Mail one notification unless it was sent already (row lock: no double delivery)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        send_mail(
            subject=notification.subject,
            message=notification.body,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at"])
    return True


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_recipients(*, today: datetime.date | None = None) -> list[int]:
    """Users due a weekly digest: office staff, and anyone with undelivered messages."""
    pending = Notification.objects.filter(sent_at__isnull=True).values_list(
        "recipient_id", flat=True
    )
    office = _office_users().values_list("pk", flat=True)
    return sorted(set(pending) | set(office))


def digest_send(*, user_id: int, week: str, today: datetime.date | None = None) -> bool:
    """Send one user's digest for `week` at most once (DigestRun row, locked). The digest
    holds the user's undelivered messages; office staff also get the overdue items."""
    today = today or timezone.localdate()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    with transaction.atomic():
        run, _created = DigestRun.objects.get_or_create(recipient=user, week=week)
        run = DigestRun.objects.select_for_update().get(pk=run.pk)
        if run.sent_at is not None:
            return False
        pending = list(
            Notification.objects.filter(recipient=user, sent_at__isnull=True).select_related(
                "project"
            )
        )
        is_office_user = _office_users().filter(pk=user.pk).exists()
        overdue_milestones, missing_reports = [], []
        if is_office_user:
            overdue_milestones = list(
                Milestone.objects.overdue(today=today)
                .filter(project__archived_at__isnull=True)
                .select_related("project")
            )
            missing_reports = list(
                Project.objects.active()
                .filter(status__in=REMINDER_STATUSES)
                .without_report_since(settings.PROJECTS_REPORT_INTERVAL_DAYS, today=today)
            )
        now = timezone.now()
        run.sent_at = now
        run.save(update_fields=["sent_at"])
        if not (pending or overdue_milestones or missing_reports):
            return False
        context = {
            "user": user,
            "week": week,
            "pending": pending,
            "overdue_milestones": overdue_milestones,
            "missing_reports": missing_reports,
            "interval": settings.PROJECTS_REPORT_INTERVAL_DAYS,
            "site_url": settings.SITE_URL,
        }
        send_mail(
            subject=_("Wochenübersicht Projekte (%(week)s)") % {"week": week},
            message=render_to_string("projects/email/digest.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            sent_at=now, via_digest=True
        )
    return True
