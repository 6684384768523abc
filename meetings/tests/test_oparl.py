"""OParl 1.1: the objects validate against the OParl schemas (meetings/tests/oparl_schema),
lists are paginated as the standard says, and nothing that is not public appears."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from meetings.models import Paper
from meetings.services.decisions import decision_create

from .factories import AgendaItemFactory, MeetingFactory, MembershipFactory

SCHEMAS = Path(__file__).parent / "oparl_schema"
TYPE = "https://schema.oparl.org/1.1/"


def schema(name: str) -> dict:
    """The vendored OParl 1.1 schema, unchanged (README.md names the source commits)."""
    return json.loads((SCHEMAS / f"{name}.json").read_text())


NAMES = [p.stem for p in SCHEMAS.glob("*.json")]
# "$ref": "File.json" resolves against the referring schema's $id (the draft-07 files have
# one, https://schema.oparl.org/1.1/<Type>), or against nothing (the older 1.1 files).
REGISTRY = Registry().with_resources(
    (f"{base}{name}.json", Resource.opaque(schema(name))) for name in NAMES for base in ("", TYPE)
)


def validate(obj: dict) -> None:
    name = obj["type"].removeprefix(TYPE)
    errors = list(Draft7Validator(schema(name), registry=REGISTRY).iter_errors(obj))
    assert errors == [], [f"{e.json_path}: {e.message}" for e in errors]


@pytest.fixture
def public_world(db, office, steering, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    start = timezone.now() - timedelta(days=20)
    public = MeetingFactory(
        title="Öffentliche Sitzung", is_public=True, starts_at=start, body__code="LK"
    )
    MembershipFactory(body=public.body, user=steering)
    item = AgendaItemFactory(meeting=public, title="Haushalt 2027")
    decision_create(
        office, public, text="Der Haushalt wird beschlossen.", vote="unanimous", agenda_item=item
    )
    open_paper = Paper(agenda_item=item, title="Haushaltsentwurf", original_name="h.pdf")
    open_paper.file.save("h.pdf", ContentFile(b"%PDF-1.4 h"), save=True)
    secret_paper = Paper(
        agenda_item=item, title="Geheime Anlage", original_name="g.pdf", confidential=True
    )
    secret_paper.file.save("g.pdf", ContentFile(b"%PDF-1.4 g"), save=True)
    internal = MeetingFactory(title="Interne Sitzung", body=public.body)
    AgendaItemFactory(meeting=internal, title="Personalfragen")
    MeetingFactory(title="Vertrauliche Sitzung", confidential=True)
    return {"public": public, "internal": internal, "paper": open_paper, "secret": secret_paper}


def walk(client, url, seen=None):
    """Every object reachable from the system object (lists and their pages)."""
    seen = seen if seen is not None else {}
    if url in seen:
        return seen
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    data = response.json()
    seen[url] = data
    children = []
    if "data" in data:
        children += [o["id"] for o in data["data"]]
        if "next" in data["links"]:
            children.append(data["links"]["next"])
    else:
        for key in ("body", "organization", "person", "meeting", "paper"):
            value = data.get(key)
            if isinstance(value, str) and "/oparl/" in value:
                children.append(value)
    for child in children:
        walk(client, child.replace("http://127.0.0.1:8000", ""), seen)
    return seen


def test_every_object_validates_and_only_public_data_appears(client, public_world):
    found = walk(client, "/oparl/v1/")
    objects = []
    for data in found.values():
        objects += data.get("data", [data])
    types = set()
    for obj in objects:
        validate(obj)
        types.add(obj["type"].removeprefix(TYPE))
        for embedded in obj.get("agendaItem", []):
            validate(embedded)
        if "mainFile" in obj:
            validate(obj["mainFile"])
            for c in obj["consultation"]:
                validate(c)
    assert types >= {"System", "Body", "Organization", "Meeting", "Paper", "Person"}
    text = json.dumps(list(found.values()), ensure_ascii=False)
    assert "Öffentliche Sitzung" in text
    assert "Der Haushalt wird beschlossen." in text
    assert "Haushaltsentwurf" in text
    for hidden in (
        "Interne Sitzung",
        "Personalfragen",
        "Vertrauliche Sitzung",
        "Geheime Anlage",
        "@example.org",
    ):
        assert hidden not in text


@pytest.mark.parametrize(
    "path",
    [
        "/oparl/v1/agendaitem/{item}/",
        "/oparl/v1/consultation/{paper}/",
        "/oparl/v1/file/{paper}/",
    ],
)
def test_single_objects_validate(client, public_world, path):
    item = public_world["public"].agenda_items.get()
    response = client.get(path.format(item=item.pk, paper=public_world["paper"].pk))
    assert response.status_code == 200
    validate(response.json())


def test_file_content_only_for_public_papers(client, public_world):
    assert client.get(f"/oparl/v1/file/{public_world['paper'].pk}/inhalt").status_code == 200
    assert client.get(f"/oparl/v1/file/{public_world['secret'].pk}/inhalt").status_code == 404
    assert client.get(f"/oparl/v1/paper/{public_world['secret'].pk}/").status_code == 404


def test_meeting_list_is_paginated(client, public_world):
    body = public_world["public"].body
    for n in range(4):
        MeetingFactory(body=body, is_public=True, title=f"Öffentlich {n}")
    url = "/oparl/v1/body/1/meeting/"
    first = client.get(url, {"limit": 2}).json()
    assert first["pagination"] == {
        "totalElements": 5,
        "elementsPerPage": 2,
        "currentPage": 1,
        "totalPages": 3,
    }
    assert "prev" not in first["links"]
    assert first["links"]["next"].endswith("limit=2&page=2")
    last = client.get(url, {"limit": 2, "page": 3}).json()
    assert len(last["data"]) == 1
    assert "next" not in last["links"]
    ids = {
        m["id"] for p in (1, 2, 3) for m in client.get(url, {"limit": 2, "page": p}).json()["data"]
    }
    assert len(ids) == 5


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/oparl/v1/meeting/999999/", 404),
        ("/oparl/v1/body/2/", 404),
        ("/oparl/v1/body/1/meeting/?page=0", 400),
        ("/oparl/v1/body/1/meeting/?page=abc", 400),
        ("/oparl/v1/body/1/meeting/?page=99999999999", 400),
        ("/oparl/v1/body/1/meeting/?page=7", 404),
        ("/oparl/v1/body/1/meeting/?limit=100000", 400),
    ],
)
def test_bad_ids_and_pages_are_answered_in_german(client, public_world, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_internal_meeting_is_404(client, public_world):
    assert client.get(f"/oparl/v1/meeting/{public_world['internal'].pk}/").status_code == 404


def test_the_schema_check_catches_a_wrong_object():
    with pytest.raises(AssertionError):
        validate({"id": "https://x/oparl/v1/meeting/1/", "type": TYPE + "Meeting", "start": 5})
    with pytest.raises(AssertionError):
        validate(
            {
                "id": "https://x/oparl/v1/paper/1/",
                "type": TYPE + "Paper",
                "mainFile": {"id": "f", "type": TYPE + "File"},
            }
        )
