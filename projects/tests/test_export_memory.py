"""Issue 6: the list exports do not build their body in memory.

The CSV is a streaming response that reads the projects while it is sent (the rows are not
fetched before the view returns) and arrives in several chunks; the XLSX is written row by
row into a file that is streamed. The peak of Python allocations while serving either is
about the same for 500 and 2,000 projects (tracemalloc; a small iterator chunk keeps the
row objects out of the comparison). Built in memory, the peak grew by about 8 KB per row
(bench/README.md: 1.9 MB at 200, 16.6 MB at 2,000 projects).
"""

import gc
import io
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import FieldOfAction, Project
from soest_office.models import Municipality

pytestmark = pytest.mark.django_db

CHUNK = 50
SMALL, LARGE = 500, 2000


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    from projects.views import exports as views

    monkeypatch.setattr(views, "ITERATOR_CHUNK", CHUNK)


def make_projects(n, start=0):
    field = FieldOfAction.objects.get(slug="bildung")
    soest = Municipality.objects.get(slug="soest")
    Project.objects.bulk_create(
        Project(
            title=f"Projekt {i:05d} – Digitalisierung der Schulverwaltung im Kreis Soest",
            slug=f"projekt-{i:05d}",
            summary="Ein Teilprojekt der Modellregion.",
            field_of_action=field,
            lead_municipality=soest,
            traffic_light_reason="Zeitplan hält; Vergabe läuft. " * 3,
        )
        for i in range(start, start + n)
    )


def peak_while_streaming(client, url) -> tuple[int, int, int]:
    """Peak Python allocation (bytes) while the response is made and sent, its size and the
    number of chunks."""
    gc.collect()
    tracemalloc.start()
    try:
        response = client.get(url)
        size = chunks = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            chunks += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # No response.close() here: the test client closes a streamed response once its content
    # is read, with the request_finished handlers held back; closing it again would fire
    # them and close the test's database connection (PostgreSQL).
    return peak, size, chunks


@pytest.mark.no_nplusone  # zeal's bookkeeping per loaded instance would itself be measured
def test_list_exports_memory_does_not_grow_with_the_rows(client_for, office):
    client = client_for(office)
    urls = {fmt: reverse(f"projects:export_{fmt}") for fmt in ("csv", "xlsx")}
    make_projects(SMALL)
    for url in urls.values():
        client.get(url).getvalue()  # warm-up: per-process caches (translations, SQL ...)
    small = {fmt: peak_while_streaming(client, url) for fmt, url in urls.items()}
    make_projects(LARGE - SMALL, start=SMALL)
    large = {fmt: peak_while_streaming(client, url) for fmt, url in urls.items()}

    for fmt in urls:
        (small_peak, small_size, _), (large_peak, large_size, chunks) = small[fmt], large[fmt]
        assert large_size > 3 * small_size, fmt  # four times the rows ...
        assert chunks > 3, fmt  # ... sent in pieces ...
        # ... with much less memory than building it: 1,500 more rows may add less than
        # 4 MB (built in memory, the same list took about 8 KB per row: 12 MB here). Alone
        # this file measures < 1 MB; inside the full suite the garbage collector's timing
        # shifted the peak by up to 3 MB (CI, 2026-11-25), hence the margin.
        assert large_peak - small_peak < 4 * 2**20, (fmt, small_peak, large_peak, large_size)
    rows = list(
        load_workbook(io.BytesIO(client.get(urls["xlsx"]).getvalue()), read_only=True).active
    )
    assert len(rows) == 1 + LARGE


def test_csv_rows_are_read_while_streaming_not_before(client_for, office):
    make_projects(3 * CHUNK)
    client = client_for(office)
    with CaptureQueriesContext(connection) as before:
        response = client.get(reverse("projects:export_csv"))
    assert response.streaming
    # Before the body is sent only the count for the audit log touches the projects.
    reads = [q["sql"] for q in before.captured_queries if "projects_project" in q["sql"]]
    assert reads, "the count for the log"
    assert all("COUNT(" in sql.upper() for sql in reads), reads
    with CaptureQueriesContext(connection) as during:
        body = response.getvalue().decode("utf-8-sig")
    assert any("projects_project" in q["sql"] for q in during.captured_queries)
    assert body.count("\r\n") == 1 + 3 * CHUNK
