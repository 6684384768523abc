"""The public news pages: no login, published releases only (everything else is 404)."""

import base64
import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import DetailView
from django_filters.views import FilterView

from soest_office import pdf

from ..filters import PublicReleaseFilter
from ..models import PressRelease

RELATED_COUNT = 3


def published_release(slug: str) -> PressRelease:
    return get_object_or_404(
        PressRelease.objects.published().select_related("press_contact", "section"), slug=slug
    )


def related_releases(release: PressRelease):
    """'Weitere Meldungen': published releases sharing the most Stichwörter, then the newest;
    one query whatever the numbers."""
    tag_ids = [t.pk for t in release.tags.all()]
    return list(
        PressRelease.objects.published()
        .exclude(pk=release.pk)
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids)))
        .order_by("-shared", "-published_at", "-pk")[:RELATED_COUNT]
    )


def section_releases(release: PressRelease):
    """'Weitere Meldungen aus dem Bereich …': the newest other releases of the same Rubrik."""
    if release.section_id is None:
        return []
    return list(
        PressRelease.objects.published()
        .filter(section_id=release.section_id)
        .exclude(pk=release.pk)
        .order_by("-published_at", "-pk")[:RELATED_COUNT]
    )


@method_decorator(login_not_required, name="dispatch")
@method_decorator(require_safe, name="dispatch")
class PublicListView(FilterView):
    filterset_class = PublicReleaseFilter
    template_name = "news/public_list.html"
    context_object_name = "releases"
    paginate_by = settings.NEWS_PAGE_SIZE

    def get_queryset(self):
        return (
            PressRelease.objects.published()
            .select_related("section")
            .prefetch_related("tags")
            .order_by("-published_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        form = self.filterset.form
        context["current_tag"] = form.cleaned_data.get("stichwort") if form.is_valid() else None
        context["current_section"] = form.cleaned_data.get("rubrik") if form.is_valid() else None
        context["search_query"] = form.fields["q"].to_python(self.request.GET.get("q", ""))
        context["search_hints"] = self.filterset.search_hints
        return context


@method_decorator(login_not_required, name="dispatch")
@method_decorator(require_safe, name="dispatch")
class PublicDetailView(DetailView):
    template_name = "news/public_detail.html"
    context_object_name = "release"

    def get_object(self, queryset=None):
        return published_release(self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        release = self.object
        url = f"{settings.SITE_URL}{release.get_absolute_url()}"
        context.update(
            absolute_url=url,
            tags=list(release.tags.all()),
            related=related_releases(release),
            section_related=section_releases(release),
            mailto=f"mailto:?subject={quote(release.title)}&body={quote(release.teaser)}"
            f"%0A%0A{quote(url)}",
            image_url=(
                f"{settings.SITE_URL}{release.get_absolute_url()}bild/"
                if release.image_usable
                else ""
            ),
        )
        return context


def image_response(release: PressRelease):
    if not release.image_usable:
        raise Http404
    try:
        handle = release.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = mimetypes.guess_type(release.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
@login_not_required
def public_image(request, slug):
    """The release's image, while published and while its rights last."""
    return image_response(published_release(slug))


def image_data_uri(release: PressRelease) -> str:
    """The image inline for WeasyPrint, so the PDF renderer fetches nothing over HTTP."""
    if not release.image_usable:
        return ""
    try:
        with release.image.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        return ""
    content_type = mimetypes.guess_type(release.image.name)[0] or "image/jpeg"
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


def render_pdf(release: PressRelease) -> bytes:
    """Tagged PDF/UA-1 (soest_office.pdf). Nothing is fetched over the network or from disk:
    without a base_url the kernel's fetcher allows data: URIs only, and the image comes
    inline as one."""
    return pdf.render_pdf(
        "news/release_pdf.html",
        {
            "release": release,
            "tags": list(release.tags.all()),
            "image_src": image_data_uri(release),
            "absolute_url": f"{settings.SITE_URL}{release.get_absolute_url()}",
        },
    )


@require_safe
@login_not_required
def public_pdf(request, slug):
    release = published_release(slug)
    response = HttpResponse(render_pdf(release), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="pressemitteilung-{release.slug}.pdf"'
    return response
