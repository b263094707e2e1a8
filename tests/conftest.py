"""Test set-up shared by every app's tests.

The test database is loaded once per session with the real Coventry places and the demo
partnership (exactly what `hct demo` loads); each test runs in a transaction rolled back at its
end. Browser tests are transactional (a live server in a thread), run after the others, and load
the demo again for themselves.
"""

import time

import pytest
from django.db import OperationalError
from django.test import Client

from hct.core.roles import Role

DEMO_PASSWORD = "a-test-password-for-demo-accounts"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from hct.demo.services import demo_load

    with django_db_blocker.unblock():
        demo_load(password=DEMO_PASSWORD)


@pytest.fixture
def demo(db):
    """The demo as loaded: its accounts, partnership, first cycle and neighbourhoods."""
    from tests.demo_world import DemoWorld

    return DemoWorld.load()


@pytest.fixture
def client_for(db):
    """A client signed in as the demo account of a role (None: anonymous)."""
    from django.contrib.auth import get_user_model

    from hct.core.middleware import SIGNED_IN_AT

    User = get_user_model()
    usernames = {
        Role.COMMUNITY: "sam",
        Role.FACILITATOR: "facilitator",
        Role.PARTNER: "partner",
        Role.BOARD: "board",
        Role.ADMIN: "admin",
    }

    def make(role=None, username=None):
        client = Client()
        if role is None and username is None:
            return client
        user = User.objects.get(username=username or usernames[role])
        client.force_login(user)
        session = client.session
        session[SIGNED_IN_AT] = time.time()
        session.save()
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so no test sees figures another test cached."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _erasure_ledger(tmp_path, settings):
    """Erasures made by a test go to a ledger of the test's own, never the checkout's var/."""
    settings.HCT_ERASURE_LEDGER = tmp_path / "erasures.jsonl"


def writers_wait(execute, sql, params, many, context):
    # Two writers on the shared cache (a page saving its session while the worker thread
    # records a job's progress) meet as an immediate "locked" error: the shared cache ignores
    # SQLite's busy timeout, which on a file makes the second writer wait. Wait here the same
    # way, up to about the 5 s Django gives SQLite by default; a statement refused this way
    # has not run, so running it again is safe.
    for _ in range(250):
        try:
            return execute(sql, params, many, context)
        except OperationalError as error:
            if "locked" not in str(error) and str(error) != "not an error":
                raise
            time.sleep(0.02)
    return execute(sql, params, many, context)


def _wait_for_writers(sender, connection, **kwargs):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        connection.execute_wrappers.append(writers_wait)


@pytest.fixture
def sqlite_writers_wait():
    """Threads that write at once (two workers racing for the queue) wait for each other on the
    in-memory test database as they would on a file, instead of failing at once."""
    from django.db.backends.signals import connection_created

    connection_created.connect(_wait_for_writers)
    yield
    connection_created.disconnect(_wait_for_writers)
