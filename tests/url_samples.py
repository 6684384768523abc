"""Sample URL arguments for every parameterised URL pattern of the project.

The URL walk (tests/test_url_security.py, tests/test_browser_pages.py) resolves every pattern;
a pattern with parameters needs a sample here, else the walk fails and names the pattern.
Each app adds its samples when it adds such a URL:

    @sample("projects:report_create")
    def _report_create(world):
        return {"slug": world.project.slug}

`world` (a SampleWorld) holds the role users and shared sample objects, created lazily once
per test. Sample objects should be visible to the office and belong to Soest (so the partner
of Soest may change them and the partner of Lippstadt may not).

Every pattern also needs its row of expected statuses per role in tests/url_roles.py.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

SAMPLES: dict[str, Callable[[SampleWorld], dict]] = {}

# Every page reachable without login, with the status an anonymous GET gets. Anything not
# listed must redirect anonymous users to /konto/anmelden/?next=<path> (the admin: to its
# login, which forwards to ours). Apps add their public pages (press list, feeds) here.
PUBLIC_URLS: dict[str, tuple[int, ...]] = {
    "soest_office:login": (200,),
    "soest_office:healthz": (200, 503),  # 503 when a service is down: still public
    "soest_office:password_reset": (200,),
    "soest_office:password_reset_done": (200,),
    "soest_office:password_reset_confirm": (200,),
    "soest_office:password_reset_complete": (200,),
    "soest_office:impressum": (200,),
    "soest_office:datenschutz": (200,),
    "soest_office:barrierefreiheit": (200,),
    "soest_office:feedback": (200,),
    "soest_office:feedback_thanks": (200,),
    "soest_office:leichte_sprache": (200,),
    # Public, but only meaningful after the password step: sends others to the login.
    "soest_office:otp_verify": (302,),
    "soest_office:admin_login": (302,),
    "admin:login": (302,),  # shadowed by soest_office:admin_login
    # Calendar subscriptions authenticate by their secret token; an unknown token is 404.
    "projects:calendar_feed": (404,),
    "projects:transparency_json": (200,),
    "projects:transparency_csv": (200,),
    # The public press pages (issue 5) and the unsubscribe link of press mails.
    "news:public_list": (200,),
    "news:public_detail": (200,),
    "news:public_image": (200,),
    "news:public_pdf": (200,),
    "news:feed_rss": (200,),
    "news:feed_atom": (200,),
    "news:feed_rss_tag": (200,),
    "news:feed_atom_tag": (200,),
    "news:sitemap": (200,),
    "news:unsubscribe": (200,),
    "news:feed_rss_section": (200,),
    "news:feed_atom_section": (200,),
    # The public subscription with double opt-in (issue 10); links carry signed tokens.
    "subscriptions:subscribe": (200,),
    "subscriptions:requested": (200,),
    "subscriptions:confirm": (200,),
    "subscriptions:manage": (200,),
    "subscriptions:unsubscribe": (200,),
}


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
    def funding_decision(self):
        from projects.tests.factories import FundingDecisionFactory

        return FundingDecisionFactory(project=self.project)

    @cached_property
    def budget_line(self):
        from projects.tests.factories import BudgetLineFactory

        return BudgetLineFactory(project=self.project)

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
            f"tests/url_samples.py: bitte mit @sample({route.key!r}) Parameter "
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


# --- soest_office ---------------------------------------------------------------------------


@sample("soest_office:password_reset_confirm")
def _password_reset_confirm(world):
    # An invalid link: the page answers 200 with "Link ungültig" for everybody.
    return {"uidb64": "MQ", "token": "abc-ungueltig"}


@sample("soest_office:export_job", "soest_office:export_download")
def _export_job(world):
    return {"token": world.export_job.token}


# --- projects -------------------------------------------------------------------------------


@sample(
    "projects:detail",
    "projects:project_reports",
    "projects:history",
    "projects:edit",
    "projects:archive",
    "projects:report_create",
    "projects:milestone_create",
    "projects:document_create",
    "projects:funding_create",
    "projects:budget_line_create",
    "projects:drawdown_create",
    "projects:contact_create",
)
def _project_detail(world):
    return {"slug": world.project.slug}


def _project_child(attribute):
    def kwargs(world):
        child = getattr(world, attribute)
        return {"slug": world.project.slug, "pk": child.pk}

    return kwargs


for _names, _attribute in [
    (
        (
            "projects:report_detail",
            "projects:report_edit",
            "projects:report_submit",
            "projects:report_accept",
            "projects:report_return",
        ),
        "report",
    ),
    (
        (
            "projects:milestone_edit",
            "projects:milestone_delete",
            "projects:milestone_done",
        ),
        "milestone",
    ),
    (("projects:document_download", "projects:document_delete"), "document"),
    (("projects:funding_edit", "projects:funding_delete"), "funding_decision"),
    (("projects:budget_line_edit", "projects:budget_line_delete"), "budget_line"),
    (("projects:drawdown_edit", "projects:drawdown_delete"), "drawdown"),
    (("projects:contact_delete",), "project_contact"),
]:
    sample(*_names)(_project_child(_attribute))


@sample("projects:calendar_feed")
def _calendar_feed(world):
    return {"token": "unbekannter-kalender-schluessel"}


# --- stakeholders ---------------------------------------------------------------------------


@sample(
    "stakeholders:contact_detail",
    "stakeholders:contact_update",
    "stakeholders:contact_vcard",
    "stakeholders:contact_erase",
    "stakeholders:auskunft_pdf",
    "stakeholders:auskunft_json",
    "stakeholders:interaction_list",
    "stakeholders:interaction_create",
    "stakeholders:legal_basis_create",
    "stakeholders:involvement_create",
)
def _contact(world):
    return {"pk": world.contact.pk}


@sample(
    "stakeholders:organisation_detail",
    "stakeholders:organisation_update",
    "stakeholders:organisation_involvement_create",
)
def _organisation(world):
    return {"pk": world.organisation.pk}


@sample("stakeholders:list_detail", "stakeholders:list_update", "stakeholders:list_vcard")
def _distribution_list(world):
    return {"pk": world.distribution_list.pk}


@sample("stakeholders:list_member_remove")
def _list_member(world):
    return {"pk": world.distribution_list.pk, "contact_pk": world.contact.pk}


@sample(
    "stakeholders:import_status",
    "stakeholders:import_preview",
    "stakeholders:import_mapping",
    "stakeholders:import_replace",
    "stakeholders:import_commit",
)
def _import_job(world):
    return {"token": world.import_job.token}


@sample("stakeholders:import_fix_row")
def _import_row(world):
    return {"token": world.import_job.token, "line": 2}


# --- news -----------------------------------------------------------------------------------


@sample("news:public_detail", "news:public_image", "news:public_pdf")
def _public_release(world):
    return {"slug": world.release.slug}


@sample("news:feed_rss_tag", "news:feed_atom_tag")
def _tag_feed(world):
    return {"tag_slug": world.release.tags.get().slug}


@sample(
    "news:editorial_detail",
    "news:editorial_update",
    "news:editorial_history",
    "news:editorial_image",
    "news:distribution_create",
)
def _editorial_release(world):
    return {"pk": world.release.pk}


@sample("news:distribution_progress", "news:distribution_status")
def _distributed_release(world):
    # The progress pages exist once the release went out (404 before): the sample delivery
    # creates the distribution, whatever order the walk takes.
    return {"pk": world.delivery.distribution.release_id}


@sample("news:editorial_action")
def _editorial_action(world):
    return {"pk": world.release.pk, "action": "archivieren"}


@sample("news:delivery_bounce")
def _delivery_bounce(world):
    return {"pk": world.release.pk, "delivery_pk": world.delivery.pk}


@sample("news:unsubscribe")
def _unsubscribe(world):
    from news.mailing import unsubscribe_token

    return {"token": unsubscribe_token(world.delivery.pk)}


@sample("news:feed_rss_section", "news:feed_atom_section")
def _section_feed(world):
    return {"section_slug": world.section.slug}


# --- subscriptions --------------------------------------------------------------------------


@sample("subscriptions:confirm")
def _subscription_confirm(world):
    from subscriptions.tokens import confirm_token

    return {"token": confirm_token(world.subscription_request)}


@sample("subscriptions:manage", "subscriptions:unsubscribe")
def _subscription_manage(world):
    from subscriptions.tokens import manage_token

    return {"token": manage_token(world.subscription)}


@sample("subscriptions:office_subscriber", "subscriptions:office_proof_csv")
def _subscriber(world):
    return {"pk": world.subscription.pk}
