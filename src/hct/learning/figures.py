"""The figures of learning across neighbourhoods, per neighbourhood, in SQL.

Each figure is one aggregate query grouped by neighbourhood (people reach a neighbourhood
through their home LSOA), so the side-by-side page, the reports, the open data and the
benchmark make the same handful of queries whether a city holds a hundred people or a hundred
thousand. Everything here is exact and private: `present` (below) is the only way out to a page,
and it goes through `hct.core.disclosure`.
"""

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from hct.journeys.models import Gap, Journey, Story
from hct.learning.columns import counts_for
from hct.learning.models import LONELY_OFTEN, AssetFound, FieldNote, Lesson, WellbeingCheck
from hct.learning.period import Period
from hct.partnership.models import Cycle, CycleStage
from hct.people.models import Person
from hct.places.models import Neighbourhood

__all__ = ["Period"]  # kept here too: the pages and open data know it as figures.Period

MEASURES = tuple(name for name, _ in WellbeingCheck.QUESTIONS)
MEASURE_LABELS = {
    "life_satisfaction": "Life satisfaction",
    "worthwhile": "Things I do are worthwhile",
    "happy": "Happy yesterday",
    "anxious": "Anxious yesterday (lower is better)",
}


@dataclass
class Wellbeing:
    pairs: int = 0  # people with a baseline and a later answer in the period
    baselines: int = 0  # people first asked in the period
    change: dict[str, float] = field(default_factory=dict)  # measure -> mean change
    lonely_before: int = 0  # of the pairs: often or always lonely at baseline
    lonely_after: int = 0  # … and at their latest later answer


@dataclass
class NeighbourhoodFigures:
    neighbourhood: Neighbourhood
    cycle: Cycle | None = None
    stages: list[CycleStage] = field(default_factory=list)
    people_heard: int = 0
    gaps: dict[str, int] = field(default_factory=dict)  # gap kind -> count
    field_notes: int = 0
    assets_found: int = 0
    lessons: int = 0
    wellbeing: Wellbeing = field(default_factory=Wellbeing)
    # Registered columns of other apps (`hct.learning.columns`): key -> count.
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def gap_total(self) -> int:
        return sum(self.gaps.values())


