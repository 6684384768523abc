"""Index upkeep on every model write that sends signals (save, delete, m2m changes).

The receivers only note which objects changed; nothing is indexed in the request. After the
transaction commits, the noted changes go to ONE task (`index_changes`), which indexes
them and the documents that depend on them (signals.py -> tasks.py -> indexing.py). So a
project save costs the same few queries whether the project has one report or a thousand,
and a rolled-back write queues nothing. Uploaded files of sources with a `file_field` get
their text extracted by a task of their own.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .registry import sources


class PendingChanges(threading.local):
    """Changed objects of this thread, by model label, until the next commit queues them.

    Every change registers an on-commit callback; the first callback after a commit takes
    all changes noted so far, the others find nothing left (Django drops the callbacks of a
    rolled-back transaction, so a later commit carries what a rollback left noted: indexing
    is idempotent and removes what no longer exists)."""

    def __init__(self):
        self.changes: dict[str, set[int]] = defaultdict(set)

    def add(self, model, pk) -> None:
        if pk is None:
            return
        self.changes[model._meta.label_lower].add(pk)
        transaction.on_commit(self.flush)

    def take(self) -> dict[str, list[int]]:
        changes = {label: sorted(ids) for label, ids in self.changes.items() if ids}
        self.changes.clear()
        return changes

    def flush(self) -> None:
        changes = self.take()
        if changes:
            from .tasks import index_changes

            index_changes.delay(changes=changes)


pending = PendingChanges()


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures are indexed by rebuild_search_index
        pending.add(sender, instance.pk)


def _deleted(sender, instance, **kwargs):
    pending.add(sender, instance.pk)


def _m2m_changed(sender, instance, action, reverse, model, pk_set, *, owner, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        pending.add(type(instance), instance.pk)
        return
    # The other side changed (e.g. municipality.participating_projects.add(...)).
    if pk_set:
        for pk in pk_set:
            pending.add(owner, pk)
    else:  # clear() from the other side: whose rows went is unknown, reindex the source
        from .indexing import search_index_later

        search_index_later(owner, owner._default_manager.values_list("pk", flat=True))


def _file_saved(sender, instance, raw=False, *, source, **kwargs):
    if raw or not getattr(instance, source.file_field):
        return
    from .extract import supported
    from .tasks import extract_file_text

    if not supported(getattr(instance, source.file_field).name):
        return
    key, pk = source.key, instance.pk
    transaction.on_commit(lambda: extract_file_text.delay(source=key, object_id=pk))


_handlers = []  # signal receivers are weakly referenced; keep the closures alive


def connect():
    """Connect the receivers of every registered source (called from AppConfig.ready)."""
    watched = {}
    for source in sources():
        watched[source.model] = source.key
        for model, _resolve in source.dependencies:
            watched.setdefault(model, f"{source.key}-dependency")
        for field_name in source.m2m:
            through = source.model._meta.get_field(field_name).remote_field.through

            def on_m2m(sender, _owner=source.model, **kwargs):
                _m2m_changed(sender, owner=_owner, **kwargs)

            _handlers.append(on_m2m)
            m2m_changed.connect(
                on_m2m, sender=through, dispatch_uid=f"soest-search-{source.key}-m2m-{field_name}"
            )
        if source.file_field:

            def on_file(sender, _source=source, **kwargs):
                _file_saved(sender, source=_source, **kwargs)

            _handlers.append(on_file)
            post_save.connect(
                on_file, sender=source.model, dispatch_uid=f"soest-search-{source.key}-file"
            )
    for model, uid in watched.items():
        post_save.connect(_saved, sender=model, dispatch_uid=f"soest-search-{uid}-save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"soest-search-{uid}-delete")
