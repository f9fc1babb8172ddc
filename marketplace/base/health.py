"""Health endpoints for a load balancer or an orchestrator.

`/health/live`: the process answers (no database, no cache), for restarting a stuck one.
`/health/ready`: it can serve visitors: the database and every configured cache answer
(else 503, so the load balancer sends no visitor here). The search backend's state and
that of a shared cache the site serves without (Redis: `SERVES_WITHOUT_IT`) are shown but
answer "degraded", not 503: with Elasticsearch down searches answer from the database,
with Redis down pages are rendered uncached, and taking every app server out for a
service they all share would serve no one. Each check is bounded by
its client's timeout (the search's is SEARCH_TIMEOUT, 2 s).
"""

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe

from search.service import search_state

logger = logging.getLogger(__name__)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache(alias: str) -> str:
    """A value written and read back: a cache that accepts writes but loses them (full, or
    several servers on different caches) is not ready either."""
    cache = caches[alias]
    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("a value written was not read back")
    finally:
        cache.delete(key)
    return type(cache).__name__


def run_check(name: str, check: Callable[[], str]) -> dict:
    started = time.perf_counter()
    try:
        detail, ok = check(), True
    except Exception as error:  # a probe reports any failure, and the site keeps serving
        logger.warning("Health check %s failed: %s", name, error)
        detail, ok = f"{type(error).__name__}: {error}"[:300], False
        if isinstance(error, DatabaseError):
            connection.close_if_unusable_or_obsolete()
    milliseconds = round((time.perf_counter() - started) * 1000, 1)
    return {"ok": ok, "detail": detail, "ms": milliseconds}


@require_safe
def live(request: HttpRequest) -> JsonResponse:
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    checks = {"database": run_check("database", check_database)}
    optional = set()
    for alias in settings.CACHES:
        checks[f"cache:{alias}"] = run_check(
            f"cache:{alias}", lambda alias=alias: check_cache(alias)
        )
        # The class, not the cache: making a broken cache raises, which its check reports.
        if getattr(import_string(settings.CACHES[alias]["BACKEND"]), "SERVES_WITHOUT_IT", False):
            optional.add(f"cache:{alias}")
    required_ok = all(check["ok"] for name, check in checks.items() if name not in optional)
    optional_ok = all(checks[name]["ok"] for name in optional)
    started = time.perf_counter()
    search = search_state()
    checks["search"] = {
        "ok": search.available,
        "detail": f"{search.backend}: {search.detail}",
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    if not required_ok:
        status = "unavailable"
    elif not (search.available and optional_ok):
        status = "degraded"  # searches answer from the database, pages are not kept
    else:
        status = "ok"
    response = JsonResponse(
        {"status": status, "checks": checks}, status=200 if required_ok else 503
    )
    add_never_cache_headers(response)
    return response
