"""Small worlds for the property tests of the access rules (tests/test_rules_properties.py).

A `WorldPlan` is plain data that hypothesis draws (and shrinks): projects with their
milestones, reports, documents, money and contact person; organisations, contacts,
involvements, contact history and distribution lists; press releases with a mailing; a
subscription; background exports, audit events, accessibility feedback. `example_world`
builds a plan into the database inside a savepoint that is rolled back afterwards, so no
row of one example reaches the next. `make_cast` creates one user of every kind.

Every searchable text carries WORD, and titles are unique per search source, so that a
search for WORD finds every object a user may see and each hit names one object.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from hypothesis import strategies as st

from news.models import Delivery, Distribution, PressRelease
from news.tests.factories import PressReleaseFactory
from participation.tests.factories import ContributionFactory, ParticipationFactory
from projects.models import ProgressReport, Project, ProjectContact, ProofRecord
from projects.tests.factories import (
    BudgetLineFactory,
    DocumentFactory,
    DrawdownFactory,
    FundingDecisionFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
    ReceiptFactory,
)
from soest_office.access import Role
from soest_office.models import AccessibilityFeedback, AuditEvent, ExportJob, Invitation
from soest_office.search.signals import pending
from soest_office.tests.factories import UserFactory, municipality
from stakeholders.models import DistributionList, Interaction, Involvement
from stakeholders.tests.factories import ContactFactory, OrganisationFactory
from subscriptions.tests.factories import SubscriptionFactory

WORD = "Wombat"
MUNICIPALITIES = ("soest", "lippstadt", "iserlohn", "kreis-soest")

# --- The cast: one user of every kind ---------------------------------------------------------

# key -> (role, municipality slug, further fields); None: AnonymousUser().
CAST = {
    "office": (Role.OFFICE, None, {}),
    "partner_soest": (Role.PARTNER, "soest", {}),
    "partner_lippstadt": (Role.PARTNER, "lippstadt", {}),
    "partner_iserlohn": (Role.PARTNER, "iserlohn", {}),
    "partner_kreis_soest": (Role.PARTNER, "kreis-soest", {}),
    "partner_without_municipality": (Role.PARTNER, None, {}),
    "steering": (Role.STEERING, None, {}),
    "no_role": (None, None, {}),
    "deactivated": (Role.OFFICE, None, {"is_active": False}),
    "superuser": (None, None, {"is_superuser": True, "is_staff": True}),
    "anonymous": None,
}
# Who writes reports and releases, asks for exports and is in the audit log: any account.
ACCOUNTS = tuple(key for key, spec in CAST.items() if spec is not None)


def make_cast() -> dict:
    users = {}
    for key, spec in CAST.items():
        if spec is None:
            users[key] = AnonymousUser()
            continue
        role, slug, extra = spec
        users[key] = UserFactory(
            username=f"cast-{key}",
            role=role,
            municipality=municipality(slug) if slug else None,
            **extra,
        )
    return users


# --- The plan of a world ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPlan:
    status: str
    author: str


@dataclass(frozen=True)
class ProjectPlan:
    lead: str
    participants: frozenset[str]
    is_public: bool
    status: str
    archived: bool
    milestones_done: tuple[bool, ...]
    reports: tuple[ReportPlan, ...]
    documents: int
    decisions: tuple[tuple[bool, ...], ...]  # per decision: its drawdowns, received or not
    budget_lines: int
    contact_person: str | None  # an account speaking for the lead municipality


@dataclass(frozen=True)
class ContactPlan:
    municipality: str | None
    organisation: int | None  # index into WorldPlan.organisations


@dataclass(frozen=True)
class InvolvementPlan:
    project: int
    contact: int | None
    organisation: int | None
    role: str


@dataclass(frozen=True)
class InteractionPlan:
    contact: int
    kind: str  # "entry", "blank" (no summary) or "erased" (no contact, no summary)
    project: int | None


@dataclass(frozen=True)
class ReleasePlan:
    status: str
    author: str
    published: str | None  # "past" or "future" (published_at); None: never published


@dataclass(frozen=True)
class WorldPlan:
    projects: tuple[ProjectPlan, ...]
    organisations: tuple[str | None, ...]  # municipality of each
    contacts: tuple[ContactPlan, ...]
    involvements: tuple[InvolvementPlan, ...]
    interactions: tuple[InteractionPlan, ...]
    lists: tuple[frozenset[int], ...]  # members (contact indices) of each list
    releases: tuple[ReleasePlan, ...]
    deliveries: frozenset[int]  # contacts the first release was mailed to
    subscriber: int | None  # the contact who subscribed, if any
    export_requesters: tuple[str, ...]
    audit_actors: tuple[str, ...]
    feedback: int
    meetings: bool = False  # the fixed meetings world (build_meetings) of issue 17


accounts = st.sampled_from(ACCOUNTS)


@st.composite
def project_plans(draw):
    lead = draw(st.sampled_from(MUNICIPALITIES))
    others = [slug for slug in MUNICIPALITIES if slug != lead]
    report = st.builds(
        ReportPlan, status=st.sampled_from(ProgressReport.Status.values), author=accounts
    )
    return ProjectPlan(
        lead=lead,
        participants=draw(st.frozensets(st.sampled_from(others), max_size=2)),
        is_public=draw(st.booleans()),
        status=draw(st.sampled_from(Project.Status.values)),
        archived=draw(st.booleans()),
        milestones_done=tuple(draw(st.lists(st.booleans(), max_size=2))),
        reports=tuple(draw(st.lists(report, max_size=3))),
        documents=draw(st.integers(0, 2)),
        decisions=tuple(draw(st.lists(st.lists(st.booleans(), max_size=2).map(tuple), max_size=2))),
        budget_lines=draw(st.integers(0, 2)),
        contact_person=draw(st.one_of(st.none(), accounts)),
    )


@st.composite
def release_plans(draw):
    status = draw(st.sampled_from(PressRelease.Status.values))
    if status == PressRelease.Status.PUBLISHED:
        published = draw(st.sampled_from(["past", "future"]))
    elif status == PressRelease.Status.ARCHIVED:
        published = "past"
    else:
        published = None
    return ReleasePlan(status=status, author=draw(accounts), published=published)


@st.composite
def world_plans(draw):
    projects = tuple(draw(st.lists(project_plans(), min_size=1, max_size=3)))
    organisations = tuple(
        draw(
            st.lists(st.one_of(st.none(), st.sampled_from(MUNICIPALITIES)), min_size=1, max_size=3)
        )
    )
    contact = st.builds(
        ContactPlan,
        municipality=st.one_of(st.none(), st.sampled_from(MUNICIPALITIES)),
        organisation=st.one_of(st.none(), st.integers(0, len(organisations) - 1)),
    )
    contacts = tuple(draw(st.lists(contact, min_size=2, max_size=5)))
    project_index = st.integers(0, len(projects) - 1)
    contact_index = st.integers(0, len(contacts) - 1)
    roles = st.sampled_from(Involvement.Role.values)
    of_contact = st.builds(
        InvolvementPlan,
        project=project_index,
        contact=contact_index,
        organisation=st.none(),
        role=roles,
    )
    of_organisation = st.builds(
        InvolvementPlan,
        project=project_index,
        contact=st.none(),
        organisation=st.integers(0, len(organisations) - 1),
        role=roles,
    )
    involvements = draw(
        st.lists(
            st.one_of(of_contact, of_organisation),
            max_size=4,
            unique_by=lambda i: (i.project, i.contact, i.organisation, i.role),
        )
    )
    interaction = st.builds(
        InteractionPlan,
        contact=contact_index,
        kind=st.sampled_from(["entry", "entry", "blank", "erased"]),
        project=st.one_of(st.none(), project_index),
    )
    members = st.frozensets(contact_index, max_size=3)
    return WorldPlan(
        projects=projects,
        organisations=organisations,
        contacts=contacts,
        involvements=tuple(involvements),
        interactions=tuple(draw(st.lists(interaction, max_size=4))),
        lists=tuple(draw(st.lists(members, max_size=2))),
        releases=tuple(draw(st.lists(release_plans(), min_size=1, max_size=4))),
        deliveries=draw(members),
        subscriber=draw(st.one_of(st.none(), contact_index)),
        export_requesters=tuple(draw(st.lists(accounts, max_size=2))),
        audit_actors=tuple(draw(st.lists(accounts, max_size=2))),
        feedback=draw(st.integers(0, 1)),
    )


# --- Building a world -------------------------------------------------------------------------


@dataclass
class World:
    cast: dict
    projects: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    releases: list = field(default_factory=list)


def _build_project(i: int, p: ProjectPlan, cast: dict, counters: dict, now) -> Project:
    today = timezone.localdate()
    project = ProjectFactory(
        title=f"Projekt {i}",
        slug=f"projekt-{i}",
        summary=f"Ein {WORD} im Projekt.",
        lead_municipality=municipality(p.lead),
        participants=sorted(p.participants),
        is_public=p.is_public,
        status=p.status,
        archived_at=now if p.archived else None,
    )
    for done in p.milestones_done:
        counters["milestone"] += 1
        MilestoneFactory(
            project=project,
            title=f"Meilenstein {counters['milestone']} {WORD}",
            done_date=today if done else None,
        )
    for r in p.reports:
        counters["report"] += 1
        report = ProgressReportFactory.build(
            project=project,
            author=cast[r.author],
            status=r.status,
            # Distinct dates make distinct search titles ("Sachstandsbericht ... zum <date>").
            reporting_date=today - dt.timedelta(days=counters["report"]),
            achieved=f"Der {WORD} hat geliefert.",
        )
        if r.status == ProgressReport.Status.ACCEPTED:
            report.snapshot = {"report": report.values()}
        report.save()
    for _ in range(p.documents):
        counters["document"] += 1
        DocumentFactory(
            project=project,
            title=f"Dokument {counters['document']} {WORD}",
            file__filename="notiz.txt",
            file__data=b"Notiz",
            original_name="notiz.txt",
        )
    for drawdowns in p.decisions:
        decision = FundingDecisionFactory(project=project)
        ProofRecord.objects.create(
            funding_decision=decision,
            kind=ProofRecord.Kind.FINAL,
            date_from=decision.period_start,
            date_to=decision.period_end,
        )
        for received in drawdowns:
            DrawdownFactory(
                funding_decision=decision,
                received_date=today if received else None,
                received_amount=Decimal("100.00") if received else Decimal(0),
            )
    for n in range(p.budget_lines):
        line = BudgetLineFactory(project=project, title=f"Position {n}")
        ReceiptFactory(project=project, budget_line=line)
    if p.contact_person:
        ProjectContact.objects.create(
            project=project, municipality=project.lead_municipality, user=cast[p.contact_person]
        )
    return project


def build_world(plan: WorldPlan, cast: dict) -> World:
    world = World(cast=cast)
    now = timezone.now()
    counters = {"milestone": 0, "report": 0, "document": 0}
    for i, p in enumerate(plan.projects):
        world.projects.append(_build_project(i, p, cast, counters, now))
    for i, slug in enumerate(plan.organisations):
        world.organisations.append(
            OrganisationFactory(
                name=f"Organisation {i}",
                municipality=municipality(slug) if slug else None,
                notes=f"Hält einen {WORD}.",
            )
        )
    for i, c in enumerate(plan.contacts):
        world.contacts.append(
            ContactFactory(
                last_name=f"Mustermann{i}",
                municipality=municipality(c.municipality) if c.municipality else None,
                organisation=(
                    world.organisations[c.organisation] if c.organisation is not None else None
                ),
                notes=f"Kennt den {WORD}.",
            )
        )
    for inv in plan.involvements:
        Involvement.objects.create(
            project=world.projects[inv.project],
            contact=world.contacts[inv.contact] if inv.contact is not None else None,
            organisation=(
                world.organisations[inv.organisation] if inv.organisation is not None else None
            ),
            role=inv.role,
        )
    for n, entry in enumerate(plan.interactions):
        Interaction.objects.create(
            contact=None if entry.kind == "erased" else world.contacts[entry.contact],
            # Distinct days make distinct search titles ("Telefon am <date> – <name>").
            occurred_at=now - dt.timedelta(days=n),
            channel=Interaction.Channel.PHONE,
            summary=f"Über den {WORD} gesprochen." if entry.kind == "entry" else "",
            project=world.projects[entry.project] if entry.project is not None else None,
        )
    for n, members in enumerate(plan.lists):
        distribution_list = DistributionList.objects.create(name=f"Verteiler {n}", purpose="press")
        distribution_list.members.add(*(world.contacts[i] for i in sorted(members)))
    for n, r in enumerate(plan.releases):
        published_at = {
            "past": now - dt.timedelta(hours=n + 1),
            "future": now + dt.timedelta(days=n + 1),
            None: None,
        }[r.published]
        scheduled = r.status == PressRelease.Status.SCHEDULED
        world.releases.append(
            PressReleaseFactory(
                title=f"Meldung {n} vom {WORD}",
                slug=f"meldung-{n}",
                author=cast[r.author],
                status=r.status,
                published_at=published_at,
                publish_at=now + dt.timedelta(days=1) if scheduled else None,
            )
        )
    distribution = Distribution.objects.create(release=world.releases[0])
    for i in sorted(plan.deliveries):
        contact = world.contacts[i]
        Delivery.objects.create(
            distribution=distribution, contact=contact, purpose="press", email=contact.email
        )
    if plan.subscriber is not None:
        SubscriptionFactory(contact=world.contacts[plan.subscriber])
    for key in plan.export_requesters:
        ExportJob.objects.create(kind="funder_report", title="Bericht", requested_by=cast[key])
    for key in plan.audit_actors:
        AuditEvent.objects.create(kind=AuditEvent.Kind.EXPORT, actor=cast[key], actor_name=key)
    for _ in range(plan.feedback):
        AccessibilityFeedback.objects.create(message="Der Kontrast ist zu schwach.")
    # Invitations (soest_office.accounts): one sent by the office, one by a partner of Soest.
    for key, slug in (("office", "lippstadt"), ("partner_soest", "soest")):
        Invitation.objects.create(
            email=f"eingeladen-{key}@example.org",
            username=f"eingeladen-{key}",
            first_name="Ina",
            last_name="Eingeladen",
            role=Role.PARTNER.value,
            municipality=municipality(slug),
            invited_by=cast[key],
        )
    # Participation on every project (public only where the project is), with one accepted
    # and one waiting contribution each: the participation rules see both sides.
    for project in world.projects:
        participation = ParticipationFactory(project=project)
        for status in ("accepted", "pending"):
            ContributionFactory(
                participation=participation, title=f"Beitrag {status} zum {WORD}", status=status
            )
    if plan.meetings:
        build_meetings(world, cast, now)
    return world


def build_meetings(world: World, cast: dict, now) -> None:
    """A Gremium with partner_soest as member: a public, an internal and a confidential
    meeting, each with an agenda item, a paper (one confidential), a decision, an action
    item, attendance and an invitation; a guest, a correction and a series."""
    from meetings.models import (
        ActionItem,
        AgendaItem,
        Attendance,
        Body,
        BodyGuest,
        Decision,
        Invitation,
        Meeting,
        MeetingSeries,
        Membership,
        MinutesCorrection,
        Paper,
        SeriesOccurrence,
    )

    body = Body.objects.create(name="Lenkungskreis", slug="lenkungskreis", code="LK")
    Membership.objects.create(body=body, user=cast["partner_soest"])
    if world.contacts:
        BodyGuest.objects.create(body=body, contact=world.contacts[0])
    for n, (public, confidential) in enumerate([(True, False), (False, False), (False, True)]):
        start = now - dt.timedelta(days=10 + n)
        meeting = Meeting.objects.create(
            body=body,
            title=f"Sitzung {n} zum {WORD}",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            place="Rathaus",
            is_public=public,
            confidential=confidential,
        )
        item = AgendaItem.objects.create(
            meeting=meeting, title=f"TOP {n}", minutes=f"Der {WORD} wurde beraten."
        )
        MinutesCorrection.objects.create(agenda_item=item, text=f"Berichtigung {n}")
        Paper.objects.create(
            agenda_item=item,
            title=f"Vorlage {n}",
            file=f"sitzungen/{n}.pdf",
            original_name=f"{n}.pdf",
            confidential=n == 1,
        )
        Decision.objects.create(
            body=body,
            meeting=meeting,
            agenda_item=item,
            year=2026,
            number=n + 1,
            text=f"Beschluss zum {WORD}",
            vote="unanimous",
        )
        ActionItem.objects.create(
            body=body,
            meeting=meeting,
            title=f"Aufgabe {n} zum {WORD}",
            owner_municipality=municipality("soest" if n != 1 else "lippstadt"),
            due=now.date(),
        )
        Attendance.objects.create(meeting=meeting, user=cast["partner_soest"], attended=True)
        Invitation.objects.create(meeting=meeting, user=cast["partner_soest"])
    series = MeetingSeries.objects.create(
        body=body,
        title="Reihe",
        rule="every_weeks",
        first_start=now,
        until=now.date() + dt.timedelta(days=60),
    )
    SeriesOccurrence.objects.create(series=series, original_date=now.date(), cancelled=True)


class _Discard(Exception):
    """Raised to roll back an example's rows after its checks."""


