from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Presse"

    def ready(self):
        from soest_office.health import EXTRA_CHECKS

        from .health import check_scheduled_publishing

        EXTRA_CHECKS["press_schedule"] = check_scheduled_publishing
