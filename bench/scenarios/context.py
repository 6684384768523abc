"""The objects the scenarios need, looked up once in the generated data."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


class Context:
    """Looks up the objects the scenarios need (once, lazily) in the generated data."""

    def __init__(self):
        self._cache = {}

    def _get(self, key, fn):
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    def meeting_most_action_items(self):
        """The Lenkungskreis meeting with the most action items (its meeting page)."""
        from meetings.models import Meeting

        def find():
            m = (
                Meeting.objects.annotate(n=Count("action_items"))
                .order_by("-n", "pk")
                .values("pk", "body_id", "n")
                .first()
            )
            if m is None:
                raise LookupError("keine Sitzungen in der Datenbank")
            return m

        return self._get("meeting", find)

    def project_most_reports(self):
        from projects.models import Project

        def find():
            p = (
                Project.objects.annotate(n=Count("reports"))
                .order_by("-n", "pk")
                .values("slug", "n")
                .first()
            )
            if p is None:
                raise LookupError("keine Projekte in der Datenbank")
            return p

        return self._get("project", find)

    def public_project_busiest(self):
        """The public project with the most contributions (2,000 at scale 1, in every
        state), then the most public milestones: its public page."""
        from django.contrib.auth.models import AnonymousUser

        from participation.models import Contribution
        from projects.models import Milestone, Project

        def find():
            contributions = (
                Contribution.objects.filter(participation__project=OuterRef("pk"))
                .order_by()
                .values("participation__project")
                .annotate(n=Count("pk"))
                .values("n")
            )
            milestones = (
                Milestone.objects.filter(project=OuterRef("pk"), is_public=True)
                .order_by()
                .values("project")
                .annotate(n=Count("pk"))
                .values("n")
            )
            p = (
                Project.objects.visible_to(AnonymousUser())
                .annotate(
                    contributions=Coalesce(Subquery(contributions), 0),
                    n=Coalesce(Subquery(milestones), 0),
                )
                .order_by("-contributions", "-n", "pk")
                .values("slug", "n", "contributions")
                .first()
            )
            if p is None:
                raise LookupError("keine öffentlichen Projekte in der Datenbank")
            return p

        return self._get("public_project", find)

    def project_most_receipts(self):
        """The project with the most receipts, its first funding decision and its period."""
        from projects.models import FundingDecision, Project

        def find():
            p = (
                Project.objects.annotate(n=Count("receipts"))
                .order_by("-n", "pk")
                .values("pk", "slug", "n")
                .first()
            )
            if p is None:
                raise LookupError("keine Projekte in der Datenbank")
            decision = FundingDecision.objects.filter(project_id=p["pk"]).order_by("pk").first()
            if decision is None:
                raise LookupError("das Projekt mit den meisten Belegen hat keinen Bescheid")
            p.update(
                decision=decision.pk,
                period_start=decision.period_start.isoformat(),
                period_end=decision.period_end.isoformat(),
            )
            return p

        return self._get("project_receipts", find)

    def contact_most_history(self):
        from stakeholders.models import Interaction

        def find():
            row = (
                Interaction.objects.filter(contact__isnull=False)
                .values("contact_id")
                .annotate(n=Count("pk"))
                .order_by("-n", "contact_id")
                .first()
            )
            if row is None:
                raise LookupError("keine Kontakthistorie in der Datenbank")
            return row

        return self._get("contact", find)

    def latest_release_slug(self):
        from news.models import PressRelease

        def find():
            r = PressRelease.objects.published().order_by("-published_at", "pk").first()
            if r is None:
                raise LookupError("keine veröffentlichte Pressemitteilung")
            return r.slug

        return self._get("release", find)

    def latest_release_title(self):
        from news.models import PressRelease

        def find():
            r = PressRelease.objects.published().order_by("-published_at", "pk").first()
            if r is None:
                raise LookupError("keine veröffentlichte Pressemitteilung")
            return r.title

        return self._get("release_title", find)

    def soest_id(self):
        from soest_office.models import Municipality

        return self._get("soest", lambda: Municipality.objects.get(slug="soest").pk)

    def funder_projects(self, n=50):
        from projects.models import Project

        return self._get(
            "funder",
            lambda: list(
                Project.objects.filter(archived_at__isnull=True)
                .order_by("title")
                .values_list("pk", flat=True)[:n]
            ),
        )

    def contact_pages(self):
        from stakeholders.models import Contact

        return self._get("contact_pages", lambda: max(1, -(-Contact.objects.count() // 50)))

    def deep_contact_page(self):
        return min(500, self.contact_pages())

    def deep_report_cursor(self, page=500):
        """The keyset cursor (`nach`) of page `page` of the report list as the office sees
        it (every report), or of its last page when there are fewer; None for page 1."""
        from projects.models import ProgressReport
        from projects.views.reports import REPORTS_PER_PAGE, report_paginator

        def find():
            total = ProgressReport.objects.count()
            last_start = max(0, (total - 1) // REPORTS_PER_PAGE * REPORTS_PER_PAGE)
            offset = min((page - 1) * REPORTS_PER_PAGE, last_start)
            return report_paginator(ProgressReport.objects.all()).cursor_at(offset)

        return self._get(("report_cursor", page), find)

    def deep_contact_cursor(self):
        """The keyset cursor (`nach`) of contact list page 500 (or the last page of a small
        dataset) as the office sees it, in the view's order."""
        from soest_office.pagination import KeysetPaginator
        from stakeholders.models import Contact
        from stakeholders.views.contacts import CONTACT_ORDERING

        def find():
            paginator = KeysetPaginator(Contact.objects.all(), ordering=CONTACT_ORDERING)
            return paginator.cursor_at((self.deep_contact_page() - 1) * paginator.per_page)

        return self._get("contact_cursor", find)
