"""Reads for actors and links, as the journeys (and later the map) need them."""

from django.db.models import Q, QuerySet

from hct.people.models import Person
from hct.systemmap.models import Actor, Link


def actors_for_person(person: Person) -> QuerySet[Actor]:
    """The actors a touchpoint in this person's journey may point at: shared actors of the
    neighbourhoods around their home (and city-wide ones), and the person's own private ones."""
    around = Q(neighbourhood__isnull=True) | Q(neighbourhood__lsoas=person.home_lsoa_id)
    return (
        Actor.objects.filter((around & Q(private=False, person__isnull=True)) | Q(person=person))
        .distinct()
        .order_by("sector", "name")
    )


def actor_find(*, name: str, kind: str, person: Person | None = None) -> Actor | None:
    """An existing actor by name and kind (case-insensitive): the person's own for personal
    kinds, a shared one otherwise."""
    queryset = Actor.objects.filter(name__iexact=name.strip(), kind=kind)
    if person is not None and kind in Actor.PERSONAL_KINDS:
        return queryset.filter(person=person).order_by("pk").first()
    return queryset.filter(person__isnull=True).order_by("pk").first()


def link_between(from_actor: Actor, to_actor: Actor, kind: str) -> Link | None:
    return Link.objects.filter(from_actor=from_actor, to_actor=to_actor, kind=kind).first()


def person_actors_export(person: Person) -> list[dict]:
    """The actors that belong to one person's record, for their right-of-access export."""
    return [
        {"name": a.name, "kind": a.kind, "sector": a.sector, "private": a.private}
        for a in Actor.objects.filter(person=person).order_by("id")
    ]
