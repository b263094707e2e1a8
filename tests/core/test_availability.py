"""Honest failure (issue 15 item 3): with the database away every page and the API answer 503
with Retry-After and a plain page, one log line each, and come back by themselves; /healthz and
/readyz for a load balancer."""

import datetime as dt
import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.migrations import Migration
from django.test import Client
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from hct.core.models import WorkerBeat

PUBLIC_PAGE = "/commitments/public/"
API = "/api/oruk/services"


def _database_away():
    """Every new cursor fails as it would with the server stopped: Django asks for the
    connection on each cursor, so this stands for a dead server on SQLite and PostgreSQL alike."""
    return mock.patch.object(
        connection,
        "ensure_connection",
        side_effect=OperationalError(
            "connection to server failed: Connection refused\n\tIs it running?"
        ),
    )


def _outage_lines(caplog):
    return [r for r in caplog.records if r.name == "hct.availability"]


def _tracebacks(caplog):
    return [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def _assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "Traceback" not in body and "OperationalError" not in body
    return body


@pytest.mark.parametrize("path", [PUBLIC_PAGE, "/"])
def test_a_page_answers_503_while_the_database_is_away_and_200_after(
    path, demo, client_for, caplog
):
    client = client_for(None) if path == PUBLIC_PAGE else client_for("facilitator")
    # The session and user load in the middleware here, outside any view: Django's handler500
    # path. Django's test client re-raises what reaches it, which a server would not.
    client.raise_request_exception = False
    assert client.get(path).status_code == 200
    caplog.clear()

    with caplog.at_level(logging.INFO), _database_away():
        response = client.get(path)

    body = _assert_unavailable(response)
    assert "Sorry, the service is unavailable" in body
    assert "Try again in 10 seconds" in body
    lines = _outage_lines(caplog)
    assert len(lines) == 1, [r.getMessage() for r in caplog.records]
    assert lines[0].getMessage().startswith(f"503 GET {path}: the database or cache is unavailable")
    assert "\n" not in lines[0].getMessage()
    assert not _tracebacks(caplog)

    assert client.get(path).status_code == 200  # back by itself


def test_the_api_answers_503_in_json_while_the_database_is_away(demo, caplog):
    client = Client()
    with caplog.at_level(logging.INFO), _database_away():
        response = client.get(API)

    _assert_unavailable(response)
    assert response["Content-Type"] == "application/json"
    assert "unavailable" in response.json()["error"]
    assert len(_outage_lines(caplog)) == 1
    assert not _tracebacks(caplog)
    assert client.get(API).status_code == 200


def test_healthz_answers_while_the_database_is_away(db):
    with _database_away():
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_an_error_that_is_not_an_outage_is_still_a_500(demo, client_for):
    client = client_for("facilitator")
    client.raise_request_exception = False
    with mock.patch("hct.core.views.sections_for", side_effect=ValueError("a bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def _fresh_worker(seconds_ago=1):
    at = timezone.now() - dt.timedelta(seconds=seconds_ago)
    WorkerBeat.objects.create(worker_id="w1", host="h", pid=1, started_at=at, beat_at=at)


def _readyz():
    response = Client().get("/readyz")
    return response.status_code, json.loads(response.content)


def test_readyz_is_ready_when_every_check_passes(db):
    _fresh_worker()
    assert _readyz() == (
        200,
        {
            "status": "ready",
            "checks": {"database": "ok", "cache": "ok", "migrations": "ok", "worker": "ok"},
        },
    )


def test_readyz_fails_with_a_stale_worker_heartbeat(db, settings, caplog):
    _fresh_worker(seconds_ago=settings.HCT_WORKER_LEASE_SECONDS + 30)
    with caplog.at_level(logging.INFO):
        status, body = _readyz()
    assert [r.getMessage()[:30] for r in _outage_lines(caplog)] == [
        "readyz: not ready (worker: no "
    ]
    assert not _tracebacks(caplog)
    assert status == 503
    assert body["status"] == "not ready"
    assert body["checks"]["worker"].startswith("no task worker heard from for")
    assert body["checks"]["database"] == body["checks"]["migrations"] == "ok"


def test_readyz_fails_with_no_worker_at_all(db):
    status, body = _readyz()
    assert status == 503
    assert "no task worker has ever reported" in body["checks"]["worker"]


def test_readyz_fails_with_migrations_not_applied(db):
    _fresh_worker()
    pending = Migration("0099_future", "core")
    with mock.patch(
        "hct.core.availability.MigrationExecutor.migration_plan", return_value=[(pending, False)]
    ):
        status, body = _readyz()
    assert status == 503
    assert body["checks"]["migrations"] == "1 not applied: core.0099_future"
    assert body["checks"]["worker"] == "ok"


def test_readyz_fails_with_the_cache_away(db):
    _fresh_worker()
    with mock.patch("hct.core.availability.cache.set", side_effect=RedisConnectionError("refused")):
        status, body = _readyz()
    assert status == 503
    assert body["checks"]["cache"].startswith("unreachable (ConnectionError: refused")
    assert body["checks"]["database"] == "ok"


def test_readyz_names_the_database_when_it_is_away(db):
    with _database_away():
        status, body = _readyz()
    assert status == 503
    assert body["checks"]["database"].startswith("unreachable (OperationalError")
    assert body["checks"]["cache"] == "ok"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real dead port needs a server")
@pytest.mark.django_db(transaction=True)
def test_a_real_dead_port_gives_503_and_the_next_request_after_it_is_back_works(caplog):
    """PostgreSQL at a port nobody listens on: the driver's own connection failure."""
    client = Client()
    assert client.get(PUBLIC_PAGE).status_code == 200
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens on port 1
    try:
        with caplog.at_level(logging.INFO):
            response = client.get(PUBLIC_PAGE)
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    _assert_unavailable(response)
    assert len(_outage_lines(caplog)) == 1
    assert not _tracebacks(caplog)
    assert client.get(PUBLIC_PAGE).status_code == 200
