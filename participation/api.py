"""The participation app's part of the open-data API (/api/v1/, soest_office.opendata):
accepted contributions with the office's answers, as the contribution rule lets the anonymous
visitor see them. No address ever leaves: the schema names every field that does, and the
author's name only where the author chose to show it."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from soest_office.api_v1 import Page
from soest_office.opendata import ApiSection, Dataset
from soest_office.plugins import OPEN_DATA

from .models import Contribution

router = Router(tags=["Bürgerbeiträge"])


class AnswerOut(Schema):
    status: str = Field(description="reviewing, implementing, not_feasible")
    status_label: str
    text: str
    answered_at: datetime.datetime | None


class ContributionOut(Schema):
    id: int
    project: str = Field(description="slug des Vorhabens")
    kind: str = Field(description="idea (Idee) oder remark (Hinweis)")
    title: str
    text: str
    category: str
    author: str | None = Field(description="nur, wenn die Person ihren Namen zeigen wollte")
    submitted_at: datetime.datetime
    supports: int = Field(description="bestätigte Unterstützungen")
    answer: AnswerOut | None = Field(description="Antwort des Projektbüros")
    url: str

    @staticmethod
    def resolve_id(contribution) -> int:
        return contribution.pk

    @staticmethod
    def resolve_project(contribution) -> str:
        return contribution.participation.project.slug

    @staticmethod
    def resolve_author(contribution) -> str | None:
        return contribution.author_name if contribution.show_name else None

    @staticmethod
    def resolve_submitted_at(contribution) -> datetime.datetime:
        return contribution.created_at

    @staticmethod
    def resolve_supports(contribution) -> int:
        return contribution.n_supports

    @staticmethod
    def resolve_answer(contribution) -> dict | None:
        if not contribution.answer_status:
            return None
        return {
            "status": contribution.answer_status,
            "status_label": str(contribution.get_answer_status_display()),
            "text": contribution.answer_text,
            "answered_at": contribution.answered_at,
        }

    @staticmethod
    def resolve_url(contribution, context) -> str:
        slug = contribution.participation.project.slug
        page = reverse("participation:public_list", kwargs={"slug": slug})
        return context["request"].build_absolute_uri(f"{page}#beitrag-{contribution.pk}")


def published_contributions():
    return (
        Contribution.objects.visible_to(AnonymousUser())
        .select_related("participation__project")
        .annotate(n_supports=Count("supports", filter=Q(supports__confirmed_at__isnull=False)))
        .order_by("-created_at", "-pk")
    )


@router.get(
    "/",
    response=list[ContributionOut],
    url_name="contributions",
    summary="Angenommene Bürgerbeiträge mit den Antworten des Projektbüros",
)
@paginate(Page)
def list_contributions(request, vorhaben: str = "", art: str = "", beantwortet: bool | None = None):
    """Filter: `vorhaben` (slug), `art` (idea oder remark), `beantwortet` (true/false)."""
    contributions = published_contributions()
    if vorhaben:
        contributions = contributions.filter(participation__project__slug=vorhaben[:80])
    if art:
        contributions = contributions.filter(kind=art[:10])
    if beantwortet is not None:
        contributions = (
            contributions.exclude(answer_status="")
            if beantwortet
            else (contributions.filter(answer_status=""))
        )
    return contributions


OPEN_DATA.register(
    ApiSection(
        key="contributions",
        prefix="beitraege",
        router=router,
        position=30,
        datasets=(
            Dataset(
                key="beitraege",
                title="Bürgerbeiträge zu Vorhaben der Digitalen Modellregion Soest",
                description=(
                    "Angenommene Ideen und Hinweise aus der Online-Beteiligung mit den "
                    "Antworten des Projektbüros; ohne Adressen."
                ),
                path="beitraege/",
                keywords=("Bürgerbeteiligung", "Modellregion", "Soest"),
            ),
        ),
    )
)
