"""Honest failure: when the database (or the cache) cannot be reached, answer 503 with
Retry-After and a plain page, log one line, and carry on; and the checks behind /readyz.

Two ways in, because Django turns an exception into a response at every middleware layer: the
middleware's `process_exception` sees what a view (or its template response) raises, and
`errors.server_error` (handler500) sees what is raised anywhere else, such as loading the
session or the user in a middleware. Both hand the exception to `unavailable_response`.

Nothing here keeps state about the outage: the next request simply tries the database again
(Django closes a connection that failed at the end of its request), so service comes back by
itself as soon as the database does.
"""

import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from hct.core.selectors import latest_worker_beat

logger = logging.getLogger("hct.availability")

# What "cannot reach it" looks like: Django wraps the driver's connection failures in these two,
# and the Redis cache raises the client's own.
UNAVAILABLE = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
_LOGGED = "_hct_unavailable_logged"


def cause_of_outage(exc: BaseException | None) -> BaseException | None:
    """The connection failure behind `exc`, if there is one: it may arrive wrapped, e.g. in an
    error raised while a template was being rendered."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, UNAVAILABLE):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _one_line(exc: BaseException) -> str:
    # psycopg's messages run over several lines; a log line each would be the flood we avoid.
    return re.sub(r"\s+", " ", f"{type(exc).__name__}: {exc}").strip()[:300]


def unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 for a request that failed because the database or cache is away."""
    if not getattr(request, _LOGGED, False):
        # The response middleware may meet the same outage again on the way out (loading the
        # session, say): the request is still logged once.
        setattr(request, _LOGGED, True)
        logger.warning(
            "503 %s %s: the database or cache is unavailable (%s)",
            request.method,
            request.path,
            _one_line(exc),
        )
    retry = str(settings.HCT_RETRY_AFTER_SECONDS)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"error": "The service is unavailable for a moment. Try again shortly."}, status=503
        )
    else:
        # Rendered without the request: context processors would reach for the user, and so the
        # database, again.
        response = HttpResponse(
            render_to_string("core/503.html", {"retry_after": retry}), status=503
        )
    response["Retry-After"] = retry
    response["Cache-Control"] = "no-store"
    # Django logs every 5xx with a traceback; this one is logged above, in one line.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 instead of 500 when a view fails because the database or cache is away."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if cause_of_outage(exception) is None:
            return None
        return unavailable_response(request, exception)


# /readyz: each check answers None when all is well, or a few words on what is wrong.


def _database() -> str | None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return None


def _cache() -> str | None:
    key = "hct:readyz"
    cache.set(key, "ok", timeout=30)
    if cache.get(key) != "ok":
        return "does not keep what is written to it"
    return None


def _migrations() -> str | None:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in plan[:3])
        more = f" and {len(plan) - 3} more" if len(plan) > 3 else ""
        return f"{len(plan)} not applied: {names}{more}"
    return None


def _worker() -> str | None:
    latest = latest_worker_beat()
    if latest is None:
        return "no task worker has ever reported (start `hct worker`)"
    age = (timezone.now() - latest).total_seconds()
    if age > settings.HCT_WORKER_LEASE_SECONDS:
        return f"no task worker heard from for {int(age)} s (start `hct worker`)"
    return None


READINESS_CHECKS = {
    "database": _database,
    "cache": _cache,
    "migrations": _migrations,
    "worker": _worker,
}


def readiness() -> dict[str, str]:
    """Each check's name and "ok" or what is wrong; all are run, so the answer names every
    problem at once."""
    results = {}
    for name, check in READINESS_CHECKS.items():
        try:
            problem = check()
        except UNAVAILABLE as error:
            problem = f"unreachable ({_one_line(error)})"
        results[name] = problem or "ok"
    return results


def log_not_ready(checks: dict[str, str]) -> None:
    # A warning, not Django's ERROR for a 503: a probe asks every few seconds, and not being
    # ready (a worker restarting, a migration under way) is a state, not a fault in the code.
    failed = "; ".join(f"{name}: {result}" for name, result in checks.items() if result != "ok")
    logger.warning("readyz: not ready (%s)", failed)
