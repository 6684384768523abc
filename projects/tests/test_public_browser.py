"""axe-core over the public project pages with the demo data, as the public sees them."""

import io

import pytest
from django.core.management import call_command

from projects.models import Project
from tests.conftest import assert_no_axe_violations

# serialized_rollback: as in test_browser.py, the flush would remove the reference data.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_public_project_pages_pass_axe(page, live_server, settings, reference_data):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    paths = ["/vorhaben/", "/vorhaben/?kommune=iserlohn&handlungsfeld=e-government"]
    paths += [
        f"/vorhaben/{slug}/"
        for slug in Project.objects.filter(is_public=True).values_list("slug", flat=True)
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        assert page.locator("main").count() == 1, path
        assert_no_axe_violations(page, path)
    # The filter by keyboard-reachable, labelled controls.
    page.goto(f"{live_server.url}/vorhaben/")
    page.get_by_label("Kommune").select_option("lippstadt")
    page.get_by_role("button", name="Filtern").click()
    assert "kommune=lippstadt" in page.url
    assert page.get_by_role("link", name="Bürgerbeteiligung online").is_visible()