@contextlib.contextmanager
def example_world(plan: WorldPlan, cast: dict, index_now=None):
    """The plan's world inside a savepoint that is rolled back afterwards, whether the
    checks pass or fail. `index_now` (the root conftest's fixture) indexes it for search."""
    pending.take()  # index changes noted by an earlier example went with its rows
    cache.clear()
    try:
        with transaction.atomic():
            world = build_world(plan, cast)
            if index_now is not None:
                index_now()
            yield world
            raise _Discard
    except _Discard:
        pass
    finally:
        pending.take()


# A hand-made world in which every comparison of the property tests has something to tell
# apart (tests/test_rules_properties.py proves that on it). Read with the cast above.
FIXED_WORLD = WorldPlan(
    projects=(
        ProjectPlan(
            lead="soest",
            participants=frozenset({"lippstadt"}),
            is_public=True,
            status="in_progress",
            archived=False,
            milestones_done=(False, True),
            reports=(
                ReportPlan("draft", "partner_soest"),
                ReportPlan("accepted", "office"),
                ReportPlan("returned", "partner_lippstadt"),
            ),
            documents=1,
            decisions=((True, False),),
            budget_lines=1,
            contact_person="partner_soest",
        ),
        ProjectPlan(
            lead="iserlohn",
            participants=frozenset(),
            is_public=False,
            status="planned",
            archived=True,
            milestones_done=(False,),
            reports=(ReportPlan("submitted", "partner_iserlohn"), ReportPlan("draft", "office")),
            documents=1,
            decisions=((False,),),
            budget_lines=1,
            contact_person=None,
        ),
    ),
    # Soest's contact 0 works for Lippstadt's organisation 1; organisation 2 has no town.
    organisations=("soest", "lippstadt", None),
    contacts=(
        ContactPlan("soest", 1),
        ContactPlan("lippstadt", None),
        ContactPlan(None, 2),
        ContactPlan("kreis-soest", 0),
    ),
    involvements=(
        InvolvementPlan(project=0, contact=0, organisation=None, role="partner"),
        InvolvementPlan(project=0, contact=1, organisation=None, role="expert"),
        InvolvementPlan(project=1, contact=None, organisation=0, role="funder"),
        InvolvementPlan(project=0, contact=None, organisation=2, role="other"),
    ),
    interactions=(
        InteractionPlan(contact=0, kind="entry", project=0),
        InteractionPlan(contact=1, kind="entry", project=None),
        InteractionPlan(contact=0, kind="blank", project=None),
        InteractionPlan(contact=2, kind="erased", project=1),
    ),
    lists=(frozenset({0, 1}), frozenset()),
    releases=(
        ReleasePlan("published", "office", "past"),
        ReleasePlan("draft", "partner_soest", None),
        ReleasePlan("published", "superuser", "future"),
        ReleasePlan("submitted", "partner_lippstadt", None),
        ReleasePlan("archived", "office", "past"),
    ),
    deliveries=frozenset({0, 1}),
    subscriber=2,
    export_requesters=("partner_soest", "office"),
    audit_actors=("office",),
    feedback=1,
    meetings=True,
)
