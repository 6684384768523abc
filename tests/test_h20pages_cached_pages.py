"""Issue 20: the project page, the report list, the contact list and page, the search page
and the suggestions keep their rendered content in the cache (soest_office.caching.fragment).
A write that changes what such a page shows appears at once for every role that may see it,
and content cached for one account is never served to one that may not see it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from projects.models import ProgressReport, Project
from projects.tests.factories import MilestoneFactory, ProgressReportFactory, ProjectFactory
from soest_office import caching
from soest_office.tests.factories import municipality
from stakeholders.models import Contact
from stakeholders.tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

WORD = "Zauberwort"


@pytest.fixture
def readers(office, partner_soest, partner_lippstadt, steering):
    return {
        "office": office,
        "partner_soest": partner_soest,
        "partner_lippstadt": partner_lippstadt,
        "steering": steering,
    }


@pytest.fixture
def outsiders(partner_without_municipality, no_role_user, deactivated_user):
    return {
        "partner_without_municipality": partner_without_municipality,
        "no_role": no_role_user,
        "deactivated": deactivated_user,
    }


def page(user, url, data=None):
    client = Client()
    client.force_login(user)
    return client.get(url, data or {})


def text(user, url, data=None):
    response = page(user, url, data)
    assert response.status_code == 200, (user.username, url, response.status_code)
    return response.content.decode()


def shows(users, url, needle, data=None) -> dict[str, bool]:
    return {name: needle in text(user, url, data) for name, user in users.items()}


def refused(user, url, data=None) -> bool:
    """A 403, a 404 or the login: the page's content is not given out."""
    response = page(user, url, data)
    return response.status_code in (302, 403, 404) and WORD not in response.content.decode()


# --- The project page -----------------------------------------------------------------------


def test_project_page_shows_writes_of_every_role_at_once(readers):
    project = ProjectFactory(title="Glasfaser Soest")
    url = project.get_absolute_url()
    assert shows(readers, url, WORD) == dict.fromkeys(readers, False)  # cached for each
    # The office renames the project.
    project.title = f"Glasfaser {WORD}"
    project.save()
    assert shows(readers, url, WORD) == dict.fromkeys(readers, True)
    # A partner of the leading municipality submits a report through the page's workflow.
    draft = ProgressReportFactory(
        project=project,
        author=readers["partner_soest"],
        status=ProgressReport.Status.DRAFT,
        achieved="Trasse vermessen, Kabelzug beauftragt.",
    )
    seen = shows(readers, url, "Trasse vermessen")
    # A draft is the working copy of the reporting municipality (and the office's).
    assert seen == {
        "office": True,
        "partner_soest": True,
        "partner_lippstadt": False,
        "steering": False,
    }
    client = Client()
    client.force_login(readers["partner_soest"])
    submit = reverse("projects:report_submit", args=[project.slug, draft.pk])
    assert client.post(submit).status_code == 302
    assert shows(readers, url, "Trasse vermessen") == dict.fromkeys(readers, True)
    # A milestone the office adds.
    MilestoneFactory(project=project, title="Hausanschlüsse fertig")
    assert shows(readers, url, "Hausanschlüsse fertig") == dict.fromkeys(readers, True)


def test_project_page_of_one_account_is_not_served_to_another(readers, outsiders):
    project = ProjectFactory(title=f"Breitband {WORD}")
    url = project.get_absolute_url()
    own_draft = ProgressReportFactory(
        project=project,
        author=readers["partner_soest"],
        status=ProgressReport.Status.DRAFT,
        achieved="Nur für Soest sichtbar.",
    )
    # The author sees the draft with its edit link; cached now for that account.
    html = text(readers["partner_soest"], url)
    edit = reverse("projects:report_edit", args=[project.slug, own_draft.pk])
    assert "Nur für Soest sichtbar." in html
    assert edit in html
    # Another account of the same municipality reads the draft but may not edit it.
    other = type(readers["partner_soest"]).objects.create_user(
        username="soest2", municipality=municipality("soest")
    )
    other.groups.set(readers["partner_soest"].groups.all())
    html = text(other, url)
    assert "Nur für Soest sichtbar." in html
    assert edit not in html
    assert "Nur für Soest sichtbar." not in text(readers["partner_lippstadt"], url)
    assert "Nur für Soest sichtbar." not in text(readers["steering"], url)
    assert "Nur für Soest sichtbar." not in text(outsiders["partner_without_municipality"], url)
    assert refused(outsiders["no_role"], url)
    assert refused(outsiders["deactivated"], url)


