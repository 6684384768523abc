"""Property tests (hypothesis) of the GET parameters of every list view with filters: whatever
query string arrives (unknown values, NUL bytes, very long text, impossible dates, ids beyond
any integer column, repeated parameters, script payloads), the page answers 200 (or 400
where the view says so in German, or 404 for a page number that does not exist), never a
server error, and never echoes input as markup.

Run with the office user, who sees every list. Also against PostgreSQL in CI, where a NUL
byte or an oversized integer reaching the database raises instead of matching nothing.
"""

import base64

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.url_samples import SampleWorld

SCRIPT = '<script>alert("filter")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
# Unescaped, these would be markup; escaped they read &lt;script&gt; / &quot;&gt;&lt;img.
INJECTED = ("<script>alert(", "<img src=x onerror")

TRICKY = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "1.5",
    "1e9",
    "NaN",
    "inf",
    "99999999999999999999",
    "2147483648",
    "-9223372036854775809",
    "2026-02-30",
    "2026-13-01",
    "30.02.2026",
    "0000-00-00",
    "²⁰²⁶",  # str.isdigit() says yes, int() says no
    "٢٠٢٦",  # Arabic-Indic digits
    "true",
    "on",
    "\x00",
    "a\x00b",
    "%00",
    "' OR 1=1 --",
    "../../etc/passwd",
    "x" * 5000,
    "ä" * 300,
    SCRIPT,
    ATTRIBUTE,
    # Keyset cursors (soest_office.pagination, `nach`/`vor`): well-formed base64 of JSON
    # carrying a NUL byte, an integer beyond 64 bits, the wrong shape.
    *(
        base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        for raw in ['["\\u0000", 1]', "[99999999999999999999999]", '{"a": 1}', '["2026-02-30", 1]']
    ),
]
text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)
value = st.one_of(
    st.sampled_from(TRICKY),
    text,
    st.builds(lambda a, b: a + b, text, st.sampled_from([SCRIPT, ATTRIBUTE])),
)


def query(param_names):
    """A query string as a dict of lists: known and unknown names, single or repeated."""
    names = st.sampled_from([*param_names, "unbekannt", "page", "seite", "nach", "vor"])
    return st.dictionaries(names, st.lists(value, min_size=1, max_size=3), max_size=6)


# URL name -> the GET parameters its filter form (or view) reads.
LIST_VIEWS = {
    "projects:list": [
        "q",
        "municipality",
        "field_of_action",
        "status",
        "traffic_light",
        "responsible",
        "overdue",
        "no_report_days",
        "archived",
        "sort",
    ],
    "stakeholders:contact_list": [
        "q",
        "kind",
        "municipality",
        "category",
        "tag",
        "project",
        "distribution_list",
        "consent",
    ],
    "stakeholders:organisation_list": ["q", "kind", "municipality"],
    "news:editorial_list": ["q", "status"],
    "news:public_list": ["q", "rubrik", "stichwort", "kommune", "jahr"],
    "soest_office:audit_log": ["kind", "person", "since", "until"],
    "soest_office:search": ["q", "typ", "kommune", "handlungsfeld", "jahr"],
    "soest_office:search_suggest": ["q"],
    "meetings:action_list": ["owner", "municipality", "body", "project", "status", "due", "page"],
}
PAGE_PARAMS = {"page", "seite"}


@pytest.fixture
def office_client(client, office, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    world = SampleWorld({"office": office})
    # Something to list on every page: a project with a report, a contact in a list,
    # a published release with a tag.
    _ = world.report, world.distribution_list, world.release
    client.force_login(office)
    return client


def assert_answers_safely(client, url_name, params):
    response = client.get(reverse(url_name), params)
    allowed = {200, 400}
    if PAGE_PARAMS & set(params):
        allowed.add(404)  # Django's pagination: a page that does not exist
    assert response.status_code in allowed, (url_name, params, response.status_code)
    if response.status_code == 404:
        return
    body = response.content.decode()
    if response["Content-Type"].startswith("text/html"):
        for marker in INJECTED:
            assert marker not in body, (url_name, params, marker)
    if response.status_code == 400:
        assert "Bitte" in body or "ungültig" in body or "nicht" in body, body[:500]


@pytest.mark.parametrize("url_name", LIST_VIEWS)
def test_list_filters_never_fail_and_never_reflect_markup(url_name, office_client):
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(params=query(LIST_VIEWS[url_name]))
    def check(params):
        assert_answers_safely(office_client, url_name, params)

    check()


@pytest.mark.parametrize("url_name", LIST_VIEWS)
@pytest.mark.parametrize("bad", ["\x00", "99999999999999999999", "2026-02-30", "²⁰²⁶", SCRIPT])
def test_each_parameter_alone_with_a_nasty_value(url_name, bad, office_client):
    """Every known parameter once with each of the values that break naive code, so these
    cases run on every run, not only when hypothesis happens to draw them."""
    for name in LIST_VIEWS[url_name]:
        assert_answers_safely(office_client, url_name, {name: [bad]})
