"""Issue 3: gap analysis over a synthetic city of 10,000 people and ~200,000 touchpoints, on
PostgreSQL.

Two figures:
- the selector (`hct.journeys.analysis.gap_analysis`, a handful of ORM aggregates) timed beside
  one hand-written SQL statement computing the same figures, in the same run (target ≤ 1.5×);
  the two answers are checked equal first;
- the number of queries the gap analysis page makes for a small city and for the big one (it
  must not grow with the number of journeys).

Django is set up once per process and `make bench` starts on SQLite, so this benchmark runs
itself in a child process on a PostgreSQL database of its own: BENCH_DATABASE_URL if set, else
`hct_bench_<checkout>` created on postgres://postgres@127.0.0.1:5432 (never the `test` one).
"""

import hashlib
import json
import os
import time
from pathlib import Path

from bench.harness import Figure, figures_from_child, ms, paired_medians, postgres_database_url

ROOT = Path(__file__).resolve().parents[1]
SEED = 2018
BIG, SMALL = 10_000, 1_000


def database_url() -> str:
    name = "hct_bench_" + hashlib.sha1(str(ROOT).encode(), usedforsecurity=False).hexdigest()[:8]
    return postgres_database_url(name)


def run() -> list[Figure]:
    return figures_from_child("bench.gap_analysis", database_url())


# The hand-written SQL: every figure of the gap analysis in one statement.


def handwritten_sql(neighbourhood_ids: list[int]) -> tuple[str, list]:
    from hct.journeys.analysis import RETOLD_BUCKETS, TOP, WAIT_BUCKETS
    from hct.systemmap.models import Actor

    kinds = " ".join(f"WHEN '{kind}' THEN '{label}'" for kind, label in Actor.Kind.choices)

    def label(alias: str) -> str:
        return (
            f"CASE WHEN {alias}.private THEN (CASE {alias}.kind {kinds} END) ELSE {alias}.name END"
        )

    buckets = " ".join(
        f"WHEN wait >= {low}" + (f" AND wait < {high}" if high else "") + f" THEN '{name}'"
        for name, low, high in WAIT_BUCKETS
    )
    never, once, twice, more = RETOLD_BUCKETS
    # Only our own constants go into the text; the one value from outside is a parameter.
    sql = f"""
WITH j AS NOT MATERIALIZED (
  SELECT jj.id, jj.person_id FROM journeys_journey jj
  WHERE jj.person_id IN (
    SELECT p.id FROM people_person p WHERE p.home_lsoa_id IN (
      SELECT nl.lsoa_id FROM places_neighbourhood_lsoas nl WHERE nl.neighbourhood_id = ANY(%s)))
),
g AS NOT MATERIALIZED (SELECT g.id, g.journey_id, g.kind, g.before_id, g.after_id FROM journeys_gap g
      WHERE g.journey_id IN (SELECT id FROM j)),
r AS NOT MATERIALIZED (
  SELECT (nxt.starts_on - t.starts_on) AS wait FROM journeys_touchpoint t
  CROSS JOIN LATERAL (
    SELECT n.starts_on FROM journeys_touchpoint n
    WHERE n.journey_id = t.journey_id AND n.position > t.position
      AND n.what IN ('appointment', 'assessment') AND n.precision IN ('day', 'month')
      AND n.starts_on >= t.starts_on
    ORDER BY n.position LIMIT 1) nxt
  WHERE t.journey_id IN (SELECT id FROM j) AND t.what = 'referral'
    AND t.precision IN ('day', 'month')
),
retold AS NOT MATERIALIZED (
  SELECT j.person_id, count(g.id) AS times FROM j LEFT JOIN g
    ON g.journey_id = j.id AND g.kind = 'told_story_again' GROUP BY j.person_id
)
SELECT 'totals', NULL, NULL, count(*), count(DISTINCT person_id)::float FROM j
UNION ALL
SELECT 'touchpoints', NULL, NULL, count(*), NULL FROM journeys_touchpoint
  WHERE journey_id IN (SELECT id FROM j)
UNION ALL
SELECT 'kind', kind, NULL, count(*), NULL FROM g GROUP BY kind
UNION ALL
SELECT 'inflexible', NULL, NULL, count(DISTINCT j.person_id), NULL FROM g
  JOIN j ON j.id = g.journey_id WHERE g.kind = 'appointment_not_flexible'
UNION ALL
SELECT * FROM (
  SELECT 'pair', {label("a")}, {label("b")}, count(*) AS n, NULL::float FROM g
  JOIN journeys_touchpoint tb ON tb.id = g.before_id JOIN systemmap_actor a ON a.id = tb.actor_id
  JOIN journeys_touchpoint ta ON ta.id = g.after_id JOIN systemmap_actor b ON b.id = ta.actor_id
  GROUP BY 2, 3 ORDER BY n DESC, 2, 3 LIMIT {TOP}) pairs
UNION ALL
SELECT 'wait', bucket, NULL, n, (sum(total) OVER () / sum(n) OVER ())::float FROM (
  SELECT CASE {buckets} END AS bucket, count(*) AS n, sum(wait) AS total FROM r
  WHERE wait IS NOT NULL GROUP BY 1) waits
UNION ALL
SELECT 'retold', CASE WHEN times = 0 THEN '{never}' WHEN times = 1 THEN '{once}'
  WHEN times = 2 THEN '{twice}' ELSE '{more}' END, NULL, count(*), sum(times)::float
  FROM retold GROUP BY 2
UNION ALL
SELECT * FROM (
  SELECT 'act', {label("a")}, NULL, count(DISTINCT j.person_id) AS people, count(*)::float AS times
  FROM journeys_touchpoint t JOIN j ON j.id = t.journey_id JOIN systemmap_actor a ON a.id = t.actor_id
  WHERE t.what = 'community_act' AND t.felt = 'helped'
  GROUP BY 2 ORDER BY people DESC, times DESC, 2 LIMIT {TOP}) acts
"""  # noqa: S608
    return sql, [neighbourhood_ids]