def test_cached_project_page_keeps_no_csrf_token_and_each_reader_gets_a_valid_one(office):
    project = ProjectFactory(title="Schulcampus")
    MilestoneFactory(project=project, title="Richtfest")
    url = project.get_absolute_url()
    first = Client(enforce_csrf_checks=True)
    first.force_login(office)
    first.get(url)  # renders and keeps the content
    second = Client(enforce_csrf_checks=True)
    second.force_login(office)
    html = second.get(url).content.decode()  # from the cache
    assert caching._csrf_placeholder() not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    archive = reverse("projects:archive", args=[project.slug])
    assert second.post(archive, {"csrfmiddlewaretoken": token}).status_code == 302
    project.refresh_from_db()
    assert project.archived_at is not None
    # The archived state shows at once (the write started a new generation).
    assert "archiviert" in second.get(url).content.decode()


# --- The report list ------------------------------------------------------------------------


def test_report_list_shows_new_reports_to_every_reader_and_drafts_only_to_their_own(
    readers, outsiders
):
    # One project's reports (every reader may read them there; across projects a partner's
    # list holds their own projects only).
    project = ProjectFactory(title="Mobilstation")
    url = reverse("projects:project_reports", args=[project.slug])
    first = ProgressReportFactory(project=project, author=readers["office"]).get_absolute_url()
    everyone = {
        **readers,
        "partner_without_municipality": outsiders["partner_without_municipality"],
    }
    # Cached for each reader now.
    assert shows(everyone, url, first) == dict.fromkeys(everyone, True)
    report = ProgressReportFactory(
        project=project, author=readers["partner_soest"], status=ProgressReport.Status.DRAFT
    )
    report_url = report.get_absolute_url()
    assert shows(everyone, url, report_url) == {
        "office": True,
        "partner_soest": True,
        "partner_lippstadt": False,
        "steering": False,
        "partner_without_municipality": False,
    }
    assert refused(outsiders["no_role"], url)
    assert refused(outsiders["deactivated"], url)
    all_reports = reverse("projects:report_list")
    assert report_url in text(readers["office"], all_reports)
    assert report_url in text(readers["partner_soest"], all_reports)
    # The partner submits it (the page's own workflow): every reader sees it now.
    client = Client()
    client.force_login(readers["partner_soest"])
    submit = reverse("projects:report_submit", args=[project.slug, report.pk])
    assert client.post(submit).status_code == 302
    assert shows(everyone, url, report_url) == dict.fromkeys(everyone, True)
    assert report_url in text(readers["steering"], all_reports)
    assert report_url not in text(readers["partner_lippstadt"], all_reports)


# --- The contacts ---------------------------------------------------------------------------


def contact_readers(readers):
    return {k: readers[k] for k in ("office", "partner_soest", "partner_lippstadt")}


def test_contact_list_shows_contacts_of_a_municipality_to_its_readers_only(readers, outsiders):
    url = reverse("stakeholders:contact_list")
    ContactFactory(last_name="Anfang")
    readers_ = contact_readers(readers)
    assert shows(readers_, url, WORD) == dict.fromkeys(readers_, False)
    # A partner of Soest adds a contact of their municipality.
    Contact.objects.create(
        first_name="Ida", last_name=WORD, municipality=municipality("soest"), email="i@x.de"
    )
    assert shows(readers_, url, WORD) == {
        "office": True,
        "partner_soest": True,
        "partner_lippstadt": False,
    }
    # The office moves it to Lippstadt: it leaves Soest's list and enters Lippstadt's.
    contact = Contact.objects.get(last_name=WORD)
    contact.municipality = municipality("lippstadt")
    contact.save()
    assert shows(readers_, url, WORD) == {
        "office": True,
        "partner_soest": False,
        "partner_lippstadt": True,
    }
    for user in (readers["steering"], *outsiders.values()):
        assert refused(user, url), user.username


