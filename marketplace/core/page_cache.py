"""Whole public pages kept for anonymous visitors, and dropped when their content changes.

A visitor with no session, no pending message and no login gets the same page as every
other such visitor: the middleware keeps it in the "pages" cache (settings.CACHES) for
PAGE_CACHE_SECONDS and answers the next one from there, without the database. What a
visitor with a session sees (their list's count, the messages after an addition) is
theirs: those requests pass by the cache, and their answers are marked private.

Invalidation is by generation: every key holds the current generation, a random token
kept in the same cache (with REDIS_URL, in the Redis every app server shares, as each
keeps its own pages: `generation_cache`), and any change shown on public pages draws a
new one (`bump_generation`, called by the site shell's receivers and by the few writers
that bypass model signals). The old entries are no longer read and expire. While the
generation's cache fails, nothing is kept or served from what was (UNKNOWN_GENERATION),
and a new generation is drawn once it answers. The key also holds
the local date, so that what changes with the date alone (a certificate expiring, a
featured collection starting or ending, the producer of the month) changes with it.

A page is kept on its PAGE_CACHE_KEEP_AFTER-th request in a process (2), not its first
(`admitted`): an address asked for once (a search, a filter, a page number) is rendered
and not written, where each cost a file written, then a share of the directory's culls,
which take kept pages at random, popular ones too.

Browsers and shared caches in front get `Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE`
and an ETag (ConditionalGetMiddleware answers 304 to a matching If-None-Match): a short
age, so that a front cache is at most that much behind a change.
"""

import hashlib
import uuid
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone, translation
from django.utils.cache import (
    cc_delim_re,
    get_max_age,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

CACHE_ALIAS = "pages"
GENERATION_KEY = "page-cache:generation"
# Never cached, never marked: the admins, files, health checks, Stripe's webhook, the
# language switch.
UNCACHED_PATHS = (
    "/admin/",
    "/django-admin/",
    "/documents/",
    "/health/",
    "/media/",
    "/static/",
    "/stripe/",
    "/i18n/",
)
# Cookies that make a page the visitor's own: the session (their inquiry list, a login)
# and Django's message cookie (the outcome of an addition, shown on the next page).
VISITOR_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# The answer's Vary headers the key already covers (the language) or that the cache
# bypasses (cookies); an answer varying on anything else is not kept.
COVERED_VARY = {"cookie", "accept-language"}
UNSHARED_DIRECTIVES = {"private", "no-cache", "no-store"}

# Sent for each replay_on_hit() of the page, when it is served from the cache.
served_from_cache = Signal()

# How many requests of each key this process has rendered and not kept yet (admitted).
ASKED_MAX = 20_000  # keys remembered; then it starts again
_asked: dict[int, int] = {}


def page_cache() -> BaseCache:
    return caches[CACHE_ALIAS]


def generation_cache() -> BaseCache:
    """Where the generation is kept (settings.PAGE_CACHE_GENERATION_CACHE): with the pages,
    or, when each app server keeps its own pages, in the cache they share (Redis), so that
    a change made through one server is seen by the next request on any other."""
    return caches[settings.PAGE_CACHE_GENERATION_CACHE]


# The generation's cache failed this process (no generation read, or one written not kept:
# a failing Redis answers as an empty cache, core.redis_cache). Changes made meanwhile may
# have drawn none, here or in another process: the next read draws one.
_generation_owed = False
# What current_generation() answers while its cache fails, followed by a new random token
# each time: no kept entry has it, so none is served, and none kept then is found again.
UNKNOWN_GENERATION = "unknown-"


# The content version an anonymous GET or HEAD reads once, as it starts (serve_anonymous):
# its key, its fragments and what kept_while_unchanged() gives it then agree, and a page's
# several reads of the version (each a file's stat and read, or a Redis round trip) cost
# one. A generation drawn meanwhile in this request unpins it.
_pinned_version: ContextVar[str | None] = ContextVar("pinned_content_version", default=None)


def _new_generation() -> None:
    global _generation_owed
    _pinned_version.set(None)
    cache = generation_cache()
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, timeout=None)
    # Read back, as a failing Redis drops writes silently. Another process's bump in
    # between looks the same, and costs one more bump.
    _generation_owed = cache.get(GENERATION_KEY) != generation


