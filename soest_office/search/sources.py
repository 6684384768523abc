"""The search sources of the apps, registered in one place (soest_office owns search).

Every `scope` starts from the model's `visible_to(user)` or the access.py functions behind it,
so the role table of DESIGN.md decides what a search shows:
- projects: every role; milestones, documents: every intranet role, for visible projects;
- progress reports: submitted/accepted ones for every intranet role, drafts and returned
  reports only for those who may edit the project's content (as on the project page);
- contacts, organisations, contact history: office all, partners their municipality's,
  steering group none (ContactQuerySet.visible_to / access.scope_contacts);
- press releases: PressRelease.objects.visible_to (drafts for the office and their author).
A source whose app is not installed (or lacks the model) is simply not registered.
"""

from django.utils.translation import gettext_lazy as _

from soest_office import access

from .registry import Document, Source, register

MAX_EXTRACTED_CHARS = 200_000


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def _project_municipalities(project) -> list[int]:
    return [
        project.lead_municipality_id,
        *(m.pk for m in project.participating_municipalities.all()),
    ]


def _intranet_projects(user):
    from projects.models import Project

    if not access.can_read_intranet(user):
        return Project.objects.none()
    return Project.objects.visible_to(user)


def _project_children(qs, user):
    """Sub-objects (milestones, documents) of the projects the user may read in the intranet."""
    projects = _intranet_projects(user)
    if projects.query.is_empty():
        return qs.none()
    if not projects.query.where:
        return qs
    return qs.filter(project__in=projects.values("pk"))


# --- projects ------------------------------------------------------------------------------


def register_project_sources():
    from projects.models import Project

    def project_document(project):
        participating = list(project.participating_municipalities.all())
        return Document(
            title=project.title,
            summary=project.summary,
            body=_join(
                project.description,
                project.traffic_light_reason,
                getattr(project, "transferability", ""),
            ),
            names=_join(project.lead_municipality.name, *(m.name for m in participating)),
            municipality_ids=[project.lead_municipality_id, *(m.pk for m in participating)],
            field_of_action_id=project.field_of_action_id,
            year=project.created_at.year if project.created_at else None,
            url=project.get_absolute_url(),
        )

    register(
        Source(
            key="projekte",
            label=_("Projekte"),
            model=Project,
            scope=lambda qs, user: qs.visible_to(user),
            document=project_document,
            queryset=lambda: Project.objects.select_related(
                "lead_municipality", "field_of_action"
            ).prefetch_related("participating_municipalities"),
            position=10,
            m2m=("participating_municipalities",),
        )
    )

    try:
        from projects.models import Document as ProjectDocument
        from projects.models import Milestone, ProgressReport
    except ImportError:  # the projects app without its sub-objects
        return

    project_related = ("project__lead_municipality", "project__field_of_action")

    def report_scope(qs, user):
        # Drafts and returned reports: the one rule of ProgressReport.objects.visible_to.
        return _project_children(qs, user).visible_to(user)

    def report_document(report):
        project = report.project
        return Document(
            title=_("Sachstandsbericht %(project)s zum %(date)s")
            % {"project": project.title, "date": report.reporting_date.strftime("%d.%m.%Y")},
            summary=report.achieved,
            body=_join(report.next_steps, report.risks, report.traffic_light_reason),
            names=_join(project.title, report.municipality.name if report.municipality else ""),
            municipality_ids=[report.municipality_id or project.lead_municipality_id],
            field_of_action_id=project.field_of_action_id,
            year=report.reporting_date.year,
            url=report.get_absolute_url(),
        )

    register(
        Source(
            key="berichte",
            label=_("Sachstandsberichte"),
            model=ProgressReport,
            scope=report_scope,
            document=report_document,
            queryset=lambda: ProgressReport.objects.select_related(
                "municipality", *project_related
            ),
            position=20,
            dependencies=((Project, lambda project: project.reports.all()),),
        )
    )

    def milestone_document(milestone):
        project = milestone.project
        return Document(
            title=milestone.title,
            summary=milestone.note,
            names=project.title,
            municipality_ids=_project_municipalities(project),
            field_of_action_id=project.field_of_action_id,
            year=milestone.due_date.year,
            url=f"{project.get_absolute_url()}#meilensteine",
        )

    register(
        Source(
            key="meilensteine",
            label=_("Meilensteine"),
            model=Milestone,
            scope=_project_children,
            document=milestone_document,
            queryset=lambda: Milestone.objects.select_related(*project_related).prefetch_related(
                "project__participating_municipalities"
            ),
            position=30,
            dependencies=((Project, lambda project: project.milestones.all()),),
        )
    )

    def document_document(document):
        from .models import DocumentText

        project = document.project
        try:
            extracted = document.search_text.text
        except DocumentText.DoesNotExist:
            extracted = ""
        return Document(
            title=document.title,
            summary=_join(document.get_kind_display(), document.original_name),
            body=extracted[:MAX_EXTRACTED_CHARS],
            names=project.title,
            municipality_ids=_project_municipalities(project),
            field_of_action_id=project.field_of_action_id,
            year=document.uploaded_at.year if document.uploaded_at else None,
            url=document.get_absolute_url(),
        )

    register(
        Source(
            key="dokumente",
            label=_("Dokumente"),
            model=ProjectDocument,
            scope=_project_children,
            document=document_document,
            queryset=lambda: ProjectDocument.objects.select_related(
                "search_text", *project_related
            ).prefetch_related("project__participating_municipalities"),
            position=40,
            dependencies=((Project, lambda project: project.documents.all()),),
        )
    )


