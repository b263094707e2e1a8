"""The system map's links derived from journeys, kept up to date as the journeys change.

Each journey shows two things about the system: one touchpoint led to the next (a referral from
the earlier actor to the later one, which happened, so it works), and a gap between two
touchpoints marks the link between their actors broken or missing (the same link `gap_add`
marks when the gap is recorded). This reads the journeys and writes what they show through
`hct.systemmap.derive.links_evidence_replace`: the map comes before journeys in the app order
and never imports them.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from hct.core.models import User
from hct.journeys.models import Gap, Journey, Touchpoint
from hct.people.models import Person
from hct.systemmap.derive import Derived, Shown, links_evidence_replace
from hct.systemmap.models import Link, LinkEvidence
from hct.systemmap.selectors import actors_for_people
from hct.systemmap.services import actor_for_person

# The link a gap marks, and how (also what `gap_add` marks at once).
GAP_LINK = {
    Gap.Kind.REFERRAL_LOST: (Link.Kind.REFERRAL, Link.Status.BROKEN),
    Gap.Kind.LONG_WAIT: (Link.Kind.REFERRAL, Link.Status.BROKEN),
    Gap.Kind.NO_FOLLOW_UP: (Link.Kind.SUPPORT, Link.Status.MISSING),
    Gap.Kind.TOLD_STORY_AGAIN: (Link.Kind.INFORMATION, Link.Status.MISSING),
    Gap.Kind.APPOINTMENT_NOT_FLEXIBLE: (Link.Kind.SUPPORT, Link.Status.BROKEN),
    Gap.Kind.SERVICES_DIDNT_TALK: (Link.Kind.INFORMATION, Link.Status.MISSING),
    Gap.Kind.DISCHARGED_WITHOUT_SUPPORT: (Link.Kind.SUPPORT, Link.Status.MISSING),
    Gap.Kind.COULDNT_GET_THERE: (Link.Kind.SUPPORT, Link.Status.BROKEN),
}


def links_derive(*, actor: User | None, journeys: QuerySet | Iterable[int]) -> Derived:
    """Replace these journeys' evidence with what they show now, and bring their links up to
    date. Call it after any change to a journey's touchpoints or gaps."""
    journey_ids = sorted(
        journeys.values_list("pk", flat=True) if isinstance(journeys, QuerySet) else journeys
    )
    return links_evidence_replace(
        actor=actor, journey_ids=journey_ids, shown=_shown(journey_ids, actor)
    )


def _person_actors(person_ids: set[int], actor: User | None) -> dict[int, int]:
    """The actor standing for each person (made when a gap first needs it)."""
    found = dict(actors_for_people(person_ids))
    for person in Person.objects.filter(pk__in=person_ids - set(found)):
        found[person.pk] = actor_for_person(actor=actor, person=person).pk
    return found


def _shown(journey_ids: list[int], actor: User | None) -> Shown:
    """(link key, evidence fields) for everything these journeys show."""
    shown: Shown = []
    people = dict(Journey.objects.filter(pk__in=journey_ids).values_list("pk", "person_id"))
    previous: tuple[int, int] | None = None  # (journey, actor) of the touchpoint before
    for journey_id, touchpoint_id, actor_id in (
        Touchpoint.objects.filter(journey_id__in=journey_ids)
        .order_by("journey_id", "position")
        .values_list("journey_id", "pk", "actor_id")
    ):
        if previous and previous[0] == journey_id and previous[1] != actor_id:
            shown.append(
                (
                    (previous[1], actor_id, Link.Kind.REFERRAL.value),
                    {
                        "source": LinkEvidence.Source.SEQUENCE,
                        "status": Link.Status.WORKING,
                        "journey_id": journey_id,
                        "person_id": people[journey_id],
                        "touchpoint_id": touchpoint_id,
                    },
                )
            )
        previous = (journey_id, actor_id)
    gaps = list(
        Gap.objects.filter(journey_id__in=journey_ids).values_list(
            "pk", "journey_id", "kind", "before__actor_id", "after__actor_id"
        )
    )
    # A gap between two touchpoints with the same service runs from the person to it.
    selves = _person_actors({people[g[1]] for g in gaps if g[3] == g[4]}, actor)
    for gap_id, journey_id, kind, source, target in gaps:
        link_kind, status = GAP_LINK[Gap.Kind(kind)]
        if source == target:
            source = selves[people[journey_id]]
        if source == target:
            continue
        shown.append(
            (
                (source, target, link_kind.value),
                {
                    "source": LinkEvidence.Source.GAP,
                    "status": status.value,
                    "journey_id": journey_id,
                    "person_id": people[journey_id],
                    "gap_id": gap_id,
                },
            )
        )
    return shown
