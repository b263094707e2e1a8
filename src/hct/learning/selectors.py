"""Reads for learning: the cycles a user may see, their field notes and learning logs, the
lessons of earlier cycles, well-being checks, and the neighbourhoods set side by side."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from hct.core.roles import Role
from hct.learning import evidence as evidence_registry
from hct.learning.models import AssetFound, Evidence, FieldNote, Lesson, WellbeingCheck
from hct.partnership.models import Cycle, CycleStage
from hct.partnership.selectors import cycles_visible as partnership_cycles_visible
from hct.partnership.selectors import of_own_partnerships
from hct.people.models import Person
from hct.places.models import Neighbourhood


def cycles_visible(user: Any) -> QuerySet[Cycle]:
    """The cycles the user may see (partnership's rule), with what learning lists beside them."""
    return (
        partnership_cycles_visible(user)
        .select_related("neighbourhood", "partnership")
        .prefetch_related(Prefetch("stages", queryset=CycleStage.objects.order_by("id")))
        .annotate(
            field_note_count=Count("field_notes", distinct=True),
            lesson_count=Count("lessons", distinct=True),
        )
        .order_by("partnership__name", "number")
    )


def cycles_running(user: Any) -> QuerySet[Cycle]:
    """The cycles the user may see, with only what `cycle_status` reads beside them (no counts:
    the all-cycles page reads its figures in its own grouped queries)."""
    return (
        partnership_cycles_visible(user)
        .select_related("neighbourhood", "partnership")
        .prefetch_related(Prefetch("stages", queryset=CycleStage.objects.order_by("id")))
        .order_by("partnership__name", "number")
    )


def cycle_get(user: Any, pk: int) -> Cycle | None:
    return cycles_visible(user).filter(pk=pk).first()


def field_notes_of(cycle: Cycle) -> QuerySet[FieldNote]:
    return (
        FieldNote.objects.filter(cycle=cycle)
        .select_related("author")
        .prefetch_related(Prefetch("assets", queryset=AssetFound.objects.select_related("lsoa")))
        .order_by("-written_on", "-id")
    )


def field_note_get(pk: int) -> FieldNote | None:
    return (
        FieldNote.objects.select_related("cycle__neighbourhood", "cycle__partnership", "author")
        .prefetch_related(
            Prefetch("assets", queryset=AssetFound.objects.select_related("lsoa", "service"))
        )
        .filter(pk=pk)
        .first()
    )


def _with_evidence(lessons: QuerySet[Lesson]) -> QuerySet[Lesson]:
    return lessons.select_related("author", "cycle__neighbourhood").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("kind", "id"))
    )


def lessons_of(cycle: Cycle) -> list[Lesson]:
    lessons = list(
        _with_evidence(Lesson.objects.filter(cycle=cycle)).order_by("-created_at", "-id")
    )
    _attach_links(lessons)
    return lessons


def lessons_before(cycle: Cycle) -> list[Lesson]:
    """The lessons of the partnership's earlier cycles, newest cycle first: where the next cycle
    starts."""
    lessons = list(
        _with_evidence(
            Lesson.objects.filter(
                cycle__partnership=cycle.partnership_id, cycle__number__lt=cycle.number
            )
        ).order_by("-cycle__number", "-created_at", "-id")
    )
    _attach_links(lessons)
    return lessons


def lessons_in(partnership_id: int, start: dt.date, end: dt.date) -> list[Lesson]:
    return list(
        _with_evidence(
            Lesson.objects.filter(
                cycle__partnership=partnership_id,
                created_at__date__gte=start,
                created_at__date__lte=end,
            )
        ).order_by("cycle__number", "created_at", "id")
    )


def _attach_links(lessons: list[Lesson]) -> None:
    labels = {kind.key: kind.label for kind in evidence_registry.kinds()}
    for lesson in lessons:
        lesson.evidence_links = [  # type: ignore[attr-defined]
            {
                "kind": labels.get(item.kind, item.kind),
                "label": item.label,
                "url": evidence_registry.url_for(item.kind, item.object_id),
            }
            for item in lesson.evidence.all()
        ]


def wellbeing_checks_of(person: Person) -> list[WellbeingCheck]:
    return list(WellbeingCheck.objects.filter(person=person).order_by("asked_on", "id"))


def wellbeing_baseline(person: Person) -> WellbeingCheck | None:
    return WellbeingCheck.objects.filter(person=person, wave=WellbeingCheck.Wave.BASELINE).first()


