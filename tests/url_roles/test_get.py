"""Every role, every pattern: each GET answers as the role table says, and no page shows an
outsider text that only the office, Soest or the intranet may read."""

from __future__ import annotations

import pytest

from tests.url_roles import LOGIN, NAMESPACE_RULES, NOT_SCOPED, ROLES, TABLE, VARIANTS, expected_for
from tests.url_roles.probe import ROUTES, ROUTES_BY_KEY, answer, client_as, path_of


def all_cases(world):
    """(id, path, expected row) for every pattern and variant; paths resolved up front, so
    that which sample objects exist does not depend on the walk's order."""
    cases = []
    for route in ROUTES:
        expect = expected_for(route.key)
        if expect is not None:
            cases.append((route.key, path_of(route, world), expect))
    for variant in VARIANTS:
        route = ROUTES_BY_KEY[variant.key]
        cases.append((variant.id, path_of(route, world, variant.kwargs(world)), variant.expect))
    return cases


# Roles that may read nothing of Soest's contacts and drafts (DESIGN.md: stakeholders of the
# own municipality only, none for the steering group; drafts stay with their authors).
OUTSIDERS = ("anonymous", "other", "steering", "no_role", "no_municipality", "deactivated")
# Pages opened by a signed link from a mailbox show that recipient's own data to whoever
# holds the link.
TOKEN_PAGES = {key for key, row in TABLE.items() if row.post_other == NOT_SCOPED}


@pytest.mark.parametrize("role", ROLES)
def test_role_gets_the_expected_status_on_every_page(role, users, world):
    world.prepare()
    cases = all_cases(world)
    secrets = world.soest_only_texts() if role in OUTSIDERS else []
    if role != "office":
        secrets = [*secrets, *world.office_only_texts()]
    if role in ("anonymous", "no_role", "deactivated"):
        secrets = [*secrets, *world.intranet_only_texts()]
    client = client_as(users[role])
    wrong = []
    for case_id, path, expect in cases:
        response = client.get(path)
        got = answer(response)
        if got != expect.expected(role):
            wrong.append(f"{case_id} ({path}): erwartet {expect.expected(role)}, bekommen {got}")
        elif got == 200 and secrets and case_id not in TOKEN_PAGES:
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", errors="ignore")
            wrong.extend(
                f"{case_id} ({path}): zeigt »{secret}« (nur Projektbüro und Soest)"
                for secret in secrets
                if secret in text
            )
    assert wrong == [], f"{role}: {len(wrong)} Abweichungen von tests/url_roles/:\n" + (
        "\n".join(wrong)
    )


def test_the_walk_covers_admin_and_apps(world, users):
    keys = {case_id for case_id, _path, _expect in all_cases(world)}
    assert "admin:index" in keys
    assert {"projects:detail", "stakeholders:contact_detail", "news:editorial_update"} <= keys
    assert NAMESPACE_RULES["admin"].office == LOGIN


def test_the_leak_check_looks_for_text_the_owners_do_see(users, world):
    """The outsiders' pages are searched for text that really is on the owners' pages."""
    world.prepare()
    office, own = client_as(users["office"]), client_as(users["own"])
    project_page = own.get(world.project.get_absolute_url()).content.decode()
    assert world.contact.last_name in project_page  # through the involvement
    contact_page = own.get(world.contact.get_absolute_url()).content.decode()
    assert world.contact.email in contact_page
    assert "Sparkasse SoestWerl" in contact_page
    report = ROUTES_BY_KEY["projects:report_detail"].url(
        {"slug": world.project.slug, "pk": world.draft_report.pk}
    )
    assert world.soest_only_texts()[3] in own.get(report).content.decode()
    draft = ROUTES_BY_KEY["news:editorial_detail"].url({"pk": world.partner_draft.pk})
    assert world.soest_only_texts()[4] in office.get(draft).content.decode()
