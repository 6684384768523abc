from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Gremien und Sitzungen"

    def ready(self):
        from simple_history.models import HistoricalChanges

        from soest_office import caching

        # The home page's open action items (panels.home_action_items) are cached in this
        # generation.
        models = [m for m in self.get_models() if not issubclass(m, HistoricalChanges)]
        caching.bump_on_writes("meetings", models)
