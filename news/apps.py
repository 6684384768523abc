from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Presse"

    def ready(self):
        from soest_office.health import EXTRA_CHECKS
        from stakeholders import dsgvo

        from . import personal_data
        from .health import check_scheduled_publishing

        EXTRA_CHECKS["press_schedule"] = check_scheduled_publishing
        for registry, hook in (
            (dsgvo.AUSKUNFT_SECTIONS, personal_data.auskunft_section),
            (dsgvo.ERASURE_HOOKS, personal_data.erase_deliveries),
            (dsgvo.MERGE_HOOKS, personal_data.merge_deliveries),
        ):
            if hook not in registry:
                registry.append(hook)
