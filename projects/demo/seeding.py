"""Writing the demo data tables into the database. Idempotent: projects by slug, milestones
by title, funding by reference, reports by reporting date, documents by title."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from soest_office.models import Municipality

from .. import services
from ..models import (
    BudgetLine,
    Document,
    Drawdown,
    FieldOfAction,
    FundingDecision,
    Milestone,
    ProgressReport,
    Project,
    ProjectContact,
    Receipt,
)
from ..services.ledger import ledger_refresh
from .data import (
    BUDGET_LINES,
    DEMO_PDF,
    DOCUMENTS,
    FUNDER,
    FUNDING,
    FUNDING_PUBLIC,
    MILESTONES,
    PROGRAMME,
    PROJECTS,
    PUBLIC_DOCUMENTS,
    PUBLIC_MILESTONES,
    RECEIPTS,
    REPORTS,
    as_date,
)


def seed(stdout):
    User = get_user_model()
    municipalities = {m.slug: m for m in Municipality.objects.all()}
    fields = {f.slug: f for f in FieldOfAction.objects.all()}
    if len(municipalities) < 4 or len(fields) < 6:
        # The reference data comes from the data migrations; without it there is nothing
        # sensible to attach projects to (e.g. a database emptied by `flush`).
        stdout.write("Projekte: übersprungen (Kommunen/Handlungsfelder fehlen; migrate ausführen)")
        return
    office = User.objects.filter(username="buero").first()
    partners = {
        u.municipality.slug: u
        for u in User.objects.filter(
            username__in=["soest", "lippstadt", "iserlohn", "kreis"], municipality__isnull=False
        ).select_related("municipality")
    }
    for (
        slug,
        title,
        field,
        lead,
        participants,
        status,
        light,
        reason,
        start,
        end,
        budget,
        public,
        summary,
        transferability,
    ) in PROJECTS:
        project, _created = Project.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "field_of_action": fields[field],
                "lead_municipality": municipalities[lead],
                "status": status,
                "traffic_light": light,
                "traffic_light_reason": reason,
                "start_date": start,
                "planned_end_date": end,
                "total_budget": budget,
                "is_public": public,
                "funding_is_public": slug in FUNDING_PUBLIC,
                "summary": summary,
                "transferability": transferability,
                "responsible": office,
            },
        )
        project.participating_municipalities.set([municipalities[p] for p in participants])
        for muni_slug in [lead, *participants]:
            if muni_slug in partners:
                ProjectContact.objects.update_or_create(
                    project=project,
                    municipality=municipalities[muni_slug],
                    defaults={"user": partners[muni_slug]},
                )
        for m_title, due, done in MILESTONES.get(slug, []):
            due_date = as_date(due)
            Milestone.objects.update_or_create(
                project=project,
                title=m_title,
                defaults={
                    "due_date": due_date,
                    "done_date": due_date if done else None,
                    "is_public": m_title in PUBLIC_MILESTONES,
                },
            )
        if slug in FUNDING:
            ref, decided, p_start, p_end, eligible, rate, granted, own, drawdowns = FUNDING[slug]
            decision, _ = FundingDecision.objects.update_or_create(
                project=project,
                reference=ref,
                defaults={
                    "funder": FUNDER,
                    "programme": PROGRAMME,
                    "decision_date": decided,
                    "period_start": p_start,
                    "period_end": p_end,
                    "eligible_costs": eligible,
                    "funding_rate": rate,
                    "granted_amount": granted,
                    "own_share": own,
                },
            )
            for when, requested, received in drawdowns:
                Drawdown.objects.update_or_create(
                    funding_decision=decision,
                    requested_date=as_date(when),
                    defaults={
                        "requested_amount": requested,
                        "received_amount": received,
                        "received_date": as_date(when) + datetime.timedelta(days=21),
                    },
                )
        decision = project.funding_decisions.order_by("pk").first()
        lines = {}
        for line_title, planned in BUDGET_LINES.get(slug, []):
            lines[line_title], _ = BudgetLine.objects.update_or_create(
                project=project,
                title=line_title,
                defaults={"planned_amount": planned, "funding_decision": decision},
            )
        for line_title, number, date, payee, purpose, net, gross, paid in RECEIPTS.get(slug, []):
            Receipt.objects.update_or_create(
                project=project,
                number=number,
                defaults={
                    "budget_line": lines[line_title],
                    "receipt_date": date,
                    "payee": payee,
                    "purpose": purpose,
                    "net_amount": Decimal(net),
                    "gross_amount": Decimal(gross),
                    "payment_date": paid,
                    "created_by": office,
                },
            )
        if RECEIPTS.get(slug):
            ledger_refresh(project)
        author = partners.get(lead) or office
        for when, percent, r_light, r_reason, achieved, next_steps, risks, spent in REPORTS.get(
            slug, []
        ):
            report, created = ProgressReport.objects.get_or_create(
                project=project,
                reporting_date=as_date(when),
                defaults={
                    "author": author,
                    "municipality": municipalities[lead],
                    "percent_complete": percent,
                    "traffic_light": r_light,
                    "traffic_light_reason": r_reason,
                    "achieved": achieved,
                    "next_steps": next_steps,
                    "risks": risks,
                    "spent_to_date": Decimal(spent),
                    "status": ProgressReport.Status.SUBMITTED,
                    "submitted_at": timezone.now(),
                },
            )
            if created and office is not None:
                services.report_accept(actor=office, report=report)
        for d_title, kind, filename in DOCUMENTS.get(slug, []):
            existing = Document.objects.filter(project=project, title=d_title)
            if existing.exists():
                existing.update(is_public=d_title in PUBLIC_DOCUMENTS)
            else:
                document = Document(
                    project=project,
                    title=d_title,
                    kind=kind,
                    is_public=d_title in PUBLIC_DOCUMENTS,
                    original_name=filename,
                    size=len(DEMO_PDF),
                    uploaded_by=office,
                )
                document.file.save(filename, ContentFile(DEMO_PDF), save=False)
                document.save()
    # One fresh report waiting for the office's review.
    buergerbuero = Project.objects.get(slug="buergerbeteiligung-online")
    if "lippstadt" in partners:
        ProgressReport.objects.get_or_create(
            project=buergerbuero,
            reporting_date=as_date(-2),
            defaults={
                "author": partners["lippstadt"],
                "municipality": municipalities["lippstadt"],
                "percent_complete": 70,
                "traffic_light": "green",
                "achieved": "Bürgerhaushalt mit 410 Vorschlägen vorbereitet.",
                "next_steps": "Abstimmungsphase starten.",
                "spent_to_date": Decimal("245000"),
                "status": ProgressReport.Status.SUBMITTED,
                "submitted_at": timezone.now(),
            },
        )
    stdout.write(f"Projekte: {Project.objects.count()}")
