"""Writes for the system map's base: actors, and the marks journeys leave on links."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from hct.core.services import audit_record
from hct.people.models import Person
from hct.places.models import Neighbourhood
from hct.systemmap.models import ERROR_LINK_TO_ITSELF, Actor, Link


@transaction.atomic
def actor_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    sector: str = "",
    neighbourhood: Neighbourhood | None = None,
    person: Person | None = None,
    private: bool | None = None,
    description: str = "",
) -> Actor:
    """An actor's sector defaults from its kind; actors about one person (family, friends,
    neighbours, the person) are private to that person unless said otherwise."""
    kind = Actor.Kind(kind)
    if private is None:
        private = person is not None and kind in Actor.PERSONAL_KINDS
    record = Actor(
        name=name.strip(),
        kind=kind,
        sector=sector or Actor.DEFAULT_SECTOR[kind],
        neighbourhood=neighbourhood,
        person=person,
        private=private,
        description=description,
        synthetic=bool(person and person.synthetic),
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        verb="actor.create",
        subject=record,
        details={"kind": kind.value, "private": private, "person": person.pk if person else None},
    )
    return record


def actor_for_person(*, actor: Any, person: Person) -> Actor:
    """The actor that stands for the person themselves in their own system (made when first
    needed), named by their alias and private to their record."""
    existing = Actor.objects.filter(person=person, kind=Actor.Kind.PERSON).first()
    if existing is not None:
        if existing.name != person.alias:  # they chose another name since
            existing.name = person.alias
            existing.save(update_fields=["name"])
        return existing
    return actor_create(actor=actor, name=person.alias, kind=Actor.Kind.PERSON, person=person)


@dataclass(frozen=True)
class LinkMark:
    from_actor_id: int
    to_actor_id: int
    kind: str
    status: str


def _mark(mark: LinkMark, note: str = "") -> tuple[Link, bool]:
    link, created = Link.objects.get_or_create(
        from_actor_id=mark.from_actor_id,
        to_actor_id=mark.to_actor_id,
        kind=mark.kind,
        defaults={"status": mark.status, "times_marked": 1, "note": note},
    )
    if not created:
        Link.objects.filter(pk=link.pk).update(
            status=mark.status, times_marked=F("times_marked") + 1
        )
        link.refresh_from_db(fields=["status", "times_marked"])
    return link, created


@transaction.atomic
def link_mark(
    *,
    actor: Any,
    from_actor: Actor,
    to_actor: Actor,
    kind: str,
    status: str,
    note: str = "",
) -> Link:
    """Mark the link from one actor to another with what a journey showed (broken or missing, or
    working again). The link is made if it was not on the map; each mark counts as evidence."""
    mark = LinkMark(from_actor.pk, to_actor.pk, Link.Kind(kind).value, Link.Status(status).value)
    if mark.from_actor_id == mark.to_actor_id:
        raise ValidationError(ERROR_LINK_TO_ITSELF)
    link, created = _mark(mark, note)
    audit_record(
        actor=actor,
        verb="link.mark",
        subject=link,
        details={"status": mark.status, "created": created},
    )
    return link


@transaction.atomic
def links_mark_bulk(*, actor: Any, marks: Iterable[LinkMark], synthetic: bool = False) -> int:
    """Many marks at once (imports, the synthetic city): the last mark of each link sets its
    status and every mark counts. Returns how many links were touched."""
    latest: dict[tuple[int, int, str], str] = {}
    counts: dict[tuple[int, int, str], int] = {}
    for mark in marks:
        if mark.from_actor_id == mark.to_actor_id:
            continue
        key = (mark.from_actor_id, mark.to_actor_id, mark.kind)
        latest[key] = mark.status
        counts[key] = counts.get(key, 0) + 1
    if not latest:
        return 0
    existing: dict[tuple[int, int, str], Link] = {}
    sources = sorted({key[0] for key in latest})
    for start in range(0, len(sources), 500):  # bounded IN lists (SQLite allows ~32,000 values)
        for link in Link.objects.filter(from_actor_id__in=sources[start : start + 500]):
            key = (link.from_actor_id, link.to_actor_id, link.kind)
            if key in latest:
                existing[key] = link
    new: list[Link] = []
    changed: list[Link] = []
    for key, status in latest.items():
        found = existing.get(key)
        if found is None:
            new.append(
                Link(
                    from_actor_id=key[0],
                    to_actor_id=key[1],
                    kind=key[2],
                    status=status,
                    times_marked=counts[key],
                    synthetic=synthetic,
                )
            )
        else:
            found.status = status
            found.times_marked += counts[key]
            changed.append(found)
    Link.objects.bulk_create(new, batch_size=2000)
    Link.objects.bulk_update(changed, ["status", "times_marked"], batch_size=2000)
    audit_record(
        actor=actor,
        verb="link.mark_bulk",
        subject_type="systemmap.link",
        details={"created": len(new), "updated": len(changed)},
    )
    return len(latest)
