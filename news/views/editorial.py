"""The editorial pages of the intranet: list by status, editor with preview, workflow, history."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from soest_office import locking
from soest_office.access import CHANGE, CREATE, VIEW

from .. import corrections, mailing, services
from ..filters import EditorialReleaseFilter
from ..forms import PressReleaseForm, ReturnForm, ScheduleForm
from ..markdown import render_markdown
from ..models import Distribution, NewsSettings, PressRelease
from ..rules import APPROVE, PRESS_RELEASE, PUBLISH


def get_release_for_user(user, pk, verb=VIEW) -> PressRelease:
    """The release for an editorial page, by news/rules.py: 404 when the user may not see it
    in the intranet (the editorial pages are for roles), 403 when the user sees it but may
    not do `verb`. The user's rights on it ride along (no query per check)."""
    if not user.is_authenticated:
        # The rule's public grant is the public pages' (/presse/), not the editorial ones'.
        raise Http404
    queryset = PRESS_RELEASE.annotate(
        PressRelease.objects.select_related("author", "approved_by"), user, CHANGE, APPROVE
    )
    return PRESS_RELEASE.get_object(user, queryset, verb, pk=pk)


def get_release_for_editor(user, pk) -> PressRelease:
    """404 outside the user's scope, 403 when visible but not editable."""
    return get_release_for_user(user, pk, CHANGE)


