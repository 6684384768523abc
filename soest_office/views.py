from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import FormView, ListView, RedirectView, TemplateView
from django_filters.views import FilterView

from . import access, caching, twofactor
from .access import CHANGE, CREATE, VIEW
from .audit import client_ip
from .filters import AuditEventFilter
from .forms import AccessibilityFeedbackForm, BackgroundPasswordResetForm, LoginForm
from .health import run_checks
from .inbox import cached_inbox_total
from .models import AccessibilityFeedback, AuditEvent
from .rules import ACCESSIBILITY_FEEDBACK, ACCOUNT, AUDIT_EVENT, INVITATION
from .tasks import send_accessibility_feedback

# The home page is kept at most this long: some of it changes by the clock alone (a
# scheduled press release falls overdue), which no write announces.
HOME_PAGE_SECONDS = 60


class HomeView(LoginRequiredMixin, TemplateView):
    """The start page: who you are, your role, and the entry points of the apps."""

    template_name = "soest_office/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            role=access.role_of(user),
            # The accounts section: the rules of soest_office/rules.py decide.
            may_manage_accounts=ACCOUNT.permits(user, VIEW),
            may_invite=INVITATION.permits(user, CREATE),
        )
        return context

    def get(self, request, *args, **kwargs):
        """The whole page (greeting, account, the apps' panels, dashboard, press counts,
        action items, and the navigation around them), kept per reader (role,
        municipality, account), day, address and inbox count in the generations of every
        app and of the accounts: a write anywhere, a change of the account's name, role or
        staff flag included, shows at once. A page with messages to show (they are shown
        once) is made afresh."""
        if len(messages.get_messages(request)):
            return super().get(request, *args, **kwargs)

        def render(csrf_token):
            context = self.get_context_data(**kwargs)
            context["csrf_token"] = csrf_token
            return render_to_string(self.template_name, context, request)

        html = caching.fragment(
            request,
            "home",
            render,
            generations=caching.watched(),
            parts=(request.get_full_path(), cached_inbox_total(request.user)),
            personal=True,
            timeout=HOME_PAGE_SECONDS,
        )
        return HttpResponse(html)


@require_safe
@never_cache
@login_not_required
def healthz(request):
    """JSON state of database, cache and broker; 200 when all reachable, 503 otherwise."""
    results, ok = run_checks()
    return JsonResponse(
        {"status": "ok" if ok else "error", "checks": results}, status=200 if ok else 503
    )


def public_page(template_name):
    """A static page anyone may read (legal notices)."""
    return login_not_required(TemplateView.as_view(template_name=template_name))


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.needs_second_factor(user):
            return twofactor.start_pending_login(self.request, user, self.get_success_url())
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class AdminLoginRedirectView(RedirectView):
    """The admin's own login would skip the second factor: send it to ours."""

    http_method_names = ["get", "head"]

    def get_redirect_url(self, *args, **kwargs):
        next_url = self.request.GET.get("next", "/admin/")
        return f"{reverse('soest_office:login')}?{urlencode({'next': next_url})}"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = BackgroundPasswordResetForm
    success_url = reverse_lazy("soest_office:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("soest_office:password_reset_complete")

    def form_valid(self, form):
        # Tells the audit receiver this was a reset, not a change by the user.
        form.user._audit_password_kind = AuditEvent.Kind.PASSWORD_RESET
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("soest_office:password_change_done")


# --- Security audit log ---------------------------------------------------------------------


class RuledListMixin(LoginRequiredMixin):
    """A list of one model's rows as its rule (soest_office/rules.py) lets the user see them;
    404 for whoever may see none: pages whose existence others need not know."""

    rule = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.rule.permits(request.user, VIEW):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.rule.scope(super().get_queryset(), self.request.user, VIEW)


class AuditLogView(RuledListMixin, FilterView):
    """The security log for the office, newest first, filterable and paginated."""

    rule = AUDIT_EVENT
    template_name = "soest_office/audit_log.html"
    filterset_class = AuditEventFilter
    paginate_by = 50
    context_object_name = "events"

    def get_queryset(self):
        # Rendering needs no joins: actor_name keeps the username.
        return self.rule.scope(
            AuditEvent.objects.only(
                "created_at", "kind", "actor_name", "target", "ip_address", "details"
            ),
            self.request.user,
        )


class RetentionView(LoginRequiredMixin, TemplateView):
    """What the next retention run will remove, per data set (office: the security log's
    rule, as the page belongs to the log; 404 for everyone else)."""

    template_name = "soest_office/retention.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not AUDIT_EVENT.permits(request.user, VIEW):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from .retention import retention_preview

        return super().get_context_data(lines=retention_preview(), **kwargs)


# --- Accessibility: feedback form and Leichte Sprache -------------------------------------


def _feedback_rate_limited(request) -> bool:
    """Count submissions per client IP in the cache; True when over the limit."""
    key = f"a11y-feedback:{client_ip(request) or 'unknown'}"
    window = settings.ACCESSIBILITY_FEEDBACK_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > settings.ACCESSIBILITY_FEEDBACK_LIMIT


@method_decorator(login_not_required, name="dispatch")
class AccessibilityFeedbackView(FormView):
    """Public form to report a barrier; stored, then mailed to the office after commit."""

    template_name = "soest_office/feedback_form.html"
    form_class = AccessibilityFeedbackForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "office_email": settings.OFFICE_EMAIL}

    def get_initial(self):
        # Pages link here with ?seite=<their path> so the report names the page.
        return {"page_url": self.request.GET.get("seite", "")[:500]}

    def form_valid(self, form):
        if _feedback_rate_limited(self.request):
            form.add_error(
                None,
                _(
                    "Sie haben in kurzer Zeit viele Rückmeldungen gesendet. Bitte versuchen Sie "
                    "es später noch einmal oder schreiben Sie eine E-Mail an %(email)s."
                )
                % {"email": settings.OFFICE_EMAIL},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not form.is_spam:
            feedback_submit(form=form)
        return redirect("soest_office:feedback_thanks")


def feedback_submit(*, form):
    """Store one report and queue its e-mail to the office once the row is committed."""
    with transaction.atomic():
        feedback = form.save()
        transaction.on_commit(lambda: send_accessibility_feedback.delay(feedback_id=feedback.pk))
    return feedback


class AccessibilityFeedbackListView(RuledListMixin, ListView):
    """The reports received through the feedback form, for the office."""

    rule = ACCESSIBILITY_FEEDBACK
    template_name = "soest_office/feedback_list.html"
    model = AccessibilityFeedback
    paginate_by = 50
    context_object_name = "reports"


class FeedbackAnsweredView(LoginRequiredMixin, View):
    """Mark one accessibility report as answered (it leaves the office's inbox)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        feedback = ACCESSIBILITY_FEEDBACK.get_object(request.user, verb=CHANGE, pk=pk)
        if feedback.answered_at is None:
            feedback.answered_at = timezone.now()
            feedback.save(update_fields=["answered_at"])
        messages.success(request, _("Die Rückmeldung ist als beantwortet markiert."))
        return redirect("soest_office:feedback_list")


# --- One inbox ----------------------------------------------------------------------------------


class InboxView(LoginRequiredMixin, TemplateView):
    """What waits for this person, from every app's inbox sources (soest_office.inbox)."""

    template_name = "soest_office/inbox.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.has_role(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from .inbox import inbox_sections

        return {**super().get_context_data(**kwargs), "sections": inbox_sections(self.request.user)}
