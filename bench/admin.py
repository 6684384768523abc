"""The "peer" reference: a plain Django admin changelist of the projects.

The projects app does not register Project in the admin (yet); the benchmark then mounts
its own AdminSite with an ordinary ModelAdmin (the columns of the project list, foreign keys
joined, 100 rows per page) so the peer is measured either way.
"""

from django.contrib import admin

from projects.models import Project


class BenchProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "lead_municipality", "field_of_action", "status", "traffic_light"]
    list_select_related = ["lead_municipality", "field_of_action"]
    list_filter = ["status", "traffic_light", "field_of_action"]
    search_fields = ["title"]


site = admin.AdminSite(name="bench_admin")
site.register(Project, BenchProjectAdmin)
