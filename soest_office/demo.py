"""Demo accounts of DESIGN.md. Apps add their demo data in `<app>/demo.py` with a
`seed(stdout)` function; `manage.py seed_demo` runs them in INSTALLED_APPS order (the kernel
first, an app after the apps it builds on) and builds the search index last."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .access import Role
from .models import Municipality

DEMO_PASSWORD = "modellregion"  # noqa: S105  (public demo password, DEBUG only)


# username, first name, last name, role, municipality slug
DEMO_USERS = [
    ("buero", "Britta", "Büro", Role.OFFICE, None),
    ("buero2", "Bernd", "Brandt", Role.OFFICE, None),
    ("lenkung", "Lena", "Lenz", Role.STEERING, None),
    ("soest", "Sven", "Sauer", Role.PARTNER, "soest"),
    ("lippstadt", "Lara", "Lippe", Role.PARTNER, "lippstadt"),
    ("iserlohn", "Ingo", "Iser", Role.PARTNER, "iserlohn"),
    ("kreis", "Karin", "Kreis", Role.PARTNER, "kreis-soest"),
]


def seed(stdout):
    """Create or refresh the demo accounts. Idempotent: existing accounts keep their data
    and password; their role and municipality are set back to the demo's."""
    User = get_user_model()
    municipalities = {m.slug: m for m in Municipality.objects.all()}
    for username, first_name, last_name, role, municipality_slug in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.modellregion-soest.de",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.municipality = municipalities.get(municipality_slug) if municipality_slug else None
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
    stdout.write(f"Demo-Konten: {len(DEMO_USERS)}")
    _seed_invitation(User.objects.get(username="buero"), municipalities["lippstadt"])


def _seed_invitation(office, lippstadt):
    """One open invitation on the page "Konten verwalten" (no mail is sent)."""
    from django.utils import timezone

    from .accounts.models import Invitation

    Invitation.objects.get_or_create(
        email="neue.kollegin@demo.modellregion-soest.de",
        accepted_at=None,
        defaults={
            "username": "neue.kollegin",
            "first_name": "Nele",
            "last_name": "Neu",
            "role": Role.PARTNER.value,
            "municipality": lippstadt,
            "invited_by": office,
            "sent_at": timezone.now(),
        },
    )


def demo_modules():
    """The `demo` modules of the project's own apps, in INSTALLED_APPS order, then the search
    index over everything they seeded (the kernel knows no app by name)."""
    from importlib import import_module
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings
    from django.utils.module_loading import module_has_submodule

    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        own = Path(config.path).resolve().is_relative_to(base)
        if own and module_has_submodule(config.module, "demo"):
            yield import_module(f"{config.name}.demo")
    yield import_module("soest_office.search.demo")


def demo_logins():
    """Lines describing the demo logins, for `make run` and the README."""
    return [
        f"{username:<10} {role.value}{' (' + slug + ')' if slug else ''}"
        for username, _first, _last, role, slug in DEMO_USERS
    ]
