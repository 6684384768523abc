from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from . import access
from .forms import BackgroundPasswordResetForm, LoginForm
from .health import run_checks


class HomeView(LoginRequiredMixin, TemplateView):
    """The start page: who you are, your role, and the entry points of the apps."""

    template_name = "soest_office/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role"] = access.role_of(self.request.user)
        return context


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


class PasswordResetView(auth_views.PasswordResetView):
    form_class = BackgroundPasswordResetForm
    success_url = reverse_lazy("soest_office:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("soest_office:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("soest_office:password_change_done")
