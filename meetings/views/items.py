"""The office's forms on a meeting: agenda items, minutes, papers, decisions, action items,
attendance."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from soest_office import uploads
from soest_office.access import CHANGE

from ..forms import (
    ActionItemForm,
    AgendaItemForm,
    CorrectionForm,
    DecisionForm,
    MinutesForm,
    PaperForm,
)
from ..models import AgendaItem
from ..rules import AGENDA_ITEM, PAPER
from ..services import decisions, minutes
from .base import get_meeting, refused, require_view

FORM_METHODS = ["GET", "HEAD", "POST"]


def _form_page(request, meeting, form, title, multipart=False):
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": title,
            "meeting": meeting,
            "cancel_url": meeting.get_absolute_url(),
            "multipart": multipart,
        },
    )


@require_http_methods(FORM_METHODS)
def agenda_item_form(request, pk, item_pk=None):
    meeting = get_meeting(request, pk, CHANGE)
    item = None
    if item_pk is not None:
        item = AGENDA_ITEM.get_object(
            request.user, AgendaItem.objects.filter(meeting=meeting), CHANGE, pk=item_pk
        )
    form = AgendaItemForm(request.POST or None, instance=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.meeting = meeting
            form.save()
        return redirect(meeting.get_absolute_url())
    title = _("Tagesordnungspunkt bearbeiten") if item else _("Neuer Tagesordnungspunkt")
    return _form_page(request, meeting, form, title)


@require_http_methods(FORM_METHODS)
def minutes_form(request, pk, item_pk):
    """Minutes of one item; once approved, a correction is added instead."""
    meeting = get_meeting(request, pk, CHANGE)
    item = AGENDA_ITEM.get_object(
        request.user, AgendaItem.objects.filter(meeting=meeting), CHANGE, pk=item_pk
    )
    frozen = meeting.minutes_frozen
    if frozen:
        form = CorrectionForm(request.POST or None)
    else:
        form = MinutesForm(request.POST or None, initial={"minutes": item.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            if frozen:
                minutes.minutes_correct(request.user, item, form.cleaned_data["text"])
            else:
                minutes.minutes_write(request.user, item, form.cleaned_data["minutes"])
        except ValidationError as error:
            return refused(request, error, meeting.get_absolute_url())
        messages.success(request, _("Das Protokoll ist gespeichert."))
        return redirect(item.get_absolute_url())
    title = (_("Berichtigung zu %(item)s") if frozen else _("Protokoll zu %(item)s")) % {
        "item": item
    }
    return _form_page(request, meeting, form, title)


@require_http_methods(FORM_METHODS)
def paper_form(request, pk, item_pk):
    meeting = get_meeting(request, pk, CHANGE)
    item = AGENDA_ITEM.get_object(
        request.user, AgendaItem.objects.filter(meeting=meeting), CHANGE, pk=item_pk
    )
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        paper = form.save(commit=False)
        paper.agenda_item = item
        paper.original_name = uploads.clean_display_name(form.cleaned_data["file"].name)
        paper.uploaded_by = request.user
        paper.save()
        messages.success(request, _("Die Vorlage ist hochgeladen."))
        return redirect(item.get_absolute_url())
    return _form_page(request, meeting, form, _("Vorlage zu %(item)s") % {"item": item}, True)


@require_safe
def paper_download(request, pk):
    require_view(request, PAPER)
    paper = PAPER.get_object(request.user, None, pk=pk)
    return uploads.serve_stored_file(paper.file.name, download_name=paper.original_name)


@require_http_methods(FORM_METHODS)
def decision_form(request, pk):
    meeting = get_meeting(request, pk, CHANGE)
    form = DecisionForm(request.POST or None, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = decisions.decision_create(
                request.user,
                meeting,
                text=data["text"],
                vote=data["vote"],
                agenda_item=data["agenda_item"],
                votes=form.votes(),
                projects=data["projects"],
                effect_project=data["effect_project"],
                effect_status=data["effect_status"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Beschluss %(ref)s ist gefasst.") % {"ref": decision.reference}
            )
            if decision.effect_applied_at:
                messages.success(
                    request,
                    _("Projekt „%(p)s“ hat jetzt den Status „%(s)s“.")
                    % {
                        "p": decision.effect_project.title,
                        "s": decision.get_effect_status_display(),
                    },
                )
            return redirect(decision.get_absolute_url())
    return _form_page(request, meeting, form, _("Neuer Beschluss"))


@require_http_methods(FORM_METHODS)
def action_item_form(request, pk):
    meeting = get_meeting(request, pk, CHANGE)
    form = ActionItemForm(request.POST or None, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decisions.action_item_create(
                request.user,
                meeting,
                title=data["title"],
                due=data["due"],
                owner_user=data["owner_user"],
                owner_municipality=data["owner_municipality"],
                project=data["project"],
                decision=data["decision"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Aufgabe ist angelegt."))
            return redirect(meeting.get_absolute_url() + "#aufgaben")
    return _form_page(request, meeting, form, _("Neue Aufgabe"))


@require_POST
def attendance_form(request, pk):
    meeting = get_meeting(request, pk, CHANGE)
    present = set()
    for value in request.POST.getlist("present"):
        if not value.isdigit():
            return refused(
                request,
                ValidationError(_("Ungültige Angabe zur Anwesenheit.")),
                meeting.get_absolute_url(),
            )
        present.add(int(value))
    try:
        minutes.attendance_set(request.user, meeting, present)
    except ValidationError as error:
        return refused(request, error, meeting.get_absolute_url())
    messages.success(request, _("Die Anwesenheit ist gespeichert."))
    return redirect(meeting.get_absolute_url() + "#anwesenheit")
