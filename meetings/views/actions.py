from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ..filters import ActionItemFilter
from ..forms import ActionStatusForm
from ..models import ActionItem
from ..rules import ACTION_ITEM, UPDATE_STATUS
from ..services import decisions
from .base import refused, require_view

# The columns meetings/_action_table.html (and the minutes PDF) show of an action item:
# title, owner, due date, project, status; the list adds the body ("body__name").
ACTION_TABLE_COLUMNS = (
    "title",
    "due",
    "status",
    "owner_user__first_name",
    "owner_user__last_name",
    "owner_user__username",
    "owner_municipality__name",
    "project__title",
    "project__slug",
)


@require_safe
def action_list(request):
    require_view(request, ACTION_ITEM)
    user = request.user
    queryset = (
        ACTION_ITEM.annotate(ActionItem.objects.visible_to(user), user, UPDATE_STATUS)
        .select_related("body", "owner_user", "owner_municipality", "project")
        # Only what the table shows: the rows of a deep page are sorted with their joined
        # columns, and whole projects and accounts made that sort four times as wide.
        .only(*ACTION_TABLE_COLUMNS, "body__name")
        .order_by("due", "pk")
    )
    data = request.GET.copy()
    # Open items unless a status is asked for: a link that carries only the page number
    # (or another filter) keeps the list the form shows.
    data.setdefault("status", "open_any")
    filterset = ActionItemFilter(data, queryset=queryset, user=user)
    # A project name that matches none or several projects shows its error and no rows,
    # not the unfiltered list.
    rows = filterset.qs if filterset.is_valid() else queryset.none()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/action_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "items": page.object_list,
        },
    )


@require_POST
def action_status(request, pk):
    require_view(request, ACTION_ITEM)
    item = ACTION_ITEM.get_object(request.user, None, UPDATE_STATUS, pk=pk)
    back = request.POST.get("next") or item.get_absolute_url()
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = item.get_absolute_url()
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        return refused(request, ValidationError(_("Bitte einen gültigen Status wählen.")), back)
    decisions.action_item_set_status(request.user, item, form.cleaned_data["status"])
    messages.success(request, _("Der Status der Aufgabe ist gespeichert."))
    return redirect(back)
