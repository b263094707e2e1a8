"""Writes for the system map's base: actors, and the marks journeys leave on links."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from hct.core.services import audit_record
from hct.partnership.models import Partnership
from hct.partnership.selectors import partnership_for_record
from hct.people.models import Person
from hct.places.models import Neighbourhood
from hct.systemmap import version
from hct.systemmap.derive import restatus
from hct.systemmap.models import ERROR_LINK_TO_ITSELF, Actor, Link, LinkEvidence, MapSnapshot
from hct.systemmap.selectors import directory_services_in, snapshot_data


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
    partnership: Partnership | None = None,
) -> Actor:
    """An actor's sector defaults from its kind; actors about one person (family, friends,
    neighbours, the person) are private to that person unless said otherwise. One placed on a
    neighbourhood's map by hand belongs to the partnership whose map it is."""
    kind = Actor.Kind(kind)
    if private is None:
        private = person is not None and kind in Actor.PERSONAL_KINDS
    record = Actor(
        name=name.strip(),
        kind=kind,
        sector=sector or Actor.DEFAULT_SECTOR[kind],
        neighbourhood=neighbourhood,
        partnership=partnership,
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
            existing.save(update_fields=["name", "updated_at"])
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
        partnership=None,
        from_actor_id=mark.from_actor_id,
        to_actor_id=mark.to_actor_id,
        kind=mark.kind,
        defaults={"status": mark.status, "times_marked": 1, "note": note},
    )
    if not created:
        # update() skips auto_now: set updated_at, which the map's version reads
        Link.objects.filter(pk=link.pk).update(
            status=mark.status, times_marked=F("times_marked") + 1, updated_at=timezone.now()
        )
        version.changed()  # update() sends no signal
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
        shared = Link.objects.filter(partnership__isnull=True)
        for link in shared.filter(from_actor_id__in=sources[start : start + 500]):
            key = (link.from_actor_id, link.to_actor_id, link.kind)
            if key in latest:
                existing[key] = link
    new: list[Link] = []
    changed: list[Link] = []
    now = timezone.now()
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
            found.updated_at = now  # bulk_update skips auto_now; the map's version reads it
            changed.append(found)
    Link.objects.bulk_create(new, batch_size=2000)
    Link.objects.bulk_update(changed, ["status", "times_marked", "updated_at"], batch_size=2000)
    version.changed()  # bulk writes send no signal
    audit_record(
        actor=actor,
        verb="link.mark_bulk",
        subject_type="systemmap.link",
        details={"created": len(new), "updated": len(changed)},
    )
    return len(latest)


# Links drawn and changed by hand (the map page's forms, imports)

LINK_FIELDS = ("kind", "status", "direction", "strength", "polarity", "note")


@transaction.atomic
def link_create(
    *,
    actor: Any,
    from_actor: Actor,
    to_actor: Actor,
    kind: str,
    status: str = Link.Status.WORKING,
    direction: str = Link.Direction.FORWARD,
    strength: int | None = None,
    polarity: str = "",
    note: str = "",
    origin: str = Link.Origin.HAND,
    partnership: Partnership | None = None,
) -> Link:
    """A link someone knows of that no journey shows (yet): its status is theirs to set. It
    belongs to the partnership whose map it is drawn on (the actor's only one by default), so
    another partnership's map of the same actors never shows it."""
    link = Link(
        partnership=partnership_for_record(actor, partnership),
        from_actor=from_actor,
        to_actor=to_actor,
        kind=Link.Kind(kind),
        status=Link.Status(status),
        direction=Link.Direction(direction),
        strength=strength,
        polarity=Link.Polarity(polarity),
        note=note.strip(),
        origin=Link.Origin(origin),
        status_by_hand=True,
        times_marked=0,
        synthetic=from_actor.synthetic and to_actor.synthetic,
    )
    link.full_clean()
    link.save()
    audit_record(
        actor=actor,
        verb="link.create",
        subject=link,
        details={**link_audit_ends(link), "status": link.status, "origin": link.origin},
    )
    return link


@transaction.atomic
def link_update(*, actor: Any, link: Link, **changes: Any) -> Link:
    """Change what is known of a link. A status set here stands until someone changes it again,
    whatever journeys show later; `status_by_hand=False` hands it back to the journeys."""
    unknown = set(changes) - {*LINK_FIELDS, "status_by_hand"}
    if unknown:
        raise TypeError(f"unknown link fields: {sorted(unknown)}")
    before = {name: getattr(link, name) for name in changes}
    for name, value in changes.items():
        setattr(link, name, value.strip() if isinstance(value, str) and name == "note" else value)
    if "status" in changes and "status_by_hand" not in changes:
        link.status_by_hand = True
    link.full_clean()
    link.save()
    if changes.get("status_by_hand") is False:
        restatus({link.pk})
    changed = sorted(name for name in changes if before[name] != getattr(link, name))
    audit_record(
        actor=actor,
        verb="link.update",
        subject=link,
        details={**link_audit_ends(link), "changed": changed},
    )
    return link


def link_audit_ends(link: Link, neighbourhood: Neighbourhood | None = None) -> dict:
    """What a link's audit events carry so that a map's history still finds them once the link
    is gone: its two ends and kind (ids, no names), and the neighbourhood whose map it was
    changed on. A link between shared actors is on several maps, so the ends decide."""
    return {
        "from_actor": link.from_actor_id,
        "to_actor": link.to_actor_id,
        "kind": link.kind,
        "neighbourhood": neighbourhood.pk if neighbourhood is not None else None,
    }


