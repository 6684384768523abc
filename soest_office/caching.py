"""Cache generations: data cached under a generation's name is read again after any write to
the models that name watches (a post_save, post_delete or many-to-many signal starts a new,
random generation, so no two share a key). Writes that send no signal (queryset.update,
bulk_create) show after the cached entry's own timeout. In production the cache is Redis,
shared by every web process; apps register their names in their AppConfig.ready()."""

import uuid

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save


def _key(name: str) -> str:
    return f"generation:{name}"


def generation(name: str) -> str:
    return cache.get_or_set(_key(name), lambda: uuid.uuid4().hex, timeout=None)


def bump(name: str) -> None:
    cache.set(_key(name), uuid.uuid4().hex, timeout=None)


def bump_on_writes(name: str, models) -> None:
    """Start a new generation of `name` whenever one of `models` (or one of their
    many-to-many relations) is written."""

    def receiver(**_kwargs):
        bump(name)

    for model in models:
        uid = f"generation-{name}-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            m2m_changed.connect(
                receiver,
                sender=through,
                dispatch_uid=f"generation-{name}-m2m-{through._meta.label_lower}",
                weak=False,
            )
