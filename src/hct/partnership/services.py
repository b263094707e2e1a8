"""Writes for the partnership: partners and members, the poolside charter, cycles and stages."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from hct.core.models import User
from hct.core.services import audit_record
from hct.partnership.models import (
    STAGE_ORDER,
    CharterRevision,
    Cycle,
    CycleStage,
    Membership,
    Partner,
    Partnership,
    Stage,
)
from hct.places.models import Neighbourhood

ERROR_CHARTER_UNCHANGED = "Nothing has changed since the last revision"
ERROR_STAGE_BEFORE_START = (
    "A stage cannot move on before the date the current stage started ({started})"
)
ERROR_SAME_STAGE = "The cycle is already at this stage"
ERROR_CYCLE_EXISTS = "This partnership already has a cycle in {neighbourhood} that has not finished"


@transaction.atomic
def partnership_create(*, actor: User, name: str, description: str = "") -> Partnership:
    partnership = Partnership(name=name, slug=slugify(name)[:200], description=description)
    partnership.full_clean()
    partnership.save()
    audit_record(actor=actor, verb="partnership.create", subject=partnership)
    return partnership


@transaction.atomic
def partner_add(
    *, actor: User, partnership: Partnership, name: str, sector: str, description: str = ""
) -> Partner:
    partner = Partner(partnership=partnership, name=name, sector=sector, description=description)
    partner.full_clean()
    partner.save()
    audit_record(
        actor=actor, verb="partner.add", subject=partner, details={"partnership": partnership.pk}
    )
    return partner


@transaction.atomic
def membership_add(
    *,
    actor: User,
    partnership: Partnership,
    user: Any,
    partner: Partner | None = None,
    title: str = "",
    neighbourhoods: list[Neighbourhood] | None = None,
) -> Membership:
    """A user joins a partnership; their neighbourhoods are the scope of what they may see."""
    membership = Membership(partnership=partnership, user=user, partner=partner, title=title)
    membership.full_clean()
    membership.save()
    if neighbourhoods:
        membership.neighbourhoods.set(neighbourhoods)
    audit_record(
        actor=actor,
        verb="membership.add",
        subject=membership,
        details={
            "partnership": partnership.pk,
            "neighbourhoods": [n.pk for n in neighbourhoods or []],
        },
    )
    return membership


CHARTER_FIELDS = [name for name, _ in CharterRevision.SECTIONS]


@transaction.atomic
def charter_revise(
    *, actor: User, partnership: Partnership, note: str = "", **sections: str
) -> CharterRevision:
    """Add the next numbered revision; revisions are never edited, so any two can be compared."""
    unknown = set(sections) - set(CHARTER_FIELDS)
    if unknown:
        raise TypeError(f"unknown charter sections: {sorted(unknown)}")
    latest = (
        CharterRevision.objects.select_for_update()
        .filter(partnership=partnership)
        .order_by("-number")
        .first()
    )
    values = {name: (sections.get(name) or "").strip() for name in CHARTER_FIELDS}
    if latest and all(getattr(latest, name) == values[name] for name in CHARTER_FIELDS):
        raise ValidationError(ERROR_CHARTER_UNCHANGED)
    revision = CharterRevision(
        partnership=partnership,
        number=(latest.number + 1) if latest else 1,
        author=actor,
        note=note.strip(),
        **values,
    )
    revision.full_clean()
    revision.save()
    audit_record(
        actor=actor, verb="charter.revise", subject=revision, details={"number": revision.number}
    )
    return revision


@transaction.atomic
def cycle_start(
    *,
    actor: User,
    partnership: Partnership,
    neighbourhood: Neighbourhood,
    started_on: dt.date | None = None,
    note: str = "",
) -> Cycle:
    """Start a cycle of the method in a neighbourhood, at the poolside stage."""
    unfinished = Cycle.objects.filter(partnership=partnership, neighbourhood=neighbourhood).exclude(
        current_stage=Stage.ACT_AND_REVIEW
    )
    if unfinished.exists():
        raise ValidationError(ERROR_CYCLE_EXISTS.format(neighbourhood=neighbourhood))
    number = (
        Cycle.objects.filter(partnership=partnership).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    cycle = Cycle(partnership=partnership, neighbourhood=neighbourhood, number=number, note=note)
    cycle.full_clean()
    cycle.save()
    CycleStage.objects.bulk_create(
        [
            CycleStage(
                cycle=cycle, stage=stage, started_on=started_on if stage == Stage.POOLSIDE else None
            )
            for stage in STAGE_ORDER
        ]
    )
    audit_record(
        actor=actor, verb="cycle.start", subject=cycle, details={"neighbourhood": neighbourhood.pk}
    )
    return cycle


@transaction.atomic
def cycle_advance(*, actor: User, cycle: Cycle, stage: str, on: dt.date) -> Cycle:
    """Move a cycle to another stage on a date: the current stage ends that day, the new one
    starts. A stage cannot end before it started."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    stage = Stage(stage)
    if stage == cycle.current_stage:
        raise ValidationError({"stage": ERROR_SAME_STAGE})
    stages = {s.stage: s for s in cycle.stages.all()}
    current = stages[cycle.current_stage]
    if current.started_on and on < current.started_on:
        raise ValidationError({"on": ERROR_STAGE_BEFORE_START.format(started=current.started_on)})
    current.ended_on = on
    current.full_clean()
    current.save(update_fields=["ended_on"])
    target = stages[stage]
    target.started_on = on
    target.ended_on = None
    target.full_clean()
    target.save(update_fields=["started_on", "ended_on"])
    previous = cycle.current_stage
    cycle.current_stage = stage
    cycle.save(update_fields=["current_stage"])
    audit_record(
        actor=actor, verb="cycle.advance", subject=cycle, details={"from": previous, "to": stage}
    )
    return cycle
