"""Rows of the open-data API /api/v1/ (soest_office.api_v1 and the apps' api.py): public,
the same for everyone; the answers only ever hold what the public may see."""

from .expect import PUBLIC

OPEN_DATA = {
    "api_v1:index": PUBLIC,
    # django-ninja's own name for the root path, which serves the index above.
    "api_v1:api-root": PUBLIC,
    "api_v1:openapi-json": PUBLIC,
    "api_v1:katalog": PUBLIC,
    "api_v1:projects": PUBLIC,
    # The sample is a public project (tests/url_samples/world.py).
    "api_v1:project": PUBLIC,
    "api_v1:milestones": PUBLIC,
    "api_v1:press_releases": PUBLIC,
    "api_v1:contributions": PUBLIC,
}
