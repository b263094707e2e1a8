"""Issue 14: the page of every cycle running (`learning:cycles`) with the demo partnership's 7
cycles in the synthetic city, its server time ÷ a minimal signed-in Django view's in the same
run (target ≤ 3×), and its queries with 1 cycle and with 7 (they should be the same).

The page below its heading is kept per version of what it is made from (a generation that
every save of a row its figures read renews, the day and the cycles the reader sees), so a
third figure shows it made afresh, as after a change; the queries are counted afresh too.

The board member sees all 7 cycles; a facilitator whose scope is the first neighbourhood alone
sees 1. Runs on the harness's database (SQLite unless BENCH_DATABASE_URL names another);
BENCH_PEOPLE sets the size of the city (10,000 by default).
"""

import os

from bench.harness import Figure, ms, paired_medians

SEED = 2018


def _client(user):
    from django.test import Client

    from hct.core.middleware import SIGNED_IN_AT

    client = Client()
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = 10**12
    session.save()
    return client


def run(repeat: int = 60) -> list[Figure]:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    from hct.core.roles import Role
    from hct.core.services import user_create
    from hct.demo.services import demo_load
    from hct.demo.synthetic import generate
    from hct.learning.cycle_status import GENERATION_KEY
    from hct.partnership.models import Cycle, Membership

    people = int(os.environ.get("BENCH_PEOPLE", "10000"))
    demo_load(password="benchmark-demo-password")
    generate(people=people, seed=SEED)
    first = Cycle.objects.select_related("partnership", "neighbourhood").get(number=1)
    running = Cycle.objects.filter(partnership=first.partnership).count()
    board = _client(get_user_model().objects.get(username="board"))
    lone = user_create(
        actor=None, username="bench-one-cycle", password="x" * 16, role=Role.FACILITATOR
    )
    membership = Membership.objects.create(user=lone, partnership=first.partnership)
    membership.neighbourhoods.set([first.neighbourhood])
    one = _client(lone)

    def queries(client) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/learning/cycles/")
        assert response.status_code == 200, (response.status_code, response.content[:3000])
        return len(captured)

    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        with_one, with_all = queries(one), queries(board)

        def page():
            response = board.get("/learning/cycles/")
            assert response.status_code == 200

        def minimal():
            response = board.get("/bench/minimal/")
            assert response.status_code == 200

        measured, base, ratio = paired_medians(page, minimal, repeat=repeat)

        def afresh():
            cache.delete(GENERATION_KEY)
            page()

        fresh, fresh_base, fresh_ratio = paired_medians(afresh, minimal, repeat=repeat // 3)
    return [
        Figure(
            f"Every cycle running ({running} cycles, synthetic city of {people:,} people, "
            f"{connection.vendor}), median server time",
            ms(measured),
            f"minimal signed-in Django view {ms(base)}",
            ratio,
            "≤ 3×",
        ),
        Figure(
            "Every cycle running, made afresh (as after a change), median server time",
            ms(fresh),
            f"minimal signed-in Django view {ms(fresh_base)}",
            fresh_ratio,
            "none (context)",
        ),
        Figure(
            "Every cycle running, queries for the page (made afresh)",
            f"{with_all} with {running} cycles",
            f"{with_one} with 1 cycle",
            with_all / with_one,
            "1.00 (constant)",
        ),
    ]
