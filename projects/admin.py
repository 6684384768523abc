from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from soest_office.locking import VersionedAdminMixin

from .models import (
    BudgetLine,
    Document,
    Drawdown,
    FieldOfAction,
    FundingDecision,
    Milestone,
    Notification,
    ProgressReport,
    Project,
    ProjectContact,
    ProjectUserSettings,
    ProofRecord,
    Receipt,
)


@admin.register(FieldOfAction)
class FieldOfActionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class ContactInline(admin.TabularInline):
    model = ProjectContact
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "lead_municipality", "field_of_action", "status", "traffic_light"]
    list_filter = ["status", "traffic_light", "field_of_action", "lead_municipality", "is_public"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["participating_municipalities"]
    readonly_fields = ["spent_to_date", "percent_complete", "last_report_date"]
    inlines = [MilestoneInline, ContactInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "reporting_date", "municipality", "status", "traffic_light"]
    list_filter = ["status", "traffic_light", "municipality"]
    search_fields = ["project__title", "achieved"]
    # Workflow changes go through the services (views); the admin reads.
    readonly_fields = ["status", "snapshot", "submitted_at", "reviewed_at", "reviewed_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == ProgressReport.Status.ACCEPTED:
            # An accepted report is frozen: not even the admin changes it.
            return [f.name for f in ProgressReport._meta.fields]
        return self.readonly_fields


@admin.register(Milestone)
class MilestoneAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "project", "due_date", "done_date"]
    search_fields = ["title", "project__title"]


class DrawdownInline(admin.TabularInline):
    model = Drawdown
    extra = 0


@admin.register(FundingDecision)
class FundingDecisionAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "funder", "reference", "granted_amount", "period_end"]
    inlines = [DrawdownInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "title", "planned_amount", "spent_amount"]
    # Derived from the receipts (projects.services.ledger).
    readonly_fields = ["spent_amount"]


@admin.register(Receipt)
class ReceiptAdmin(SimpleHistoryAdmin):
    """Read only: receipts are booked in the intranet, where the derived figures follow."""

    list_display = ["project", "number", "receipt_date", "payee", "gross_amount", "payment_date"]
    search_fields = ["number", "payee", "purpose", "project__title"]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProofRecord)
class ProofRecordAdmin(SimpleHistoryAdmin):
    """Read only: proofs are created with their file and marked submitted in the intranet
    (projects.services.proof), where the reminders follow."""

    list_display = [
        "funding_decision__project",
        "funding_decision",
        "kind",
        "date_from",
        "date_to",
        "status",
        "submitted_on",
        "created_at",
    ]
    list_filter = ["kind", "status", "funding_decision__funder"]
    search_fields = [
        "funding_decision__reference",
        "funding_decision__funder",
        "funding_decision__project__title",
    ]
    date_hierarchy = "created_at"
    list_select_related = ["funding_decision__project"]
    raw_id_fields = ["funding_decision", "export_job", "submitted_by", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "kind", "uploaded_at", "uploaded_by"]
    readonly_fields = ["original_name", "size", "uploaded_by"]
    # Files are uploaded (validated) and downloaded (permission-checked) in the intranet only.
    exclude = ["file"]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "kind", "created_at", "sent_at", "via_digest"]
    list_filter = ["kind", "via_digest"]
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(ProjectUserSettings)
class ProjectUserSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "mail_mode"]
    exclude = ["calendar_token"]  # a secret: users renew or revoke it themselves
