"""Export a neighbourhood's shared map, and import a plan into it (all or nothing)."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from hct.core.services import audit_record
from hct.places.models import Neighbourhood
from hct.systemmap import version
from hct.systemmap.exchange.formats import WRITERS
from hct.systemmap.exchange.plan import MapFile, PlannedActor, PlannedLink
from hct.systemmap.models import Actor, Link
from hct.systemmap.selectors import links_of, neighbourhood_actors


def map_file_for(neighbourhood: Neighbourhood, partnership: Any = None) -> MapFile:
    """The neighbourhood's map as a plan (one partnership's, when given): shared actors only
    (nothing about one person leaves)."""
    actors = list(
        neighbourhood_actors(neighbourhood, partnership)
        .filter(person__isnull=True)
        .order_by("name", "pk")
    )
    ids = {a.pk for a in actors}
    plan = MapFile(
        actors=[PlannedActor(f"a{a.pk}", a.name, a.kind, a.sector, a.description) for a in actors]
    )
    for link in links_of(partnership).filter(from_actor__in=ids, to_actor__in=ids).order_by("pk"):
        plan.links.append(
            PlannedLink(
                f"a{link.from_actor_id}",
                f"a{link.to_actor_id}",
                link.kind,
                link.status,
                link.direction,
                link.strength,
                link.polarity,
                link.note,
            )
        )
    return plan


def map_export(
    *, actor: Any, neighbourhood: Neighbourhood, format: str, partnership: Any = None
) -> bytes:
    plan = map_file_for(neighbourhood, partnership)
    audit_record(
        actor=actor,
        verb="map.export",
        subject=neighbourhood,
        details={"format": format, "actors": len(plan.actors), "links": len(plan.links)},
    )
    return WRITERS[format](plan)


@dataclass
class ImportReport:
    actors_created: int = 0
    merged: list[str] = field(default_factory=list)  # names matched to actors already there
    links_created: int = 0
    links_updated: int = 0

    @property
    def text(self) -> str:
        merged = (
            f" Merged by name with actors already here: {', '.join(self.merged)}."
            if self.merged
            else ""
        )
        return (
            f"Imported: {self.actors_created} new actor{'s' if self.actors_created != 1 else ''}, "
            f"{self.links_created} new link{'s' if self.links_created != 1 else ''}, "
            f"{self.links_updated} link{'s' if self.links_updated != 1 else ''} updated.{merged}"
        )


@transaction.atomic
def map_import(*, actor: Any, neighbourhood: Neighbourhood, plan: MapFile) -> ImportReport:
    """Write a checked plan into the neighbourhood's map. Actors are matched by name (any case)
    with the shared actors already in it or city-wide; the rest are made here. Links are made
    or brought to what the file says, and their status counts as set by hand."""
    report = ImportReport()
    existing: dict[str, Actor] = {}
    candidates = Actor.objects.filter(person__isnull=True).filter(
        pk__in=neighbourhood_actors(neighbourhood).values("pk")
    ) | Actor.objects.filter(person__isnull=True, neighbourhood__isnull=True)
    for found in candidates.order_by("pk"):
        existing.setdefault(found.name.lower(), found)
    by_ref: dict[str, Actor] = {}
    new: list[Actor] = []
    for planned in plan.actors:
        match = existing.get(planned.name.lower())
        if match is not None:
            by_ref[planned.ref] = match
            report.merged.append(match.name)
            continue
        kind = Actor.Kind(planned.kind)
        record = Actor(
            name=planned.name,
            kind=kind,
            sector=planned.sector or Actor.DEFAULT_SECTOR[kind],
            description=planned.description,
            neighbourhood=neighbourhood,
        )
        new.append(record)
        by_ref[planned.ref] = record
    Actor.objects.bulk_create(new, batch_size=2000)
    report.actors_created = len(new)
    ids = [a.pk for a in by_ref.values()]
    links = {
        (link.from_actor_id, link.to_actor_id, link.kind): link
        for link in Link.objects.filter(from_actor__in=ids, to_actor__in=ids)
    }
    created: list[Link] = []
    changed: list[Link] = []
    for planned_link in plan.links:
        source, target = by_ref[planned_link.source], by_ref[planned_link.target]
        values = {
            "status": planned_link.status,
            "direction": planned_link.direction,
            "strength": planned_link.strength,
            "polarity": planned_link.polarity,
            "note": planned_link.note,
        }
        link = links.get((source.pk, target.pk, planned_link.kind))
        if link is None:
            created.append(
                Link(
                    from_actor=source,
                    to_actor=target,
                    kind=planned_link.kind,
                    origin=Link.Origin.IMPORT,
                    status_by_hand=True,
                    **values,
                )
            )
        elif any(getattr(link, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(link, k, v)
            link.status_by_hand = True
            changed.append(link)
    Link.objects.bulk_create(created, batch_size=2000)
    Link.objects.bulk_update(
        changed,
        ["status", "direction", "strength", "polarity", "note", "status_by_hand"],
        batch_size=2000,
    )
    version.changed()  # bulk writes send no signal
    report.links_created, report.links_updated = len(created), len(changed)
    audit_record(
        actor=actor,
        verb="map.import",
        subject=neighbourhood,
        details={
            "actors_created": report.actors_created,
            "actors_merged": len(report.merged),
            "links_created": report.links_created,
            "links_updated": report.links_updated,
        },
    )
    return report
