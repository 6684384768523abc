from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projekte"

    def ready(self):
        from .dashboard import connect_invalidation

        connect_invalidation()
