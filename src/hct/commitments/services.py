"""Writes for commitments. Each refuses bad input with a clear message and changes nothing.

Who may do what:
- a commitment is recorded (and its promise edited) by a member of the partnership: usually the
  facilitator writing down what was promised at the third Big Conversation;
- only a member of the owning organisation reports on it (status, progress, milestones): nobody
  can say a promise is kept on another organisation's behalf.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hct.commitments.models import (
    DEFAULT_PROGRESS,
    ERROR_DROPPED_NEEDS_REASON,
    ERROR_PROGRESS_RANGE,
    Ask,
    Commitment,
    Milestone,
    Status,
    Update,
)
from hct.conversations.models import Conversation, PlanAction
from hct.core.roles import Role
from hct.core.services import audit_record
from hct.partnership.models import Membership, Partner, Partnership
from hct.places.models import Neighbourhood

ERROR_NOT_A_MEMBER = "Only members of the partnership can record its commitments"
ERROR_NOT_OWNER = (
    "Only members of the organisation that owns this commitment can report on it ({owner})"
)
ERROR_OWNER_OUTSIDE = "The owning organisation must be a partner in this partnership"
ERROR_PARTNER_OUTSIDE = "Every organisation named must be a partner in this partnership"
ERROR_PARENT_OUTSIDE = "A sub-commitment belongs to a commitment of the same partnership"
ERROR_PARENT_LOOP = "That would make a loop: a commitment cannot sit inside one of its own parts"
ERROR_PROGRESS_ROLLS_UP = (
    "This commitment's progress rolls up from its sub-commitments: update those instead"
)
ERROR_MILESTONE_BEFORE_MADE = "A milestone cannot be dated before the commitment was made"
ERROR_ASK_OUTSIDE = "The campaign ask must be one made of this partnership"
ERROR_ACTION_OUTSIDE = "The plan action must be one of this partnership's plans"
ERROR_CONVERSATION_OUTSIDE = "The Big Conversation must be one of this partnership's"
ERROR_ACTION_OTHER_CONVERSATION = (
    "That action is in the plan of another Big Conversation: choose that one, or leave it empty"
)
ERROR_NOTHING_CHANGED = "Change the status or the progress, or write a note"


def _today() -> dt.date:
    return timezone.localdate()


def _member_of(actor: Any, partnership: Partnership) -> Membership | None:
    return Membership.objects.filter(user=actor, partnership=partnership).first()


def may_record(actor: Any, partnership: Partnership) -> bool:
    """Members of the partnership in a partnership role, and admins, record commitments."""
    role = getattr(actor, "role", None)
    if role == Role.ADMIN:
        return True
    if role not in (Role.FACILITATOR, Role.PARTNER):
        return False
    return _member_of(actor, partnership) is not None


def may_report(actor: Any, commitment: Commitment) -> bool:
    """Whether `actor` works for the organisation that owns the commitment."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=actor, partnership_id=commitment.partnership_id, partner_id=commitment.owner_id
    ).exists()


def _check_owner(actor: Any, commitment: Commitment) -> None:
    # actor None is the system itself (the demo loader, an import), which reports as recorded.
    if actor is not None and not may_report(actor, commitment):
        raise ValidationError(ERROR_NOT_OWNER.format(owner=commitment.owner.name))


def _check_parent(commitment: Commitment | None, parent: Commitment | None, partnership_id: int):
    if parent is None:
        return
    if parent.partnership_id != partnership_id:
        raise ValidationError({"parent": ERROR_PARENT_OUTSIDE})
    if commitment is None or commitment.pk is None:
        return
    # Walk up from the new parent: meeting the commitment itself means a loop.
    seen = set()
    node: Commitment | None = parent
    while node is not None and node.pk not in seen:
        if node.pk == commitment.pk:
            raise ValidationError({"parent": ERROR_PARENT_LOOP})
        seen.add(node.pk)
        node = Commitment.objects.filter(pk=node.parent_id).first() if node.parent_id else None


def touch(commitment: Commitment, *also: Commitment | None) -> None:
    """Mark a commitment and its parent changed, so public pages cached by `updated_at` (which
    list each commitment with its parts) are made again."""
    candidates = [commitment.pk, commitment.parent_id, *(c.pk for c in also if c is not None)]
    pks = {pk for pk in candidates if pk is not None}
    Commitment.objects.filter(pk__in=pks).update(updated_at=timezone.now())


def _check_ask(ask: Ask | None, partnership_id: int) -> None:
    if ask is not None and ask.campaign.partnership_id != partnership_id:
        raise ValidationError({"in_reply_to": ERROR_ASK_OUTSIDE})