def handwritten(neighbourhood_ids: list[int]) -> dict:
    """Run the hand-written statement and shape its rows like the selector's `Analysis`."""
    from django.db import connection

    from hct.journeys.analysis import RETOLD_BUCKETS, WAIT_BUCKETS
    from hct.journeys.models import Gap

    sql, params = handwritten_sql(neighbourhood_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    labels = dict(Gap.Kind.choices)
    result = {
        "gap_kinds": {label: 0 for label in labels.values()},
        "broken_pairs": [],
        "waits": {name: 0 for name, _, _ in WAIT_BUCKETS},
        "retold": dict.fromkeys(RETOLD_BUCKETS, 0),
        "retellings": 0,
        "waits_measured": 0,
        "wait_mean_days": None,
        "community_acts": [],
        "inflexible_people": 0,
    }
    for section, first, second, count, value in rows:
        if section == "totals":
            result["journeys"], result["people"] = count, int(value)
        elif section == "touchpoints":
            result["touchpoints"] = count
        elif section == "kind":
            result["gap_kinds"][labels[first]] = count
        elif section == "inflexible":
            result["inflexible_people"] = count
        elif section == "pair":
            result["broken_pairs"].append((first, second, count))
        elif section == "wait":
            result["waits"][first] = count
            result["waits_measured"] += count
            result["wait_mean_days"] = value
        elif section == "retold":
            result["retold"][first] = count
            result["retellings"] += int(value)
        elif section == "act":
            result["community_acts"].append((first, count, int(value)))
    result["gaps"] = sum(result["gap_kinds"].values())
    return result


def as_dict(analysis) -> dict:
    from dataclasses import asdict

    return asdict(analysis)


def same(selector: dict, baseline: dict) -> bool:
    mean_a, mean_b = selector.pop("wait_mean_days"), baseline.pop("wait_mean_days")
    close = (mean_a is None and mean_b is None) or abs((mean_a or 0) - (mean_b or 0)) < 1e-6
    return close and selector == baseline


def _page_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def _measure() -> list[dict]:
    from bench.harness import setup_django

    setup_django(os.environ["DATABASE_URL"])
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from hct.core.middleware import SIGNED_IN_AT
    from hct.demo.services import demo_load
    from hct.demo.synthetic import generate
    from hct.journeys.analysis import gap_analysis
    from hct.journeys.selectors import journeys_in
    from hct.partnership.models import Cycle
    from hct.places.models import Neighbourhood

    setup_test_environment()
    demo_load(password="benchmark-demo-password")
    clients = {}
    for username in ("facilitator", "partner"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        session = client.session
        session[SIGNED_IN_AT] = 10**12
        session.save()
        clients[username] = client
    first = Cycle.objects.get(number=1).neighbourhood
    pages = {
        "partnership page (facilitator)": ("facilitator", "/gap-analysis/"),
        "partnership page (partner)": ("partner", "/gap-analysis/"),
        f"{first.name} page (facilitator)": ("facilitator", f"/gap-analysis/{first.slug}/"),
    }
    queries: dict[str, dict[int, int]] = {name: {} for name in pages}
    sizes = {}
    for people in (SMALL, BIG):
        started = time.perf_counter()
        city = generate(people=people, seed=SEED)
        sizes[people] = (city.counts["touchpoints"], time.perf_counter() - started)
        for name, (username, url) in pages.items():
            _page_queries(clients[username], url)  # warm the caches a first request fills
            queries[name][people] = _page_queries(clients[username], url)

    wards = list(
        Neighbourhood.objects.filter(kind=Neighbourhood.Kind.WARD).values_list("pk", flat=True)
    )
    journeys = journeys_in(Neighbourhood.objects.filter(pk__in=wards))
    if not same(as_dict(gap_analysis(journeys)), handwritten(wards)):
        raise AssertionError("the selector and the hand-written SQL disagree")
    selector, baseline, ratio = paired_medians(
        lambda: gap_analysis(journeys), lambda: handwritten(wards), repeat=15, warmup=2
    )
    touchpoints, generated_in = sizes[BIG]
    figures = [
        Figure(
            f"Gap analysis of the whole synthetic city ({BIG:,} people, {touchpoints:,} "
            f"touchpoints; built in {generated_in:.0f} s), PostgreSQL, median",
            f"selector {ms(selector)}",
            f"one hand-written SQL aggregate {ms(baseline)}",
            ratio,
            "≤ 1.5×",
        )
    ]
    for name, counts in queries.items():
        figures.append(
            Figure(
                f"Queries made by the gap analysis {name}: {SMALL:,} people vs {BIG:,}",
                f"{counts[BIG]} queries with {BIG:,} people",
                f"{counts[SMALL]} queries with {SMALL:,} people",
                counts[BIG] / counts[SMALL],
                "1.00: must not grow",
            )
        )
    return [figure.__dict__ for figure in figures]


if __name__ == "__main__":
    print(json.dumps(_measure()))