def bump_generation() -> None:
    """Every cached page is out of date: now, and again when the transaction commits.

    Now, for the rest of this request and process; at the commit, because a request that
    read the old rows meanwhile may have stored its page under the generation drawn now.
    """
    _new_generation()
    pending = transaction.get_connection().run_on_commit
    # One bump at the commit is enough, however many changes (a bulk import's pages).
    if not any(callback is _new_generation for _sids, callback, _robust in pending):
        transaction.on_commit(_new_generation)


def current_generation() -> str:
    """The generation every kept entry's key holds; UNKNOWN_GENERATION and a new token
    while its cache fails."""
    global _generation_owed
    if _generation_owed:
        _new_generation()
    cache = generation_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:  # first use, or culled: a new one is as good as a bump
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    if generation is None:  # the cache fails (Redis down or hung)
        _generation_owed = True
        return UNKNOWN_GENERATION + uuid.uuid4().hex
    return generation


def replay_on_hit(request: HttpRequest, name: str, value: object) -> None:
    """Have `served_from_cache` send (name, value) each time this page is served from the
    cache: for what a page does on every view, such as counting it. `value` is kept with
    the page: plain, picklable data."""
    request.__dict__.setdefault("_page_cache_replays", []).append((name, value))


def fill_on_serve(request: HttpRequest, slot: str, value: str) -> None:
    """Have `slot`, a placeholder in the page's text, replaced by `value` in this answer,
    rendered or served from the cache (which keeps the placeholder): for what differs on
    every view of a shared page, such as the search id its result links carry. A receiver
    of `served_from_cache` calls it again with the value of that view. Same length: the
    answer's Content-Length and ETag (of the placeholder's text) stay right."""
    if len(slot) != len(value):
        raise ValueError("a slot is filled with a value of its own length")
    request.__dict__.setdefault("_page_cache_slots", {})[slot] = value


def _filled(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    slots = request.__dict__.get("_page_cache_slots")
    if slots and isinstance(response, HttpResponse):
        content = response.content
        for slot, value in slots.items():
            content = content.replace(slot.encode(), value.encode())
        response.content = content
    return response


def has_visitor_state(request: HttpRequest) -> bool:
    """A session, a pending message or credentials: the page may be this visitor's own."""
    if any(name in request.COOKIES for name in VISITOR_COOKIES):
        return True
    return "HTTP_AUTHORIZATION" in request.META


def is_public_path(request: HttpRequest) -> bool:
    return not request.path_info.startswith(UNCACHED_PATHS)


def _content_version() -> str:
    """What every kept page and fragment is valid for: the generation and the local day."""
    pinned = _pinned_version.get()
    if pinned is not None:
        return pinned
    return f"{current_generation()}:{timezone.localdate().isoformat()}"


T = TypeVar("T")

# What kept_while_unchanged() built, for the content version of _kept_version.
_kept: dict[Hashable, object] = {}
_kept_version = ""
KEPT_LIMIT = 5000  # entries per process (one per address for some): then start again


def kept_while_unchanged(key: Hashable, build: Callable[[], T]) -> T:
    """build(), kept in this process while the kept pages are valid (same generation and
    day): for what every page reads and only a content change alters (the navigation's
    URLs, a page's translations). Not kept when pages are not (PAGE_CACHE_SECONDS = 0).
    What is built is shared by every request of the process: read it, never change it
    (but a memo, such as search.thumbnails' dict of URLs, may fill as requests go)."""
    global _kept_version
    if not settings.PAGE_CACHE_SECONDS:
        return build()
    version = _content_version()
    if version.startswith(UNKNOWN_GENERATION):
        return build()
    if version != _kept_version or len(_kept) >= KEPT_LIMIT:
        _kept.clear()
        _kept_version = version
    if key not in _kept:
        _kept[key] = build()
    return _kept[key]


def page_key(request: HttpRequest) -> str:
    """Generation, local date, language and address (scheme, host, path and query)."""
    language = translation.get_language_from_request(request, check_path=True)
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page-cache:{_content_version()}:{language}:{digest}"


def shared_fragment(request: HttpRequest) -> dict:
    """For `{% cache fragment.seconds name fragment.version … using="pages" %}` around a
    part of a page that is the same for every visitor: kept, for the visitors whose whole
    page is not (signed in, a list), as long as a page, and dropped with it; a preview's
    draft is never kept (timeout 0, its own key)."""
    if getattr(request, "is_preview", False):
        return {"seconds": 0, "version": "preview"}
    version = _content_version()
    if version.startswith(UNKNOWN_GENERATION):  # the generation's cache fails
        return {"seconds": 0, "version": "unknown"}
    return {"seconds": settings.PAGE_CACHE_SECONDS, "version": version}


def _directives(response: HttpResponseBase) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.split("=", 1)[0].strip().lower() for part in cc_delim_re.split(header) if part}


