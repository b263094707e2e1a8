"""Links derived from journeys, kept up to date as the journeys change.

Each journey shows two things about the system: one touchpoint led to the next (a referral from
the earlier actor to the later one, which happened, so it works), and a gap between two
touchpoints marks the link between their actors broken or missing (the same link the journeys
app marks when the gap is recorded). `links_derive` replaces a set of journeys' evidence with what
they show now, makes the links they show that are not yet on the map, resets the status of every
link they touch (unless someone set it by hand), and removes derived links no journey shows any
more. It works in a fixed number of queries per batch, so the synthetic city uses it as well as
each journey edit.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from hct.core.services import audit_record
from hct.systemmap.models import Actor, Link, LinkEvidence

# When evidence disagrees, the worst wins: one journey that shows a link missing is worth
# knowing however many others show it working.
SEVERITY = {
    Link.Status.WORKING: 0,
    Link.Status.STRAINED: 1,
    Link.Status.BROKEN: 2,
    Link.Status.MISSING: 3,
}
_CHUNK = 500


@dataclass(frozen=True)
class Derived:
    created: int
    removed: int
    evidence: int
    restatused: int


def status_from(statuses: Iterable[str]) -> str | None:
    statuses = list(statuses)
    if not statuses:
        return None
    return max(statuses, key=lambda s: SEVERITY[Link.Status(s)])


def _person_actors(person_ids: set[int], actor: Any) -> dict[int, int]:
    """The actor standing for each person (made when a gap first needs it)."""
    from hct.people.models import Person
    from hct.systemmap.services import actor_for_person

    found = dict(
        Actor.objects.filter(person_id__in=person_ids, kind=Actor.Kind.PERSON).values_list(
            "person_id", "pk"
        )
    )
    for person in Person.objects.filter(pk__in=person_ids - set(found)):
        found[person.pk] = actor_for_person(actor=actor, person=person).pk
    return found


def _shown(journey_ids: list[int], actor: Any) -> list[tuple[tuple[int, int, str], dict]]:
    """(link key, evidence fields) for everything these journeys show."""
    from hct.journeys.models import Gap, Journey, Touchpoint
    from hct.journeys.services import GAP_LINK

    shown: list[tuple[tuple[int, int, str], dict]] = []
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
        link_kind, status = GAP_LINK[kind]
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


def _links_for(keys: set[tuple[int, int, str]]) -> dict[tuple[int, int, str], Link]:
    found: dict[tuple[int, int, str], Link] = {}
    sources = sorted({k[0] for k in keys})
    for start in range(0, len(sources), _CHUNK):
        for link in Link.objects.filter(from_actor_id__in=sources[start : start + _CHUNK]):
            key = (link.from_actor_id, link.to_actor_id, link.kind)
            if key in keys:
                found[key] = link
    return found


def restatus(link_ids: set[int]) -> tuple[int, int]:
    """Each link's status from its evidence (worst wins), unless set by hand; derived links left
    with no evidence go. Returns (changed, removed)."""
    evidence: dict[int, list[str]] = {}
    ids = sorted(link_ids)
    changed: list[Link] = []
    gone: list[int] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for link_id, status in LinkEvidence.objects.filter(link_id__in=chunk).values_list(
            "link_id", "status"
        ):
            evidence.setdefault(link_id, []).append(status)
        for link in Link.objects.filter(pk__in=chunk, status_by_hand=False):
            status = status_from(evidence.get(link.pk, []))
            if status is None:
                # Only a link that journeys made and never marked goes: one marked through
                # `link_mark` (times_marked) keeps its status, as the journeys app promises.
                if link.origin == Link.Origin.JOURNEYS and not link.times_marked:
                    gone.append(link.pk)
            elif status != link.status:
                link.status = status
                changed.append(link)
    Link.objects.bulk_update(changed, ["status"], batch_size=2000)
    for start in range(0, len(gone), _CHUNK):
        Link.objects.filter(pk__in=gone[start : start + _CHUNK]).delete()
    return len(changed), len(gone)


@transaction.atomic
def links_derive(*, actor: Any, journeys: QuerySet | Iterable[int]) -> Derived:
    """Replace these journeys' evidence with what they show now, and bring their links up to
    date. Call it after any change to a journey's touchpoints or gaps."""
    journey_ids = sorted(
        journeys.values_list("pk", flat=True) if isinstance(journeys, QuerySet) else journeys
    )
    if not journey_ids:
        return Derived(0, 0, 0, 0)
    touched: set[int] = set()
    for start in range(0, len(journey_ids), _CHUNK):
        chunk = journey_ids[start : start + _CHUNK]
        old = LinkEvidence.objects.filter(journey_id__in=chunk)
        touched.update(old.values_list("link_id", flat=True))
        old.delete()
    shown = _shown(journey_ids, actor)
    keys = {key for key, _ in shown}
    links = _links_for(keys)
    synthetic = set(
        Actor.objects.filter(synthetic=True, pk__in={k[0] for k in keys - set(links)}).values_list(
            "pk", flat=True
        )
    )
    new = [
        Link(
            from_actor_id=key[0],
            to_actor_id=key[1],
            kind=key[2],
            status=Link.Status.WORKING,  # `restatus` below sets it from the evidence
            origin=Link.Origin.JOURNEYS,
            synthetic=key[0] in synthetic,
        )
        for key in sorted(keys - set(links))
    ]
    Link.objects.bulk_create(new, batch_size=2000)
    if new:
        links.update(_links_for({(n.from_actor_id, n.to_actor_id, n.kind) for n in new}))
    LinkEvidence.objects.bulk_create(
        [LinkEvidence(link_id=links[key].pk, **fields) for key, fields in shown],
        batch_size=2000,
    )
    touched.update(link.pk for link in links.values())
    restatused, removed = restatus(touched)
    result = Derived(len(new), removed, len(shown), restatused)
    audit_record(
        actor=actor,
        verb="links.derive",
        subject_type="systemmap.link",
        details={"journeys": len(journey_ids), **result.__dict__},
    )
    return result
