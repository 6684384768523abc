"""Who may see and change the objects of the projects app: DESIGN.md's role table, once.

Every view, template context, export, search source, feed and task of the app asks these
rules, through the querysets (`Project.objects.visible_to(user)`, `.permitted(user, verb)`)
or `rule.allows` / `rule.get_object` (soest_office.access explains the machinery).

"Own projects" are those the partner's municipality leads or takes part in (`involving`);
a partner without a municipality owns none.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from soest_office import access
from soest_office.access import CHANGE, CREATE, EVERYTHING, PUBLIC, VIEW, Role, Rule, Verb, where
from soest_office.plugins import RULES

OFFICE, PARTNER, STEERING = Role.OFFICE, Role.PARTNER, Role.STEERING
INTRANET = {OFFICE: EVERYTHING, PARTNER: EVERYTHING, STEERING: EVERYTHING}
OFFICE_ONLY = {OFFICE: EVERYTHING}

# Log progress reports, tick milestones, upload documents.
CONTRIBUTE = Verb("contribute", _("Berichte, Meilensteine und Dokumente pflegen"))
# Master data, money, milestones and contacts; archive.
MANAGE = Verb("manage", _("Stammdaten pflegen, archivieren"))
COMPLETE = Verb("complete", _("abhaken"))
# Description, next steps and the own municipality's contact person (partners for their own
# projects); money, status and traffic light stay with the office and the reports.
DESCRIBE = Verb("describe", _("Beschreibung, nächste Schritte, Ansprechperson pflegen"))
REVIEW = Verb("review", _("annehmen, zurückgeben"))

# Report statuses every intranet role reads; drafts and returned reports are the working
# copies of the reporting municipality.
REPORT_SHARED_STATUSES = ("submitted", "accepted")
REPORT_EDITABLE_STATUSES = ("draft", "returned")


def involving(municipality_id: int, path: str = "") -> Q:
    """Rows whose project (`path` to it, "" for projects themselves) the municipality leads
    or takes part in. The ids come from a subquery, so the many-to-many join adds no
    duplicate rows."""
    from .models import Project

    ids = Project.objects.filter(
        Q(lead_municipality_id=municipality_id)
        | Q(participating_municipalities__id=municipality_id)
    ).values("pk")
    return Q(**{f"{path}__in" if path else "pk__in": ids})


def own_projects(path: str = "") -> access.Scope:
    def build(user):
        municipality_id = access.municipality_id_of(user)
        return None if municipality_id is None else involving(municipality_id, path)

    return where(_("eigene Projekte"), build)


# What the public (anonymous visitors, accounts without a role) sees: projects marked public
# and not archived, and of those only the sub-objects the office marked public. The public
# project pages, the open-data API and the transparency list all ask these grants.
PUBLIC_PROJECT_Q = Q(is_public=True, archived_at__isnull=True)


def public_project_q(path: str) -> Q:
    """`PUBLIC_PROJECT_Q` for rows that reach their project through `path` (e.g. "project"):
    other apps' rules about public projects ask this, not a copy of it."""
    return Q(**{f"{path}__{lookup}": value for lookup, value in PUBLIC_PROJECT_Q.children})


PUBLIC_PARTS = _("öffentliche öffentlicher Projekte")


def public_part_of_public_project(flag: str = "is_public", label=PUBLIC_PARTS) -> access.Scope:
    """Sub-objects of public projects whose `flag` is set."""

    def build(user):
        return public_project_q("project") & Q(**{flag: True})

    return where(label, build)


def _partner_reports(user) -> Q:
    shared = Q(status__in=REPORT_SHARED_STATUSES)
    municipality_id = access.municipality_id_of(user)
    if municipality_id is None:
        return shared
    return shared | involving(municipality_id, "project")


def _own_editable_reports(user) -> Q | None:
    municipality_id = access.municipality_id_of(user)
    if municipality_id is None:
        return None
    return Q(status__in=REPORT_EDITABLE_STATUSES, author_id=user.pk) & involving(
        municipality_id, "project"
    )


