"""Cache generations: data cached under a generation's name is read again after any write to
the models that name watches (a post_save, post_delete or many-to-many signal starts a new,
random generation, so no two share a key). In production the cache is Redis, shared by every
web process; apps register their names in their AppConfig.ready().

Writes that send no signal (QuerySet.update, bulk_create, bulk_update, raw SQL) start no
generation by themselves. Where they change what a cached page shows, they are covered in
one of two ways, so the change shows at once:
- the service calls `bump_written(<name>)` after the write: stakeholders.services.lists
  (list members, tags), .history (imported contact history), .retention (retention flags),
  and the search index (soest_office.search.indexing.index_changed);
- the plain write runs in the same transaction as a save or delete of a watched model of
  the same generation, which bumps it: projects.services.ledger (spent figures, with the
  receipt), stakeholders.services.merge and .erasure (with the contacts), the contact
  import (with its ImportJob), news.services.release_publish_scheduled (with the release);
  tests/test_h20bulk_writes_show_at_once.py keeps these so.
The other plain writes change nothing a cached page shows (deliveries, distributions,
digests, meeting invitations, reminders sent, notifications, import and export job states,
participation rows, audit IP addresses): no bump. A new signal-less write of data a cached
page shows must call `bump_written(<name>)` (the app's GENERATION) after it, inside the
function that writes; without it the change shows only after the entry's timeout."""

import contextlib
import contextvars
import functools
import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# The names `bump_on_writes` watches: every app's data generation (`watched`).
_WATCHED: set[str] = set()

# Set while a fragment is being made for the cache: a cached part rendered inside it (a
# panel of a cached page) keeps the CSRF placeholder, which the outermost fragment fills in
# per request; a real token would be kept and served to another browser.
_BUILDING = contextvars.ContextVar("soest_caching_building", default=False)


def _key(name: str) -> str:
    return f"generation:{name}"


# What a request has read (`request_scope`, set by soest_office.middleware
# .CacheScopeMiddleware): the first lookup reads every watched generation in one round trip
# to the cache, later ones of the same request read none. A request is one snapshot: what
# it caches in the state it started with was read after that state began. `entries` holds
# the signed-in user's keys read in the same round trip (`register_user_key`).
_REQUEST = contextvars.ContextVar("soest_caching_request", default=None)

# Makers of cache keys of a signed-in user that nearly every page reads (the navigation's
# inbox count): `read_for_user` reads them with the generations.
_USER_KEYS: list = []


@contextlib.contextmanager
def request_scope():
    token = _REQUEST.set({"generations": {}, "entries": {}})
    try:
        yield
    finally:
        _REQUEST.reset(token)


def register_user_key(make_key) -> None:
    """`make_key(user_id)` names a key nearly every page of a signed-in user reads: within
    a request it is read in the same round trip as the generations (`user_value`)."""
    _USER_KEYS.append(make_key)


def _read(names, extra_keys=()) -> tuple[dict[str, str], dict]:
    found = cache.get_many([*(_key(name) for name in names), *extra_keys])
    generations = {
        name: found.get(_key(name))
        or cache.get_or_set(_key(name), lambda: uuid.uuid4().hex, timeout=None)
        for name in names
    }
    return generations, {key: found.get(key) for key in extra_keys}


def read_for_user(user_id) -> None:
    """Within a request, once the session names the user (soest_office.backends): read
    every watched generation and the user's registered keys in one round trip."""
    scope = _REQUEST.get()
    if scope is None or scope["generations"]:
        return
    keys = [make_key(user_id) for make_key in _USER_KEYS]
    generations, entries = _read(sorted(_WATCHED), keys)
    scope["generations"].update(generations)
    scope["entries"].update(entries)


def user_value(key: str):
    """The value of a registered user key, as read with the generations, else from the
    cache (None if there is none)."""
    scope = _REQUEST.get()
    if scope is not None and key in scope["entries"]:
        return scope["entries"][key]
    return cache.get(key)


def set_user_value(key: str, value, timeout: int) -> None:
    cache.set(key, value, timeout)
    scope = _REQUEST.get()
    if scope is not None:
        scope["entries"][key] = value  # the rest of the request reads what it wrote


def current_generations(names) -> list[str]:
    """The current generations of `names` (each once), read in one round trip, or none
    when this request has read them already."""
    names = list(dict.fromkeys(names))
    scope = _REQUEST.get()
    if scope is None:
        found = _read(names)[0]
    else:
        found = scope["generations"]
        if any(name not in found for name in names):
            found.update(_read(sorted({*names, *_WATCHED}))[0])
    return [found[name] for name in names]


