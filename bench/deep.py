"""Deep pages (issue 20): page 500, or the deepest page a list has, against page 1 of every
paginated list, three rounds, each round measuring page 1 and the deep page one after the
other in alternation (so both meet the same load of the shared machine) with the same
number of requests; the ratio of the medians per round.

The contact and report lists paginate by keyset (`nach` cursor, soest_office.pagination):
their deep page is the cursor of row 499 × 50 (the scenarios' `contact_list_page500` and
`report_list_page500`). The other lists are Django `ListView`s with OFFSET pagination
(`?page=`): page 500 when it exists, else the view's own `?page=last`. The action item
list (a function view, OFFSET, `?page=`) gets its last page by number. The ledger (receipts
of one project) pages by OFFSET with `?seite=`; its deepest page is computed from the count.
"""

import json
import statistics
import time

from .measure import body_of
from .scenarios import Scenario

DEEP_PAGE = 500
ROUNDS = 3


def _ledger_deep_page(ctx):
    from projects.views.ledger import LEDGER_PAGE

    pages = max(1, -(-ctx.project_most_receipts()["n"] // LEDGER_PAGE))
    return min(DEEP_PAGE, pages)


def _action_list_deep_page(ctx):
    """The action item list (OFFSET, 50 a page, open items unless a status is asked for)
    clamps a page beyond its end to its last page: ask for the last page by number."""
    from meetings.models import ActionItem

    open_items = ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES).count()
    return min(DEEP_PAGE, max(1, -(-open_items // 50)))


def pairs(ctx) -> list[tuple[str, Scenario, Scenario, str]]:
    """(name, page 1, deep page, how it pages) of every paginated list."""
    page = {"page": DEEP_PAGE}
    rows = [
        ("project_list", "projects:list", "office", {}, page, "offset"),
        (
            "contact_list",
            "stakeholders:contact_list",
            "office",
            {},
            {"nach": lambda c: c.deep_contact_cursor()},
            "keyset",
        ),
        (
            "report_list",
            "projects:report_list",
            "office",
            {},
            {"nach": lambda c: c.deep_report_cursor(DEEP_PAGE)},
            "keyset",
        ),
        ("organisation_list", "stakeholders:organisation_list", "office", {}, page, "offset"),
        ("press_list_intranet", "news:editorial_list", "office", {}, page, "offset"),
        ("press_list_public", "news:public_list", "anonymous", {}, page, "offset"),
        ("public_project_list", "vorhaben:list", "anonymous", {}, page, "offset"),
        ("audit_log", "soest_office:audit_log", "office", {}, page, "offset"),
        ("dsgvo_audit_log", "stakeholders:audit_log", "office", {}, page, "offset"),
        (
            "action_item_list",
            "meetings:action_list",
            "office",
            {},
            {"page": _action_list_deep_page},
            "offset",
        ),
        (
            "ledger",
            "projects:ledger",
            "office",
            {"slug": lambda c: c.project_most_receipts()["slug"]},
            {"seite": _ledger_deep_page},
            "offset",
        ),
    ]
    out = []
    for name, url_name, role, kwargs, deep_query, how in rows:
        first = Scenario(f"{name}_p1", f"{name} Seite 1", url_name, role, "list", kwargs=kwargs)
        deep = Scenario(
            f"{name}_deep",
            f"{name} tiefe Seite",
            url_name,
            role,
            "list",
            kwargs=kwargs,
            query=deep_query,
        )
        first.resolve(ctx)
        deep.resolve(ctx)
        out.append((name, first, deep, how))
    return out


def _probe(deep: Scenario, users) -> str:
    """Page 500 if the ListView has it, else its last page (`?page=last`)."""
    if "page=" not in (deep.url or ""):
        return deep.url.rsplit("=", 1)[-1] if "seite=" in deep.url else "cursor"
    response = users.client(deep.role).get(deep.url)
    if response.status_code == 404:
        deep.url = deep.url.replace(f"page={DEEP_PAGE}", "page=last")
        return "last"
    return deep.url.rsplit("page=", 1)[-1]


def paired(first: Scenario, deep: Scenario, users, *, reps: int, warmup: int = 3) -> dict:
    """One round: page 1 and the deep page requested alternately (which goes first flips
    each time), so that both see the same load of the shared machine; medians and ratio."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = users.client(first.role)
    for _ in range(warmup):
        for s in (first, deep):
            response = client.get(s.url)
            body_of(response)
            if response.status_code != 200:
                return {"error": f"{s.url}: HTTP {response.status_code}"}
    times = {first.name: [], deep.name: []}
    for i in range(reps):
        for s in (first, deep) if i % 2 == 0 else (deep, first):
            started = time.perf_counter()
            body_of(client.get(s.url))
            times[s.name].append((time.perf_counter() - started) * 1000)
    counted = {}
    for s in (first, deep):
        with CaptureQueriesContext(connection) as captured:
            size = len(body_of(client.get(s.url)))
        counted[s.name] = (len(captured.captured_queries), size)
    a, b = statistics.median(times[first.name]), statistics.median(times[deep.name])
    return {
        "first_ms": round(a, 1),
        "deep_ms": round(b, 1),
        "ratio": round(b / a, 3),
        "first_queries": counted[first.name][0],
        "deep_queries": counted[deep.name][0],
        "first_bytes": counted[first.name][1],
        "deep_bytes": counted[deep.name][1],
    }


def run_all(ctx, users, *, reps: int, only=frozenset()) -> dict:
    results = {}
    for name, first, deep, how in pairs(ctx):
        if only and name not in only and "deep" not in only:
            continue
        if first.missing or deep.missing:
            results[name] = {"missing": first.missing or deep.missing}
            print(f"  Tiefe Seite {name:<22} fehlt: {results[name]['missing']}", flush=True)
            continue
        page = _probe(deep, users)
        rounds = []
        for _ in range(ROUNDS):
            r = paired(first, deep, users, reps=reps)
            if "error" in r:
                rounds = r
                break
            rounds.append(r)
        if isinstance(rounds, dict):
            results[name] = rounds
            continue
        ratios = [r["ratio"] for r in rounds]
        results[name] = {
            "pagination": how,
            "deep_page": page,
            "role": first.role,
            "url_first": first.url,
            "url_deep": deep.url,
            "rounds": rounds,
            "ratios": ratios,
            "ratio_median": round(statistics.median(ratios), 3),
            "ratio_max": max(ratios),
        }
        shown = {"pagination": how, "page": page, "ratios": ratios}
        print(f"  Tiefe Seite {name:<22} {json.dumps(shown)}", flush=True)
    return results
