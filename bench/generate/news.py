"""Press releases with tags, municipalities and projects, and their distributions with one
delivery per recipient."""

import datetime as dt

from .context import Run, scaled
from .stakeholders import Recipients
from .users import People
from .words import MUNICIPALITIES, PRESS_TAGS, PROJECT_TOPICS, RELEASE_STEPS, slugify
from .writer import _through


def generate_news(run: Run, people: People, n_proj: int, recipients: Recipients) -> None:
    """Press releases and the deliveries of the distributed ones."""
    from news.models import Delivery, Distribution, PressRelease
    from news.models import Tag as PressTag

    rnd, w, now, scale, step = run.rnd, run.w, run.now, run.scale, run.step
    text = run.text
    core_mun, office_ids, partner_ids = people.core_mun, people.office_ids, people.partner_ids
    contacts, n_con, n_lists = recipients.contacts, recipients.n_con, recipients.n_lists
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
