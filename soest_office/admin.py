from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .access import Role
from .models import Municipality, User


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "municipality", "is_active"]
    list_filter = ["groups", "municipality", "is_active", "is_staff"]
    list_select_related = ["municipality"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Modellregion"), {"fields": ["municipality"]}),
    )
    add_fieldsets = (
        (None, {"classes": ["wide"], "fields": ["username", "email", "password1", "password2"]}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if user.groups.filter(name=Role.PARTNER).exists() and user.municipality_id is None:
            # A partner without municipality owns nothing; say so instead of failing silently.
            self.message_user(
                request,
                _("Achtung: %(user)s ist in der Gruppe Kommune, aber ohne Kommune.")
                % {"user": user},
                level="warning",
            )
