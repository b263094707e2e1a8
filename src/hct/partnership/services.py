"""Writes for the partnership: partners and members, the poolside charter, cycles and stages."""

import datetime as dt
from dataclasses import dataclass
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
ERROR_PLAN_END_BEFORE_START = "{stage} cannot be planned to end before it starts"
ERROR_PLAN_OUT_OF_ORDER = "{stage} cannot be planned to start before {previous} starts"
ERROR_NOT_MEMBERS = "Only members of the partnership can take part: {names} is not"
ERROR_BACKWARDS_NEEDS_REASON = (
    "Say why the cycle is going back to an earlier stage: the reason is kept in its history"
)


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


@dataclass(frozen=True)
class StagePlan:
    """When a stage is planned to start and end (either may be left open)."""

    start: dt.date | None = None
    end: dt.date | None = None


def _plan_errors(plan: dict[str, StagePlan]) -> dict[str, str]:
    """Each stage ends on or after it starts, and starts no earlier than the stage before it."""
    errors: dict[str, str] = {}
    previous: tuple[str, dt.date] | None = None
    for stage in STAGE_ORDER:
        planned = plan.get(stage, StagePlan())
        if planned.start and planned.end and planned.end < planned.start:
            errors[f"{stage.value}_end"] = ERROR_PLAN_END_BEFORE_START.format(stage=stage.label)
        if planned.start and previous and planned.start < previous[1]:
            errors[f"{stage.value}_start"] = ERROR_PLAN_OUT_OF_ORDER.format(
                stage=stage.label, previous=previous[0]
            )
        if planned.start:
            previous = (stage.label, planned.start)
    return errors


@transaction.atomic
def cycle_start(
    *,
    actor: User,
    partnership: Partnership,
    neighbourhood: Neighbourhood,
    started_on: dt.date | None = None,
    note: str = "",
    plan: dict[str, StagePlan] | None = None,
    participants: list[User] | None = None,
) -> Cycle:
    """Start a cycle of the method in a neighbourhood, at the poolside stage, with the dates
    planned for each stage and the staff who will take part. Taking part brings the
    neighbourhood into each participant's scope, so the new cycle is at once theirs to work on
    wherever a cycle is chosen (conversations, commitments, field notes, learning)."""
    plan = {Stage(stage): dates for stage, dates in (plan or {}).items()}
    participants = list(participants or [])
    unfinished = Cycle.objects.filter(partnership=partnership, neighbourhood=neighbourhood).exclude(
        current_stage=Stage.ACT_AND_REVIEW
    )
    if unfinished.exists():
        raise ValidationError(
            {"neighbourhood": ERROR_CYCLE_EXISTS.format(neighbourhood=neighbourhood)}
        )
    errors = _plan_errors(plan)
    if errors:
        raise ValidationError(errors)
    memberships = {
        m.user_id: m
        for m in Membership.objects.filter(partnership=partnership, user__in=participants)
    }
    outsiders = [user for user in participants if user.pk not in memberships]
    if outsiders:
        raise ValidationError(
            {"participants": ERROR_NOT_MEMBERS.format(names=", ".join(map(str, outsiders)))}
        )
    number = (
        Cycle.objects.filter(partnership=partnership).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    cycle = Cycle(partnership=partnership, neighbourhood=neighbourhood, number=number, note=note)
    cycle.full_clean()
    cycle.save()
    CycleStage.objects.bulk_create(
        [
            CycleStage(
                cycle=cycle,
                stage=stage,
                started_on=started_on if stage == Stage.POOLSIDE else None,
                planned_start=plan.get(stage, StagePlan()).start,
                planned_end=plan.get(stage, StagePlan()).end,
            )
            for stage in STAGE_ORDER
        ]
    )
    cycle.participants.set(participants)
    for membership in memberships.values():
        membership.neighbourhoods.add(neighbourhood)
    audit_record(
        actor=actor,
        verb="cycle.start",
        subject=cycle,
        details={
            "neighbourhood": neighbourhood.pk,
            "participants": sorted(user.pk for user in participants),
        },
    )
    return cycle


@transaction.atomic
def cycle_advance(*, actor: User, cycle: Cycle, stage: str, on: dt.date, reason: str = "") -> Cycle:
    """Move a cycle to another stage on a date: the current stage ends that day, the new one
    starts. A stage cannot end before it started, and going back to an earlier stage needs a
    reason, kept on the stage returned to."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    stage = Stage(stage)
    if stage == cycle.current_stage:
        raise ValidationError({"stage": ERROR_SAME_STAGE})
    backwards = STAGE_ORDER.index(stage) < cycle.stage_index
    if backwards and not reason.strip():
        raise ValidationError({"reason": ERROR_BACKWARDS_NEEDS_REASON})
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
    if backwards:
        target.returned_because = reason.strip()
    target.full_clean()
    target.save(update_fields=["started_on", "ended_on", "returned_because"])
    previous = cycle.current_stage
    cycle.current_stage = stage
    cycle.save(update_fields=["current_stage"])
    audit_record(
        actor=actor,
        verb="cycle.advance",
        subject=cycle,
        details={"from": previous, "to": stage, "backwards": backwards},
    )
    return cycle
