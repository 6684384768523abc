"""A URLconf with a deliberate N+1, used only by tests/test_nplusone.py."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path


@login_not_required
def lazy_names(request):
    users = get_user_model().objects.order_by("pk")
    return HttpResponse(", ".join(u.municipality.name for u in users if u.municipality_id))


@login_not_required
def eager_names(request):
    users = get_user_model().objects.select_related("municipality").order_by("pk")
    return HttpResponse(", ".join(u.municipality.name for u in users if u.municipality_id))


urlpatterns = [path("lazy/", lazy_names), path("eager/", eager_names)]