def test_contact_page_shows_new_history_at_once_and_never_to_outsiders(readers, outsiders):
    contact = ContactFactory(last_name="Kramer")
    url = contact.get_absolute_url()
    assert WORD not in text(readers["office"], url)
    assert WORD not in text(readers["partner_soest"], url)
    # The office logs a phone call.
    InteractionFactory(contact=contact, summary=f"Anruf wegen {WORD}")
    assert WORD in text(readers["office"], url)
    assert WORD in text(readers["partner_soest"], url)
    # The partner renames the contact.
    contact.first_name = "Erna"
    contact.save()
    assert "Erna Kramer" in text(readers["office"], url)
    assert "Erna Kramer" in text(readers["partner_soest"], url)
    for user in (readers["partner_lippstadt"], readers["steering"], *outsiders.values()):
        assert refused(user, url), user.username
    # The office moves the contact to Lippstadt: the access kept with Soest's cached page
    # goes with the write (the rule's answer is cached with the content).
    contact.municipality = municipality("lippstadt")
    contact.save()
    assert page(readers["partner_soest"], url).status_code == 404
    assert WORD in text(readers["partner_lippstadt"], url)
    assert WORD in text(readers["office"], url)


def test_project_page_refuses_at_once_when_the_project_is_gone(readers):
    project = ProjectFactory(title=f"Stadtbus {WORD}")
    url = project.get_absolute_url()
    assert shows(readers, url, WORD) == dict.fromkeys(readers, True)
    project.delete()
    for name, user in readers.items():
        assert page(user, url).status_code == 404, name


# --- The search -----------------------------------------------------------------------------


def test_search_and_suggestions_show_new_objects_at_once_to_every_reader(readers, index_now):
    search = reverse("soest_office:search")
    suggest = reverse("soest_office:search_suggest")
    ProjectFactory(title="Vorhandenes Projekt")
    index_now()
    hit = "/projekte/zauber/"
    assert shows(readers, search, hit, {"q": WORD}) == dict.fromkeys(readers, False)
    assert shows(readers, suggest, hit, {"q": WORD[:6]}) == dict.fromkeys(readers, False)
    ProjectFactory(title=f"Projekt {WORD}", slug="zauber")
    index_now()
    assert shows(readers, search, hit, {"q": WORD}) == dict.fromkeys(readers, True)
    assert shows(readers, suggest, hit, {"q": WORD[:6]}) == dict.fromkeys(readers, True)


def test_search_follows_who_may_see_without_an_index_write(readers, outsiders, index_now):
    search = reverse("soest_office:search")
    project = ProjectFactory(title="Radweg Nord", slug="radweg")
    ProgressReportFactory(
        project=project,
        author=readers["partner_soest"],
        status=ProgressReport.Status.DRAFT,
        achieved=f"Entwurf {WORD}",
    )
    contact_url = ContactFactory(last_name=WORD).get_absolute_url()  # a contact of Soest
    index_now()
    seen = shows(readers, search, "Entwurf", {"q": WORD})
    assert seen == {
        "office": True,
        "partner_soest": True,
        "partner_lippstadt": False,
        "steering": False,
    }
    contacts = shows(readers, search, f'href="{contact_url}"', {"q": WORD})
    assert contacts == {
        "office": True,
        "partner_soest": True,
        "partner_lippstadt": False,
        "steering": False,
    }
    html = text(outsiders["partner_without_municipality"], search, {"q": WORD})
    assert "Entwurf" not in html
    assert contact_url not in html
    for user in (outsiders["no_role"], outsiders["deactivated"]):
        assert refused(user, search, {"q": WORD}), user.username
        assert refused(user, reverse("soest_office:search_suggest"), {"q": WORD[:6]})
    # Lippstadt joins the project: its partners read the project's drafts from now on,
    # though no index entry changed.
    Project.objects.get(pk=project.pk).participating_municipalities.add(municipality("lippstadt"))
    assert "Entwurf" in text(readers["partner_lippstadt"], search, {"q": WORD})
    assert "Entwurf" not in text(readers["steering"], search, {"q": WORD})


def test_cache_keys_differ_by_role_municipality_and_account(readers, outsiders):
    keys = {
        name: caching.scoped_key("x", user, generations=(), personal=True)
        for name, user in {**readers, **outsiders}.items()
    }
    assert len(set(keys.values())) == len(keys)
    # Without `personal`, accounts of the same role and municipality share the content.
    assert caching.scoped_key("x", readers["office"], generations=()) == caching.scoped_key(
        "x", readers["office"], generations=()
    )
