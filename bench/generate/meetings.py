"""The Lenkungskreis (issue 17): one body with its meetings (agenda, decisions, attendance)
and its action items, owned by users and municipalities. At scale 1: 200 meetings and 5,000
action items. Half of the held meetings are public (the OParl meeting list)."""

import datetime as dt
import uuid

from .context import Run, scaled
from .users import People
from .writer import _through

AGENDA_PER_MEETING = 6
DECISIONS_PER_MEETING = 2


def generate_meetings(run: Run, people: People, n_proj: int) -> None:
    from meetings.models import (
        ActionItem,
        AgendaItem,
        Attendance,
        Body,
        Decision,
        DecisionCounter,
        Meeting,
        Membership,
    )

    rnd, w, now, scale, step = run.rnd, run.w, run.now, run.scale, run.step
    sqlite = w.connection.vendor == "sqlite"
    # At the query-count test's tiny scales there are still a few meetings to compare.
    n_meetings = max(3, scaled("meetings", scale))
    n_items = max(6, scaled("action_items", scale))

    w.insert(
        Body,
        [
            {
                "id": 1,
                "name": "Lenkungskreis Modellregion",
                "slug": "lenkungskreis",
                "code": "LK",
                "kind": "steering",
                "description": run.text(1),
            }
        ],
    )
    # Members: the first office user (the bench's office client) and the first partner of
    # each core municipality (the bench's partner client is Soest's first partner).
    member_ids = [people.office_ids[0]]
    seen_mun = set()
    from soest_office.models import User

    for uid, mun in (
        User.objects.filter(pk__in=people.partner_ids)
        .order_by("pk")
        .values_list("pk", "municipality_id")
    ):
        if mun in people.core_mun and mun not in seen_mun:
            seen_mun.add(mun)
            member_ids.append(uid)
    w.insert(
        Membership,
        [
            {"id": i, "body_id": 1, "user_id": u, "function": "member"}
            for i, u in enumerate(member_ids, start=1)
        ],
    )

    meetings, agenda, agenda_projects, attendance, decisions, decision_projects = (
        [],
        [],
        [],
        [],
        [],
        [],
    )
    counters: dict[int, int] = {}
    agenda_id = decision_id = attendance_id = 0
    for mid in range(1, n_meetings + 1):
        # Every four weeks backwards from a month after "now": the last one is planned.
        starts = now + dt.timedelta(days=28) - dt.timedelta(days=28 * (n_meetings - mid))
        held = starts < now
        confidential = mid % 10 == 0
        u = uuid.UUID(int=rnd.getrandbits(128))
        meetings.append(
            {
                "id": mid,
                "body_id": 1,
                "title": f"{mid}. Sitzung des Lenkungskreises",
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=2),
                "place": "Kreishaus Soest, Raum 1",
                "status": "approved" if held else "invited",
                "confidential": confidential,
                "is_public": held and not confidential and mid % 2 == 1,
                "uid": u.hex if sqlite else str(u),
                "sequence": 0,
                "minutes_approved_at": starts + dt.timedelta(days=28) if held else None,
            }
        )
        for pos in range(1, AGENDA_PER_MEETING + 1):
            agenda_id += 1
            agenda.append(
                {
                    "id": agenda_id,
                    "meeting_id": mid,
                    "position": pos,
                    "kind": "regular",
                    "title": f"Punkt {pos}: {run.text(1)[:200]}",
                    "duration_minutes": 15,
                    "minutes": run.text(2) if held else "",
                }
            )
            agenda_projects.append(
                {"agendaitem_id": agenda_id, "project_id": rnd.randint(1, n_proj)}
            )
        for user_id in member_ids:
            attendance_id += 1
            attendance.append(
                {
                    "id": attendance_id,
                    "meeting_id": mid,
                    "user_id": user_id,
                    "response": "accepted",
                    "attended": True if held else None,
                }
            )
        if held:
            year = starts.year
            for _n in range(DECISIONS_PER_MEETING):
                decision_id += 1
                counters[year] = counters.get(year, 0) + 1
                decisions.append(
                    {
                        "id": decision_id,
                        "body_id": 1,
                        "meeting_id": mid,
                        "agenda_item_id": agenda_id,
                        "year": year,
                        "number": counters[year],
                        "text": run.text(2),
                        "vote": "unanimous",
                    }
                )
                decision_projects.append(
                    {"decision_id": decision_id, "project_id": rnd.randint(1, n_proj)}
                )
    w.insert(Meeting, meetings)
    w.insert(AgendaItem, agenda)
    w.insert(_through(AgendaItem, "projects"), agenda_projects)
    w.insert(Attendance, attendance)
    w.insert(Decision, decisions)
    w.insert(_through(Decision, "projects"), decision_projects)
    w.insert(
        DecisionCounter,
        [
            {"id": i, "body_id": 1, "year": y, "last_number": n}
            for i, (y, n) in enumerate(sorted(counters.items()), start=1)
        ],
    )

    # Action items spread over the meetings (25 each on average at scale 1; the meeting page
    # scenario takes the one with the most); half owned by a municipality (Soest's often),
    # half by a user (the bench's office user often), most of them open, some overdue.
    items = []
    today = now.date()
    for iid in range(1, n_items + 1):
        by_municipality = iid % 2 == 0
        items.append(
            {
                "id": iid,
                "body_id": 1,
                "meeting_id": rnd.randint(1, n_meetings),
                "title": f"Aufgabe {iid}: {run.text(1)[:200]}",
                "owner_user_id": None
                if by_municipality
                else (member_ids[0] if iid % 4 == 1 else rnd.choice(member_ids)),
                "owner_municipality_id": (people.core_mun[0] if iid % 4 == 0 else people.pick_mun())
                if by_municipality
                else None,
                "due": today + dt.timedelta(days=rnd.randint(-60, 120)),
                "status": rnd.choices(["open", "in_progress", "done", "dropped"], [5, 2, 3, 1])[0],
                "project_id": rnd.randint(1, n_proj) if iid % 5 else None,
                "created_at": now,
                "updated_at": now,
            }
        )
    w.insert(ActionItem, items)
    step("Sitzungen, Aufgaben")
