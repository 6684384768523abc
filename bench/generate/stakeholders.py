"""Organisations, contacts with their legal bases, project involvements, contact history and
distribution lists (one big press list for the distribution scenario)."""

import datetime as dt
from dataclasses import dataclass

from .context import Run, scaled
from .users import People
from .words import (
    CATEGORY_FOR_KIND,
    FIRST_NAMES,
    LAST_NAMES,
    LIST_KINDS,
    MUNICIPALITIES,
    ORG_KINDS,
    PLACES,
    PRESS_TAGS,
    STREETS,
    slugify,
)
from .writer import _through

# Recipients of the distribution scenario: one big press list of this many contacts with a
# valid e-mail and a current legal basis (created at every scale that has enough contacts).
BIG_LIST_SIZE = 10_000
BIG_LIST_NAME = "Benchmark: Presseverteiler NRW"


@dataclass
class Recipients:
    """The contacts and lists the press distributions send to."""

    contacts: list[dict]
    n_con: int
    n_lists: int


def generate_stakeholders(run: Run, people: People, n_proj: int) -> Recipients:
    """Organisations, contacts, involvements in the `n_proj` projects, contact history and
    distribution lists."""
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

    rnd, w, now, scale, step = run.rnd, run.w, run.now, run.scale, run.step
    text = run.text
    pick_mun, office_ids = people.pick_mun, people.office_ids
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
    return Recipients(contacts=contacts, n_con=n_con, n_lists=n_lists)
