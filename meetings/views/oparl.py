"""The OParl 1.1 endpoints: read-only JSON, public, paginated as the standard says (object
lists with `data`, `pagination` and `links`). Unknown ids are 404, absurd page numbers 400,
both with a German message in JSON."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from .. import oparl

PAGE_SIZE = 20
MAX_LIMIT = 100
MAX_PAGE = 100_000


class OParlError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def endpoint(view):
    @login_not_required
    @require_safe
    def wrapped(request, *args, **kwargs):
        try:
            return _json(view(request, *args, **kwargs))
        except OParlError as error:
            return _json({"error": error.message}, status=error.status)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _int_param(request, name, default, maximum) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise OParlError(
            400, f"Der Parameter „{name}“ muss eine ganze Zahl von 1 bis {maximum} sein."
        )
    return int(raw)


def object_list(request, queryset, render, *, bulk=None) -> dict:
    """An OParl object list: one page of objects, the pagination block and the links."""
    limit = _int_param(request, "limit", PAGE_SIZE, MAX_LIMIT)
    number = _int_param(request, "page", 1, MAX_PAGE)
    paginator = Paginator(queryset, limit)
    if number > max(paginator.num_pages, 1):
        raise OParlError(404, f"Die Seite {number} gibt es nicht (Seiten: {paginator.num_pages}).")
    page = paginator.page(number)
    objects = list(page.object_list)
    extra = bulk(objects) if bulk else None
    base = request.build_absolute_uri(request.path)
    params = {k: v for k, v in request.GET.items() if k not in ("page",)}

    def link(n):
        return f"{base}?{urlencode({**params, 'page': n})}"

    links = {"first": link(1), "last": link(paginator.num_pages), "self": link(number)}
    if page.has_previous():
        links["prev"] = link(number - 1)
    if page.has_next():
        links["next"] = link(number + 1)
    return {
        "data": [render(obj, extra) if bulk else render(obj) for obj in objects],
        "pagination": {
            "totalElements": paginator.count,
            "elementsPerPage": limit,
            "currentPage": number,
            "totalPages": paginator.num_pages,
        },
        "links": links,
    }


def _one(queryset, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise OParlError(404, "Dieses Objekt gibt es nicht oder es ist nicht öffentlich.")
    return found


def _body(pk):
    if pk != oparl.BODY_ID:
        raise OParlError(404, "Diese Körperschaft gibt es nicht.")


@endpoint
def system(request):
    return oparl.system()


@endpoint
def body_list(request):
    data = object_list(request, [oparl.BODY_ID], lambda _pk: oparl.body())
    return data


@endpoint
def body(request, pk):
    _body(pk)
    return oparl.body()


@endpoint
def organization_list(request, pk):
    _body(pk)
    return object_list(request, oparl.public_organizations().order_by("pk"), oparl.organization)


@endpoint
def organization(request, pk):
    return oparl.organization(_one(oparl.public_organizations(), pk))


@endpoint
def person_list(request, pk):
    _body(pk)
    return object_list(request, oparl.public_memberships().order_by("pk"), oparl.person)


@endpoint
def person(request, pk):
    return oparl.person(_one(oparl.public_memberships(), pk))


@endpoint
def meeting_list(request, pk):
    _body(pk)
    meetings = oparl.public_meetings().order_by("-starts_at", "pk")
    organization_id = request.GET.get("organization")
    if organization_id is not None:
        if not organization_id.isdigit():
            raise OParlError(400, "Der Parameter „organization“ muss eine Zahl sein.")
        meetings = meetings.filter(body_id=int(organization_id))
    return object_list(
        request,
        meetings,
        lambda m, agendas: oparl.meeting(m, agendas[m.pk]),
        bulk=oparl.agendas_for,
    )


@endpoint
def meeting(request, pk):
    found = _one(oparl.public_meetings(), pk)
    return oparl.meeting(found, oparl.agendas_for([found])[found.pk])


@endpoint
def agenda_item(request, pk):
    item = _one(oparl.public_agenda_items(), pk)
    for data in oparl.agendas_for([item.meeting])[item.meeting_id]:
        if data["id"] == oparl.url("agenda_item", pk=item.pk):
            return data
    raise OParlError(404, "Dieses Objekt gibt es nicht oder es ist nicht öffentlich.")


@endpoint
def paper_list(request, pk):
    _body(pk)
    return object_list(request, oparl.public_papers().order_by("pk"), oparl.paper)


@endpoint
def paper(request, pk):
    return oparl.paper(_one(oparl.public_papers(), pk))


@endpoint
def consultation(request, pk):
    return oparl.consultation(_one(oparl.public_papers(), pk))


@endpoint
def file(request, pk):
    return oparl.file(_one(oparl.public_papers(), pk))


@login_not_required
@require_safe
def file_content(request, pk):
    from soest_office import uploads

    found = oparl.public_papers().filter(pk=pk).first()
    if found is None:
        return _json({"error": "Diese Datei gibt es nicht oder sie ist nicht öffentlich."}, 404)
    return uploads.serve_stored_file(found.file.name, download_name=found.original_name)
