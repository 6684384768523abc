"""The sample world: shared sample objects, created lazily inside the test's database, and
the registry that gives each parameterised URL pattern its arguments."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

SAMPLES: dict[str, Callable[[SampleWorld], dict]] = {}


def sample(*keys: str):
    """Register a function returning the URL kwargs for the given URL names."""

    def register(func):
        for key in keys:
            if key in SAMPLES:
                raise ValueError(f"Beispiel für {key} doppelt registriert")
            SAMPLES[key] = func
        return func

    return register


class MissingSample(LookupError):
    pass


class SampleWorld:
    """Shared sample objects; attributes are created on first use inside the test's DB."""

    def __init__(self, users: dict | None = None):
        self.users = users or {}

    @cached_property
    def project(self):
        from projects.models import FieldOfAction, Project
        from soest_office.models import Municipality

        project, _ = Project.objects.get_or_create(
            slug="beispiel-buergerportal",
            defaults={
                "title": "Beispiel: Bürgerportal Soest",
                "field_of_action": FieldOfAction.objects.get(slug="e-government"),
                "lead_municipality": Municipality.objects.get(slug="soest"),
            },
        )
        return project

    @cached_property
    def report(self):
        from projects.tests.factories import ProgressReportFactory

        return ProgressReportFactory(project=self.project, author=self._sample_user)

    @cached_property
    def milestone(self):
        from projects.tests.factories import MilestoneFactory

        return MilestoneFactory(project=self.project)

    @cached_property
    def document(self):
        from projects.tests.factories import DocumentFactory

        return DocumentFactory(project=self.project, uploaded_by=self._sample_user)

    @cached_property
    def public_project(self):
        """A project marked public, with a public milestone and a public document."""
        from projects.models import FieldOfAction, Project
        from projects.tests.factories import MilestoneFactory
        from soest_office.models import Municipality

        project, _ = Project.objects.get_or_create(
            slug="beispiel-oeffentlich",
            defaults={
                "title": "Beispiel: öffentliches Vorhaben",
                "field_of_action": FieldOfAction.objects.get(slug="mobilitaet"),
                "lead_municipality": Municipality.objects.get(slug="soest"),
                "is_public": True,
            },
        )
        if not project.milestones.exists():
            MilestoneFactory(project=project, is_public=True)
        return project

    @cached_property
    def public_document(self):
        from projects.tests.factories import DocumentFactory

        return self.public_project.documents.filter(is_public=True).first() or DocumentFactory(
            project=self.public_project, uploaded_by=self._sample_user, is_public=True
        )

    @cached_property
    def funding_decision(self):
        from projects.tests.factories import FundingDecisionFactory

        return FundingDecisionFactory(project=self.project)

    @cached_property
    def proof_record(self):
        from projects.models import ProofRecord

        decision = self.funding_decision
        return ProofRecord.objects.create(
            funding_decision=decision,
            kind=ProofRecord.Kind.FINAL,
            date_from=decision.period_start,
            date_to=decision.period_end,
            created_by=self._sample_user,
        )

    @cached_property
    def budget_line(self):
        from projects.tests.factories import BudgetLineFactory

        return BudgetLineFactory(project=self.project)

    @cached_property
    def receipt(self):
        from django.core.files.base import ContentFile

        from projects.tests.factories import ReceiptFactory

        receipt = ReceiptFactory(
            project=self.project, budget_line=self.budget_line, original_name="beleg.pdf"
        )
        receipt.file.save("beleg.pdf", ContentFile(b"%PDF-1.4\n%beleg\n"))
        return receipt

    @cached_property
    def drawdown(self):
        from projects.tests.factories import DrawdownFactory

        return DrawdownFactory(funding_decision=self.funding_decision)

    @cached_property
    def project_contact(self):
        from projects.models import ProjectContact

        return ProjectContact.objects.create(
            project=self.project,
            municipality=self.project.lead_municipality,
            user=self._sample_user,
        )

    @cached_property
    def release(self):
        """A published release with a Stichwort and an image, visible to everyone."""
        from news.models import Tag
        from news.tests.factories import PressReleaseFactory, image_upload

        tag, _ = Tag.objects.get_or_create(slug="smart-city", defaults={"name": "Smart City"})
        release = PressReleaseFactory(
            published=True,
            author=self._sample_user,
            image=image_upload(),
            image_alt="Rathaus Soest",
            image_credit="Stadt Soest",
            tags=[tag],
        )
        return release

    @cached_property
    def delivery(self):
        from news.models import Delivery, Distribution

        distribution, _ = Distribution.objects.get_or_create(release=self.release)
        # get_or_create: a subscription sample may already have mailed this release to the
        # same contact (one delivery per distribution and contact).
        delivery, _ = Delivery.objects.get_or_create(
            distribution=distribution,
            contact=self.contact,
            defaults={"purpose": "press", "email": self.contact.email, "status": "sent"},
        )
        return delivery

    @cached_property
    def section(self):
        from news.models import Section

        section, _ = Section.objects.get_or_create(
            slug="mobilitaet", defaults={"name": "Mobilität"}
        )
        return section

    @cached_property
    def subscription(self):
        from subscriptions.tests.factories import SubscriptionFactory

        return SubscriptionFactory(contact=self.contact)

    @cached_property
    def subscription_request(self):
        from django.utils import timezone

        from subscriptions.models import SubscriptionRequest
        from subscriptions.services import current_consent_text

        return SubscriptionRequest.objects.create(
            email="neu@example.org",
            frequency="immediate",
            consent_text=current_consent_text(),
            requested_at=timezone.now(),
        )

    @cached_property
    def _sample_user(self):
        from soest_office.tests.factories import UserFactory

        return UserFactory(username="beispiel-autorin")

    @cached_property
    def organisation(self):
        from soest_office.models import Municipality
        from stakeholders.models import Organisation

        organisation, _ = Organisation.objects.get_or_create(
            name="Beispiel: Sparkasse SoestWerl",
            defaults={"municipality": Municipality.objects.get(slug="soest")},
        )
        return organisation

    @cached_property
    def contact(self):
        from soest_office.models import Municipality
        from stakeholders.models import Contact

        contact, _ = Contact.objects.get_or_create(
            last_name="Beispiel-Meyer",
            defaults={
                "first_name": "Maria",
                "email": "maria.meyer@example.org",
                "organisation": self.organisation,
                "municipality": Municipality.objects.get(slug="soest"),
            },
        )
        return contact

    @cached_property
    def duplicate_contact(self):
        """A second record of the sample contact's person (the merge page's other side)."""
        from soest_office.models import Municipality
        from stakeholders.models import Contact

        contact, _ = Contact.objects.get_or_create(
            last_name="Beispiel-Meyer-Doppelt",
            defaults={
                "first_name": "Maria",
                "email": "m.meyer@example.org",
                "organisation": self.organisation,
                "municipality": Municipality.objects.get(slug="soest"),
            },
        )
        return contact

    @cached_property
    def distribution_list(self):
        from stakeholders.models import DistributionList, ListMembership, Purpose

        distribution_list, _ = DistributionList.objects.get_or_create(
            name="Beispiel: Presseverteiler", defaults={"purpose": Purpose.PRESS}
        )
        ListMembership.objects.get_or_create(
            distribution_list=distribution_list, contact=self.contact
        )
        return distribution_list

    @cached_property
    def import_job(self):
        from django.core.files.base import ContentFile

        from stakeholders.models import ImportJob

        job = ImportJob(
            token="beispielimport0000000000000000ab",
            original_name="kontakte.csv",
            file_format="csv",
            encoding="utf-8",
            delimiter=";",
            headers=["Vorname", "Nachname", "E-Mail"],
            total_rows=1,
        )
        job.file.save(
            "kontakte.csv",
            ContentFile(b"Vorname;Nachname;E-Mail\nErika;Muster;erika@example.org\n"),
            save=False,
        )
        job.save()
        return job

    @cached_property
    def export_job(self):
        """A finished funder report of the world's user (so each role sees its own job)."""
        from django.core.files.base import ContentFile
        from django.utils import timezone

        from soest_office.models import ExportJob

        job = ExportJob(
            kind="funder_report",
            title="Sachstandsbericht 01.01.2026 bis 30.06.2026 (PDF)",
            params={"date_from": "2026-01-01", "date_to": "2026-06-30", "projects": []},
            requested_by=next(iter(self.users.values()), None) or self._sample_user,
            status=ExportJob.Status.DONE,
            filename="sachstandsbericht-2026-01-01-bis-2026-06-30.pdf",
            content_type="application/pdf",
            size=9,
            finished_at=timezone.now(),
        )
        job.file.save("bericht.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
        job.save()
        return job

    def kwargs_for(self, route) -> dict:
        if not route.params:
            return {}
        if route.key in SAMPLES:
            return SAMPLES[route.key](self)
        if route.namespace == "admin" and set(route.params) <= set(ADMIN_DEFAULTS):
            return {p: ADMIN_DEFAULTS[p] for p in route.params}
        raise MissingSample(
            f"Für das URL-Muster {route.key} ({route.route}) fehlt ein Beispiel in "
            f"tests/url_samples/samples.py: bitte mit @sample({route.key!r}) Parameter "
            f"{', '.join(route.params)} liefern."
        )


# The admin checks staff access before it looks at any argument, so placeholders suffice.
ADMIN_DEFAULTS = {
    "app_label": "soest_office",
    "object_id": "1",
    "content_type_id": 1,
    "id": 1,
    "pk": 1,
}
