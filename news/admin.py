from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PressRelease, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(PressRelease)
class PressReleaseAdmin(SimpleHistoryAdmin):
    """Read-mostly: the workflow (approval, publishing) runs through the editorial pages,
    whose services enforce the four-eyes rule."""

    list_display = ["title", "status", "published_at", "author"]
    list_filter = ["status", "tags", "municipalities"]
    search_fields = ["title", "teaser"]
    list_select_related = ["author"]
    readonly_fields = ["status", "publish_at", "published_at", "approved_by", "author", "slug"]
    filter_horizontal = ["tags", "municipalities", "projects"]
