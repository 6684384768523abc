from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SoestOfficeConfig(AppConfig):
    name = "soest_office"
    verbose_name = "Projektbüro"

    def ready(self):
        from . import audit, roles
        from .search import hooks as search_hooks
        from .search import signals as search_signals
        from .search import sources as search_sources

        # Runs after every app's migrate (each app's permissions are created in its own
        # post_migrate), so permissions of models added later reach the groups too.
        post_migrate.connect(
            roles.sync_group_permissions_on_migrate, dispatch_uid="soest_sync_group_permissions"
        )
        audit.connect_signals()
        # Files of background exports leave the storage with their job.
        from . import exports

        exports.connect_signals()
        # Global search: register the sources of the apps and keep their index current.
        search_sources.register_all()
        search_signals.connect()
        search_hooks.connect()
