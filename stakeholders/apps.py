from django.apps import AppConfig

# The name of the stakeholders' cache generation (soest_office.caching).
GENERATION = "stakeholders"


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = "Kontakte"

    def ready(self):
        from soest_office import caching

        # The contact pages' rendered content (views.contacts) and the project page's panel
        # of involvements are cached in this generation.
        caching.bump_on_writes(GENERATION, caching.data_models(self.label))