def _moments(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """created_at is a moment; the period is whole local days: from the first day's midnight to
    the midnight after the last (compared as moments, so an index on the column still works)."""
    start = timezone.make_aware(dt.datetime.combine(period.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min))
    return start, end


def _tables() -> dict[str, str]:
    models = {
        "person": Person,
        "story": Story,
        "journey": Journey,
        "gap": Gap,
        "check": WellbeingCheck,
        "note": FieldNote,
        "asset": AssetFound,
        "lesson": Lesson,
        "cycle": Cycle,
    }
    tables = {key: connection.ops.quote_name(m._meta.db_table) for key, m in models.items()}
    tables["n_lsoas"] = connection.ops.quote_name(Neighbourhood.lsoas.through._meta.db_table)
    return tables


NUMBER = "CAST(NULL AS DOUBLE PRECISION)"
TEXT = "CAST(NULL AS VARCHAR(40))"


def _statement(count: int) -> str:
    """Every figure of every neighbourhood in one statement (SQLite and PostgreSQL alike): the
    people of the neighbourhoods once (`p`), then one aggregate per figure over it, as rows of
    (figure, neighbourhood, kind, count, four mean changes, two loneliness counts)."""
    t = _tables()
    ids = ", ".join(["%s"] * count)
    changes = ", ".join(
        f"AVG(CAST(w.{name} AS DOUBLE PRECISION) - CAST(b.{name} AS DOUBLE PRECISION))"
        for name in MEASURES
    )
    often = ", ".join(f"'{value}'" for value in LONELY_OFTEN)  # our own constants, not input
    blanks = ", ".join([NUMBER] * len(MEASURES))
    return f"""
WITH p AS (
  SELECT pp.id AS id, nl.neighbourhood_id AS nid FROM {t["person"]} pp
  JOIN {t["n_lsoas"]} nl ON nl.lsoa_id = pp.home_lsoa_id
  WHERE nl.neighbourhood_id IN ({ids})
)
SELECT 'heard', p.nid, {TEXT}, COUNT(*), {blanks}, 0, 0 FROM p
  WHERE EXISTS (SELECT 1 FROM {t["story"]} s WHERE s.person_id = p.id
                AND s.created_at >= %(from)s AND s.created_at < %(until)s)
     OR EXISTS (SELECT 1 FROM {t["journey"]} j WHERE j.person_id = p.id
                AND j.created_at >= %(from)s AND j.created_at < %(until)s)
  GROUP BY p.nid
UNION ALL
SELECT 'gaps', p.nid, g.kind, COUNT(*), {blanks}, 0, 0 FROM {t["gap"]} g
  JOIN {t["journey"]} j ON j.id = g.journey_id JOIN p ON p.id = j.person_id
  WHERE g.created_at >= %(from)s AND g.created_at < %(until)s
  GROUP BY p.nid, g.kind
UNION ALL
SELECT 'pairs', p.nid, {TEXT}, COUNT(*), {changes},
  SUM(CASE WHEN b.lonely IN ({often}) THEN 1 ELSE 0 END),
  SUM(CASE WHEN w.lonely IN ({often}) THEN 1 ELSE 0 END)
  FROM {t["check"]} w JOIN p ON p.id = w.person_id JOIN {t["check"]} b ON b.id = w.baseline_id
  WHERE w.wave = 'follow_up' AND w.asked_on >= %(start)s AND w.asked_on <= %(end)s
    AND NOT EXISTS (
      SELECT 1 FROM {t["check"]} x WHERE x.person_id = w.person_id AND x.wave = 'follow_up'
        AND x.asked_on <= %(end)s
        AND (x.asked_on > w.asked_on OR (x.asked_on = w.asked_on AND x.id > w.id)))
  GROUP BY p.nid
UNION ALL
SELECT 'baselines', p.nid, {TEXT}, COUNT(*), {blanks}, 0, 0 FROM {t["check"]} w
  JOIN p ON p.id = w.person_id
  WHERE w.wave = 'baseline' AND w.asked_on >= %(start)s AND w.asked_on <= %(end)s
  GROUP BY p.nid
UNION ALL
SELECT 'notes', c.neighbourhood_id, {TEXT}, COUNT(*), {blanks}, 0, 0 FROM {t["note"]} f
  JOIN {t["cycle"]} c ON c.id = f.cycle_id
  WHERE c.neighbourhood_id IN ({ids}) AND f.written_on >= %(start)s AND f.written_on <= %(end)s
  GROUP BY c.neighbourhood_id
UNION ALL
SELECT 'assets', c.neighbourhood_id, {TEXT}, COUNT(*), {blanks}, 0, 0 FROM {t["asset"]} a
  JOIN {t["note"]} f ON f.id = a.field_note_id JOIN {t["cycle"]} c ON c.id = f.cycle_id
  WHERE c.neighbourhood_id IN ({ids}) AND f.written_on >= %(start)s AND f.written_on <= %(end)s
  GROUP BY c.neighbourhood_id
UNION ALL
SELECT 'lessons', c.neighbourhood_id, {TEXT}, COUNT(*), {blanks}, 0, 0 FROM {t["lesson"]} l
  JOIN {t["cycle"]} c ON c.id = l.cycle_id
  WHERE c.neighbourhood_id IN ({ids}) AND l.created_at >= %(from)s AND l.created_at < %(until)s
  GROUP BY c.neighbourhood_id
"""  # noqa: S608 - only table names, placeholders and our own constants go into the text


def _run(ids: list[int], period: Period) -> list[tuple]:
    """The statement with its parameters. Named parameters and a list of ids do not mix in
    every driver, so the ids are spelled out as positional ones and the rest follow by name,
    rewritten here to positions in the order they appear."""
    sql = _statement(len(ids))
    ops = connection.ops
    moments = _moments(period)
    named = {
        "from": ops.adapt_datetimefield_value(moments[0]),
        "until": ops.adapt_datetimefield_value(moments[1]),
        "start": ops.adapt_datefield_value(period.start),
        "end": ops.adapt_datefield_value(period.end),
    }
    params: list = []
    pieces = re.split(r"(%\((?:from|until|start|end)\)s|%s)", sql)
    out = []
    id_iter = itertools.cycle(ids)  # each `IN (%s, …)` lists every id, in order
    for piece in pieces:
        if piece == "%s":
            params.append(next(id_iter))
            out.append("%s")
        elif piece.startswith("%("):
            params.append(named[piece[2:-2]])
            out.append("%s")
        else:
            out.append(piece)
    with connection.cursor() as cursor:
        cursor.execute("".join(out), params)
        return cursor.fetchall()


def figures_for(neighbourhoods: list[Neighbourhood], period: Period) -> list[NeighbourhoodFigures]:
    """Every neighbourhood's figures for the period: one statement for the figures, one query
    (with its prefetch) for the cycles, and one per group of registered columns (Big
    Conversations, commitments, practical help), whatever the data."""
    ids = [n.pk for n in neighbourhoods]
    cycles: dict[int, Cycle] = {}
    for cycle in (
        Cycle.objects.filter(neighbourhood__in=ids).prefetch_related("stages").order_by("number")
    ):
        cycles.setdefault(cycle.neighbourhood_id, cycle)  # the first cycle in a neighbourhood
    found = {
        nid: NeighbourhoodFigures(
            neighbourhood=n,
            cycle=cycles.get(nid),
            stages=list(cycles[nid].stages.all()) if nid in cycles else [],
            gaps={kind: 0 for kind, _ in Gap.Kind.choices},
        )
        for nid, n in zip(ids, neighbourhoods, strict=True)
    }
    for figure, nid, kind, count, *rest in _run(ids, period) if ids else []:
        here = found[nid]
        if figure == "heard":
            here.people_heard = count
        elif figure == "gaps":
            here.gaps[kind] = count
        elif figure == "pairs":
            *changes, before, after = rest
            here.wellbeing.pairs = count
            here.wellbeing.change = dict(zip(MEASURES, changes, strict=True))
            here.wellbeing.lonely_before, here.wellbeing.lonely_after = before, after
        elif figure == "baselines":
            here.wellbeing.baselines = count
        elif figure == "notes":
            here.field_notes = count
        elif figure == "assets":
            here.assets_found = count
        elif figure == "lessons":
            here.lessons = count
    for column, counts in counts_for(ids, period) if ids else []:
        for nid, here in found.items():
            here.extra[column.key] = counts.get(nid, 0)
    return list(found.values())


def has_data(figures: list[NeighbourhoodFigures]) -> bool:
    return any(
        f.people_heard
        or f.gap_total
        or f.field_notes
        or f.lessons
        or f.wellbeing.pairs
        or f.wellbeing.baselines
        for f in figures
    )
