from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "Abonnements"

    def ready(self):
        from django.db.models.signals import post_save

        from news import mailing
        from news.models import PressRelease
        from stakeholders import dsgvo

        from . import mail_links, personal_data, services

        for registry, hook in (
            (dsgvo.AUSKUNFT_SECTIONS, personal_data.auskunft_section),
            (dsgvo.ERASURE_HOOKS, personal_data.erase_subscription),
            (dsgvo.MERGE_HOOKS, personal_data.merge_subscription),
        ):
            if hook not in registry:
                registry.append(hook)
        # "At once" release mails to subscribers carry the personal manage and one-click links.
        mailing.MAIL_LINK_PROVIDERS["newsletter"] = mail_links.newsletter_links
        post_save.connect(
            services.on_release_saved, sender=PressRelease, dispatch_uid="subscriptions_fanout"
        )
