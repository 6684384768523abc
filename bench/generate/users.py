"""Reference data (municipalities, fields of action, role groups) and the benchmark's users."""

from collections.abc import Callable
from dataclasses import dataclass

from .context import Run, scaled
from .words import CORE_MUNICIPALITIES, FIRST_NAMES, LAST_NAMES, MUNICIPALITIES, slugify
from .writer import _through

PASSWORD = "modellregion"  # noqa: S105 - the benchmark's users exist only in the bench DB


@dataclass
class People:
    """The municipalities and users the later parts refer to."""

    mun_ids: list[int]
    core_mun: list[int]  # soest, lippstadt, iserlohn, kreis-soest: most of the activity
    office_ids: list[int]
    partner_ids: list[int]
    pick_mun: Callable[[], int]


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


def generate_users(run: Run) -> People:
    """The municipalities beyond the migrations' four, and users of every role."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from soest_office.access import Role
    from soest_office.models import Municipality, User

    rnd, w, now, scale, step = run.rnd, run.w, run.now, run.scale, run.step
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
    return People(
        mun_ids=mun_ids,
        core_mun=core_mun,
        office_ids=office_ids,
        partner_ids=partner_ids,
        pick_mun=pick_mun,
    )
