from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Gremien und Sitzungen"

    def ready(self):
        from soest_office import caching

        # The home page's open action items (panels.home_action_items) are cached in this
        # generation.
        caching.bump_on_writes("meetings", caching.data_models(self.label))
