from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from soest_office.locking import VersionedAdminMixin

from .models import Delivery, Distribution, PressRelease, Section, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(PressRelease)
class PressReleaseAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """Read-mostly: the workflow (approval, publishing) runs through the editorial pages,
    whose services enforce the four-eyes rule."""

    list_display = ["title", "status", "published_at", "author"]
    list_filter = ["status", "section", "tags", "municipalities"]
    search_fields = ["title", "teaser"]
    list_select_related = ["author"]
    readonly_fields = ["status", "publish_at", "published_at", "approved_by", "author", "slug"]
    filter_horizontal = ["tags", "municipalities", "projects"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["name", "email", "purpose", "status", "attempts", "sent_at", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Distribution)
class DistributionAdmin(admin.ModelAdmin):
    """Read-only: mailings start from the distribution page, which checks consent."""

    list_display = ["release", "created_by", "created_at"]
    list_select_related = ["release", "created_by"]
    readonly_fields = ["release", "lists", "created_by", "created_at", "last_dispatched_at"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False
