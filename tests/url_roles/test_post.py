"""Horizontal access: the partner of Lippstadt POSTs to every URL that changes a Soest object
(with the office's own form, filled in and altered, as the body) and gets the table's
status, and no row of the project's tables changes."""

from __future__ import annotations

import pytest
from django.apps import apps

from tests.url_roles import NOT_SCOPED, TABLE, VARIANTS
from tests.url_roles.probe import (
    ROUTES_BY_KEY,
    answer,
    client_as,
    forged_body,
    form_body,
    path_of,
    snapshot,
)

HORIZONTAL = [
    (key, None, row.post_other)
    for key, row in TABLE.items()
    if row.post_other not in (None, NOT_SCOPED)
] + [
    (variant.key, variant, variant.expect.post_other)
    for variant in VARIANTS
    if variant.expect.post_other not in (None, NOT_SCOPED)
]


@pytest.mark.parametrize(
    ("key", "variant", "expected"), HORIZONTAL, ids=[v.id if v else k for k, v, _ in HORIZONTAL]
)
def test_other_municipality_cannot_change_the_object(key, variant, expected, users, world):
    route = ROUTES_BY_KEY[key]
    path = path_of(route, world, variant.kwargs(world) if variant else None)
    body = forged_body(key, path, users, world)
    client = client_as(users["other"])  # logging in writes an audit event: before the snapshot
    before = snapshot()
    response = client.post(path, body)
    assert answer(response) == expected, f"POST {path} als Kommune Lippstadt"
    assert snapshot() == before, f"POST {path} als Kommune Lippstadt hat Daten geändert"


@pytest.mark.parametrize(
    ("key", "model_label"),
    [
        ("projects:edit", "projects.Project"),
        ("stakeholders:contact_update", "stakeholders.Contact"),
    ],
)
def test_the_forged_body_is_a_real_change_when_the_owner_sends_it(key, model_label, users, world):
    """The horizontal check above means something: the same body, sent by someone who may,
    changes the object."""
    route = ROUTES_BY_KEY[key]
    path = path_of(route, world)
    body = forged_body(key, path, users, world)
    model = apps.get_model(model_label)
    before = list(model.objects.order_by("pk").values_list())
    response = client_as(users["own" if key.startswith("stakeholders") else "office"]).post(
        path, body
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(model.objects.order_by("pk").values_list()) != before


@pytest.mark.parametrize(
    ("key", "model_label", "body"),
    [
        (
            "stakeholders:contact_create",
            "stakeholders.Contact",
            {"first_name": "Fremd", "last_name": "Angelegt", "category": "other"},
        ),
        ("stakeholders:organisation_create", "stakeholders.Organisation", {"name": "Fremd AG"}),
    ],
)
def test_other_municipality_cannot_create_records_for_soest(key, model_label, body, users, world):
    """A partner names Soest in the body of a create form: refused, nothing lands in Soest."""
    from soest_office.tests.factories import municipality

    soest = municipality("soest")
    model = apps.get_model(model_label)
    client = client_as(users["other"])
    path = ROUTES_BY_KEY[key].url()
    body = {**form_body(client, path), **body}
    response = client.post(path, {**body, "municipality": soest.pk})
    assert response.status_code in (200, 400)  # the form again, with the error
    assert not model.objects.filter(municipality=soest).exists()
    # The same body for the partner's own municipality is a valid record.
    own = users["other"].municipality
    response = client.post(path, {**body, "municipality": own.pk})
    assert response.status_code == 302
    assert model.objects.filter(municipality=own).exists()