def _varies_beyond_key(response: HttpResponseBase) -> bool:
    vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", "")) if part}
    return bool(vary - COVERED_VARY)


def is_shareable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A complete 200 for anyone: no cookie set, not marked private by its view."""
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (_directives(response) & UNSHARED_DIRECTIVES)
        and get_max_age(response) != 0
        and not _varies_beyond_key(response)
    )


def mark_public(response: HttpResponseBase) -> None:
    if get_max_age(response) is None:  # else its view chose (the wards' list: a day)
        patch_cache_control(response, max_age=settings.PAGE_CACHE_MAX_AGE)
    patch_cache_control(response, public=True)
    # A front cache must not give this copy to a visitor whose session changes the page.
    patch_vary_headers(response, ("Cookie",))
    if not response.has_header("ETag"):
        set_response_etag(response)


def mark_private(response: HttpResponseBase) -> None:
    """Unless its view said it is the same for everyone (`public`)."""
    if "public" not in _directives(response):
        patch_cache_control(response, private=True, no_cache=True)


@dataclass(frozen=True)
class CachedPage:
    """What is kept of an answer: a plain copy, whatever class the view answered with."""

    content: bytes
    headers: tuple[tuple[str, str], ...]
    replays: tuple[tuple[str, object], ...]

    @classmethod
    def of(cls, request: HttpRequest, response: HttpResponse) -> "CachedPage":
        return cls(
            content=response.content,
            headers=tuple(response.items()),
            replays=tuple(request.__dict__.get("_page_cache_replays", ())),
        )

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content)
        for name, value in self.headers:
            response[name] = value
        return response


def admitted(key: str) -> bool:
    """Whether this rendering of `key` is kept: its PAGE_CACHE_KEEP_AFTER-th in this
    process. Counted per process, in memory: remembering them in the cache would write
    for every request again. Concurrent requests may count one short or over: a page
    kept one request late or early."""
    needed = settings.PAGE_CACHE_KEEP_AFTER
    if needed <= 1:
        return True
    digest = hash(key)
    count = _asked.pop(digest, 0) + 1
    if count >= needed:
        return True
    if len(_asked) >= ASKED_MAX:
        _asked.clear()
    _asked[digest] = count
    return False


class PageCacheMiddleware:
    """Serves anonymous GET and HEAD requests of public pages from the "pages" cache.

    Listed right after SecurityMiddleware (its HTTPS redirect first), before everything
    that reads the session or the database; ConditionalGetMiddleware, outside it, answers
    304 from the ETag of a fresh or cached page alike.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_public_path(request):
            return self.get_response(request)
        if has_visitor_state(request) or request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            if has_visitor_state(request) or response.cookies:
                mark_private(response)
            return _filled(request, response)
        return _filled(request, self.serve_anonymous(request))

    def serve_anonymous(self, request: HttpRequest) -> HttpResponseBase:
        pinned = _pinned_version.set(_content_version())
        try:
            return self._serve_anonymous(request)
        finally:
            _pinned_version.reset(pinned)

    def _serve_anonymous(self, request: HttpRequest) -> HttpResponseBase:
        key = page_key(request)
        cached = page_cache().get(key)
        if cached is not None:
            request.__dict__.pop("_page_cache_slots", None)  # filled by the replays
            for name, value in cached.replays:
                served_from_cache.send(sender=CachedPage, request=request, name=name, value=value)
            return cached.response()
        response = self.get_response(request)
        if is_shareable(request, response):
            mark_public(response)
            # Not while the generation's cache fails: the key names no generation.
            keeps = settings.PAGE_CACHE_SECONDS > 0 and UNKNOWN_GENERATION not in key
            if keeps and admitted(key):
                page_cache().set(
                    key, CachedPage.of(request, response), timeout=settings.PAGE_CACHE_SECONDS
                )
        elif response.cookies:
            mark_private(response)
        return response
