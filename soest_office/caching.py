"""Cache generations: data cached under a generation's name is read again after any write to
the models that name watches (a post_save, post_delete or many-to-many signal starts a new,
random generation, so no two share a key). Writes that send no signal (queryset.update,
bulk_create) show after the cached entry's own timeout. In production the cache is Redis,
shared by every web process; apps register their names in their AppConfig.ready()."""

import functools
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


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
            generations = ":".join(generation(name) for name in names)
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
    if placeholder in html:
        html = html.replace(placeholder, get_token(request))
    # The fragment was rendered by a template with autoescaping; the token is hex.
    return mark_safe(html)