@transaction.atomic
def link_remove(*, actor: Any, link: Link, neighbourhood: Neighbourhood | None = None) -> None:
    """Take a link off the map. A link journeys still show comes back when they next change, so
    the page offers to mark it instead (broken, missing)."""
    link_id = link.pk
    details = link_audit_ends(link, neighbourhood)
    link.delete()
    audit_record(
        actor=actor,
        verb="link.remove",
        subject_type="systemmap.link",
        subject_id=link_id,
        details=details,
    )


@transaction.atomic
def actor_update(*, actor: Any, record: Actor, **changes: Any) -> Actor:
    allowed = {"name", "kind", "sector", "description", "neighbourhood"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown actor fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)
    record.full_clean()
    record.save()
    audit_record(
        actor=actor, verb="actor.update", subject=record, details={"changed": sorted(changes)}
    )
    return record


# Snapshots: the map under a name, to compare before and after a cycle


@transaction.atomic
def snapshot_create(
    *,
    actor: Any,
    neighbourhood: Neighbourhood,
    name: str,
    partnership: Partnership | None = None,
) -> MapSnapshot:
    """Keep the neighbourhood's map as it stands (shared actors, and every link between them):
    the map of the partnership given, the actor's only one by default."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the snapshot"})
    partnership = partnership_for_record(actor, partnership)
    taken = MapSnapshot.objects.filter(
        neighbourhood=neighbourhood, partnership=partnership, name__iexact=name
    )
    if taken.exists():
        raise ValidationError({"name": "A snapshot of this map already has that name"})
    snapshot = MapSnapshot.objects.create(
        name=name,
        neighbourhood=neighbourhood,
        partnership=partnership,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        data=snapshot_data(neighbourhood, partnership),
    )
    audit_record(
        actor=actor,
        verb="map.snapshot",
        subject=neighbourhood,
        details={"snapshot": snapshot.pk, "links": len(snapshot.data["links"])},
    )
    return snapshot


# Evidence from elsewhere: what was said at a Big Conversation


@transaction.atomic
def link_evidence_add(
    *,
    actor: Any,
    from_actor: Actor,
    to_actor: Actor,
    kind: str,
    status: str,
    note: str = "",
    source: str = "conversation",
) -> LinkEvidence:
    """Evidence for a link that is not in a journey (what people said at a Big Conversation):
    the link is made if it is not on the map, and its status follows its evidence (worst wins)
    unless someone set it by hand. Unlike a journey's, this evidence stays until removed."""
    if from_actor.pk == to_actor.pk:
        raise ValidationError(ERROR_LINK_TO_ITSELF)
    link, created = Link.objects.get_or_create(
        partnership=None,
        from_actor=from_actor,
        to_actor=to_actor,
        kind=Link.Kind(kind),
        defaults={"status": Link.Status(status), "origin": Link.Origin.CONVERSATION},
    )
    evidence = LinkEvidence.objects.create(
        link=link,
        source=LinkEvidence.Source(source),
        status=Link.Status(status),
        note=note.strip()[:300],
    )
    restatus({link.pk})
    audit_record(
        actor=actor,
        verb="link.evidence",
        subject=link,
        details={"source": evidence.source, "status": evidence.status, "created": created},
    )
    return evidence


# The directory's services on the map


@dataclass(frozen=True)
class DirectorySync:
    created: int
    matched: int
    already: int


@transaction.atomic
def directory_actors_sync(*, actor: Any, neighbourhood: Neighbourhood) -> DirectorySync:
    """Put the directory's services located in the neighbourhood on its map: each becomes (or is
    matched by name with) a shared actor; community assets are community groups, the rest local
    services. Running it again changes nothing."""
    services = list(directory_services_in(neighbourhood).order_by("name", "pk"))
    held = set(
        Actor.objects.filter(directory_service__in=services).values_list(
            "directory_service_id", flat=True
        )
    )
    by_name: dict[str, Actor] = {}
    for found in Actor.objects.filter(
        Q(neighbourhood=neighbourhood) | Q(neighbourhood__isnull=True),
        person__isnull=True,
        directory_service__isnull=True,
    ).order_by("pk"):
        by_name.setdefault(found.name.lower(), found)
    created = matched = 0
    for service in services:
        if service.pk in held:
            continue
        name = service.name.strip()[:200]
        match = by_name.get(name.lower())
        if match is not None:
            match.directory_service = service
            match.save(update_fields=["directory_service", "updated_at"])
            matched += 1
            continue
        kind = Actor.Kind.COMMUNITY_GROUP if service.community_asset else Actor.Kind.LOCAL_SERVICE
        record = Actor.objects.create(
            name=name,
            kind=kind,
            sector=Actor.DEFAULT_SECTOR[kind],
            description=service.description[:2000],
            neighbourhood=neighbourhood,
            directory_service=service,
        )
        by_name[name.lower()] = record
        created += 1
    result = DirectorySync(created, matched, len(held))
    audit_record(actor=actor, verb="map.directory", subject=neighbourhood, details=result.__dict__)
    return result
