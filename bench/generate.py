"""Fill the benchmark database with realistic, seeded, reproducible data at a scale factor.

    python -m bench.generate --scale 1 [--seed 20190901] [--database-url URL]

Scale 1 is ten times the region's real size: 40 municipalities, 2,000 projects, 20,000
milestones, 60,000 progress reports, 30,000 contacts in 8,000 organisations, 200,000
interactions, 300 distribution lists, 5,000 press releases, 500,000 deliveries, 200 users.

Rows are written in bulk, bypassing model instances: COPY on PostgreSQL, executemany on
SQLite, with explicit primary keys so foreign keys need no read-back. The model constraints
hold (traffic-light reasons, percent ranges, snapshots of accepted reports, one delivery per
recipient, contact xor organisation in involvements ...). The same scale and seed give the
same rows.
"""

import argparse
import datetime as dt
import json
import random
import time
from decimal import Decimal

COUNTS = {
    "municipalities": 40,
    "users": 200,
    "projects": 2_000,
    "milestones": 20_000,
    "reports": 60_000,
    "organisations": 8_000,
    "contacts": 30_000,
    "interactions": 200_000,
    "lists": 300,
    "releases": 5_000,
    "deliveries": 500_000,
}
DEFAULT_SEED = 20190901
GENERATOR_VERSION = "2"
# Recipients of the distribution scenario: one big press list of this many contacts with a
# valid e-mail and a current legal basis (created at every scale that has enough contacts).
BIG_LIST_SIZE = 10_000
BIG_LIST_NAME = "Benchmark: Presseverteiler NRW"

FUNDER = "Land NRW, Ministerium für Heimat, Kommunales, Bau und Digitalisierung"
STREETS = ["Markt", "Bahnhofstraße", "Am Vreithof", "Hansaplatz"]
PLACES = ["Soest", "Lippstadt", "Iserlohn", "Werl", "Warstein", "Geseke", "Erwitte"]
LIST_KINDS = ["Presse", "Newsletter", "Projektinfo", "Veranstaltungen"]
RELEASE_STEPS = ["Start", "Zwischenbilanz", "Abschluss", "Förderbescheid übergeben", "Infoabend"]
PASSWORD = "modellregion"  # noqa: S105 - the benchmark's users exist only in the bench DB