PROJECT = RULES.register(
    Rule(
        model="projects.Project",
        label=_("Projekte"),
        position=10,
        grants={
            VIEW: {
                **INTRANET,
                PUBLIC: where(_("öffentliche, nicht archivierte"), lambda user: PUBLIC_PROJECT_Q),
            },
            CONTRIBUTE: {OFFICE: EVERYTHING, PARTNER: own_projects()},
            DESCRIBE: {OFFICE: EVERYTHING, PARTNER: own_projects()},
            MANAGE: OFFICE_ONLY,
            CREATE: OFFICE_ONLY,
        },
        note=_(
            "Eigene Projekte sind die, die die Kommune des Kontos federführend leitet oder an "
            "denen sie beteiligt ist; ein Kommune-Konto ohne Kommune hat keine."
        ),
    )
)

MILESTONE = RULES.register(
    Rule(
        model="projects.Milestone",
        label=_("Meilensteine"),
        position=11,
        grants={
            VIEW: {**INTRANET, PUBLIC: public_part_of_public_project()},
            COMPLETE: {OFFICE: EVERYTHING, PARTNER: own_projects("project")},
            CHANGE: OFFICE_ONLY,
        },
    )
)

REPORT = RULES.register(
    Rule(
        model="projects.ProgressReport",
        label=_("Sachstandsberichte"),
        position=12,
        grants={
            VIEW: {
                OFFICE: EVERYTHING,
                PARTNER: where(
                    _("eingereichte und angenommene, dazu Entwürfe eigener Projekte"),
                    _partner_reports,
                ),
                STEERING: where(
                    _("eingereichte und angenommene"),
                    lambda user: Q(status__in=REPORT_SHARED_STATUSES),
                ),
            },
            CHANGE: {
                OFFICE: where(
                    _("Entwürfe und zurückgegebene"),
                    lambda user: Q(status__in=REPORT_EDITABLE_STATUSES),
                ),
                PARTNER: where(
                    _("selbst verfasste Entwürfe und zurückgegebene eigener Projekte"),
                    _own_editable_reports,
                ),
            },
            REVIEW: OFFICE_ONLY,
        },
        note=_("Neue Berichte legt an, wer die Inhalte des Projekts pflegen darf."),
    )
)


def _read_by_intranet_kept_by_office(
    model: str, label, position: int, note="", public: access.Scope | None = None
) -> Rule:
    """The project's sub-objects that every intranet role reads and the office keeps
    (`public`: what of them the public sees)."""
    view = {**INTRANET, PUBLIC: public} if public else INTRANET
    return RULES.register(
        Rule(
            model=model,
            label=label,
            position=position,
            grants={VIEW: view, CHANGE: OFFICE_ONLY},
            note=note,
        )
    )


DOCUMENT = _read_by_intranet_kept_by_office(
    "projects.Document",
    _("Projektdokumente"),
    13,
    note=_("Hochladen darf, wer die Inhalte des Projekts pflegen darf."),
    public=public_part_of_public_project(),
)
FUNDING_DECISION = _read_by_intranet_kept_by_office(
    "projects.FundingDecision",
    _("Förderbescheide"),
    14,
    note=_(
        "Öffentlich ist nur die bewilligte Summe der Projekte, deren Fördersumme das "
        "Projektbüro freigegeben hat (öffentliche Projektseite, offene Daten), keine "
        "einzelnen Bescheide."
    ),
    public=public_part_of_public_project(
        flag="project__funding_is_public",
        label=_("öffentlicher Projekte mit freigegebener Fördersumme"),
    ),
)
DRAWDOWN = _read_by_intranet_kept_by_office("projects.Drawdown", _("Mittelabrufe"), 15)
BUDGET_LINE = _read_by_intranet_kept_by_office("projects.BudgetLine", _("Budgetpositionen"), 16)
PROJECT_CONTACT = _read_by_intranet_kept_by_office(
    "projects.ProjectContact", _("Ansprechpersonen der Projekte"), 17
)
RECEIPT = _read_by_intranet_kept_by_office(
    "projects.Receipt",
    _("Belege"),
    18,
    note=_("Ausgegeben je Budgetposition und bisher ausgegeben ergeben sich aus den Belegen."),
)
PROOF_RECORD = _read_by_intranet_kept_by_office(
    "projects.ProofRecord",
    _("Verwendungs- und Zwischennachweise"),
    19,
    note=_(
        "Erstellen und als eingereicht markieren darf, wer den Förderbescheid pflegt; ein "
        "eingereichter Nachweis beendet die Erinnerung."
    ),
)
