"""The pages of issue 6 as scenarios (and the two reference pages): which page, as which
role, with which parameters."""

import datetime as dt

from .context import Context
from .scenario import Scenario


def _new_dashboard_generation():
    from projects.dashboard import invalidate_dashboard

    invalidate_dashboard()


def build(ctx: Context) -> list[Scenario]:
    today = dt.date(2026, 6, 1)
    scenarios = [
        Scenario("dashboard_office", "Dashboard (Projektbüro)", "soest_office:home", "office"),
        Scenario("dashboard_partner", "Dashboard (Kommune)", "soest_office:home", "partner"),
        # The same after a change to the projects: the cached panel is made anew each time.
        Scenario(
            "dashboard_office_fresh",
            "Dashboard nach Änderung (Projektbüro)",
            "soest_office:home",
            "office",
            before=_new_dashboard_generation,
        ),
        Scenario(
            "dashboard_partner_fresh",
            "Dashboard nach Änderung (Kommune)",
            "soest_office:home",
            "partner",
            before=_new_dashboard_generation,
        ),
        Scenario("project_list", "Projektliste", "projects:list", "office", "list"),
        Scenario(
            "project_list_filtered",
            "Projektliste gefiltert",
            "projects:list",
            "office",
            "list",
            query={
                "municipality": lambda c: c.soest_id(),
                "status": ["in_progress", "planned"],
                "traffic_light": ["yellow", "red"],
                "q": "Digital",
            },
        ),
        Scenario(
            "project_detail_most_reports",
            "Projektseite (meiste Berichte)",
            "projects:detail",
            "office",
            "detail",
            kwargs={"slug": lambda c: c.project_most_reports()["slug"]},
        ),
        Scenario(
            "ledger_most_receipts",
            "Belege (Projekt mit den meisten Belegen)",
            "projects:ledger",
            "office",
            "detail",
            kwargs={"slug": lambda c: c.project_most_receipts()["slug"]},
        ),
        Scenario(
            "funding_detail_most_receipts",
            "Förderbescheid (meiste Belege)",
            "projects:funding_detail",
            "office",
            "detail",
            kwargs={
                "slug": lambda c: c.project_most_receipts()["slug"],
                "pk": lambda c: c.project_most_receipts()["decision"],
            },
        ),
        Scenario("contact_list", "Kontaktliste Seite 1", "stakeholders:contact_list", "office"),
        Scenario(
            "contact_list_page500",
            "Kontaktliste Seite 500",
            "stakeholders:contact_list",
            "office",
            "list",
            # Keyset pagination: the cursor of the page starting at row 499 * 50.
            query={"nach": lambda c: c.deep_contact_cursor()},
        ),
        Scenario(
            "contact_search",
            "Kontaktsuche (Text)",
            "stakeholders:contact_list",
            "office",
            "list",
            query={"q": "Schulz"},
        ),
        Scenario(
            "contact_detail",
            "Kontaktseite (längste Historie)",
            "stakeholders:contact_detail",
            "office",
            "detail",
            kwargs={"pk": lambda c: c.contact_most_history()["contact_id"]},
        ),
        Scenario(
            "report_list",
            "Berichtsliste Seite 1",
            "projects:report_list",
            "office",
            "list",
        ),
        Scenario(
            "report_list_page500",
            "Berichtsliste Seite 500",
            "projects:report_list",
            "office",
            "list",
            # Keyset pagination: the cursor of the page that starts at row 499 * 50.
            query={"nach": lambda c: c.deep_report_cursor(500)},
        ),
        Scenario(
            "global_search",
            "Globale Suche",
            "soest_office:search",
            "office",
            "list",
            # Two words that occur at every data size ("Bürgerbüro Soest" matched nothing
            # in the tiny datasets of the query-count test, so it compared the no-hit path
            # with the hit path there).
            query={"q": "Förderbescheid Soest"},
        ),
        # Issue 9: the global search with a word found in many places and with a rare
        # phrase, as office and as partner (scoped to their municipality), and the
        # suggestions of the header box (prefix of the last word).
        Scenario(
            "search_common_word",
            "Globale Suche (häufiges Wort)",
            "soest_office:search",
            "office",
            "list",
            query={"q": "Förderbescheid"},
        ),
        Scenario(
            "search_rare_phrase",
            "Globale Suche (seltene Phrase)",
            "soest_office:search",
            "office",
            "list",
            # The newest release's title as a phrase: a few hits in a large index.
            query={"q": lambda c: f'"{c.latest_release_title()}"'},
        ),
        Scenario(
            "search_partner",
            "Globale Suche (Kommune)",
            "soest_office:search",
            "partner",
            "list",
            query={"q": "Förderbescheid"},
        ),
        Scenario(
            "suggest_office",
            "Suchvorschläge (Projektbüro)",
            "soest_office:search_suggest",
            "office",
            "page",
            query={"q": "Bürgerb"},
        ),
        Scenario(
            "suggest_partner",
            "Suchvorschläge (Kommune)",
            "soest_office:search_suggest",
            "partner",
            "page",
            query={"q": "Bürgerb"},
        ),
        # Issue 17: a body with 200 meetings and 5,000 action items (at scale 1).
        Scenario(
            "meeting_detail_busiest",
            "Sitzung (meiste Aufgaben)",
            "meetings:meeting_detail",
            "office",
            "detail",
            kwargs={"pk": lambda c: c.meeting_most_action_items()["pk"]},
        ),
        Scenario(
            "home_action_items",
            "Startseite mit offenen Aufgaben (Kommune)",
            "soest_office:home",
            "partner",
        ),
        Scenario(
            "action_item_list",
            "Aufgaben aus Sitzungen",
            "meetings:action_list",
            "office",
            "list",
        ),
        Scenario(
            "oparl_meeting_list",
            "OParl: Sitzungen des Gremiums",
            "meetings:oparl_meeting_list",
            "anonymous",
            "list",
            kwargs={"pk": lambda c: c.meeting_most_action_items()["body_id"]},
        ),
        Scenario("press_list_public", "Presse öffentlich", "news:public_list", "anonymous", "list"),
        Scenario(
            "press_list_intranet", "Presse Redaktion", "news:editorial_list", "office", "list"
        ),
        Scenario(
            "press_detail",
            "Pressemitteilung",
            "news:public_detail",
            "anonymous",
            "detail",
            kwargs={"slug": lambda c: c.latest_release_slug()},
        ),
        Scenario("rss", "RSS-Feed", "news:feed_rss", "anonymous", "feed"),
        # The public side (issue 18): the public page of the busiest public project (2,000
        # contributions at scale 1, in every state, with supports) and its participation
        # page, the public project list and the open-data API's project list (its largest
        # page).
        Scenario(
            "public_project_page",
            "Öffentliche Projektseite (2.000 Beiträge)",
            "vorhaben:detail",
            "anonymous",
            "detail",
            kwargs={"slug": lambda c: c.public_project_busiest()["slug"]},
        ),
        Scenario(
            "public_participation",
            "Beteiligung öffentlich (2.000 Beiträge)",
            "participation:public_list",
            "anonymous",
            "list",
            kwargs={"slug": lambda c: c.public_project_busiest()["slug"]},
        ),
        Scenario(
            "public_project_list", "Vorhaben öffentlich", "vorhaben:list", "anonymous", "list"
        ),
        Scenario(
            "api_projects",
            "Offene Daten: Vorhaben (100 je Seite)",
            "api_v1:projects",
            "anonymous",
            "list",
            query={"page_size": 100},
        ),
        Scenario(
            "projects_csv", "Export CSV alle Projekte", "projects:export_csv", "office", "export"
        ),
        Scenario(
            "projects_xlsx",
            "Export XLSX alle Projekte",
            "projects:export_xlsx",
            "office",
            "export",
            heavy=True,
        ),
        Scenario(
            "funder_report_pdf_50",
            "Förderbericht PDF (50 Projekte) anfordern",
            "projects:funder_report",
            "office",
            "export",
            data={
                "date_from": (today - dt.timedelta(days=365)).isoformat(),
                "date_to": today.isoformat(),
                "output": "pdf",
                "projects": lambda c: c.funder_projects(),
            },
            job=True,
        ),
        Scenario(
            "proof_of_use_pdf_busiest",
            "Verwendungsnachweis PDF (meiste Belege) anfordern",
            "projects:proof_of_use",
            "office",
            "export",
            kwargs={
                "slug": lambda c: c.project_most_receipts()["slug"],
                "pk": lambda c: c.project_most_receipts()["decision"],
                "kind": "final",
            },
            data={
                "date_from": lambda c: c.project_most_receipts()["period_start"],
                "date_to": lambda c: c.project_most_receipts()["period_end"],
                "output": "pdf",
            },
            job=True,
        ),
        Scenario(
            "auskunft_json",
            "Auskunft JSON (längste Historie)",
            "stakeholders:auskunft_json",
            "office",
            "export",
            kwargs={"pk": lambda c: c.contact_most_history()["contact_id"]},
        ),
        Scenario(
            "auskunft_pdf",
            "Auskunft PDF anfordern (längste Historie)",
            "stakeholders:auskunft_pdf",
            "office",
            "export",
            kwargs={"pk": lambda c: c.contact_most_history()["contact_id"]},
            job=True,
        ),
    ]
    references = [
        Scenario("limit", "Referenz: Limit (1 Abfrage)", "bench_limit", "anonymous", "reference"),
        Scenario(
            "peer",
            "Referenz: Admin-Änderungsliste Projekte",
            "admin:projects_project_changelist",
            "admin",
            "reference",
        ),
    ]
    references[1].resolve(ctx)
    if references[1].url is None:
        # The projects app registers no Project admin: use the benchmark's admin site.
        references[1].url_name = "bench_admin:projects_project_changelist"
        references[1].note = "Admin-Site des Benchmarks (Project ist im Admin nicht registriert)"
    for s in scenarios + references:
        s.resolve(ctx)
    return scenarios + references
