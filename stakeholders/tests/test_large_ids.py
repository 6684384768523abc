"""Record numbers above 999 in forms: German number formatting (USE_THOUSAND_SEPARATOR) must
never reach a value the server reads back ("12.345" is no id). The embedded test database
never gets that far, production does."""

import re

import pytest
from django.urls import reverse

from stakeholders.models import Contact

from .factories import ContactFactory


# The merge form resolves its two contacts with one query each: a fixed two, not an N+1.
@pytest.mark.nplusone_allowed(
    {"model": "stakeholders.Contact", "field": "get()"},
    {"model": "stakeholders.Contact", "field": "legal_basis_records"},
)
def test_merge_form_posts_ids_above_999_and_merges(client_for, office):
    keep = ContactFactory(pk=12345, last_name="Doppelt", email="doppelt@example.org")
    merge = ContactFactory(pk=12346, last_name="Doppelt2", email="DOPPELT@example.org")
    client = client_for(office)
    html = client.get(reverse("stakeholders:duplicates")).content.decode()
    assert "Nr. 12345" in html
    # Follow the page's first merge link, then post exactly what the merge form carries.
    link = re.search(r'href="(/kontakte/dubletten/zusammenfuehren/[^"]+)"', html)[1]
    assert link.endswith("/12345/12346/")
    page = client.get(link).content.decode()
    form = re.search(
        r'name="keep" value="([^"]+)">\s*<input type="hidden" name="merge" value="([^"]+)"', page
    )
    assert form.groups() == ("12345", "12346")
    radios = re.findall(r'name="choice_last_name"[^>]*value="([^"]+)"', page)
    assert radios == ["12345", "12346"]
    response = client.post(
        reverse("stakeholders:merge"),
        {"keep": form[1], "merge": form[2], "choice_last_name": radios[0]},
    )
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=merge.pk).exists()
    assert Contact.objects.filter(pk=keep.pk).exists()


def test_bulk_selection_on_the_contact_list_carries_plain_ids(client_for, office):
    ContactFactory(pk=23456, last_name="Groß")
    html = client_for(office).get(reverse("stakeholders:contact_list")).content.decode()
    assert 'name="contacts" value="23456"' in html
    assert "23.456" not in html
