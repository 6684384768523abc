"""Projects with their funding, budget lines, milestones and progress reports."""

import datetime as dt
from collections import Counter
from decimal import Decimal

from .context import Run, scaled
from .users import People
from .words import FUNDER, PROJECT_TOPICS, RISKS, slugify
from .writer import _through


def generate_projects(run: Run, people: People) -> int:
    """Projects, funding, budget lines, milestones and reports; returns the number of
    projects (ids 1 to n)."""
    from projects.models import (
        BudgetLine,
        Drawdown,
        FieldOfAction,
        FundingDecision,
        Milestone,
        ProgressReport,
        Project,
        Receipt,
    )

    rnd, w, now, scale, step = run.rnd, run.w, run.now, run.scale, run.step
    date_between, text = run.date_between, run.text
    today = now.date()
    pick_mun, mun_ids, core_mun = people.pick_mun, people.mun_ids, people.core_mun
    office_ids, partner_ids = people.office_ids, people.partner_ids
    foa = {f.slug: f.pk for f in FieldOfAction.objects.all()}
    n_proj = scaled("projects", scale)
    projects, participations, fundings, drawdowns, budget_lines = [], [], [], [], []
    slugs = set()
    for pid in range(1, n_proj + 1):
        foa_slug, topics = rnd.choice(PROJECT_TOPICS)
        lead = pick_mun()
        lead_name = "Kreis Soest" if lead == core_mun[-1] else None
        topic = rnd.choice(topics)
        title = f"{topic} {lead_name or ''}".strip() + f" {pid}"
        slug = slugify(f"{topic}-{pid}")[:80]
        slugs.add(slug)
        start = date_between(dt.date(2019, 9, 1), dt.date(2025, 12, 31))
        end = start + dt.timedelta(days=rnd.randint(180, 1460))
        status = rnd.choices(
            ["idea", "planned", "in_progress", "completed", "paused", "cancelled"],
            [5, 15, 55, 15, 6, 4],
        )[0]
        light = rnd.choices(["green", "yellow", "red"], [70, 20, 10])[0]
        budget = Decimal(rnd.randrange(20_000, 2_000_000, 500))
        spent = (budget * Decimal(rnd.randint(0, 90)) / 100).quantize(Decimal("0.01"))
        projects.append(
            {
                "id": pid,
                "title": title,
                "slug": slug,
                "summary": text(1),
                "description": text(3),
                "field_of_action_id": foa[foa_slug],
                "lead_municipality_id": lead,
                "status": status,
                "traffic_light": light,
                "traffic_light_reason": "" if light == "green" else rnd.choice(RISKS),
                "start_date": start,
                "planned_end_date": end,
                "responsible_id": rnd.choice(office_ids),
                "total_budget": budget,
                "spent_to_date": spent,
                "percent_complete": rnd.randint(0, 100),
                "last_report_date": None,
                "transferability": text(1),
                # The first two are public at every scale (the public page and API
                # scenarios need one); the draw is made first, so the sequence is unchanged.
                "is_public": rnd.random() < 0.4 or pid <= 2,
                "version": 1,
                "archived_at": now if rnd.random() < 0.03 else None,
            }
        )
        for m in rnd.sample(mun_ids, rnd.randint(0, 3)):
            if m != lead:
                participations.append({"project_id": pid, "municipality_id": m})
        rate = Decimal(rnd.choice([50, 70, 80, 90]))
        granted = (budget * rate / 100).quantize(Decimal("0.01"))
        fundings.append(
            {
                "id": pid,
                "project_id": pid,
                "funder": FUNDER,
                "programme": "Digitale Modellregionen NRW",
                "reference": f"DMR-{pid:05d}",
                "decision_date": start,
                "period_start": start,
                "period_end": end,
                "eligible_costs": budget,
                "funding_rate": rate,
                "granted_amount": granted,
                "own_share": budget - granted,
            }
        )
        for k in range(2):
            amount = (granted / 4).quantize(Decimal("0.01"))
            drawdowns.append(
                {
                    "funding_decision_id": pid,
                    "requested_date": start + dt.timedelta(days=90 * (k + 1)),
                    "requested_amount": amount,
                    "received_date": start + dt.timedelta(days=90 * (k + 1) + 20),
                    "received_amount": amount,
                }
            )
        for line in ("Personal", "Sachmittel", "Dienstleistungen"):
            planned = (budget / 3).quantize(Decimal("0.01"))
            budget_lines.append(
                {
                    "id": len(budget_lines) + 1,
                    "project_id": pid,
                    "funding_decision_id": pid,
                    "title": line,
                    "planned_amount": planned,
                    "spent_amount": Decimal(0),  # derived from the receipts below
                }
            )

    # Milestones: about ten per project.
    milestones = []
    n_ms = scaled("milestones", scale)
    for mid in range(1, n_ms + 1):
        p = projects[(mid - 1) % n_proj]
        due = date_between(p["start_date"], p["planned_end_date"])
        done = due if due < today and rnd.random() < 0.8 else None
        milestones.append(
            {
                "id": mid,
                "project_id": p["id"],
                "title": rnd.choice(
                    [
                        "Ausschreibung",
                        "Vergabe",
                        "Pilotbetrieb",
                        "Schulung",
                        "Go-live",
                        "Evaluation",
                        "Abschlussbericht",
                        "Konzept",
                        "Beteiligung",
                        "Rollout",
                    ]
                ),
                "due_date": due,
                "done_date": done,
                "note": "",
                # Every other milestone is public (issue 18); no draw from `rnd`, so the rest
                # of the generated data stays as it was.
                "is_public": mid % 2 == 0,
            }
        )

    # Reports: skewed, so one project has a long history (the detail-page scenario).
    n_rep = scaled("reports", scale)
    weights = [1.0 / (i + 1) ** 0.6 for i in range(n_proj)]
    rnd.shuffle(weights)
    report_projects = rnd.choices(range(n_proj), weights, k=n_rep)
    reports = []
    last_date: dict[int, dt.date] = {}
    for rid, idx in enumerate(sorted(report_projects), start=1):
        p = projects[idx]
        rdate = date_between(p["start_date"], min(today, p["planned_end_date"]))
        status = rnd.choices(["accepted", "submitted", "returned", "draft"], [85, 7, 3, 5])[0]
        light = rnd.choices(["green", "yellow", "red"], [70, 20, 10])[0]
        spent = (p["total_budget"] * Decimal(rnd.randint(0, 90)) / 100).quantize(Decimal("0.01"))
        row = {
            "id": rid,
            "project_id": p["id"],
            "municipality_id": p["lead_municipality_id"],
            "author_id": rnd.choice(partner_ids),
            "reporting_date": rdate,
            "percent_complete": rnd.randint(0, 100),
            "traffic_light": light,
            "traffic_light_reason": "" if light == "green" else rnd.choice(RISKS),
            "achieved": text(2),
            "next_steps": text(1),
            "risks": rnd.choice(RISKS),
            "spent_to_date": spent,
            "status": status,
            "submitted_at": now if status != "draft" else None,
            "snapshot": None,
        }
        if status == "accepted":
            row["reviewed_at"] = now
            row["reviewed_by_id"] = rnd.choice(office_ids)
            row["snapshot"] = {
                "accepted_at": now.isoformat(),
                "accepted_by": "Projektbüro",
                "report": {
                    "reporting_date": rdate.isoformat(),
                    "percent_complete": row["percent_complete"],
                    "traffic_light": light,
                    "traffic_light_reason": row["traffic_light_reason"],
                    "achieved": row["achieved"],
                    "next_steps": row["next_steps"],
                    "risks": row["risks"],
                    "spent_to_date": str(spent),
                },
                "project": {"title": p["title"], "status": p["status"]},
            }
            if rdate >= last_date.get(p["id"], dt.date.min):
                last_date[p["id"]] = rdate
        reports.append(row)
    for p in projects:
        p["last_report_date"] = last_date.get(p["id"])
    # Receipts: a few per project, and the project with the most reports also has the most
    # receipts (1,000 at scale 1: the ledger, project page and Verwendungsnachweis scenarios).
    receipts = generate_receipts(run, projects, fundings, budget_lines, report_projects)
    w.insert(Project, projects)
    w.insert(_through(Project, "participating_municipalities"), participations)
    w.insert(FundingDecision, fundings)
    w.insert(Drawdown, drawdowns)
    w.insert(BudgetLine, budget_lines)
    w.insert(Receipt, receipts)
    w.insert(Milestone, milestones)
    step("Projekte, Meilensteine")
    w.insert(ProgressReport, reports)
    del reports
    step("Sachstandsberichte")
    return n_proj


