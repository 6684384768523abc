from django.contrib import admin

from .models import (
    ActionItem,
    AgendaItem,
    Body,
    BodyGuest,
    Decision,
    Meeting,
    MeetingSeries,
    Membership,
    SeriesOccurrence,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class GuestInline(admin.TabularInline):
    model = BodyGuest
    extra = 0
    raw_id_fields = ["contact"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, GuestInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "kind", "title", "duration_minutes", "presenter"]
    raw_id_fields = ["presenter"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "starts_at", "status", "confidential", "is_public"]
    list_filter = ["body", "status", "confidential", "is_public"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "body", "meeting", "vote"]
    list_filter = ["body", "year"]
    # The effect on a project is applied by the service when the decision is recorded
    # (decision_apply_effect); editing it here would change the record, not the project.
    readonly_fields = [
        "year",
        "number",
        "effect_project",
        "effect_status",
        "effect_previous_status",
        "effect_applied_at",
    ]
    raw_id_fields = ["meeting", "agenda_item"]

    def has_add_permission(self, request):
        # Numbers are drawn by services.decisions.decision_create only.
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "owner_user", "owner_municipality", "due", "status"]
    list_filter = ["body", "status", "owner_municipality"]
    raw_id_fields = ["meeting", "decision", "owner_user", "project"]


class OccurrenceInline(admin.TabularInline):
    model = SeriesOccurrence
    extra = 0
    raw_id_fields = ["meeting"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "rule", "first_start", "until"]
    inlines = [OccurrenceInline]
