from django.contrib import admin

from .models import ConsentText, DigestMail, Subscription, SubscriptionRequest


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """A new wording is a new version; used versions are the consent proof, so they are
    read-only once saved."""

    list_display = ["version", "valid_from"]

    def get_readonly_fields(self, request, obj=None):
        return ["version", "text"] if obj else []


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "frequency", "status", "confirmed_at"]
    list_filter = ["status", "frequency", "sections"]
    search_fields = ["email"]
    readonly_fields = ["contact", "consent_text", "source", "requested_at", "confirmed_at"]


@admin.register(SubscriptionRequest)
class SubscriptionRequestAdmin(admin.ModelAdmin):
    list_display = ["email", "requested_at", "confirmed_at"]
    search_fields = ["email"]


@admin.register(DigestMail)
class DigestMailAdmin(admin.ModelAdmin):
    list_display = ["subscription", "week_start", "status", "sent_at"]
    list_filter = ["status"]
