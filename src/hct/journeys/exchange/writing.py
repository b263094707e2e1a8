"""Checking a file that reads well against the database, then writing it in one transaction."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from hct.core.roles import Role
from hct.core.services import audit_record
from hct.journeys.derive import links_derive
from hct.journeys.exchange.format import (
    ERROR_JOURNEY_EXISTS,
    ERROR_LSOA_SCOPE,
    ERROR_NO_LSOA,
    ERROR_PERSON_ERASED,
    ERROR_PERSON_NEEDS,
    ERROR_PERSON_NOT_YOURS,
    ERROR_PERSON_OTHER_PARTNERSHIP,
    ImportSummary,
    PlannedJourney,
)
from hct.journeys.exchange.reading import Reader
from hct.journeys.models import Gap, Journey, Touchpoint
from hct.journeys.services import gap_link_mark
from hct.partnership.models import Partnership
from hct.partnership.selectors import neighbourhoods_in_scope, partnership_for_record
from hct.people.models import Erasure, Person
from hct.people.selectors import Access, lsoas_in, person_access
from hct.people.services import person_create
from hct.places.models import Lsoa
from hct.systemmap.models import Actor
from hct.systemmap.selectors import actor_find
from hct.systemmap.services import actor_create, actor_for_person, links_mark_bulk


@dataclass
class _Resolved:
    person: Person | None
    lsoa: Lsoa | None


def check(
    planned: list[PlannedJourney],
    *,
    actor: Any,
    file: str,
    partnership: Partnership | None = None,
) -> dict[int, _Resolved]:
    """Everything an import needs from the database, or the first problem with it. With a
    partnership, new people are to be its own, so their LSOAs must lie in the neighbourhoods the
    importer works in for it, and people already held must be its own."""
    reader = Reader(file)
    codes = {j.lsoa for j in planned if j.lsoa}
    lsoas = {lsoa.code: lsoa for lsoa in Lsoa.objects.filter(code__in=codes)}
    scope = neighbourhoods_in_scope(actor)
    if partnership is not None and getattr(actor, "role", None) != Role.ADMIN:
        scope = scope.filter(memberships__user=actor, memberships__partnership=partnership)
    scope_codes = set(lsoas_in(scope).values_list("code", flat=True))
    person_ids = {j.person_id for j in planned if j.person_id}
    people = {p.uuid: p for p in Person.objects.filter(uuid__in=person_ids)}
    erased = set(
        Erasure.objects.filter(person_uuid__in=person_ids).values_list("person_uuid", flat=True)
    )
    journey_ids = {j.journey_id for j in planned if j.journey_id}
    held = set(Journey.objects.filter(uuid__in=journey_ids).values_list("uuid", flat=True))
    seen_journeys: set[uuid.UUID] = set()
    resolved: dict[int, _Resolved] = {}
    for index, journey in enumerate(planned):
        where = journey.where
        if journey.journey_id:
            if journey.journey_id in held or journey.journey_id in seen_journeys:
                raise reader.problem(where, "id", ERROR_JOURNEY_EXISTS)
            seen_journeys.add(journey.journey_id)
        if journey.person_id in erased:
            raise reader.problem(where, "person", ERROR_PERSON_ERASED)
        person = people.get(journey.person_id) if journey.person_id else None
        if person is not None:
            if person_access(actor, person) is not Access.NAMED:
                raise reader.problem(where, "person", ERROR_PERSON_NOT_YOURS)
            if partnership is not None and person.partnership_id != partnership.pk:
                raise reader.problem(where, "person", ERROR_PERSON_OTHER_PARTNERSHIP)
            resolved[index] = _Resolved(person, None)
            continue
        if not journey.alias or not journey.lsoa:
            raise reader.problem(where, "person", ERROR_PERSON_NEEDS)
        lsoa = lsoas.get(journey.lsoa)
        if lsoa is None:
            raise reader.problem(where, "lsoa", ERROR_NO_LSOA.format(value=journey.lsoa[:20]))
        if lsoa.code not in scope_codes:
            raise reader.problem(where, "lsoa", ERROR_LSOA_SCOPE.format(value=lsoa.code))
        resolved[index] = _Resolved(None, lsoa)
    return resolved


def import_journeys(
    planned: list[PlannedJourney],
    *,
    actor: Any,
    file: str,
    report: Callable[[int, int], None] | None = None,
    partnership: Partnership | None = None,
) -> ImportSummary:
    """Write checked journeys, all or nothing. New people get the importer as their named
    facilitator and belong to `partnership` (the importer must be a member; by default their
    only one); gaps mark links on the system map as recording them by hand does."""
    if partnership is not None:
        partnership = partnership_for_record(actor, partnership)
    resolved = check(planned, actor=actor, file=file, partnership=partnership)
    summary = ImportSummary()
    with transaction.atomic():
        new_people: dict[uuid.UUID | str, Person] = {}
        actor_cache: dict[tuple, Actor] = {}
        marks = []
        written: list[int] = []
        for index, journey in enumerate(planned):
            target = resolved[index]
            person = target.person
            if person is None:
                key = journey.person_id or f"{journey.alias}|{journey.lsoa}|{index}"
                person = new_people.get(key)
                if person is None:
                    if target.lsoa is None:  # check() refused a new person without one
                        raise ValueError(f"journey {index + 1}: a new person needs an LSOA")
                    person = person_create(
                        actor=actor,
                        alias=journey.alias,
                        home_lsoa=target.lsoa,
                        synthetic=journey.synthetic,
                        synthetic_batch="import" if journey.synthetic else "",
                        person_uuid=journey.person_id,
                        partnership=partnership,
                    )
                    new_people[key] = person
                    summary.people_created += 1
            record = Journey(person=person, title=journey.title, created_by=actor)
            if journey.journey_id:
                record.uuid = journey.journey_id
            record.full_clean()
            record.save()
            written.append(record.pk)
            own = actor_for_person(actor=actor, person=person)
            touchpoints = []
            for position, planned_touchpoint in enumerate(journey.touchpoints, start=1):
                who = _actor_for(planned_touchpoint, person, own, actor, actor_cache, summary)
                touchpoints.append(
                    Touchpoint(
                        journey=record,
                        position=position,
                        when=planned_touchpoint.when.text,
                        starts_on=planned_touchpoint.when.start,
                        ends_on=planned_touchpoint.when.end,
                        precision=planned_touchpoint.when.precision,
                        actor=who,
                        what=planned_touchpoint.what,
                        felt=planned_touchpoint.felt,
                        note=planned_touchpoint.note.strip(),
                    )
                )
            Touchpoint.objects.bulk_create(touchpoints)
            by_ref = {
                t.ref: created for t, created in zip(journey.touchpoints, touchpoints, strict=True)
            }
            gaps = []
            for planned_gap in journey.gaps:
                before, after = by_ref[planned_gap.before], by_ref[planned_gap.after]
                gaps.append(
                    Gap(
                        journey=record,
                        before=before,
                        after=after,
                        kind=planned_gap.kind,
                        note=planned_gap.note.strip(),
                    )
                )
                mark = gap_link_mark(before, after, planned_gap.kind, own)
                if mark is not None:
                    marks.append(mark)
            Gap.objects.bulk_create(gaps)
            summary.journeys += 1
            summary.touchpoints += len(touchpoints)
            summary.gaps += len(gaps)
            if report is not None:
                report(index + 1, len(planned))
        links_mark_bulk(actor=actor, marks=marks)
        # The map's derived links and their evidence follow the journeys just written.
        links_derive(actor=actor, journeys=written)
        audit_record(
            actor=actor,
            verb="journeys.import",
            subject_type="journeys.journey",
            details={
                "journeys": summary.journeys,
                "people_created": summary.people_created,
                "touchpoints": summary.touchpoints,
                "gaps": summary.gaps,
            },
        )
    return summary


def _actor_for(planned, person, own, actor, cache, summary) -> Actor:
    kind = Actor.Kind(planned.actor_kind)
    if kind == Actor.Kind.PERSON:
        return own
    personal = kind in Actor.PERSONAL_KINDS
    key = (planned.actor_name.lower(), kind, person.pk if personal else None)
    if key not in cache:
        found = actor_find(name=planned.actor_name, kind=kind, person=person if personal else None)
        if found is None:
            found = actor_create(
                actor=actor,
                name=planned.actor_name,
                kind=kind,
                sector=planned.actor_sector,
                person=person if personal else None,
            )
            summary.actors_created += 1
        cache[key] = found
    return cache[key]
