"""Open data: the licence every public data answer names, and the data sets apps publish.

The API itself (django-ninja, /api/v1/) is assembled in soest_office/api_v1.py from the
sections apps register in `plugins.OPEN_DATA` from their `api.py` (see `ApiSection`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
LICENCE = {
    "name": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "id": "dl-by-de/2.0",
    "url": LICENCE_URL,
    "attribution": "Projektbüro Digitale Modellregion Soest",
}


@dataclass(frozen=True)
class Dataset:
    """One data set of the DCAT-AP.de catalogue (/api/v1/katalog): `path` is the list
    endpoint below /api/v1/ (e.g. "vorhaben/") that serves it."""

    key: str
    title: str
    description: str
    path: str
    keywords: tuple[str, ...] = ()
    theme: str = "GOVE"  # EU data theme (Government and public sector)


@dataclass(frozen=True)
class ApiSection:
    """An app's part of the open-data API (registered from `<app>/api.py`).

    `router` is a `ninja.Router` whose operations answer only what the app's rules let the
    anonymous visitor see (`Model.objects.visible_to(AnonymousUser())`); it is mounted at
    /api/v1/<prefix>. List operations use `soest_office.api_v1.paginate` (page size capped,
    licence in the body). `datasets` are listed in the DCAT catalogue.
    """

    key: str
    prefix: str
    router: Any
    datasets: tuple[Dataset, ...] = field(default_factory=tuple)
    position: int = 100
