from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projekte"

    def ready(self):
        from .dashboard import connect_invalidation
        from .exports import register_export_kinds

        register_export_kinds()
        connect_invalidation()