def neighbourhoods_compared(user: Any) -> list[Neighbourhood]:
    """The neighbourhoods side by side: where the user's partnerships run a cycle, within the
    user's scope, in cycle order."""
    cycles = cycles_visible(user)
    seen: dict[int, Neighbourhood] = {}
    for cycle in cycles:
        seen.setdefault(cycle.neighbourhood_id, cycle.neighbourhood)
    return list(seen.values())


def neighbourhoods_with_cycles() -> list[Neighbourhood]:
    """Every neighbourhood where any partnership runs a cycle (the open data's rows)."""
    seen: dict[int, Neighbourhood] = {}
    for cycle in Cycle.objects.select_related("neighbourhood").order_by("partnership_id", "number"):
        seen.setdefault(cycle.neighbourhood_id, cycle.neighbourhood)
    return list(seen.values())


def default_period(neighbourhoods: list[Neighbourhood]) -> tuple[dt.date, dt.date]:
    """From the start of the earliest cycle here to today."""
    first = (
        CycleStage.objects.filter(cycle__neighbourhood__in=neighbourhoods, started_on__isnull=False)
        .order_by("started_on")
        .values_list("started_on", flat=True)
        .first()
    )
    today = timezone.localdate()
    return (first or today - dt.timedelta(days=365)), today


# What changed on one neighbourhood's system map between two of its snapshots. The comparison is
# systemmap's own (`snapshots_compare`); learning only picks out what the method asks for.

ERROR_SNAPSHOTS_APART = (
    "These snapshots are of two different neighbourhoods: choose two snapshots of the same one"
)
ERROR_SAME_SNAPSHOT = "Choose two different snapshots"
LINK_NEEDS_REPAIR = frozenset({"strained", "broken", "missing"})
LINK_ABSENT = frozenset({"broken", "missing"})


@dataclass
class MapRepairs:
    neighbourhood: Neighbourhood
    earlier: Any  # MapSnapshot
    later: Any
    repaired: list  # systemmap MapChange: strained, broken or missing then, working now
    still_missing: list[tuple[str, str, str, str]]  # from, to, kind, status now


def snapshots_for(neighbourhoods: list[Neighbourhood], user: Any = None) -> QuerySet:
    """Snapshots of these neighbourhoods' maps; with a user, only their partnerships' maps (and
    those taken before maps were kept per partnership)."""
    from hct.systemmap.models import MapSnapshot

    snapshots = MapSnapshot.objects.filter(neighbourhood__in=neighbourhoods)
    if user is not None and getattr(user, "role", None) != Role.ADMIN:
        snapshots = snapshots.filter(
            Q(partnership__isnull=True) | of_own_partnerships(user, partnership="partnership")
        )
    return snapshots.select_related("neighbourhood").order_by(
        "neighbourhood__name", "created_at", "id"
    )


def map_repairs(earlier, later) -> MapRepairs:
    """Links repaired and links still missing between two snapshots of one neighbourhood;
    two snapshots of different neighbourhoods are refused (their links cannot be matched)."""
    from django.core.exceptions import ValidationError

    from hct.systemmap.models import Link
    from hct.systemmap.selectors import snapshots_compare

    if earlier.neighbourhood_id != later.neighbourhood_id:
        raise ValidationError({"later": ERROR_SNAPSHOTS_APART})
    if earlier.pk == later.pk:
        raise ValidationError({"later": ERROR_SAME_SNAPSHOT})
    if (later.created_at, later.pk) < (earlier.created_at, earlier.pk):
        earlier, later = later, earlier  # read as before and after, whichever came first
    comparison = snapshots_compare(earlier.data, later.data)
    repaired = [
        change
        for change in comparison.links
        if change.what == "changed"
        and change.before in LINK_NEEDS_REPAIR
        and change.after == Link.Status.WORKING
    ]
    labels = {a["id"]: a["label"] for a in [*earlier.data["actors"], *later.data["actors"]]}
    before = {(k["from"], k["to"], k["kind"]): k for k in earlier.data["links"]}
    kinds, statuses = dict(Link.Kind.choices), dict(Link.Status.choices)
    still = sorted(
        (
            labels.get(k["from"], "?"),
            labels.get(k["to"], "?"),
            kinds[k["kind"]],
            statuses[k["status"]],
        )
        for k in later.data["links"]
        if k["status"] in LINK_ABSENT
        and before.get((k["from"], k["to"], k["kind"]), {}).get("status") in LINK_ABSENT
    )
    return MapRepairs(earlier.neighbourhood, earlier, later, repaired, still)
