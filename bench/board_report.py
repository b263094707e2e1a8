"""Issue 8: the partnership board report for the synthetic city (the demo partnership's 7
neighbourhoods, 10,000 people), on PostgreSQL.

Two figures:
- building the report's figures (`hct.learning.figures.figures_for`: a handful of SQL aggregates
  grouped by neighbourhood, then disclosure control) timed beside one plain aggregate query
  over the same tables in the same run — a count per neighbourhood of each table the report
  reads (target ≤ 2×);
- rendering the board report's PDF (WeasyPrint, with its Vega-Lite charts drawn by vl-convert)
  beside rendering the same report as an HTML page, in the same run.

Like the gap-analysis benchmark it runs itself in a child process on a PostgreSQL database of
its own (BENCH_DATABASE_URL, else `hct_bench_<checkout>` on postgres://postgres@127.0.0.1:5432).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.gap_analysis import database_url
from bench.harness import Figure, ms, paired_medians

ROOT = Path(__file__).resolve().parents[1]
SEED = 2018
PEOPLE = 10_000

# One statement, no cleverness: a count per neighbourhood of each table the report reads, joined
# the plain way (people reach a neighbourhood through their home LSOA).
PLAIN = """
WITH p AS (
  SELECT p.id, nl.neighbourhood_id AS nid FROM people_person p
  JOIN places_neighbourhood_lsoas nl ON nl.lsoa_id = p.home_lsoa_id
  WHERE nl.neighbourhood_id = ANY(%(ids)s)
)
SELECT 'people', nid, count(*) FROM p GROUP BY nid
UNION ALL
SELECT 'stories', p.nid, count(*) FROM journeys_story s JOIN p ON p.id = s.person_id GROUP BY p.nid
UNION ALL
SELECT 'journeys', p.nid, count(*) FROM journeys_journey j JOIN p ON p.id = j.person_id GROUP BY p.nid
UNION ALL
SELECT 'gaps', p.nid, count(*) FROM journeys_gap g JOIN journeys_journey j ON j.id = g.journey_id
  JOIN p ON p.id = j.person_id GROUP BY p.nid
UNION ALL
SELECT 'wellbeing', p.nid, count(*) FROM learning_wellbeingcheck w JOIN p ON p.id = w.person_id
  GROUP BY p.nid
UNION ALL
SELECT 'field notes', c.neighbourhood_id, count(*) FROM learning_fieldnote f
  JOIN partnership_cycle c ON c.id = f.cycle_id WHERE c.neighbourhood_id = ANY(%(ids)s) GROUP BY 2
UNION ALL
SELECT 'lessons', c.neighbourhood_id, count(*) FROM learning_lesson l
  JOIN partnership_cycle c ON c.id = l.cycle_id WHERE c.neighbourhood_id = ANY(%(ids)s) GROUP BY 2
"""


def run() -> list[Figure]:
    env = {**os.environ, "DATABASE_URL": database_url(), "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}"}
    env.pop("BENCH_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "bench.board_report"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"board report benchmark failed:\n{result.stderr[-3000:]}")
    return [Figure(**figure) for figure in json.loads(result.stdout.strip().splitlines()[-1])]


def _measure() -> list[dict]:
    from bench.harness import setup_django

    setup_django(os.environ["DATABASE_URL"])
    from django.db import connection

    from hct.demo.services import demo_load
    from hct.demo.synthetic import generate
    from hct.learning.figures import Period, figures_for
    from hct.learning.models import ReportRun
    from hct.learning.present import side_by_side
    from hct.learning.reports import (
        build_sections,
        render_html,
        render_pdf,
        report_neighbourhoods,
        report_scope,
    )
    from hct.learning.selectors import default_period
    from hct.partnership.models import Partnership

    demo_load(password="benchmark-demo-password")
    started = time.perf_counter()
    city = generate(people=PEOPLE, seed=SEED)
    generated_in = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE learning_wellbeingcheck, learning_fieldnote, learning_assetfound, learning_lesson"
        )

    partnership = Partnership.objects.order_by("pk").first()
    neighbourhoods = report_neighbourhoods(partnership)
    period = Period(*default_period(neighbourhoods))
    ids = [n.pk for n in neighbourhoods]

    def figures():
        return side_by_side(figures_for(neighbourhoods, period), period)

    def plain():
        with connection.cursor() as cursor:
            cursor.execute(PLAIN, {"ids": ids})
            return cursor.fetchall()

    published = figures()
    people_in_scope = sum(row[2] for row in plain() if row[0] == "people")
    built, baseline, ratio = paired_medians(figures, plain, repeat=15, warmup=2)

    run = ReportRun(
        partnership=partnership, kind="board", period_start=period.start, period_end=period.end
    )
    scope = report_scope(partnership, period.start, period.end)
    sections = build_sections("board", scope)
    html = render_html(run, sections)
    pdf_seconds, html_seconds, pdf_ratio = paired_medians(
        lambda: render_pdf(run, html),
        lambda: render_html(run, build_sections("board", scope)),
        repeat=5,
        warmup=1,
    )
    pdf_size = len(render_pdf(run, html))
    figures_list = [
        Figure(
            f"Board report figures for the synthetic city ({PEOPLE:,} people, "
            f"{city.counts.get('wellbeing_checks', 0):,} well-being answers; built in "
            f"{generated_in:.0f} s), {len(neighbourhoods)} neighbourhoods holding "
            f"{people_in_scope:,} of its people, people heard "
            f"{published.people_heard_total.display}, PostgreSQL, median",
            f"figures in SQL + disclosure control {ms(built)}",
            f"one plain aggregate query over the same tables {ms(baseline)}",
            ratio,
            "≤ 2×",
        ),
        Figure(
            f"Board report PDF (WeasyPrint, {len(sections)} sections, charts by vl-convert; "
            f"{pdf_size / 1024:.0f} KB), median",
            f"PDF render {ms(pdf_seconds)}",
            f"the same report's sections built and rendered as HTML {ms(html_seconds)}",
            pdf_ratio,
            "informative: what the PDF costs over the page",
        ),
    ]
    return [figure.__dict__ for figure in figures_list]


if __name__ == "__main__":
    print(json.dumps(_measure()))