# --- stakeholders --------------------------------------------------------------------------


def register_stakeholder_sources():
    try:
        from stakeholders.models import Contact, Interaction, Organisation
    except ImportError:
        return

    def contact_document(contact):
        organisation = contact.organisation
        return Document(
            title=contact.full_name or contact.last_name,
            summary=_join(contact.function, organisation.name if organisation else ""),
            body=_join(contact.notes, *(t.name for t in contact.tags.all())),
            names=_join(
                contact.first_name,
                contact.last_name,
                organisation.name if organisation else "",
                contact.email,
            ),
            municipality_ids=[contact.municipality_id],
            year=contact.created_at.year if contact.created_at else None,
            url=contact.get_absolute_url(),
        )

    register(
        Source(
            key="kontakte",
            label=_("Kontakte"),
            model=Contact,
            scope=lambda qs, user: qs.visible_to(user),
            document=contact_document,
            queryset=lambda: Contact.objects.select_related("organisation").prefetch_related(
                "tags"
            ),
            position=50,
            m2m=("tags",),
            dependencies=((Organisation, lambda org: org.contacts.all()),),
        )
    )

    def organisation_document(organisation):
        return Document(
            title=organisation.name,
            summary=_join(organisation.get_kind_display(), organisation.city),
            body=_join(organisation.notes, organisation.street, organisation.postal_code),
            names=_join(organisation.city),
            municipality_ids=[organisation.municipality_id],
            year=organisation.created_at.year if organisation.created_at else None,
            url=organisation.get_absolute_url(),
        )

    register(
        Source(
            key="organisationen",
            label=_("Organisationen"),
            model=Organisation,
            scope=lambda qs, user: qs.visible_to(user),
            document=organisation_document,
            queryset=lambda: Organisation.objects.all(),
            position=60,
        )
    )

    def interaction_scope(qs, user):
        if not access.can_access_stakeholders(user):
            return qs.none()
        return access.scope_contacts(qs, user, prefix="contact__")

    def interaction_document(interaction):
        contact = interaction.contact
        if contact is None or not interaction.summary:
            return None  # erased person: an anonymous count row, nothing to find
        project = interaction.project
        return Document(
            title=_("%(channel)s am %(date)s – %(name)s")
            % {
                "channel": interaction.get_channel_display(),
                "date": interaction.occurred_at.strftime("%d.%m.%Y"),
                "name": contact.full_name,
            },
            summary=interaction.summary,
            names=_join(
                contact.first_name,
                contact.last_name,
                contact.organisation.name if contact.organisation else "",
                project.title if project else "",
            ),
            municipality_ids=[contact.municipality_id],
            field_of_action_id=project.field_of_action_id if project else None,
            year=interaction.occurred_at.year,
            url=f"{contact.get_absolute_url()}#kontakthistorie",
        )

    register(
        Source(
            key="kontakthistorie",
            label=_("Kontakthistorie"),
            model=Interaction,
            scope=interaction_scope,
            document=interaction_document,
            queryset=lambda: Interaction.objects.select_related("contact__organisation", "project"),
            position=70,
            dependencies=((Contact, lambda contact: contact.interactions.all()),),
        )
    )


# --- news ----------------------------------------------------------------------------------


def register_news_sources():
    try:
        from news.models import PressRelease
    except ImportError:
        return

    def release_document(release):
        published = release.status == PressRelease.Status.PUBLISHED
        when = release.published_at or release.created_at
        return Document(
            title=release.title,
            summary=release.teaser,
            body=release.body,
            names=_join(release.dateline, *(m.name for m in release.municipalities.all())),
            municipality_ids=[m.pk for m in release.municipalities.all()],
            year=when.year if when else None,
            url=release.get_absolute_url() if published else release.get_editorial_url(),
        )

    register(
        Source(
            key="presse",
            label=_("Pressemitteilungen"),
            model=PressRelease,
            scope=lambda qs, user: qs.visible_to(user),
            document=release_document,
            queryset=lambda: PressRelease.objects.prefetch_related("municipalities"),
            position=80,
            m2m=("municipalities", "tags"),
        )
    )


def register_all():
    register_project_sources()
    register_stakeholder_sources()
    register_news_sources()
