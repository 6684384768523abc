from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "Abonnements"

    def ready(self):
        from django.db.models.signals import post_save

        from news.models import PressRelease

        from . import services

        # A published release fans out to the subscribers who want it at once.
        post_save.connect(
            services.on_release_saved, sender=PressRelease, dispatch_uid="subscriptions_fanout"
        )
