from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "Abonnements"

    def ready(self):
        from django.db.models.signals import post_save

        from news.models import PressRelease
        from stakeholders import dsgvo

        from . import services

        for registry, hook in (
            (dsgvo.AUSKUNFT_SECTIONS, services.auskunft_section),
            (dsgvo.ERASURE_HOOKS, services.erase_subscription),
            (dsgvo.MERGE_HOOKS, services.merge_subscription),
        ):
            if hook not in registry:
                registry.append(hook)
        post_save.connect(
            services.on_release_saved, sender=PressRelease, dispatch_uid="subscriptions_fanout"
        )
