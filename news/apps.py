from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Presse"

    def ready(self):
        from simple_history.models import HistoricalChanges

        from soest_office import caching

        # The home page's counts (news_tags.news_home_panel) are cached in this generation.
        models = [m for m in self.get_models() if not issubclass(m, HistoricalChanges)]
        caching.bump_on_writes("news", models)