def generate_receipts(run: Run, projects, fundings, budget_lines, report_projects) -> list:
    """Receipts paid within each decision's period (up to the generator's "now"); the
    budget lines' spent amounts and the projects' spent to date are their sums."""
    rnd, today = run.rnd, run.now.date()
    reports_per_project = Counter(report_projects)
    busiest = max(range(len(projects)), key=lambda i: (reports_per_project[i], -i))
    lines_of: dict[int, list] = {}
    for line in budget_lines:
        lines_of.setdefault(line["project_id"], []).append(line)
    counts = [rnd.randint(0, 2 * scaled("receipts", run.scale) // len(projects)) for _ in projects]
    counts[busiest] = scaled("receipts_busiest", run.scale)
    receipts = []
    for idx, (p, decision) in enumerate(zip(projects, fundings, strict=True)):
        p["spent_to_date"] = Decimal(0)
        last = min(decision["period_end"], today)
        if last < decision["period_start"]:
            continue
        for k in range(counts[idx]):
            line = rnd.choice(lines_of[p["id"]])
            gross = Decimal(rnd.randrange(100, 20_000)) + Decimal(rnd.randrange(100)) / 100
            paid = run.date_between(decision["period_start"], last)
            receipts.append(
                {
                    "project_id": p["id"],
                    "budget_line_id": line["id"],
                    "number": f"B-{p['id']}-{k + 1:04d}",
                    "receipt_date": paid,
                    "payee": rnd.choice(PAYEES),
                    "purpose": run.text(1)[:300],
                    "net_amount": (gross / Decimal("1.19")).quantize(Decimal("0.01")),
                    "gross_amount": gross,
                    "payment_date": paid,
                    "file": "",
                    "original_name": "",
                }
            )
            line["spent_amount"] += gross
            p["spent_to_date"] += gross
    return receipts


PAYEES = [
    "IT-Dienstleister Hellweg GmbH",
    "Stadtwerke Soest",
    "Beratung Westfalen GmbH",
    "Druckerei am Dom",
    "Urban Platform AG",
    "Sensorik NRW GmbH",
]
