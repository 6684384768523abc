from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = "Kontakte"

    def ready(self):
        from .dsgvo import register_export_kinds

        register_export_kinds()
