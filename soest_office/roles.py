"""Django groups for the three roles and their model permissions.

The access module decides what a user may do in the intranet; these permissions mirror it
for the Django admin. Patterns are `app_label.codename` with shell wildcards, matched against
every permission that exists, so models added later get their permissions on the next migrate.
"""

from fnmatch import fnmatchcase

from django.apps import apps as global_apps

from .access import Role

GROUP_PERMISSIONS = {
    Role.OFFICE: ["projects.*", "stakeholders.*", "news.*", "soest_office.view_*"],
    Role.PARTNER: [
        "projects.view_*",
        "projects.add_progressreport",
        "projects.change_progressreport",
        "projects.change_milestone",
        "projects.add_document",
        "stakeholders.view_*",
        "stakeholders.add_contact",
        "stakeholders.change_contact",
        "stakeholders.add_interaction",
        "news.view_pressrelease",
        "news.add_pressrelease",
    ],
    Role.STEERING: ["projects.view_*", "news.view_pressrelease"],
}


def sync_group_permissions(group_model, permission_model):
    """Create the role groups and set their permissions; safe to run any number of times."""
    permissions = list(permission_model.objects.select_related("content_type"))
    for role, patterns in GROUP_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role.value)
        wanted = [
            p
            for p in permissions
            if any(fnmatchcase(f"{p.content_type.app_label}.{p.codename}", pat) for pat in patterns)
        ]
        group.permissions.set(wanted)


def sync_group_permissions_on_migrate(sender, apps=global_apps, **kwargs):
    # `flush` (used between transactional tests) sends the signal without `apps`.
    if not apps.is_installed("soest_office"):
        return  # the groups' migration has not run yet in this plan
    sync_group_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
