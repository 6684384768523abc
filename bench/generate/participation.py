"""Online participation on the busiest public project: contributions in every state, with
answers, merges and supports (the public project page's and the participation's scenarios)."""

import datetime as dt

from .context import Run, scaled

# Share of each state among the contributions (the office's backlog after a busy period).
STATES = {
    "accepted": 50,
    "pending": 15,
    "rejected": 12,
    "unconfirmed": 10,
    "merged": 8,
    "withdrawn": 5,
}
ANSWERS = ["", "reviewing", "implementing", "not_feasible"]
CATEGORIES = ["Verkehr", "Digitales", "Umwelt", "Sonstiges"]


def generate_participation(run: Run, office_ids: list[int]) -> int:
    """One participation (open, on the first public project) with `contributions_busiest`
    contributions and supports for the accepted ones; returns the number of contributions
    (0 when no project is public)."""
    from django.contrib.auth.models import AnonymousUser

    from participation.models import ConsentText, Contribution, Participation, Support
    from projects.models import Project

    rnd, w, now, scale, step = run.rnd, run.w, run.now, run.scale, run.step
    project = Project.objects.visible_to(AnonymousUser()).order_by("pk").first()
    if project is None:
        return 0
    # The consent text comes with a data migration; a flushed database (a transactional test
    # before the query-count test) has none, so the generator brings its own.
    consent = ConsentText.objects.order_by("pk").first() or ConsentText.objects.create(
        version="bench", text="Einwilligung (Benchmark)", valid_from=now
    )
    w.insert(
        Participation,
        [
            {
                "id": 1,
                "project_id": project.pk,
                "enabled": True,
                "question": "Wie soll das Vorhaben Ihren Alltag erleichtern?",
                "starts_on": (now - dt.timedelta(days=120)).date(),
                "ends_on": (now + dt.timedelta(days=60)).date(),
                "categories": "\n".join(CATEGORIES),
            }
        ],
    )
    n = scaled("contributions_busiest", scale)
    states = rnd.choices(list(STATES), list(STATES.values()), k=n)
    # Every state at every scale (the tiny scales of the query-count test included).
    for i, state in enumerate(STATES):
        if i < n:
            states[i] = state
    accepted_ids = [cid for cid, state in enumerate(states, start=1) if state == "accepted"]
    contributions, supports = [], []
    for cid, state in enumerate(states, start=1):
        created = now - dt.timedelta(minutes=90 * cid)
        confirmed = state != "unconfirmed"
        moderated = state in ("accepted", "rejected", "merged")
        answer = rnd.choice(ANSWERS) if state == "accepted" else ""
        merged_into = None
        if state == "merged" and accepted_ids:
            merged_into = rnd.choice(accepted_ids)
        contributions.append(
            {
                "id": cid,
                "participation_id": 1,
                "kind": rnd.choice(["idea", "idea", "remark"]),
                "title": f"Vorschlag {cid}: {rnd.choice(CATEGORIES)} im Quartier",
                "text": run.text(2),
                "category": rnd.choice([*CATEGORIES, ""]),
                "author_name": f"Bürgerin {cid}" if cid % 3 else "",
                "show_name": cid % 2 == 0,
                "email": f"beitrag{cid}@example.org",
                "consent_text_id": consent.pk,
                "status": state,
                "key": f"bench{cid:010d}",
                "created_at": created,
                "confirmed_at": created + dt.timedelta(minutes=5) if confirmed else None,
                "moderated_at": created + dt.timedelta(days=1) if moderated else None,
                "moderated_by_id": rnd.choice(office_ids) if moderated else None,
                "reject_reason": "Bezieht sich nicht auf das Vorhaben."
                if state == "rejected"
                else "",
                "merged_into_id": merged_into,
                "answer_status": answer,
                "answer_text": run.text(1) if answer else "",
                "answered_at": created + dt.timedelta(days=3) if answer else None,
                "withdrawn_at": created + dt.timedelta(days=2) if state == "withdrawn" else None,
                "mails_sent": [],
            }
        )
        if state == "accepted":
            for k in range(rnd.randint(0, 6)):
                supports.append(
                    {
                        "contribution_id": cid,
                        "email": "",
                        "email_hash": f"{cid:08d}-{k:04d}",
                        "key": f"bench{cid:08d}{k:04d}",
                        "requested_at": created + dt.timedelta(hours=k + 1),
                        # The last one of each idea waits for its confirmation.
                        "confirmed_at": created + dt.timedelta(hours=k + 2) if k else None,
                    }
                )
    # Merged contributions point at accepted ones in the same table: the ids are explicit
    # and the foreign key is checked at commit (deferred constraints).
    w.insert(Contribution, contributions)
    w.insert(Support, supports)
    step(f"Beteiligung ({n} Beiträge)")
    return n