def _check_origin(
    plan_action: PlanAction | None, conversation: Conversation | None, partnership_id: int
) -> Conversation | None:
    """The plan action and the conversation must be the partnership's own, and agree; a
    commitment made from an action answers the conversation that made the plan."""
    if plan_action is not None:
        made_at = plan_action.plan.conversation
        if made_at.cycle.partnership_id != partnership_id:
            raise ValidationError({"plan_action": ERROR_ACTION_OUTSIDE})
        if conversation is not None and conversation.pk != made_at.pk:
            raise ValidationError({"conversation": ERROR_ACTION_OTHER_CONVERSATION})
        return made_at
    if conversation is not None and conversation.cycle.partnership_id != partnership_id:
        raise ValidationError({"conversation": ERROR_CONVERSATION_OUTSIDE})
    return conversation


def rolled_up_progress(children: list[Commitment]) -> int | None:
    """A parent's progress from its parts (Decidim's roll-up).

    Dropped parts are left out: they no longer hold the parent back, nor count as done. When every
    part counted has a weight (and they are not all zero) progress is Σ(progress × weight) ÷ Σweight;
    otherwise the plain mean. None when no part counts.
    """
    counted = [c for c in children if c.status != Status.DROPPED]
    if not counted:
        return None
    weights = [c.weight for c in counted if c.weight is not None]
    if len(weights) == len(counted) and sum(weights, Decimal(0)) > 0:
        total = sum(
            (Decimal(c.progress) * w for c, w in zip(counted, weights, strict=True)), Decimal(0)
        )
        value = total / sum(weights, Decimal(0))
    else:
        value = Decimal(sum(c.progress for c in counted)) / len(counted)
    return int(value.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def _roll_up_from(commitment: Commitment | None) -> None:
    """Recompute the progress of `commitment` and of each commitment above it."""
    seen = set()
    while commitment is not None and commitment.pk not in seen:
        seen.add(commitment.pk)
        progress = rolled_up_progress(list(commitment.children.all()))
        if progress is not None and progress != commitment.progress:
            commitment.progress = progress
            commitment.save(update_fields=["progress", "updated_at"])
        commitment = commitment.parent


@transaction.atomic
def commitment_create(
    *,
    actor: Any,
    partnership: Partnership,
    neighbourhood: Neighbourhood,
    title: str,
    owner: Partner,
    lead_role: str,
    made_on: dt.date,
    due_on: dt.date,
    description: str = "",
    partners: list[Partner] | tuple = (),
    answers: str = "",
    parent: Commitment | None = None,
    weight: Decimal | None = None,
    in_reply_to: Ask | None = None,
    plan_action: PlanAction | None = None,
    conversation: Conversation | None = None,
) -> Commitment:
    """Record a promise. The owner and partners are organisations of the same partnership; the
    due date is not before the day it was made; a sub-commitment's parent gets its roll-up."""
    if actor is not None and not may_record(actor, partnership):
        raise ValidationError(ERROR_NOT_A_MEMBER)
    if owner.partnership_id != partnership.pk:
        raise ValidationError({"owner": ERROR_OWNER_OUTSIDE})
    if any(p.partnership_id != partnership.pk for p in partners):
        raise ValidationError({"partners": ERROR_PARTNER_OUTSIDE})
    _check_parent(None, parent, partnership.pk)
    _check_ask(in_reply_to, partnership.pk)
    conversation = _check_origin(plan_action, conversation, partnership.pk)
    commitment = Commitment(
        partnership=partnership,
        neighbourhood=neighbourhood,
        title=title.strip(),
        description=description,
        owner=owner,
        lead_role=lead_role.strip(),
        answers=answers,
        made_on=made_on,
        due_on=due_on,
        parent=parent,
        weight=weight,
        in_reply_to=in_reply_to,
        plan_action=plan_action,
        conversation=conversation,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    commitment.full_clean()
    commitment.save()
    commitment.partners.set([p for p in partners if p.pk != owner.pk])
    audit_record(
        actor=actor,
        verb="commitment.create",
        subject=commitment,
        details={"owner": owner.pk, "parent": parent.pk if parent else None},
    )
    _roll_up_from(parent)
    touch(commitment)
    return commitment


@transaction.atomic
def commitment_edit(
    *,
    actor: Any,
    commitment: Commitment,
    title: str,
    description: str,
    lead_role: str,
    due_on: dt.date,
    parent: Commitment | None,
    weight: Decimal | None,
    partners: list[Partner] | tuple = (),
    answers: str = "",
    in_reply_to: Ask | None = None,
    plan_action: PlanAction | None = None,
    conversation: Conversation | None = None,
) -> Commitment:
    """Change what was promised. Moving it under another commitment never makes a loop, and both
    the old parent and the new one get their roll-up again."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if actor is not None and not may_record(actor, commitment.partnership):
        raise ValidationError(ERROR_NOT_A_MEMBER)
    if any(p.partnership_id != commitment.partnership_id for p in partners):
        raise ValidationError({"partners": ERROR_PARTNER_OUTSIDE})
    _check_parent(commitment, parent, commitment.partnership_id)
    _check_ask(in_reply_to, commitment.partnership_id)
    conversation = _check_origin(plan_action, conversation, commitment.partnership_id)
    old_parent = commitment.parent
    commitment.title = title.strip()
    commitment.description = description
    commitment.lead_role = lead_role.strip()
    commitment.due_on = due_on
    commitment.parent = parent
    commitment.weight = weight
    commitment.answers = answers
    commitment.in_reply_to = in_reply_to
    commitment.plan_action = plan_action
    commitment.conversation = conversation
    commitment.full_clean()
    commitment.save(
        update_fields=[
            "title",
            "description",
            "lead_role",
            "due_on",
            "parent",
            "weight",
            "answers",
            "in_reply_to",
            "plan_action",
            "conversation",
            "updated_at",
        ]
    )
    commitment.partners.set([p for p in partners if p.pk != commitment.owner_id])
    audit_record(actor=actor, verb="commitment.edit", subject=commitment)
    if old_parent is not None and old_parent.pk != (parent.pk if parent else None):
        _roll_up_from(Commitment.objects.get(pk=old_parent.pk))
    _roll_up_from(parent)
    touch(commitment, old_parent)
    return commitment


@transaction.atomic
def commitment_report(
    *,
    actor: Any,
    commitment: Commitment,
    status: str,
    progress: int | None = None,
    note: str = "",
    dropped_reason: str = "",
    on: dt.date | None = None,
) -> Update:
    """Report where a commitment stands: its status and progress, kept as an update in its history.

    Only the owning organisation reports. Progress left out takes the status's default. A
    commitment with sub-commitments takes its progress from them, so none may be given for it.
    Marking it done records the day (kept on time means done by the due date).
    """
    commitment = (
        Commitment.objects.select_for_update().select_related("owner").get(pk=commitment.pk)
    )
    _check_owner(actor, commitment)
    on = on or _today()
    status = Status(status)
    has_children = commitment.children.exists()
    if progress is not None:
        if has_children and progress != commitment.progress:
            raise ValidationError({"progress": ERROR_PROGRESS_ROLLS_UP})
        if not 0 <= progress <= 100:
            raise ValidationError({"progress": ERROR_PROGRESS_RANGE})
    if status == Status.DROPPED and not dropped_reason.strip():
        raise ValidationError({"dropped_reason": ERROR_DROPPED_NEEDS_REASON})
    if progress is None and not has_children and status != commitment.status:
        default = DEFAULT_PROGRESS[status]
        if default is not None:
            # A new status moves progress on to its default, never back (in progress at 60%
            # stays at 60% when marked in progress again).
            progress = (
                default if status != Status.IN_PROGRESS else max(default, commitment.progress)
            )
    new_progress = commitment.progress if progress is None else progress
    if status == commitment.status and new_progress == commitment.progress and not note.strip():
        raise ValidationError(ERROR_NOTHING_CHANGED)

    update = Update(
        commitment=commitment,
        kind=Update.Kind.STATUS,
        on=on,
        status_before=commitment.status,
        status_after=status,
        progress_before=commitment.progress,
        progress_after=new_progress,
        note=note.strip(),
        created_by=actor,
    )
    update.full_clean()
    if status == Status.DONE and commitment.status != Status.DONE:
        commitment.done_on = on
    elif status != Status.DONE:
        commitment.done_on = None
    commitment.status = status
    commitment.progress = new_progress
    commitment.dropped_reason = dropped_reason.strip() if status == Status.DROPPED else ""
    commitment.full_clean()
    commitment.save(update_fields=["status", "progress", "done_on", "dropped_reason", "updated_at"])
    update.save()
    audit_record(
        actor=actor,
        verb="commitment.report",
        subject=commitment,
        details={"status": status.value, "progress": new_progress},
    )
    _roll_up_from(commitment.parent)
    touch(commitment)
    return update


@transaction.atomic
def milestone_add(
    *,
    actor: Any,
    commitment: Commitment,
    on: dt.date,
    title: str,
    description: str = "",
    evidence: str = "",
) -> Milestone:
    """Add a dated, titled milestone: only the owning organisation, never before the promise."""
    commitment = Commitment.objects.select_related("owner").get(pk=commitment.pk)
    _check_owner(actor, commitment)
    if on < commitment.made_on:
        raise ValidationError({"on": ERROR_MILESTONE_BEFORE_MADE})
    milestone = Milestone(
        commitment=commitment,
        on=on,
        title=title.strip(),
        description=description,
        evidence=evidence,
        created_by=actor,
    )
    milestone.full_clean()
    milestone.save()
    touch(commitment)
    audit_record(actor=actor, verb="milestone.add", subject=milestone)
    return milestone


@transaction.atomic
def note_post(*, actor: Any, commitment: Commitment, note: str, key: str = "") -> Update | None:
    """Post a note on a commitment's public history, with its audit event, or neither. With a
    key, posting twice posts once (None)."""
    if key and Update.objects.filter(commitment=commitment, key=key).exists():
        return None
    update = Update(
        commitment=commitment,
        kind=Update.Kind.NOTE,
        on=_today(),
        note=note,
        key=key,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    update.full_clean()
    update.save()
    touch(commitment)
    audit_record(
        actor=update.created_by,
        verb="commitment.note",
        subject=commitment,
        details={"update": update.pk, "key": key},
    )
    return update
