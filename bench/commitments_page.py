"""Issue 6: the public neighbourhood accountability page with 2,000 commitments and 20,000
milestones, on PostgreSQL.

Two figures:
- the page's median server time ÷ a minimal Django view's, timed in turn in the same run
  (target ≤ 3×); the page's figures and list are cached by a version that moves on every change,
  so a second figure shows the page made from scratch, as after a change;
- the queries the page makes for a neighbourhood with 200 commitments and for one with 2,000
  (they must not grow).

Django is set up once per process and `make bench` starts on SQLite, so this benchmark runs
itself in a child process on a PostgreSQL database of its own: BENCH_DATABASE_URL if set, else
`hct_bench_commitments` created on postgres://postgres@127.0.0.1:5432 (never the `test` one).
The commitments are written in bulk (the services' checks are not what is measured); a part of
every tenth commitment is a sub-commitment, and every commitment has ten milestones.
"""

import datetime as dt
import json
import os
import random

from bench.harness import Figure, figures_from_child, ms, paired_medians, postgres_database_url

DATABASE = "hct_bench_commitments"
BIG, SMALL = 2_000, 200
MILESTONES_EACH = 10
SEED = 6


def run() -> list[Figure]:
    return figures_from_child("bench.commitments_page", postgres_database_url(DATABASE))


def _fill(neighbourhood, count: int) -> None:
    """Give `neighbourhood` exactly `count` commitments with ten milestones each (idempotent)."""
    from hct.commitments.models import Commitment, Milestone, Status
    from hct.partnership.models import Partner, Partnership

    existing = Commitment.objects.filter(neighbourhood=neighbourhood).count()
    if existing >= count:
        return
    partnership = Partnership.objects.order_by("id").first()
    owners = list(Partner.objects.filter(partnership=partnership).order_by("id"))
    rng = random.Random(SEED + count)
    statuses = list(Status)
    made = dt.date(2025, 6, 1)
    commitments = []
    for n in range(existing, count):
        status = rng.choice(statuses)
        due = made + dt.timedelta(days=rng.randint(30, 700))
        commitments.append(
            Commitment(
                partnership=partnership,
                neighbourhood=neighbourhood,
                title=f"Benchmark promise {n}",
                owner=rng.choice(owners),
                lead_role="Head of service",
                made_on=made,
                due_on=due,
                status=status,
                progress=100 if status == Status.DONE else rng.randint(0, 90),
                done_on=due - dt.timedelta(days=rng.randint(-30, 30))
                if status == Status.DONE
                else None,
                dropped_reason="Funding ended" if status == Status.DROPPED else "",
            )
        )
    created = Commitment.objects.bulk_create(commitments, batch_size=1000)
    # Every tenth commitment becomes a part of the one before it: parts are listed under parents.
    parts = [c for i, c in enumerate(created) if i % 10 == 9]
    for part in parts:
        part.parent_id = part.pk - 1
    Commitment.objects.bulk_update(parts, ["parent"], batch_size=1000)
    Milestone.objects.bulk_create(
        (
            Milestone(
                commitment=c,
                on=made + dt.timedelta(days=30 * m),
                title=f"Step {m + 1}",
                description="A step on the way",
            )
            for c in created
            for m in range(MILESTONES_EACH)
        ),
        batch_size=5000,
    )


def _page_queries(client, url: str) -> int:
    """Queries of a page made from scratch (cache emptied): the work it really does."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def _measure() -> list[dict]:
    from bench.harness import setup_django

    setup_django(os.environ["DATABASE_URL"])
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    from hct.commitments.models import Milestone
    from hct.core.middleware import SIGNED_IN_AT
    from hct.demo.services import demo_load
    from hct.places.models import Neighbourhood

    setup_test_environment()
    demo_load(password="benchmark-demo-password")
    wards = list(Neighbourhood.objects.filter(kind=Neighbourhood.Kind.WARD).order_by("name"))
    big, small = wards[-1], wards[-2]
    _fill(big, BIG)
    _fill(small, SMALL)
    from django.db import connection

    with connection.cursor() as cursor:
        # Statistics as autovacuum would leave them after a bulk load, so the plans are real ones.
        cursor.execute("ANALYZE")
    milestones = Milestone.objects.filter(commitment__neighbourhood=big).count()

    client = Client()
    # Signed in, so the page and the minimal view pass through the same middleware.
    client.force_login(get_user_model().objects.get(username="board"))
    session = client.session
    session[SIGNED_IN_AT] = 10**12
    session.save()
    page_url = f"/commitments/public/neighbourhoods/{big.slug}/"
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):

        def page():
            response = client.get(page_url)
            assert response.status_code == 200

        def minimal():
            response = client.get("/bench/minimal/")
            assert response.status_code == 200

        page_time, base, ratio = paired_medians(page, minimal, repeat=200)

        def page_from_scratch():
            cache.clear()
            page()

        fresh_time, fresh_base, fresh_ratio = paired_medians(page_from_scratch, minimal, repeat=50)
        queries = {}
        for size, neighbourhood in ((SMALL, small), (BIG, big)):
            url = f"/commitments/public/neighbourhoods/{neighbourhood.slug}/"
            _page_queries(client, url)
            queries[size] = _page_queries(client, url)
    figures = [
        Figure(
            f"Public neighbourhood page ({BIG:,} commitments, {milestones:,} milestones), "
            "PostgreSQL, median server time (its figures and list cached until a commitment changes)",
            ms(page_time),
            f"minimal signed-in Django view {ms(base)}",
            ratio,
            "≤ 3×",
        ),
        Figure(
            "The same page made from scratch (the first view after a change), median server time",
            ms(fresh_time),
            f"minimal signed-in Django view {ms(fresh_base)}",
            fresh_ratio,
            "none set: shown for honesty",
        ),
        Figure(
            f"Queries made by the public neighbourhood page: {SMALL:,} commitments vs {BIG:,}",
            f"{queries[BIG]} queries with {BIG:,} commitments",
            f"{queries[SMALL]} queries with {SMALL:,} commitments",
            queries[BIG] / queries[SMALL],
            "1.00: must not grow",
        ),
    ]
    return [figure.__dict__ for figure in figures]


if __name__ == "__main__":
    print(json.dumps(_measure()))