CORE_MUNICIPALITIES = [
    ("Iserlohn", "iserlohn"),
    ("Kreis Soest", "kreis-soest"),
    ("Lippstadt", "lippstadt"),
    ("Soest", "soest"),
]
MUNICIPALITIES = [
    "Werl",
    "Warstein",
    "Geseke",
    "Erwitte",
    "Rüthen",
    "Anröchte",
    "Bad Sassendorf",
    "Möhnesee",
    "Ense",
    "Welver",
    "Wickede (Ruhr)",
    "Lippetal",
    "Arnsberg",
    "Meschede",
    "Brilon",
    "Hamm",
    "Unna",
    "Menden",
    "Hemer",
    "Balve",
    "Neuenrade",
    "Plettenberg",
    "Lüdenscheid",
    "Altena",
    "Schwerte",
    "Fröndenberg",
    "Werne",
    "Bergkamen",
    "Kamen",
    "Bönen",
    "Marsberg",
    "Olsberg",
    "Winterberg",
    "Sundern",
    "Schmallenberg",
    "Beckum",
    "Ahlen",
    "Oelde",
    "Lippetal-Herzfeld",
    "Büren",
    "Bad Lippspringe",
    "Salzkotten",
]
FIRST_NAMES = [
    "Anna",
    "Maria",
    "Sabine",
    "Julia",
    "Katharina",
    "Monika",
    "Petra",
    "Laura",
    "Lena",
    "Sarah",
    "Claudia",
    "Andrea",
    "Stefanie",
    "Nicole",
    "Birgit",
    "Jana",
    "Lisa",
    "Hannah",
    "Thomas",
    "Michael",
    "Andreas",
    "Stefan",
    "Markus",
    "Christian",
    "Frank",
    "Jürgen",
    "Klaus",
    "Peter",
    "Jan",
    "Tobias",
    "Daniel",
    "Lukas",
    "Matthias",
    "Sebastian",
    "Uwe",
    "Dirk",
    "Ralf",
    "Björn",
    "Jörg",
    "Günter",
]
LAST_NAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Schubert",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Schuster",
    "Simon",
    "Ludwig",
    "Böhm",
    "Winter",
    "Kraus",
    "Martin",
    "Schumacher",
    "Krämer",
    "Vogt",
    "Stein",
    "Jäger",
    "Otto",
    "Sommer",
    "Groß",
    "Seidel",
    "Heinrich",
    "Brandt",
    "Haas",
    "Schreiber",
    "Graf",
    "Schulte",
    "Dietrich",
    "Ziegler",
    "Kuhn",
    "Kühn",
    "Pohl",
    "Engel",
    "Horn",
    "Busch",
    "Bergmann",
    "Thomas",
    "Voigt",
    "Sauer",
    "Arnold",
    "Wolff",
    "Pfeiffer",
]
ORG_KINDS = [
    ("administration", ["Stadtverwaltung", "Kreisverwaltung", "Bürgeramt", "Ordnungsamt"]),
    ("politics", ["Ratsfraktion", "Ortsverband", "Ausschuss für Digitales"]),
    ("business", ["Stadtwerke", "IT-Systemhaus", "Handwerksbetrieb", "Wirtschaftsförderung"]),
    ("science", ["Fachhochschule Südwestfalen", "Institut für Geoinformatik", "Hochschule"]),
    ("education", ["Gymnasium", "Gesamtschule", "Volkshochschule", "Berufskolleg"]),
    ("health", ["Klinikum", "Pflegedienst", "Gesundheitsamt", "Hausarztpraxis"]),
    ("civil_society", ["Heimatverein", "Bürgerstiftung", "Seniorenbeirat", "Sportverein"]),
    ("press", ["Soester Anzeiger", "Westfalenpost", "Der Patriot", "Radio Sauerland", "WDR"]),
    ("association", ["Städte- und Gemeindebund", "IHK Arnsberg", "Handwerkskammer"]),
]
CATEGORY_FOR_KIND = {
    "administration": "administration",
    "politics": "politics",
    "business": "business",
    "science": "science",
    "education": "science",
    "health": "other",
    "civil_society": "civil_society",
    "press": "press",
    "association": "business",
}
PROJECT_TOPICS = [
    (
        "e-government",
        [
            "Digitales Bürgerbüro",
            "Online-Gewerbeanmeldung",
            "E-Akte",
            "Digitaler Bauantrag",
            "Terminvergabe online",
            "Bürger-App",
        ],
    ),
    (
        "bildung",
        [
            "Tablet-Klassen",
            "Digitale Schulbibliothek",
            "Medienkompetenz-Kurse",
            "Lernplattform",
            "Glasfaser für Schulen",
        ],
    ),
    (
        "infrastruktur",
        [
            "3D-Stadtmodell",
            "Glasfaserausbau",
            "LoRaWAN-Sensornetz",
            "Digitaler Zwilling",
            "Open-Data-Portal",
        ],
    ),
    (
        "innenstadt",
        [
            "Digitaler Marktplatz",
            "Leerstandsmanagement",
            "Innenstadt-WLAN",
            "Frequenzmessung",
            "Stadtgutschein digital",
        ],
    ),
    (
        "mobilitaet",
        [
            "Mobilstationen",
            "Bürgerbus on demand",
            "Parkleitsystem",
            "Radverkehrszählung",
            "Carsharing im ländlichen Raum",
        ],
    ),
    (
        "gesundheit",
        [
            "Telemedizin",
            "Digitale Pflegeberatung",
            "Notfall-App",
            "Gesundheitskiosk",
            "Smart Home für Senioren",
        ],
    ),
]
SENTENCES = [
    "Die Ausschreibung wurde veröffentlicht und drei Angebote sind eingegangen.",
    "Der Workshop mit den Fachämtern hat die Anforderungen geschärft.",
    "Die Schnittstelle zum Fachverfahren ist in der Testumgebung angebunden.",
    "Die Bürgerbeteiligung online hat über 300 Rückmeldungen ergeben.",
    "Die Datenschutz-Folgenabschätzung ist mit dem Datenschutzbeauftragten abgestimmt.",
    "Der Pilotbetrieb in zwei Ortsteilen läuft stabil.",
    "Die Schulung der Mitarbeitenden ist für das nächste Quartal geplant.",
    "Die Lieferung der Hardware verzögert sich um sechs Wochen.",
    "Der Förderbescheid für die zweite Stufe liegt vor.",
    "Die Vergabe an den Dienstleister ist erfolgt, der Vertrag ist unterzeichnet.",
    "Die Ergebnisse wurden im Lenkungskreis vorgestellt und angenommen.",
    "Die Übertragung auf eine Nachbarkommune wird vorbereitet.",
]
RISKS = [
    "Personalengpass in der IT-Abteilung.",
    "Lieferverzug bei der Hardware.",
    "Abstimmung mit dem Rechenzentrum dauert länger als geplant.",
    "Mittelabruf muss vor Ende des Bewilligungszeitraums erfolgen.",
]
PRESS_TAGS = [
    "Soest",
    "Lippstadt",
    "Iserlohn",
    "Kreis Soest",
    "Digitale Modellkommune",
    "Smart City",
    "E-Government",
    "Bildung",
    "Mobilität",
    "Gesundheit",
    "Innenstadt",
    "Open Data",
    "Bürgerbeteiligung",
    "Breitband",
    "Förderung",
    "Veranstaltung",
    "Ehrenamt",
    "Tourismus",
    "Wirtschaft",
    "Klimaschutz",
]

