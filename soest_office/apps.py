from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SoestOfficeConfig(AppConfig):
    name = "soest_office"
    verbose_name = "Projektbüro"

    def ready(self):
        from . import audit, backends, exports, inbox, plugins, roles
        from .search import indexing as search_indexing
        from .search import signals as search_signals

        # Runs after every app's migrate (each app's permissions are created in its own
        # post_migrate), so permissions of models added later reach the groups too.
        post_migrate.connect(
            roles.sync_group_permissions_on_migrate, dispatch_uid="soest_sync_group_permissions"
        )
        audit.connect_signals()
        # The request's user comes from the cache until an account, role or municipality
        # is written.
        backends.connect_generation()
        # The navigation's inbox count is kept until a row it counts is written.
        inbox.connect_generation()
        # Files of background exports leave the storage with their job.
        exports.connect_signals()
        # The apps plug in: rules.py, search.py, personal_data.py, health.py, exports.py,
        # mail_links.py, panels.py and inbox.py of every installed app (soest_office.plugins).
        plugins.autodiscover()
        # Keep the search index of the registered sources current, out of the request.
        search_signals.connect()
        # Cached search answers start anew after writes of the index or of what it scopes by.
        search_indexing.connect_generation()
        post_migrate.connect(
            search_indexing.ensure_source_indexes, dispatch_uid="soest_search_source_indexes"
        )
