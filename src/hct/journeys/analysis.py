"""Gap analysis: where the system failed to connect, across one journey or many.

Every figure is an SQL aggregate over the journeys given (a queryset, used as a subquery), so a
page makes the same few queries whether it covers one journey or ten thousand. Partners and the
board see the figures only through `hct.core.disclosure` (`published`); facilitators see the
counts and the journeys behind them within their scope.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)

from hct.core.disclosure import Published, publish_count, publish_series
from hct.journeys.dates import Precision
from hct.journeys.models import Felt, Gap, Journey, Touchpoint, What
from hct.systemmap.models import Actor

TOP = 10
# Waits from referral to first appointment, in days: the buckets a page shows.
WAIT_BUCKETS = (
    ("Under 2 weeks", 0, 14),
    ("2 to 6 weeks", 14, 42),
    ("6 to 18 weeks", 42, 126),
    ("18 weeks or more", 126, None),
)
RETOLD_BUCKETS = ("Never", "Once", "Twice", "Three times or more")
# Only dates known to the day or month say how long a wait was.
PRECISE = (Precision.DAY, Precision.MONTH)
FIRST_APPOINTMENT = (What.APPOINTMENT, What.ASSESSMENT)


def actor_label(prefix: str):
    """An actor's name in SQL, or for a private actor (“Sam's sister”) its kind, so that
    figures across people never carry a private name and group like with like."""
    kind_label = Case(
        *[
            When(**{f"{prefix}__kind": kind}, then=Value(str(label)))
            for kind, label in Actor.Kind.choices
        ],
        output_field=CharField(),
    )
    return Case(
        When(**{f"{prefix}__private": True}, then=kind_label),
        default=F(f"{prefix}__name"),
        output_field=CharField(),
    )


@dataclass
class Analysis:
    journeys: int = 0
    people: int = 0
    touchpoints: int = 0
    gaps: int = 0
    gap_kinds: dict[str, int] = field(default_factory=dict)  # label -> gaps
    broken_pairs: list[tuple[str, str, int]] = field(default_factory=list)
    waits: dict[str, int] = field(default_factory=dict)  # bucket -> referrals
    waits_measured: int = 0
    wait_mean_days: float | None = None
    retold: dict[str, int] = field(default_factory=dict)  # bucket -> people
    retellings: int = 0
    # People (not gaps) with an "Appointment not flexible" gap: where a flexibility scenario starts.
    inflexible_people: int = 0
    community_acts: list[tuple[str, int, int]] = field(default_factory=list)  # label, people, times


def _waits(touchpoints: QuerySet[Touchpoint]):
    """Each precisely dated referral with its wait until the first appointment or assessment
    after it in the same journey (none: NULL, which every aggregate below skips). The subquery
    appears once, so the database runs it once per referral."""
    first_appointment = (
        Touchpoint.objects.filter(
            journey=OuterRef("journey"),
            position__gt=OuterRef("position"),
            what__in=FIRST_APPOINTMENT,
            precision__in=PRECISE,
            # Mixed precisions can put a "March" appointment's first day before a referral on
            # the 15th: such an appointment says nothing about the wait.
            starts_on__gte=OuterRef("starts_on"),
        )
        .order_by("position")
        .values("starts_on")[:1]
    )
    # DISTINCT (on the primary key, so no row is lost) keeps this a subquery of its own when
    # aggregated: otherwise PostgreSQL inlines `wait` into every aggregate and runs the
    # correlated subquery once per aggregate instead of once per referral.
    return (
        touchpoints.filter(what=What.REFERRAL, precision__in=PRECISE)
        .order_by()
        .annotate(
            wait=ExpressionWrapper(
                Subquery(first_appointment) - F("starts_on"), output_field=DurationField()
            )
        )
        .values("pk", "wait")
        .distinct()
    )


def _bucket(low: int, high: int | None) -> Q:
    condition = Q(wait__gte=dt.timedelta(days=low))
    if high is not None:
        condition &= Q(wait__lt=dt.timedelta(days=high))
    return condition


def gap_analysis(journeys: QuerySet[Journey]) -> Analysis:
    """The gap analysis of these journeys, in six aggregate queries whatever their number."""
    ids = journeys.order_by().values("pk")
    result = Analysis()

    totals = (
        Journey.objects.filter(pk__in=ids)
        .order_by()
        .aggregate(journeys=Count("pk"), people=Count("person", distinct=True))
    )
    result.journeys, result.people = totals["journeys"], totals["people"]

    gaps = Gap.objects.filter(journey__in=ids).order_by()
    kinds = dict(gaps.values_list("kind").annotate(n=Count("pk")))
    result.gap_kinds = {label: kinds.get(kind, 0) for kind, label in Gap.Kind.choices}
    result.gaps = sum(kinds.values())

    pairs = (
        gaps.annotate(source=actor_label("before__actor"), target=actor_label("after__actor"))
        .order_by()
        .values("source", "target")
        .annotate(n=Count("pk"))
        .order_by("-n", "source", "target")[:TOP]
    )
    result.broken_pairs = [(row["source"], row["target"], row["n"]) for row in pairs]

    touchpoints = Touchpoint.objects.filter(journey__in=ids).order_by()
    waits = _waits(touchpoints).aggregate(
        measured=Count("wait"),
        mean=Avg("wait"),
        **{
            f"b{index}": Count("pk", filter=_bucket(low, high))
            for index, (_, low, high) in enumerate(WAIT_BUCKETS)
        },
    )
    result.waits = {label: waits[f"b{i}"] for i, (label, _, _) in enumerate(WAIT_BUCKETS)}
    result.waits_measured = waits["measured"]
    mean = waits["mean"]
    result.wait_mean_days = mean.total_seconds() / 86400 if mean is not None else None

    per_person = (
        Journey.objects.filter(pk__in=ids)
        .order_by()
        .values("person")
        .annotate(
            times=Count("gaps", filter=Q(gaps__kind=Gap.Kind.TOLD_STORY_AGAIN)),
            inflexible=Count("gaps", filter=Q(gaps__kind=Gap.Kind.APPOINTMENT_NOT_FLEXIBLE)),
        )
    )
    retold = per_person.aggregate(
        never=Count("person", filter=Q(times=0)),
        once=Count("person", filter=Q(times=1)),
        twice=Count("person", filter=Q(times=2)),
        more=Count("person", filter=Q(times__gte=3)),
        total=Sum("times"),
        inflexible_people=Count("person", filter=Q(inflexible__gt=0)),
    )
    result.retold = dict(
        zip(
            RETOLD_BUCKETS,
            (retold["never"], retold["once"], retold["twice"], retold["more"]),
            strict=True,
        )
    )
    result.retellings = retold["total"] or 0
    result.inflexible_people = retold["inflexible_people"]

    acts = (
        touchpoints.filter(what=What.COMMUNITY_ACT, felt=Felt.HELPED)
        .annotate(label=actor_label("actor"))
        .order_by()
        .values("label")
        .annotate(people=Count("journey__person", distinct=True), times=Count("pk"))
        .order_by("-people", "-times", "label")[:TOP]
    )
    result.community_acts = [(row["label"], row["people"], row["times"]) for row in acts]
    result.touchpoints = touchpoints.count()
    return result


@dataclass
class Row:
    label: str
    figure: Published
    detail: str = ""


@dataclass
class Presented:
    suppressed: bool
    journeys: Published
    people: Published
    touchpoints: Published
    gaps: Published
    gap_kinds: list[Row]
    gap_total: Published
    broken_pairs: list[Row]
    waits: list[Row]
    waits_measured: Published
    wait_mean_days: str
    retold: list[Row]
    retellings: Published
    community_acts: list[Row]
    inflexible_people: Published


def _exact(count: int) -> Published:
    return Published(count, f"{count:,}")


def _series(counts: dict[str, int], suppressed: bool) -> tuple[list[Row], Published]:
    if suppressed:
        cells, total = publish_series(counts)
    else:
        cells = {label: _exact(count) for label, count in counts.items()}
        total = _exact(sum(counts.values()))
    return [Row(label, cells[label]) for label in counts], total


def present(analysis: Analysis, *, suppressed: bool) -> Presented:
    """The analysis as a page shows it: exact for facilitators, through disclosure control
    (1–7 hidden, the rest rounded to 5, secondary suppression) for partners and the board."""
    one = publish_count if suppressed else _exact
    # Exact figures read best most frequent first; published ones keep a fixed order, so that
    # the order of hidden cells says nothing about their size.
    kinds = analysis.gap_kinds
    if not suppressed:
        kinds = dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    gap_kinds, gap_total = _series(kinds, suppressed)
    pairs, _ = _series({f"{a} → {b}": n for a, b, n in analysis.broken_pairs}, suppressed)
    waits, _ = _series(analysis.waits, suppressed)
    retold, _ = _series(analysis.retold, suppressed)
    acts, _ = _series({label: people for label, people, _ in analysis.community_acts}, suppressed)
    measured = one(analysis.waits_measured)
    mean = ""
    if analysis.wait_mean_days is not None and not measured.suppressed:
        mean = f"{analysis.wait_mean_days / 7:.1f} weeks"
    return Presented(
        suppressed=suppressed,
        journeys=one(analysis.journeys),
        people=one(analysis.people),
        touchpoints=one(analysis.touchpoints),
        gaps=one(analysis.gaps),
        gap_kinds=gap_kinds,
        gap_total=gap_total,
        broken_pairs=pairs,
        waits=waits,
        waits_measured=measured,
        wait_mean_days=mean,
        retold=retold,
        retellings=one(analysis.retellings),
        community_acts=acts,
        # Always through disclosure control, for facilitators too: this sentence travels with
        # the scenario it starts, which partners and the board read.
        inflexible_people=publish_count(analysis.inflexible_people),
    )
