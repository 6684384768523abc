"""Issue 6: the query count of every benchmarked page is the same at two data sizes.

The benchmark's own generator fills the test database at two tiny scales (2 and 6 projects,
30 and 90 contacts, 200 and 600 interactions ...), and each page of bench.scenarios is
requested as its role at both sizes. A page whose count grows with the rows runs an N+1
query somewhere and will not stay fast at scale 1.
"""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from bench import generate, scenarios
from bench.run import Users, body_of
from soest_office.search.indexing import rebuild_search_index

SMALL, LARGE = 0.001, 0.003  # 2 vs 6 projects, 30 vs 90 contacts

# Pages that currently run a query per row: strict xfail, so the test turns red (XPASS) the
# day the page is fixed and this entry must go. Each names the fix (see bench/README.md).
KNOWN_GROWING: dict[str, str] = {}


def _counts(scale):
    """Generate at `scale` inside a savepoint, count each page's queries, roll back."""
    counts = {}
    with transaction.atomic():
        generate.generate(scale=scale, seed=generate.DEFAULT_SEED, stdout=lambda *_: None)
        # As bench.generate does after its bulk load: the search scenarios need the index.
        rebuild_search_index()
        users = Users()
        for s in scenarios.build(scenarios.Context()):
            if s.missing:
                continue
            client = users.client(s.role)
            s.prepare()
            response = s.fetch(client)  # warm-up: per-process caches (content types ...)
            body_of(response)
            s.prepare()
            # Counted as made anew: a page whose content is cached would otherwise count
            # a hit or a miss by chance (the contact page's key holds the minute, so the
            # warm-up and this request may fall either side of it), and the rows are read
            # only on a miss, where a query per row would show.
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = s.fetch(client)  # background exports: the POST that queues the job
                body_of(response)
            counts[s.name] = (response.status_code, len(captured.captured_queries), s)
        transaction.set_rollback(True)
    return counts


@pytest.fixture(scope="module")
def page_counts(django_db_blocker, django_db_setup):
    with (
        django_db_blocker.unblock(),
        override_settings(ROOT_URLCONF="bench.urls"),
        transaction.atomic(),
    ):
        # Earlier tests of the same process may leave cached panels keyed by the ids the
        # generator writes again (explicit keys): start from an empty cache, as each size does.
        cache.clear()
        small = _counts(SMALL)
        cache.clear()  # the bulk-generated data sends no signals: no cached panel may stay
        large = _counts(LARGE)
        transaction.set_rollback(True)
    return small, large


def _scenario_names():
    # The names are static; which of them exist is decided per run (missing pages skip).
    return [
        "dashboard_office",
        "dashboard_partner",
        "dashboard_office_fresh",
        "dashboard_partner_fresh",
        "project_list",
        "project_list_filtered",
        "project_detail_most_reports",
        "ledger_most_receipts",
        "funding_detail_most_receipts",
        "contact_list",
        "contact_list_page500",
        "contact_search",
        "contact_detail",
        "report_list",
        "report_list_page500",
        "global_search",
        "search_common_word",
        "search_rare_phrase",
        "search_partner",
        "suggest_office",
        "suggest_partner",
        "meeting_detail_busiest",
        "home_action_items",
        "action_item_list",
        "oparl_meeting_list",
        "press_list_public",
        "press_list_intranet",
        "press_detail",
        "rss",
        "public_project_page",
        "public_participation",
        "public_project_list",
        "api_projects",
        "projects_csv",
        "projects_xlsx",
        "funder_report_pdf_50",
        "proof_of_use_pdf_busiest",
        "auskunft_json",
        "auskunft_pdf",
        "limit",
        "peer",
    ]


@pytest.mark.urls("bench.urls")
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_GROWING[n], strict=True))
        if n in KNOWN_GROWING
        else n
        for n in _scenario_names()
    ],
)
def test_query_count_does_not_grow_with_rows(page_counts, name):
    small, large = page_counts
    if name not in small:
        pytest.skip(f"Seite {name} existiert auf diesem Stand noch nicht")
    expected = small[name][2].expect_status
    assert small[name][0] == expected, f"{name}: HTTP {small[name][0]}"
    assert large[name][0] == expected, f"{name}: HTTP {large[name][0]}"
    assert small[name][1] == large[name][1], (
        f"{name}: {small[name][1]} Abfragen bei kleinen, {large[name][1]} bei größeren Daten"
    )


@pytest.mark.urls("bench.urls")
def test_every_scenario_of_the_issue_is_named(db):
    """The list above and bench.scenarios stay in step (a new scenario gets a count test)."""
    assert {s.name for s in scenarios.build(scenarios.Context())} == set(_scenario_names())