UMLAUTS = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        " ": "-",
        "(": "",
        ")": "",
        "/": "-",
        ".": "",
    }
)


def slugify(text: str) -> str:
    return text.translate(UMLAUTS).lower()


def scaled(name: str, scale: float) -> int:
    return max(1, round(COUNTS[name] * scale))


class Writer:
    """Bulk insert of plain rows (dicts) into a model's table: COPY on PostgreSQL,
    executemany on SQLite. Missing columns get the field's default."""

    def __init__(self, connection, now):
        self.connection = connection
        self.now = now
        self.counts: dict[str, int] = {}

    def _defaults(self, fields):
        defaults = {}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults[f.attname] = self.now
            elif f.has_default():
                defaults[f.attname] = f.get_default()
            elif f.null:
                defaults[f.attname] = None
            else:
                defaults[f.attname] = ""
        return defaults

    def insert(self, model, rows):
        rows = list(rows)
        if not rows:
            return
        meta = model._meta
        fields = [
            f for f in meta.local_concrete_fields if not f.primary_key or f.attname in rows[0]
        ]
        defaults = self._defaults(fields)
        columns = [f.column for f in fields]
        pg = self.connection.vendor == "postgresql"
        converters = []
        for f in fields:
            internal = f.get_internal_type()
            if internal == "JSONField":
                converters.append(lambda v: None if v is None else json.dumps(v))
            elif not pg and internal in ("DateTimeField", "DateField", "DecimalField"):
                converters.append(lambda v, f=f: f.get_db_prep_save(v, self.connection))
            else:
                converters.append(None)
        names = [f.attname for f in fields]

        def tuples():
            for row in rows:
                values = []
                for name, conv in zip(names, converters, strict=True):
                    value = row.get(name, defaults[name])
                    values.append(conv(value) if conv and value is not None else value)
                yield values

        quoted = ", ".join(self.connection.ops.quote_name(c) for c in columns)
        table = self.connection.ops.quote_name(meta.db_table)
        self.connection.ensure_connection()
        raw = self.connection.connection
        if pg:
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as cp:
                for values in tuples():
                    cp.write_row(values)
        else:
            marks = ", ".join("?" for _ in columns)
            raw.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", tuples())  # noqa: S608
        self.counts[meta.db_table] = self.counts.get(meta.db_table, 0) + len(rows)