def generation(name: str) -> str:
    return current_generations([name])[0]


def bump(name: str) -> None:
    cache.set(_key(name), uuid.uuid4().hex, timeout=None)
    scope = _REQUEST.get()
    if scope is not None:
        scope["generations"].pop(name, None)  # the request's own write: read the new one


def bump_written(name: str) -> None:
    """A new generation of `name` now, and once more when the current transaction commits:
    a request that read the data before the commit and cached it in the generation of the
    first bump is not read after the commit."""
    bump(name)
    transaction.on_commit(lambda: bump(name))


def data_models(*app_labels: str) -> list:
    """The models of the apps `app_labels` whose writes change what a page shows: all but
    their history rows (django-simple-history), which are written with the row they record."""
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    return [
        model
        for label in app_labels
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges)
    ]


def bump_on_writes(name: str, models, *, ignore_fields=frozenset()) -> None:
    """Start a new generation of `name` whenever one of `models` (or one of their
    many-to-many relations) is written (`bump_written`); a save of `ignore_fields` only
    (a login's last_login, which no page shows) starts none."""

    _WATCHED.add(name)

    def receiver(**_kwargs):
        bump_written(name)

    def saved(update_fields=None, **_kwargs):
        if update_fields is not None and ignore_fields and set(update_fields) <= ignore_fields:
            return
        bump_written(name)

    for model in models:
        uid = f"generation-{name}-{model._meta.label_lower}"
        post_save.connect(saved, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            m2m_changed.connect(
                receiver,
                sender=through,
                dispatch_uid=f"generation-{name}-m2m-{through._meta.label_lower}",
                weak=False,
            )


def watched() -> list[str]:
    """Every generation apps watch: for a page that shows something of each app (the home
    page), so that a write to any of them starts it anew."""
    return sorted(_WATCHED)


def anonymous_page(*names: str, timeout: int = 60):
    """Cache a public view's whole answer for visitors without a login, in the generations
    `names` (e.g. the press pages in "news" and "projects"): a write to the data they show
    answers from a new entry at once. Only what is the same for every such visitor is kept:
    the request carries no session or messages cookie (a message or anything personal would
    end up in the page), the answer is a 200 that sets no cookie. What depends on the clock
    alone (a release whose publication time passes) shows after at most `timeout` seconds."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            personal = request.COOKIES.get(settings.SESSION_COOKIE_NAME) or request.COOKIES.get(
                "messages"
            )
            if personal or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            generations = ":".join(current_generations(names))
            path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
            key = f"page:{generations}:{get_language() or '-'}:{path}"
            kept = cache.get(key)
            if kept is not None:
                content, headers = kept
                return HttpResponse(content, headers=headers)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not response.has_header("Set-Cookie")
            ):
                cache.set(key, (response.content, dict(response.headers)), timeout)
            return response

        return wrapper

    return decorator


def _csrf_placeholder() -> str:
    # Derived from SECRET_KEY: the same in every web process sharing the cache, and not
    # guessable, so no text a user writes into a cached fragment can take its place.
    return "csrf-" + salted_hmac("soest_office.caching.csrf", "placeholder").hexdigest()


def fragment_context() -> dict:
    """Context for rendering HTML that is kept in the cache and served to later requests:
    `{% csrf_token %}` writes a placeholder instead of this request's token (a masked token
    belongs to one browser's CSRF cookie), which `with_csrf_token` fills in per request."""
    return {"csrf_token": _csrf_placeholder()}


def with_csrf_token(html: str, request) -> SafeString:
    """A cached fragment made with `fragment_context`, with the request's own CSRF token
    (one masked token serves every form of the page; asking for it sets the CSRF cookie
    when the browser has none, as rendering `{% csrf_token %}` does)."""
    placeholder = _csrf_placeholder()
    if _BUILDING.get():
        return mark_safe(html)
    if placeholder in html:
        html = html.replace(placeholder, get_token(request))
    # The fragment was rendered by a template with autoescaping; the token is hex.
    return mark_safe(html)


def viewer(user, *, personal: bool = False) -> str:
    """What a cached fragment may depend on of its reader: the role (which rows, which
    actions), the municipality ("eigene"), and with `personal` the account itself (rules
    that ask the user's id, e.g. a partner's own drafts, or per-user grants)."""
    from . import access

    role = access.role_of(user)
    parts = [role.name if role else "-", str(access.municipality_id_of(user) or "-")]
    if personal:
        parts.append(str(access.user_id_of(user) or "-"))
    return ":".join(parts)


def _reader_key(prefix: str, user, *, parts=(), personal: bool = False) -> str:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return ":".join(
        [
            prefix,
            viewer(user, personal=personal),
            timezone.localdate().isoformat(),
            get_language() or "-",
            digest,
        ]
    )


def _state(values) -> str:
    # One digest of the generations: a page in every app's generation (the home page)
    # would otherwise pass the 250 characters a key may have in memcached.
    return hashlib.sha256(":".join(values).encode()).hexdigest()[:32]


def current_state(generations) -> str:
    """The state of `generations` now, for `keep_in_generations`."""
    return _state(current_generations(generations))


def scoped_key(prefix: str, user, *, generations, parts=(), personal: bool = False) -> str:
    """A cache key in the current `generations` for what `user` sees: their `viewer` (role,
    municipality, with `personal` the account), the day, the language and `parts`."""
    state = current_state(generations)
    return f"{state}:{_reader_key(prefix, user, parts=parts, personal=personal)}"


def _local_key(key: str, state: str) -> str:
    return f"kept:{state}:{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def read_in_generations(key: str, generations):
    """(state, value): the current state of `generations` and what `keep_in_generations`
    kept under `key` in that same state (None if it was kept in another, or not at all).
    What was kept in a state never changes, so each process also keeps it in its own
    memory (`CACHES["fragments"]`) under the state: with the generations already read by
    the request, a hit asks the shared cache nothing."""
    state = current_state(generations)
    local = caches["fragments"]
    found = local.get(_local_key(key, state))
    if found is not None:
        return state, found
    kept = cache.get(key)
    if kept is None or kept[0] != state:
        return state, None
    _state_kept, value, expires = kept
    _keep_locally(key, state, value, expires)
    return state, value


def _keep_locally(key: str, state: str, value, expires: float) -> None:
    remaining = int(expires - time.time())
    if remaining > 0:  # never longer than the shared entry: its timeout bounds its age
        caches["fragments"].set(_local_key(key, state), value, remaining)


def keep_in_generations(key: str, state: str, value, timeout: int) -> None:
    """Keep `value` under `key` for `read_in_generations`, in the state it was made in,
    for `timeout` seconds, here and in the cache the processes share."""
    expires = time.time() + timeout
    cache.set(key, (state, value, expires), timeout)
    _keep_locally(key, state, value, expires)


def fragment(
    request,
    prefix: str,
    render,
    *,
    generations,
    parts=(),
    personal: bool = False,
    timeout: int = 300,
):
    """The HTML `render(csrf_token)` makes for this reader, from the cache when nothing
    in `generations` changed since it was made for the same `viewer` (role, municipality,
    with `personal` the account), day, language and `parts` (the object, the query). Call
    it after the access check of the page (or see `cached_part`). `render` gets the token
    to put into its forms: a placeholder, replaced by the reader's own token on the way
    out, so the cache keeps no token; messages and anything else personal stay outside."""
    body, _extra = cached_part(
        request,
        prefix,
        lambda csrf_token: (render(csrf_token), None),
        generations=generations,
        parts=parts,
        personal=personal,
        timeout=timeout,
    )
    return body


def cached_part(
    request,
    prefix: str,
    build,
    *,
    generations,
    parts=(),
    personal: bool = False,
    timeout: int = 300,
):
    """`fragment` for a page whose content and access check come from the cache together:
    `build(csrf_token) -> (html, extra)` checks access (raising 404 or 403, so nothing is
    kept) and renders; `extra` is what the page needs besides the HTML (its title), kept
    with it. An entry exists only for a reader who passed the check in the same
    generations, so the rule of the page must read nothing but rows of `generations` and
    what `viewer` holds (the role, the municipality and with `personal` the account).
    Returns (html, extra)."""
    key = _reader_key(f"fragment:{prefix}", request.user, parts=parts, personal=personal)
    state, kept = read_in_generations(key, generations)
    if kept is None:
        building = _BUILDING.set(True)
        try:
            html, extra = build(_csrf_placeholder())
        finally:
            _BUILDING.reset(building)
        kept = (str(html), extra)
        keep_in_generations(key, state, kept, timeout)
    html, extra = kept
    # Rendered by the project's own templates, which escaped every value.
    return with_csrf_token(html, request), extra
