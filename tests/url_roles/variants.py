"""The same pattern with another sample object (a municipality's drafts, a public project),
the sample world that creates those objects, and POST bodies for the horizontal check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from tests.url_samples import SampleWorld

from .expect import LOGIN, E, Expect


class RoleWorld(SampleWorld):
    """The sample world plus the municipality-bound drafts the variants need."""

    def _partner_soest(self):
        from soest_office.access import Role
        from soest_office.tests.factories import UserFactory, municipality

        return self.users.get("partner_soest") or UserFactory(
            role=Role.PARTNER, municipality=municipality("soest")
        )

    @cached_property
    def draft_report(self):
        """Soest's working copy of a progress report: invisible to other municipalities."""
        from projects.models import ProgressReport
        from projects.tests.factories import ProgressReportFactory

        return ProgressReportFactory(
            project=self.project,
            author=self._partner_soest(),
            status=ProgressReport.Status.DRAFT,
            achieved=SOEST_ONLY_DRAFT_REPORT,
        )

    @cached_property
    def partner_draft(self):
        """A press release draft proposed by the partner of Soest."""
        from news.tests.factories import PressReleaseFactory

        return PressReleaseFactory(author=self._partner_soest(), title=SOEST_ONLY_PRESS_DRAFT)

    @cached_property
    def involvement(self):
        """Soest's contact takes part in the sample project, whose page every role reads."""
        from stakeholders.models import Involvement

        return Involvement.objects.create(
            project=self.project, contact=self.contact, role=Involvement.Role.values[0]
        )

    @cached_property
    def homeless_involvement(self):
        """A contact without a municipality takes part in the sample project: only the office
        sees it (a partner account without a municipality must not: the leak of the kernel
        issue, where such links answered 404 when followed)."""
        from stakeholders.models import Contact, Involvement

        contact, _ = Contact.objects.get_or_create(
            last_name=OFFICE_ONLY_CONTACT, defaults={"first_name": "Lea"}
        )
        return Involvement.objects.create(
            project=self.project, contact=contact, role=Involvement.Role.values[0]
        )

    @cached_property
    def public_project(self):
        """A project marked public, with a milestone and a document: intranet material that a
        login without a role must not see (it gets 404 on the project page)."""
        from projects.tests.factories import DocumentFactory, MilestoneFactory, ProjectFactory
        from soest_office.tests.factories import municipality

        project = ProjectFactory(
            slug="beispiel-oeffentlich",
            title="Beispiel: öffentliches Projekt",
            lead_municipality=municipality("soest"),
            is_public=True,
        )
        MilestoneFactory(project=project, title=INTRANET_ONLY_MILESTONE)
        DocumentFactory(project=project, title=INTRANET_ONLY_DOCUMENT)
        return project

    def prepare(self):
        """Create every object the variants and the leak check rely on."""
        _ = self.draft_report, self.partner_draft, self.involvement
        _ = self.homeless_involvement, self.public_project

    def office_only_texts(self) -> list[str]:
        """Text only the office may read: no other role's page may contain it."""
        return [OFFICE_ONLY_CONTACT]

    def intranet_only_texts(self) -> list[str]:
        """Text of a public project that only the roles of the intranet may read."""
        return [INTRANET_ONLY_MILESTONE, INTRANET_ONLY_DOCUMENT]

    def soest_only_texts(self) -> list[str]:
        """Text that only the office and Soest's partner may read: no other role's page may
        contain it (HTML, CSV, JSON, vCard; compressed formats like XLSX and PDF are not
        searched)."""
        return [
            self.contact.email,
            self.contact.last_name,
            "Sparkasse SoestWerl",  # the sample organisation (Soest)
            SOEST_ONLY_DRAFT_REPORT,
            SOEST_ONLY_PRESS_DRAFT,
        ]


SOEST_ONLY_DRAFT_REPORT = "Entwurfsvermerk Soest: Vergabe noch offen"
OFFICE_ONLY_CONTACT = "Ohnekommune-Landesagentur"
INTRANET_ONLY_MILESTONE = "Meilenstein nur fürs Intranet"
INTRANET_ONLY_DOCUMENT = "Dokument nur fürs Intranet"
SOEST_ONLY_PRESS_DRAFT = "Vorschlag Soest: Glasfaser im Bördeviertel"


@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    kwargs: Callable[[RoleWorld], dict]
    expect: Expect

    @property
    def id(self) -> str:
        return f"{self.key} [{self.label}]"


def _draft_report(world):
    return {"slug": world.project.slug, "pk": world.draft_report.pk}


def _partner_draft(world):
    return {"pk": world.partner_draft.pk, "action": "einreichen"}


# Soest's draft progress report is its working copy: the office and Soest only (the
# projects app's decision within DESIGN.md's "reports: own projects").
# E(anonym, Büro, eigene Kommune, fremde Kommune, Lenkungskreis, ohne Rolle, post_other=…)
DRAFT_REPORT = {
    "projects:report_detail": E(LOGIN, 200, 200, 404, 404, 404),
    "projects:report_edit": E(LOGIN, 200, 200, 404, 404, 404, post_other=404),
    "projects:report_submit": E(LOGIN, 405, 405, 405, 405, 405, post_other=404),
}
# A press release draft proposed by the partner of Soest ("own" is its author): the author
# and the office only.
PARTNER_DRAFT = {
    "news:editorial_detail": E(LOGIN, 200, 200, 404, 404, 404),
    "news:editorial_update": E(LOGIN, 200, 200, 404, 404, 404, post_other=404),
    "news:editorial_history": E(LOGIN, 200, 200, 404, 404, 404),
    "news:editorial_action": E(LOGIN, 405, 405, 405, 405, 405, post_other=404),
}
# A project marked public: every role opens its intranet page; the public itself is sent to
# the login, and a login without a role finds nothing (the rules grant it nothing: its share
# of the project is the public page /vorhaben/<slug>/, like everyone's).
PUBLIC_PROJECT = {
    "projects:detail": E(LOGIN, 200, 200, 200, 200, 404),
    "projects:history": E(LOGIN, 200, 200, 200, 200, 404),
}


def _public_project(world):
    return {"slug": world.public_project.slug}


VARIANTS = [
    *(Variant(k, "öffentliches Projekt", _public_project, e) for k, e in PUBLIC_PROJECT.items()),
    *(Variant(k, "Berichtsentwurf Soest", _draft_report, e) for k, e in DRAFT_REPORT.items()),
    *(Variant(k, "Presseentwurf Soest", _partner_draft, e) for k, e in PARTNER_DRAFT.items()),
]

# POST bodies for the horizontal check where an empty body would prove nothing: the other
# municipality names Soest's objects in the body. (Form pages get the office's own form,
# filled in and changed, see probe.py.)
POST_DATA: dict[str, Callable[[RoleWorld], dict]] = {
    "stakeholders:contact_bulk": lambda world: {
        "action": "tag",
        "tag": "von-aussen",
        "contacts": [world.contact.pk],
    },
    "projects:milestone_done": lambda world: {"done": "1"},
    "projects:report_return": lambda world: {"comment": "Bitte ergänzen."},
}