class EditorialAccessMixin(LoginRequiredMixin):
    """A login the release rule lets see no release (no role) finds none of the editorial
    pages (404); a view's `required` verb, when the rule does not grant it at all, is 403."""

    required = None

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            if not PRESS_RELEASE.permits(user, VIEW):
                raise Http404
            if self.required is not None and not PRESS_RELEASE.permits(user, self.required):
                raise PermissionDenied
            self.check_object(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def check_object(self, request, *args, **kwargs):
        """Views of one release look it up here, after the role-level questions."""


class EditorialListView(EditorialAccessMixin, FilterView):
    filterset_class = EditorialReleaseFilter
    template_name = "news/editorial_list.html"
    context_object_name = "releases"
    paginate_by = 25

    def get_queryset(self):
        return (
            PressRelease.objects.visible_to(self.request.user)
            .select_related("author")
            .order_by("-updated_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        counts = dict(
            PressRelease.objects.visible_to(user)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        context["status_counts"] = [
            (value, label, counts.get(value, 0)) for value, label in PressRelease.Status.choices
        ]
        context["can_write"] = PRESS_RELEASE.permits(user, CREATE)
        context["can_publish"] = PRESS_RELEASE.permits(user, PUBLISH)
        if context["can_publish"]:
            context["overdue"] = list(PressRelease.objects.overdue().order_by("publish_at"))
            context["news_settings"] = NewsSettings.current()
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class ReleaseCreateView(EditorialAccessMixin, FormView):
    form_class = PressReleaseForm
    template_name = "news/editor.html"
    required = CREATE

    def form_valid(self, form):
        release = services.release_create(author=self.request.user, **form.service_arguments())
        messages.success(self.request, _("Der Entwurf ist gespeichert."))
        return redirect(release.get_editorial_url())


class ReleaseUpdateView(EditorialAccessMixin, FormView):
    form_class = PressReleaseForm
    template_name = "news/editor.html"

    def check_object(self, request, *args, **kwargs):
        self.release = get_release_for_editor(request.user, kwargs["pk"])
        if self.release.status == PressRelease.Status.ARCHIVED:
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.release}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "release": self.release}

    def form_valid(self, form):
        previous_status = self.release.status
        try:
            release = services.release_update(
                release=self.release,
                user=self.request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.service_arguments(),
            )
        except locking.StaleVersion as conflict:
            self.release = conflict.current
            form = locking.conflict_form(
                type(form), conflict, self.request.POST, self.request.FILES or None
            )
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except services.WorkflowError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        if release.correction_draft and previous_status == PressRelease.Status.PUBLISHED:
            messages.success(
                self.request,
                _(
                    "Die Korrektur ist vorgeschlagen. Öffentlich gilt der bisherige Text, bis "
                    "eine zweite Person die Korrektur freigibt."
                ),
            )
            return redirect(release.get_editorial_url())
        messages.success(self.request, _("Die Änderungen sind gespeichert."))
        if release.status != previous_status:
            messages.warning(
                self.request,
                _(
                    "Die Meldung war freigegeben; nach der Änderung muss sie erneut "
                    "freigegeben werden."
                ),
            )
        return redirect(release.get_editorial_url())


class EditorialDetailView(EditorialAccessMixin, DetailView):
    template_name = "news/editorial_detail.html"
    context_object_name = "release"

    def get_object(self, queryset=None):
        return get_release_for_user(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, release = self.request.user, self.object
        S = PressRelease.Status
        office = PRESS_RELEASE.permits(user, PUBLISH)
        editable = PRESS_RELEASE.allows(user, release, CHANGE)
        context.update(
            tags=list(release.tags.all()),
            municipalities=list(release.municipalities.all()),
            projects=list(release.projects.all()),
            can_edit=editable and release.status != S.ARCHIVED,
            can_submit=editable and release.status == S.DRAFT,
            can_return=office and release.status in (S.SUBMITTED, S.APPROVED, S.SCHEDULED),
            can_approve=office and release.status == S.SUBMITTED,
            approve_allowed=PRESS_RELEASE.allows(user, release, APPROVE),
            can_schedule=office and release.status in (S.APPROVED, S.SCHEDULED),
            can_unschedule=office and release.status == S.SCHEDULED,
            can_publish=office and release.status in (S.APPROVED, S.SCHEDULED),
            can_archive=office and release.status == S.PUBLISHED,
            correction=release.correction_draft or None,
            correction_fields=[
                (str(PressRelease._meta.get_field(name).verbose_name), value)
                for name, value in (release.correction_draft or {}).get("fields", {}).items()
            ],
            can_approve_correction=office and bool(release.correction_draft),
            can_distribute=office and release.status == S.PUBLISHED,
            can_embargo=office and release.status == S.SCHEDULED,
            press_lists=mailing.lists_for_choice() if office else [],
            publication_list_ids=(
                {dl.pk for dl in release.publication_lists.all()}
                if office and release.status == S.SCHEDULED
                else set()
            ),
            has_distribution=office and Distribution.objects.filter(release=release).exists(),
            schedule_form=ScheduleForm(),
            return_form=ReturnForm(),
            warnings=services.publish_warnings(release) if office else [],
            history=release.history.select_related("history_user").order_by("-history_date")[:50],
        )
        return context


ACTIONS = {
    "einreichen": ("release_submit", _("Die Meldung ist zur Freigabe eingereicht.")),
    "freigeben": ("release_approve", _("Die Meldung ist freigegeben.")),
    "veroeffentlichen": ("release_publish", _("Die Meldung ist veröffentlicht.")),
    "planung-aufheben": ("release_unschedule", _("Die Planung ist aufgehoben.")),
    "archivieren": ("release_archive", _("Die Meldung ist archiviert.")),
    "korrektur-freigeben": (
        corrections.correction_approve,
        _("Die Korrektur ist freigegeben und mit Datum auf der öffentlichen Seite vermerkt."),
    ),
    "korrektur-verwerfen": (
        corrections.correction_discard,
        _("Der Korrekturvorschlag ist verworfen."),
    ),
}


@require_POST
def release_action(request, pk, action):
    """The workflow buttons. The service checks the role again: a crafted POST by a partner
    meets the same PermissionDenied as the missing button."""
    release = get_release_for_user(request.user, pk)
    if action == "planen":
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("publish_at", []):
                messages.error(request, error)
            return redirect(release.get_editorial_url())
        kwargs = {"publish_at": form.cleaned_data["publish_at"]}
        service, done = services.release_schedule, _("Die Veröffentlichung ist geplant.")
    elif action == "zurueckgeben":
        form = ReturnForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        kwargs = {"note": note}
        service, done = services.release_return, _("Die Meldung ist zurückgegeben.")
    elif action in ACTIONS:
        name, done = ACTIONS[action]
        service, kwargs = (getattr(services, name) if isinstance(name, str) else name), {}
    else:
        raise Http404
    try:
        release = service(release=release, user=request.user, **kwargs)
    except services.FourEyesViolation as exc:
        # A forged approval (the button is not offered): 403, with the reason, nothing changed.
        return render(request, "news/forbidden.html", {"message": exc.message}, status=403)
    except services.WorkflowError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(release.get_editorial_url())
    messages.success(request, done)
    if action in ("veroeffentlichen", "planen"):
        for warning in services.publish_warnings(release):
            messages.warning(request, warning)
    return HttpResponseRedirect(reverse("news:editorial_detail", kwargs={"pk": release.pk}))


@require_POST
def preview(request):
    """Live preview of the editor: the body rendered exactly as the public page will."""
    if not PRESS_RELEASE.permits(request.user, CREATE):
        raise PermissionDenied
    body = request.POST.get("body", "")[:200_000]
    return JsonResponse({"html": render_markdown(body)})


@require_safe
def editorial_image(request, pk):
    release = get_release_for_user(request.user, pk)
    if not release.image:
        raise Http404
    # In the intranet the image shows even after its rights ended (marked on the page).
    try:
        handle = release.image.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(release.image.name)[0])
    response["Cache-Control"] = "private, no-store"
    return response


FIELD_LABELS = {
    f.name: f.verbose_name for f in PressRelease._meta.get_fields() if hasattr(f, "verbose_name")
}


class HistoryView(EditorialAccessMixin, DetailView):
    """Every change with who, when, why and what changed (field by field)."""

    template_name = "news/editorial_history.html"
    context_object_name = "release"

    def get_object(self, queryset=None):
        return get_release_for_user(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = list(
            self.object.history.select_related("history_user").order_by(
                "history_date", "history_id"
            )
        )
        names = _m2m_names()
        entries = []
        previous = None
        for record in records:
            changes = []
            if previous is not None:
                delta = record.diff_against(previous, excluded_fields=["updated_at"])
                for change in delta.changes:
                    changes.append(
                        {
                            "field": FIELD_LABELS.get(change.field, change.field),
                            "old": _describe(change.old, names.get(change.field)),
                            "new": _describe(change.new, names.get(change.field)),
                        }
                    )
            entries.append({"record": record, "changes": changes})
            previous = record
        context["entries"] = list(reversed(entries))
        return context


def _m2m_names() -> dict:
    """Names of the many-to-many targets, for readable history diffs."""
    from projects.models import Project
    from soest_office.models import Municipality

    from ..models import Tag

    return {
        "tags": ("tag", dict(Tag.objects.values_list("pk", "name"))),
        "municipalities": ("municipality", dict(Municipality.objects.values_list("pk", "name"))),
        "projects": ("project", dict(Project.objects.values_list("pk", "title"))),
    }


def _describe(value, m2m=None) -> str:
    if isinstance(value, list):
        key, names = m2m or ("", {})
        return ", ".join(sorted(str(names.get(row.get(key), "?")) for row in value)) or "–"
    if value in (None, ""):
        return "–"
    return str(value)


@require_POST
def one_person_office(request):
    """Turn the one-person office on or off (office only, audited)."""
    if not PRESS_RELEASE.permits(request.user, PUBLISH):
        raise PermissionDenied
    enabled = request.POST.get("enabled") == "1"
    if enabled and request.POST.get("confirm") != "1":
        messages.error(
            request,
            _(
                "Bitte bestätigen Sie, dass das Projektbüro derzeit nur aus einer Person "
                "besteht und eigene Meldungen ohne zweite Person freigegeben werden dürfen."
            ),
        )
        return redirect("news:editorial_list")
    corrections.set_one_person_office(user=request.user, enabled=enabled, request=request)
    messages.success(
        request,
        _("Ein-Personen-Büro eingeschaltet: die Einstellung ist im Audit-Protokoll vermerkt.")
        if enabled
        else _("Ein-Personen-Büro ausgeschaltet: es gilt wieder das Vier-Augen-Prinzip."),
    )
    return redirect("news:editorial_list")
