"""The home page's press counts are kept per user in the news app's cache generation (issue
20): a draft written or submitted by anyone shows at once in every count that includes it."""

import pytest
from django.test import Client

from news.models import PressRelease

from .factories import PressReleaseFactory

pytestmark = pytest.mark.django_db


def _home(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_partners_draft_and_its_submission_show_at_once(office, partner_soest):
    office_client, partner_client = _home(office), _home(partner_soest)
    assert "0 Meldung(en) warten auf Freigabe" in office_client.get("/").content.decode()
    assert "0 eigene(r) Entwurf/Entwürfe" in partner_client.get("/").content.decode()
    release = PressReleaseFactory(author=partner_soest)
    assert "1 eigene(r) Entwurf/Entwürfe" in partner_client.get("/").content.decode()
    release.status = PressRelease.Status.SUBMITTED
    release.save()
    assert "1 Meldung(en) warten auf Freigabe" in office_client.get("/").content.decode()
    partner_page = partner_client.get("/").content.decode()
    assert "0 eigene(r) Entwurf/Entwürfe" in partner_page
    assert "warten auf Freigabe" not in partner_page  # a partner does not review


def test_another_users_drafts_are_not_counted_as_own(office, partner_soest, partner_lippstadt):
    PressReleaseFactory(author=partner_soest)
    assert "1 eigene(r) Entwurf/Entwürfe" in _home(partner_soest).get("/").content.decode()
    assert "0 eigene(r) Entwurf/Entwürfe" in _home(partner_lippstadt).get("/").content.decode()
    assert "0 eigene(r) Entwurf/Entwürfe" in _home(office).get("/").content.decode()


@pytest.mark.parametrize("edge", ["no_role_user", "deactivated_user"])
def test_edge_accounts_get_no_press_counts(request, partner_soest, edge):
    PressReleaseFactory(author=partner_soest)
    _home(partner_soest).get("/")
    page = _home(request.getfixturevalue(edge)).get("/").content.decode()
    assert "Entwurf/Entwürfe" not in page
