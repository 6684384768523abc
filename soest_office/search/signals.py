"""Index updates on every model write that sends signals (save, delete, m2m changes).

Bulk paths that send no signals call `indexing.search_index_bulk()` themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .indexing import search_index_bulk, search_index_delete
from .registry import sources


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures are indexed by rebuild_search_index
        search_index_bulk(sender, [instance.pk])


def _deleted(sender, instance, **kwargs):
    search_index_delete(sender, instance.pk)


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        # The other side changed (e.g. municipality.participating_projects.add(...)).
        owner = kwargs.get("_search_owner")
        search_index_bulk(owner, pk_set) if pk_set else search_index_bulk(owner)
    else:
        search_index_bulk(type(instance), [instance.pk])


def _dependency_handler(source, resolve):
    def handler(sender, instance, raw=False, **kwargs):
        if raw:
            return
        ids = [obj.pk for obj in resolve(instance)]
        if ids:
            search_index_bulk(source.model, ids)

    return handler


_handlers = []  # signal receivers are weakly referenced; keep the closures alive


def connect():
    """Connect the receivers of every registered source (called from AppConfig.ready)."""
    for source in sources():
        uid = f"soest-search-{source.key}"
        post_save.connect(_saved, sender=source.model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_deleted, sender=source.model, dispatch_uid=f"{uid}-delete")
        for field_name in source.m2m:
            through = source.model._meta.get_field(field_name).remote_field.through

            def on_m2m(sender, _model=source.model, **kwargs):
                _m2m_changed(sender, _search_owner=_model, **kwargs)

            _handlers.append(on_m2m)
            m2m_changed.connect(on_m2m, sender=through, dispatch_uid=f"{uid}-m2m-{field_name}")
        for i, (model, resolve) in enumerate(source.dependencies):
            handler = _dependency_handler(source, resolve)
            _handlers.append(handler)
            post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-dep-{i}")
