"""The figures of learning across neighbourhoods, per neighbourhood, in SQL.

Each figure is one aggregate query grouped by neighbourhood (people reach a neighbourhood
through their home LSOA), so the side-by-side page, the reports, the open data and the
benchmark make the same handful of queries whether a city holds a hundred people or a hundred
thousand. Everything here is exact and private: `present` (below) is the only way out to a page,
and it goes through `hct.core.disclosure`.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast

from hct.journeys.models import Gap, Journey, Story
from hct.learning.models import LONELY_OFTEN, AssetFound, FieldNote, Lesson, WellbeingCheck
from hct.partnership.models import Cycle, CycleStage
from hct.people.models import Person
from hct.places.models import Neighbourhood

MEASURES = tuple(name for name, _ in WellbeingCheck.QUESTIONS)
MEASURE_LABELS = {
    "life_satisfaction": "Life satisfaction",
    "worthwhile": "Things I do are worthwhile",
    "happy": "Happy yesterday",
    "anxious": "Anxious yesterday (lower is better)",
}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return f"{self.start:%d %B %Y} to {self.end:%d %B %Y}"


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

    @property
    def gap_total(self) -> int:
        return sum(self.gaps.values())


def _in_period(name: str, period: Period) -> Q:
    return Q(**{f"{name}__gte": period.start, f"{name}__lte": period.end})


def _created_in(period: Period, prefix: str = "") -> Q:
    # created_at is a moment; the period is whole days.
    return Q(**{f"{prefix}created_at__date__gte": period.start}) & Q(
        **{f"{prefix}created_at__date__lte": period.end}
    )


def people_heard(ids: list[int], period: Period) -> dict[int, int]:
    """People living in each neighbourhood whose story or journey was first recorded in the
    period."""
    story = Story.objects.filter(_created_in(period), person=OuterRef("pk"))
    journey = Journey.objects.filter(_created_in(period), person=OuterRef("pk"))
    rows = (
        Person.objects.filter(home_lsoa__neighbourhoods__in=ids)
        .filter(Exists(story) | Exists(journey))
        .order_by()
        .values(nid=F("home_lsoa__neighbourhoods"))
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["nid"]: row["n"] for row in rows}


def gaps_by_kind(ids: list[int], period: Period) -> dict[int, dict[str, int]]:
    rows = (
        Gap.objects.filter(journey__person__home_lsoa__neighbourhoods__in=ids)
        .filter(_created_in(period))
        .order_by()
        .values("kind", nid=F("journey__person__home_lsoa__neighbourhoods"))
        .annotate(n=Count("pk"))
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        found[row["nid"]][row["kind"]] = row["n"]
    return found


def team_work(ids: list[int], period: Period) -> dict[int, tuple[int, int, int]]:
    """Field notes, assets found and lessons, per neighbourhood of their cycle."""
    notes = dict(
        FieldNote.objects.filter(cycle__neighbourhood__in=ids)
        .filter(_in_period("written_on", period))
        .order_by()
        .values_list("cycle__neighbourhood")
        .annotate(n=Count("pk"))
    )
    assets = dict(
        AssetFound.objects.filter(field_note__cycle__neighbourhood__in=ids)
        .filter(_in_period("field_note__written_on", period))
        .order_by()
        .values_list("field_note__cycle__neighbourhood")
        .annotate(n=Count("pk"))
    )
    lessons = dict(
        Lesson.objects.filter(cycle__neighbourhood__in=ids)
        .filter(_created_in(period))
        .order_by()
        .values_list("cycle__neighbourhood")
        .annotate(n=Count("pk"))
    )
    return {nid: (notes.get(nid, 0), assets.get(nid, 0), lessons.get(nid, 0)) for nid in ids}


def _paired(period: Period) -> QuerySet[WellbeingCheck]:
    """Each person's latest later answer in the period, with their baseline's answers beside it
    (one correlated subquery per measure, each a lookup of the person's one baseline)."""
    later = WellbeingCheck.objects.filter(
        person=OuterRef("person"), wave=WellbeingCheck.Wave.FOLLOW_UP, asked_on__lte=period.end
    ).filter(
        Q(asked_on__gt=OuterRef("asked_on"))
        | Q(asked_on=OuterRef("asked_on"), pk__gt=OuterRef("pk"))
    )
    baseline = WellbeingCheck.objects.filter(
        person=OuterRef("person"), wave=WellbeingCheck.Wave.BASELINE
    )
    return (
        WellbeingCheck.objects.filter(wave=WellbeingCheck.Wave.FOLLOW_UP)
        .filter(_in_period("asked_on", period))
        .exclude(Exists(later))
        .annotate(
            **{
                f"before_{name}": Subquery(baseline.values(name)[:1], output_field=IntegerField())
                for name in MEASURES
            },
            before_lonely=Subquery(baseline.values("lonely")[:1]),
        )
    )


def wellbeing(ids: list[int], period: Period) -> dict[int, Wellbeing]:
    paired = _paired(period).filter(person__home_lsoa__neighbourhoods__in=ids)
    # Averages of differences are taken in floating point: an integer mean would truncate.
    changes = {
        f"change_{name}": Avg(Cast(F(name), FloatField()) - Cast(F(f"before_{name}"), FloatField()))
        for name in MEASURES
    }
    rows = (
        paired.order_by()
        .values(nid=F("person__home_lsoa__neighbourhoods"))
        .annotate(
            pairs=Count("pk"),
            lonely_before=Count("pk", filter=Q(before_lonely__in=LONELY_OFTEN)),
            lonely_after=Count("pk", filter=Q(lonely__in=LONELY_OFTEN)),
            **changes,
        )
    )
    result: dict[int, Wellbeing] = defaultdict(Wellbeing)
    for row in rows:
        result[row["nid"]] = Wellbeing(
            pairs=row["pairs"],
            change={name: row[f"change_{name}"] for name in MEASURES},
            lonely_before=row["lonely_before"],
            lonely_after=row["lonely_after"],
        )
    baselines = (
        WellbeingCheck.objects.filter(
            wave=WellbeingCheck.Wave.BASELINE, person__home_lsoa__neighbourhoods__in=ids
        )
        .filter(_in_period("asked_on", period))
        .order_by()
        .values_list("person__home_lsoa__neighbourhoods")
        .annotate(n=Count("pk"))
    )
    for nid, n in baselines:
        result[nid].baselines = n
    return result


def figures_for(neighbourhoods: list[Neighbourhood], period: Period) -> list[NeighbourhoodFigures]:
    """Every neighbourhood's figures for the period, in eight queries whatever the data."""
    ids = [n.pk for n in neighbourhoods]
    cycles: dict[int, Cycle] = {}
    for cycle in (
        Cycle.objects.filter(neighbourhood__in=ids).prefetch_related("stages").order_by("number")
    ):
        cycles.setdefault(cycle.neighbourhood_id, cycle)  # the first cycle in a neighbourhood
    heard = people_heard(ids, period)
    gaps = gaps_by_kind(ids, period)
    work = team_work(ids, period)
    wb = wellbeing(ids, period)
    result = []
    for neighbourhood in neighbourhoods:
        nid = neighbourhood.pk
        cycle = cycles.get(nid)
        notes, assets, lessons = work[nid]
        result.append(
            NeighbourhoodFigures(
                neighbourhood=neighbourhood,
                cycle=cycle,
                stages=list(cycle.stages.all()) if cycle else [],
                people_heard=heard.get(nid, 0),
                gaps={kind: gaps.get(nid, {}).get(kind, 0) for kind, _ in Gap.Kind.choices},
                field_notes=notes,
                assets_found=assets,
                lessons=lessons,
                wellbeing=wb.get(nid, Wellbeing()),
            )
        )
    return result


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
