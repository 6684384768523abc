from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Presse"

    def ready(self):
        from soest_office import caching

        # The home page's counts (news_tags.news_home_panel) are cached in this generation.
        caching.bump_on_writes("news", caching.data_models(self.label))
