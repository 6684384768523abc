from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = "Kontakte"
