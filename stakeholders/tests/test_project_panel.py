"""The stakeholders' panel on the project page (stakeholders/panels.py) lists the involved
stakeholders each role may see (the involvement rule: partners see their own
municipality's contacts, the Lenkungskreis none), and every link it shows can be followed."""

import pytest

from projects.tests.factories import ProjectFactory
from soest_office.tests.factories import municipality
from stakeholders.models import Involvement

from .factories import ContactFactory, OrganisationFactory


@pytest.fixture
def project_with_stakeholders(db):
    project = ProjectFactory(slug="3d-stadtmodell", title="3D-Stadtmodell")
    soest_contact = ContactFactory(last_name="Sörensen", municipality=municipality("soest"))
    lippstadt_org = OrganisationFactory(
        name="Stadtwerke Lippstadt", municipality=municipality("lippstadt")
    )
    Involvement.objects.create(project=project, contact=soest_contact, role="contact_person")
    Involvement.objects.create(project=project, organisation=lippstadt_org, role="partner")
    return project


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("office", ["Sörensen", "Stadtwerke Lippstadt"], []),
        ("partner_soest", ["Sörensen"], ["Stadtwerke Lippstadt"]),
        ("partner_lippstadt", ["Stadtwerke Lippstadt"], ["Sörensen"]),
        ("steering", [], ["Sörensen", "Stadtwerke Lippstadt", "Beteiligte Akteure"]),
    ],
)
def test_project_page_lists_the_stakeholders_the_role_may_see(
    role, visible, hidden, project_with_stakeholders, request, client_for
):
    user = request.getfixturevalue(role)
    html = client_for(user).get(project_with_stakeholders.get_absolute_url()).content.decode()
    for name in visible:
        assert name in html
    for name in hidden:
        assert name not in html