def _through(model, field_name):
    return model._meta.get_field(field_name).remote_field.through


def generate(*, scale: float, seed: int = DEFAULT_SEED, stdout=print) -> dict:
    """Write the dataset into the (empty, migrated) default database. Returns row counts."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from news.models import Delivery, Distribution, PressRelease
    from news.models import Tag as PressTag
    from projects.models import (
        BudgetLine,
        Drawdown,
        FieldOfAction,
        FundingDecision,
        Milestone,
        ProgressReport,
        Project,
    )
    from soest_office.access import Role
    from soest_office.models import Municipality, User
    from stakeholders.models import (
        Contact,
        DistributionList,
        Interaction,
        Involvement,
        LegalBasisRecord,
        ListMembership,
        Organisation,
        Tag,
    )

    rnd = random.Random(seed)
    tz = dt.UTC
    now = dt.datetime(2026, 6, 1, 9, 0, tzinfo=tz)
    today = now.date()
    w = Writer(connection, now)
    started = time.monotonic()

    def step(label):
        stdout(f"  {label:<28} {time.monotonic() - started:6.1f} s")

    def date_between(a: dt.date, b: dt.date) -> dt.date:
        return a + dt.timedelta(days=rnd.randint(0, max(0, (b - a).days)))

    def text(n=2):
        return " ".join(rnd.sample(SENTENCES, n))

    with transaction.atomic():
        _ensure_reference_data()
        # --- municipalities and users ----------------------------------------------------
        existing = list(Municipality.objects.order_by("pk").values_list("pk", flat=True))
        n_mun = max(len(existing), scaled("municipalities", scale))
        next_id = max(existing) + 1
        new_mun = []
        for name in MUNICIPALITIES[: n_mun - len(existing)]:
            new_mun.append({"id": next_id, "name": name, "slug": slugify(name)})
            next_id += 1
        w.insert(Municipality, new_mun)
        mun_ids = existing + [m["id"] for m in new_mun]
        core_mun = existing  # soest, lippstadt, iserlohn, kreis-soest: most of the activity

        def pick_mun():
            return rnd.choice(core_mun) if rnd.random() < 0.6 else rnd.choice(mun_ids)

        groups = {g.name: g.pk for g in Group.objects.all()}
        password = make_password(PASSWORD)
        n_users = max(12, scaled("users", scale))
        users, user_groups = [], []
        office_ids, partner_ids = [], []
        for i in range(1, n_users + 1):
            if i <= max(3, n_users // 10):
                role, mun = Role.OFFICE, None
            elif i <= n_users - max(2, n_users // 20):
                role, mun = Role.PARTNER, mun_ids[(i - 1) % len(mun_ids)]
            else:
                role, mun = Role.STEERING, None
            first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
            username = f"bench{i:04d}"
            users.append(
                {
                    "id": i,
                    "password": password,
                    "username": username,
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@modellregion-soest.de",
                    "is_active": True,
                    "date_joined": now,
                    "municipality_id": mun,
                }
            )
            user_groups.append({"user_id": i, "group_id": groups[role.value]})
            (office_ids if role is Role.OFFICE else partner_ids).append(i)
        w.insert(User, users)
        w.insert(_through(User, "groups"), user_groups)
        step("Kommunen, Benutzer")

        # --- projects, funding, milestones, reports --------------------------------------
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
                    "is_public": rnd.random() < 0.4,
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
                        "project_id": pid,
                        "title": line,
                        "planned_amount": planned,
                        "spent_amount": (planned * Decimal(rnd.randint(0, 90)) / 100).quantize(
                            Decimal("0.01")
                        ),
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
            spent = (p["total_budget"] * Decimal(rnd.randint(0, 90)) / 100).quantize(
                Decimal("0.01")
            )
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
        w.insert(Project, projects)
        w.insert(_through(Project, "participating_municipalities"), participations)
        w.insert(FundingDecision, fundings)
        w.insert(Drawdown, drawdowns)
        w.insert(BudgetLine, budget_lines)
        w.insert(Milestone, milestones)
        step("Projekte, Meilensteine")
        w.insert(ProgressReport, reports)
        del reports
        step("Sachstandsberichte")

        # --- stakeholders ---------------------------------------------------------------
        n_org = scaled("organisations", scale)
        orgs = []
        for oid in range(1, n_org + 1):
            kind, names = rnd.choice(ORG_KINDS)
            mun = pick_mun()
            orgs.append(
                {
                    "id": oid,
                    "name": f"{rnd.choice(names)} {rnd.choice(PLACES)} {oid}",
                    "kind": kind,
                    "municipality_id": mun,
                    "street": f"{rnd.choice(STREETS)} {rnd.randint(1, 80)}",
                    "postal_code": f"59{rnd.randint(100, 999)}",
                    "city": "Soest",
                    "email": f"info@org{oid}.example.de",
                    "phone": f"02921 {rnd.randint(10000, 99999)}",
                }
            )
        w.insert(Organisation, orgs)
        tags = [{"id": i, "name": n} for i, n in enumerate(PRESS_TAGS, start=1)]
        w.insert(Tag, tags)

        n_con = scaled("contacts", scale)
        contacts, contact_tags, bases = [], [], []
        for cid in range(1, n_con + 1):
            org = orgs[rnd.randrange(n_org)]
            first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
            category = CATEGORY_FOR_KIND[org["kind"]]
            contacts.append(
                {
                    "id": cid,
                    "salutation": rnd.choice(["Frau", "Herr", ""]),
                    "title": rnd.choice(["", "", "", "Dr."]),
                    "first_name": first,
                    "last_name": last,
                    "organisation_id": org["id"],
                    "function": rnd.choice(
                        [
                            "Leitung",
                            "Referent/in",
                            "Sachbearbeitung",
                            "Redaktion",
                            "Geschäftsführung",
                            "",
                        ]
                    ),
                    "email": f"{slugify(first)}.{slugify(last)}.{cid}@example.de",
                    "phone": f"02921 {rnd.randint(10000, 99999)}",
                    "municipality_id": org["municipality_id"],
                    "category": category,
                    # The big press list (first contacts) stays fully reachable.
                    "do_not_contact": cid > BIG_LIST_SIZE and rnd.random() < 0.02,
                    "created_by_id": rnd.choice(office_ids),
                }
            )
            for t in rnd.sample(range(1, len(tags) + 1), rnd.randint(0, 2)):
                contact_tags.append({"contact_id": cid, "tag_id": t})
            purpose = (
                "press"
                if category == "press"
                else rnd.choice(["newsletter", "project_info", "events", "press"])
            )
            bases.append(
                {
                    "contact_id": cid,
                    "purpose": purpose,
                    "status": "legitimate_interest" if category == "press" else "consent",
                    "method": "form",
                    "effective_at": now - dt.timedelta(days=rnd.randint(1, 1500)),
                    "recorded_by_id": rnd.choice(office_ids),
                }
            )
        w.insert(Contact, contacts)
        w.insert(_through(Contact, "tags"), contact_tags)
        w.insert(LegalBasisRecord, bases)
        step("Organisationen, Kontakte")

        involvements = []
        seen = set()
        for _ in range(n_proj * 3):
            pid, cid = rnd.randint(1, n_proj), rnd.randint(1, n_con)
            role = rnd.choice(["contact_person", "partner", "service_provider", "multiplier"])
            if (pid, cid, role) not in seen:
                seen.add((pid, cid, role))
                involvements.append({"project_id": pid, "contact_id": cid, "role": role})
        w.insert(Involvement, involvements)

        # Interactions: skewed too (the Auskunft scenario takes the longest history).
        n_int = scaled("interactions", scale)
        cweights = [1.0 / (i + 1) ** 0.5 for i in range(n_con)]
        int_contacts = rnd.choices(range(1, n_con + 1), cweights, k=n_int)
        w.insert(
            Interaction,
            (
                {
                    "contact_id": cid,
                    "occurred_at": now - dt.timedelta(minutes=rnd.randint(1, 3_000_000)),
                    "channel": rnd.choice(["phone", "email", "meeting", "event"]),
                    "summary": text(1),
                    "project_id": rnd.randint(1, n_proj) if rnd.random() < 0.5 else None,
                    "recorded_by_id": rnd.choice(office_ids),
                }
                for cid in int_contacts
            ),
        )
        step("Beteiligungen, Kontakthistorie")

        # Distribution lists: one big press list (distribution scenario), the rest small.
        n_lists = scaled("lists", scale)
        lists, memberships = [], []
        big = min(BIG_LIST_SIZE, n_con)
        lists.append({"id": 1, "name": BIG_LIST_NAME, "purpose": "press"})
        for cid in range(1, big + 1):
            memberships.append({"distribution_list_id": 1, "contact_id": cid})
        for lid in range(2, n_lists + 1):
            lists.append(
                {
                    "id": lid,
                    "name": f"{rnd.choice(LIST_KINDS)} {rnd.choice(MUNICIPALITIES)} {lid}",
                    "purpose": rnd.choice(["press", "newsletter", "project_info", "events"]),
                }
            )
            for cid in rnd.sample(range(1, n_con + 1), min(n_con, rnd.randint(20, 150))):
                memberships.append({"distribution_list_id": lid, "contact_id": cid})
        w.insert(DistributionList, lists)
        w.insert(ListMembership, memberships)
        # The big list's members need a current basis for "press" (they may have another).
        w.insert(
            LegalBasisRecord,
            (
                {
                    "contact_id": cid,
                    "purpose": "press",
                    "status": "legitimate_interest",
                    "method": "other",
                    "effective_at": now - dt.timedelta(days=1),
                }
                for cid in range(1, big + 1)
            ),
        )
        step("Verteiler")

        # --- news -----------------------------------------------------------------------
        press_tags = [
            {"id": i, "name": n, "slug": slugify(n)} for i, n in enumerate(PRESS_TAGS, start=1)
        ]
        w.insert(PressTag, press_tags)
        n_rel = scaled("releases", scale)
        releases, rel_tags, rel_muns, rel_projects = [], [], [], []
        for rid in range(1, n_rel + 1):
            status = rnd.choices(
                ["published", "archived", "draft", "submitted", "approved", "scheduled"],
                [80, 8, 6, 3, 2, 1],
            )[0]
            published = now - dt.timedelta(hours=rid * 3)
            topic = rnd.choice(rnd.choice(PROJECT_TOPICS)[1])
            title = f"{topic}: {rnd.choice(RELEASE_STEPS)} in {rnd.choice(MUNICIPALITIES)}"
            releases.append(
                {
                    "id": rid,
                    "title": title,
                    "slug": slugify(f"{topic}-{rid}")[:220],
                    "dateline": rnd.choice(["Soest", "Lippstadt", "Iserlohn", "Kreis Soest"]),
                    "teaser": text(1),
                    "body": "\n\n".join(
                        [text(3), "## Hintergrund", text(2), "- " + text(1), "- " + text(1)]
                    ),
                    "status": status,
                    "publish_at": published if status == "scheduled" else None,
                    "published_at": published if status in ("published", "archived") else None,
                    "author_id": rnd.choice(office_ids + partner_ids[:20]),
                    "approved_by_id": rnd.choice(office_ids)
                    if status in ("approved", "scheduled", "published", "archived")
                    else None,
                    "press_contact_id": rnd.choice(office_ids),
                    "press_contact_phone": "02921 103-1234",
                    "created_at": published - dt.timedelta(days=2),
                    "updated_at": published,
                }
            )
            for t in rnd.sample(range(1, len(press_tags) + 1), rnd.randint(1, 4)):
                rel_tags.append({"pressrelease_id": rid, "tag_id": t})
            for m in rnd.sample(core_mun, rnd.randint(1, 2)):
                rel_muns.append({"pressrelease_id": rid, "municipality_id": m})
            for p in rnd.sample(range(1, n_proj + 1), min(n_proj, rnd.randint(0, 2))):
                rel_projects.append({"pressrelease_id": rid, "project_id": p})
        w.insert(PressRelease, releases)
        w.insert(_through(PressRelease, "tags"), rel_tags)
        w.insert(_through(PressRelease, "municipalities"), rel_muns)
        w.insert(_through(PressRelease, "projects"), rel_projects)
        step("Pressemitteilungen")

        # Deliveries: 500 per distributed release, unique per (distribution, contact).
        n_del = scaled("deliveries", scale)
        per = min(500, n_con)
        sent_releases = [r for r in releases if r["status"] in ("published", "archived")]
        n_dist = min(len(sent_releases), -(-n_del // per))
        distributions = [
            {
                "id": i,
                "release_id": r["id"],
                "created_by_id": rnd.choice(office_ids),
                "created_at": r["published_at"],
                "last_dispatched_at": r["published_at"],
            }
            for i, r in enumerate(sent_releases[:n_dist], start=1)
        ]
        w.insert(Distribution, distributions)
        w.insert(
            _through(Distribution, "lists"),
            (
                {"distribution_id": d["id"], "distributionlist_id": rnd.randint(1, n_lists)}
                for d in distributions
            ),
        )

        def deliveries():
            remaining = n_del
            for d in distributions:
                k = min(per, remaining)
                remaining -= k
                start = rnd.randrange(n_con)
                for j in range(k):
                    c = contacts[(start + j) % n_con]
                    status = "sent" if rnd.random() < 0.97 else "failed"
                    yield {
                        "distribution_id": d["id"],
                        "contact_id": c["id"],
                        "purpose": "press",
                        "email": c["email"],
                        "name": f"{c['first_name']} {c['last_name']}",
                        "salutation": "Sehr geehrte Damen und Herren",
                        "status": status,
                        "attempts": 1,
                        "error": "" if status == "sent" else "550 Mailbox unbekannt",
                        "sent_at": d["created_at"] if status == "sent" else None,
                    }

        w.insert(Delivery, deliveries())
        step("Zustellungen")

        # Explicit ids were written: move the sequences past them.
        models = [
            Municipality,
            User,
            Project,
            FundingDecision,
            Milestone,
            ProgressReport,
            Organisation,
            Tag,
            Contact,
            DistributionList,
            PressTag,
            PressRelease,
            Distribution,
        ]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    step("fertig (ANALYZE)")
    return {
        "seconds": round(time.monotonic() - started, 1),
        "rows": dict(sorted(w.counts.items())),
    }


def _ensure_reference_data():
    """The rows the data migrations create (municipalities, fields of action, role groups).
    A flush between transactional tests removes them; the generator needs them."""
    import importlib

    from django.contrib.auth.models import Group

    from projects.models import FieldOfAction
    from soest_office.access import Role
    from soest_office.models import Municipality

    for name, slug in CORE_MUNICIPALITIES:
        Municipality.objects.get_or_create(slug=slug, defaults={"name": name})
    fields = importlib.import_module("projects.migrations.0002_fields_of_action")
    for position, (name, slug) in enumerate(fields.FIELDS_OF_ACTION, start=1):
        FieldOfAction.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def main(argv=None):
    from . import database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--force", action="store_true", help="neu erzeugen, auch wenn vorhanden")
    args = parser.parse_args(argv)
    url = database.choose_url(args.database_url)
    database.setup_django(url)
    info = ensure_dataset(scale=args.scale, seed=args.seed, force=args.force)
    print(json.dumps(info, indent=2, default=str))


SEARCH_INDEX_CHUNK = 10_000


def _index_chunk(task):
    from soest_office.search.indexing import search_index_bulk
    from soest_office.search.registry import sources

    key, ids = task
    model = next(source.model for source in sources() if source.key == key)
    return key, search_index_bulk(model, ids)


def rebuild_search_index_parallel(workers: int = 2) -> dict:
    """The search index of the fresh dataset, built by `workers` processes (PostgreSQL).

    Indexing is half Python (building each document) and half PostgreSQL (stemming, GIN
    inserts); one process leaves a core idle. The same indexing functions the application
    uses, run over chunks of primary keys."""
    import multiprocessing

    from django.db import connections

    from soest_office.search.registry import sources

    tasks = []
    for source in sources():
        ids = list(source.queryset().order_by("pk").values_list("pk", flat=True))
        tasks += [
            (source.key, ids[i : i + SEARCH_INDEX_CHUNK])
            for i in range(0, len(ids), SEARCH_INDEX_CHUNK)
        ]
    connections.close_all()  # every process opens its own connection
    counts = {}
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for key, count in pool.imap_unordered(_index_chunk, tasks):
            counts[key] = counts.get(key, 0) + count
    return counts


def dataset_key(scale: float, seed: int) -> str:
    from . import database

    return (
        f"v{GENERATOR_VERSION}|scale={scale:g}|seed={seed}|migrations={database.migration_state()}"
    )


def ensure_dataset(*, scale: float, seed: int, force: bool = False, keep: bool = False) -> dict:
    """Migrate and generate unless the database already holds this very dataset (or, with
    `keep`, any complete dataset of this scale and seed, e.g. from an older generator)."""
    from django.core.management import call_command
    from django.db import connection

    from . import database

    key = dataset_key(scale, seed)
    marker = database.read_marker() or ""
    if keep and f"|scale={scale:g}|seed={seed}|" in marker:
        print(f"Vorhandener Datensatz wird behalten ({marker}).")
        return {"reused": True, "key": marker}
    if not force and marker == key:
        print(f"Datensatz vorhanden ({key}), wird wiederverwendet.")
        return {"reused": True, "key": key}
    print(f"Erzeuge Datensatz {key} in {connection.settings_dict['NAME']} …")
    database.wipe()
    connection.close()
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = round(time.monotonic() - started, 1)
    database.write_marker("building")
    info = generate(scale=scale, seed=seed)
    # Bulk rows bypass the signals that feed the global search index: rebuild it once.
    from django.core.management import get_commands

    if "rebuild_search_index" in get_commands():
        started = time.monotonic()
        if connection.vendor == "postgresql":
            info["search_index_entries"] = rebuild_search_index_parallel()
            # What autovacuum does in production a minute after such a load (this machine's
            # PostgreSQL runs with autovacuum off): statistics for the planner, visibility
            # maps, and the GIN indexes' pending lists (rows inserted after the index was
            # created, scanned one by one by every search) merged into the indexes. Without
            # it the contact search took 60 ms of trigram pending list instead of 5 ms.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        else:  # SQLite takes one writer at a time
            call_command("rebuild_search_index", verbosity=0)
        info["search_index_seconds"] = round(time.monotonic() - started, 1)
    database.write_marker(key)
    return {"reused": False, "key": key, "migrate_seconds": migrate_seconds, **info}


if __name__ == "__main__":
    main()
