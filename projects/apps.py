from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projekte"

    def ready(self):
        from .exports import register_export_kinds

        register_export_kinds()
