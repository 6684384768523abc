from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from soest_office.locking import VersionedAdminMixin

from .models import (
    Contact,
    DistributionList,
    Interaction,
    Involvement,
    LegalBasisRecord,
    Organisation,
    RetentionRule,
    Tag,
)


@admin.register(Organisation)
class OrganisationAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind", "municipality"]
    search_fields = ["name"]
    # As the office's form: web addresses without a scheme are https (Django 6 default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Contact)
class ContactAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "organisation", "email", "municipality"]
    list_filter = ["municipality", "category", "do_not_contact"]
    search_fields = ["last_name", "first_name", "email"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["tags"]


@admin.register(LegalBasisRecord)
class LegalBasisRecordAdmin(admin.ModelAdmin):
    list_display = ["contact", "purpose", "status", "effective_at", "recorded_by"]
    list_filter = ["purpose", "status"]
    raw_id_fields = ["contact"]

    def has_change_permission(self, request, obj=None):
        return False  # append-only: a change is a new record


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "basis", "months"]


admin.site.register(Tag)
admin.site.register(DistributionList)
admin.site.register(Involvement, raw_id_fields=["contact", "organisation"])
admin.site.register(Interaction, raw_id_fields=["contact"])
