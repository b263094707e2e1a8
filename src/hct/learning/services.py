"""Writes for field notes, the learning log and well-being checks."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from hct.core.models import User
from hct.core.services import audit_record
from hct.directory.services import community_asset_create
from hct.learning import evidence as evidence_registry
from hct.learning.models import (
    ERROR_ASSET_NAME,
    ERROR_ASSET_PLACE,
    ERROR_FOLLOW_UP_BEFORE_BASELINE,
    ERROR_FOLLOW_UP_FIRST,
    ERROR_SECOND_BASELINE,
    AssetFound,
    Evidence,
    FieldNote,
    Lesson,
    WellbeingCheck,
)
from hct.partnership.models import Cycle
from hct.people.models import Person
from hct.places.models import Lsoa
from hct.systemmap.services import actor_create

ERROR_UNKNOWN_EVIDENCE = "This evidence is not one of the records this cycle can cite"


@transaction.atomic
def field_note_create(
    *,
    actor: User,
    cycle: Cycle,
    written_on: dt.date,
    where_useful: str,
    who_we_met: str = "",
    what_we_noticed: str = "",
) -> FieldNote:
    note = FieldNote(
        cycle=cycle,
        written_on=written_on,
        where_useful=where_useful.strip(),
        who_we_met=who_we_met.strip(),
        what_we_noticed=what_we_noticed.strip(),
        author=actor if getattr(actor, "pk", None) else None,
    )
    note.full_clean()
    note.save()
    audit_record(actor=actor, verb="learning.field_note.create", subject=note)
    return note


@transaction.atomic
def asset_found_add(
    *,
    actor: User,
    field_note: FieldNote,
    name: str,
    kind: str,
    lsoa: Lsoa,
    description: str = "",
    run_by: str = "",
    to_directory: bool = True,
    to_map: bool = True,
) -> AssetFound:
    """Record a community asset found while diving in and, in the same transaction, list it in
    the directory (a community asset at its LSOA's centre, never a street address) and put it on
    the system map as an actor of the neighbourhood. Either all of it is written or none."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": ERROR_ASSET_NAME})
    neighbourhood = field_note.cycle.neighbourhood
    if not neighbourhood.lsoas.filter(pk=lsoa.pk).exists():
        raise ValidationError({"lsoa": ERROR_ASSET_PLACE})
    kind = AssetFound.Kind(kind)
    service = None
    if to_directory:
        service = community_asset_create(
            actor=actor, name=name, description=description, lsoa=lsoa, run_by=run_by
        )
    system_actor = None
    if to_map:
        system_actor = actor_create(
            actor=actor,
            name=name,
            kind=kind,
            neighbourhood=neighbourhood,
            description=description.strip(),
            partnership=field_note.cycle.partnership,
        )
    asset = AssetFound(
        field_note=field_note,
        name=name,
        description=description.strip(),
        kind=kind,
        lsoa=lsoa,
        service=service,
        system_actor=system_actor,
    )
    asset.full_clean()
    asset.save()
    audit_record(
        actor=actor,
        verb="learning.asset_found.add",
        subject=asset,
        details={"directory": bool(service), "map": bool(system_actor), "lsoa": lsoa.code},
    )
    return asset


def evidence_choices(cycle: Cycle) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a lesson of this cycle may cite, grouped by kind; each value is "kind:id"."""
    groups = []
    for kind in evidence_registry.kinds():
        options = [(f"{kind.key}:{pk}", label) for pk, label in kind.choices(cycle)]
        if options:
            groups.append((kind.label, options))
    return groups


@transaction.atomic
def lesson_create(
    *,
    actor: User,
    cycle: Cycle,
    tried: str,
    happened: str,
    learned: str,
    differently: str,
    stage: str = "",
    evidence: Iterable[str] = (),
) -> Lesson:
    """A learning-log entry with the records it rests on (each "kind:id", and each one a record
    this cycle may cite: nothing is linked that the form did not offer)."""
    lesson = Lesson(
        cycle=cycle,
        stage=stage,
        tried=tried.strip(),
        happened=happened.strip(),
        learned=learned.strip(),
        differently=differently.strip(),
        author=actor if getattr(actor, "pk", None) else None,
    )
    lesson.full_clean()
    lesson.save()
    allowed = {value: label for _, options in evidence_choices(cycle) for value, label in options}
    links = []
    for value in dict.fromkeys(evidence):
        if value not in allowed:
            raise ValidationError({"evidence": ERROR_UNKNOWN_EVIDENCE})
        kind, object_id = value.split(":", 1)
        links.append(Evidence(lesson=lesson, kind=kind, object_id=object_id, label=allowed[value]))
    Evidence.objects.bulk_create(links)
    audit_record(
        actor=actor,
        verb="learning.lesson.create",
        subject=lesson,
        details={"evidence": len(links)},
    )
    return lesson


@transaction.atomic
def wellbeing_record(
    *,
    actor: User,
    person: Person,
    wave: str,
    asked_on: dt.date,
    life_satisfaction: int,
    worthwhile: int,
    happy: int,
    anxious: int,
    lonely: str,
    consent_how: str,
) -> WellbeingCheck:
    """One person's answers. A person has one baseline; a later answer needs the baseline
    first and cannot be dated before it. Scores are whole numbers from 0 to 10."""
    wave = WellbeingCheck.Wave(wave)
    baseline = (
        WellbeingCheck.objects.select_for_update()
        .filter(person=person, wave=WellbeingCheck.Wave.BASELINE)
        .first()
    )
    if wave == WellbeingCheck.Wave.BASELINE and baseline is not None:
        raise ValidationError(
            {
                "wave": ERROR_SECOND_BASELINE.format(
                    alias=person.alias, day=f"{baseline.asked_on:%d %B %Y}"
                )
            }
        )
    if wave == WellbeingCheck.Wave.FOLLOW_UP:
        if baseline is None:
            raise ValidationError({"wave": ERROR_FOLLOW_UP_FIRST})
        if asked_on < baseline.asked_on:
            raise ValidationError(
                {
                    "asked_on": ERROR_FOLLOW_UP_BEFORE_BASELINE.format(
                        day=f"{baseline.asked_on:%d %B %Y}"
                    )
                }
            )
    check = WellbeingCheck(
        person=person,
        wave=wave,
        baseline=baseline if wave == WellbeingCheck.Wave.FOLLOW_UP else None,
        asked_on=asked_on,
        life_satisfaction=life_satisfaction,
        worthwhile=worthwhile,
        happy=happy,
        anxious=anxious,
        lonely=lonely,
        consent_how=consent_how,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        synthetic=person.synthetic,
    )
    check.full_clean()
    check.save()
    # Scores are special-category data: the audit says that answers were recorded, not what.
    audit_record(
        actor=actor, verb="learning.wellbeing.record", subject=check, details={"wave": wave.value}
    )
    return check


@transaction.atomic
def wellbeing_withdraw(*, actor: User, person: Person) -> int:
    """The person no longer wants their answers used: every check of theirs goes, so no figure
    counts them again. Returns how many went."""
    removed, _ = WellbeingCheck.objects.filter(person=person).delete()
    audit_record(
        actor=actor,
        verb="learning.wellbeing.withdraw",
        subject=person,
        details={"removed": removed},
    )
    return removed
