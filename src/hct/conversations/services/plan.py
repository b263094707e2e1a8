"""The vision and the plan."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q

from hct.conversations.models import (
    Conversation,
    IcebergItem,
    IcebergLevel,
    Plan,
    PlanAction,
    VisionRevision,
)
from hct.conversations.services.attendance import ERROR_PARTNER_OTHER
from hct.core.services import audit_record
from hct.partnership.models import Partner

ERROR_ITEM_OTHER_CYCLE = "Choose iceberg items from this cycle's conversations"


# Vision and plan ----------------------------------------------------------------------------


def _check_items(conversation: Conversation, items: list[IcebergItem]) -> None:
    if any(i.conversation.cycle_id != conversation.cycle_id for i in items):
        raise ValidationError({"items": ERROR_ITEM_OTHER_CYCLE})


@transaction.atomic
def vision_write(
    *,
    actor: Any,
    conversation: Conversation,
    text: str,
    note: str = "",
    answers: list[IcebergItem] | None = None,
) -> VisionRevision:
    """Each writing is a new numbered revision; earlier ones are kept to compare."""
    answers = list(answers or [])
    try:
        _check_items(conversation, answers)
    except ValidationError:
        raise ValidationError({"answers": ERROR_ITEM_OTHER_CYCLE}) from None
    Conversation.objects.select_for_update().get(pk=conversation.pk)
    number = (
        VisionRevision.objects.filter(conversation=conversation).aggregate(n=Max("number"))["n"]
        or 0
    ) + 1
    revision = VisionRevision(
        conversation=conversation, number=number, text=text, note=note, author=actor
    )
    revision.full_clean(validate_constraints=False)
    revision.save()
    revision.answers.set(answers)
    audit_record(
        actor=actor,
        verb="vision.revise",
        subject=revision,
        details={"number": number, "answers": len(answers)},
    )
    return revision


def plan_for(*, actor: Any, conversation: Conversation) -> Plan:
    """The conversation's plan, made the first time it is needed."""
    plan, created = Plan.objects.get_or_create(conversation=conversation)
    if created:
        audit_record(actor=actor, verb="plan.create", subject=plan)
    return plan


@transaction.atomic
def plan_summary_write(*, actor: Any, plan: Plan, summary: str) -> Plan:
    plan.summary = summary
    plan.save(update_fields=["summary", "updated_at"])
    audit_record(actor=actor, verb="plan.summary", subject=plan)
    return plan


ACTION_FIELDS = ("title", "description", "level", "owner", "owner_partner", "due_on")


def _check_action(plan: Plan, action: PlanAction, items: list[IcebergItem]) -> None:
    _check_items(plan.conversation, items)
    partner = action.owner_partner
    if partner is not None and partner.partnership_id != plan.conversation.cycle.partnership_id:
        raise ValidationError({"owner_partner": ERROR_PARTNER_OTHER})
    action.full_clean(validate_constraints=False)


@transaction.atomic
def action_add(
    *,
    actor: Any,
    plan: Plan,
    title: str,
    level: str,
    description: str = "",
    owner: str = "",
    owner_partner: Partner | None = None,
    due_on: dt.date | None = None,
    items: list[IcebergItem] | None = None,
) -> PlanAction:
    """An action names the iceberg level it works at; the items behind it are of this cycle,
    and an owning organisation is of this partnership."""
    items = list(items or [])
    position = (PlanAction.objects.filter(plan=plan).aggregate(n=Max("position"))["n"] or 0) + 1
    action = PlanAction(
        plan=plan,
        title=title,
        description=description,
        level=IcebergLevel(level),
        owner=owner,
        owner_partner=owner_partner,
        due_on=due_on,
        position=position,
    )
    _check_action(plan, action, items)
    action.save()
    action.items.set(items)
    audit_record(
        actor=actor,
        verb="plan.action_add",
        subject=action,
        details={"plan": plan.pk, "level": level, "items": len(items)},
    )
    return action


@transaction.atomic
def action_update(
    *, actor: Any, action: PlanAction, items: list[IcebergItem] | None = None, **changes: Any
) -> PlanAction:
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"not action fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(action, name, value)
    _check_action(action.plan, action, list(items or []))
    action.save(update_fields=[*changes, "updated_at"])
    if items is not None:
        action.items.set(items)
    audit_record(
        actor=actor, verb="plan.action_update", subject=action, details={"fields": sorted(changes)}
    )
    return action


@transaction.atomic
def action_remove(*, actor: Any, action: PlanAction) -> None:
    audit_record(actor=actor, verb="plan.action_remove", subject=action)
    action.delete()


def items_of_cycle(conversation: Conversation, pks: list[int]) -> list[IcebergItem]:
    """Iceberg items by id, refused if any is not of this cycle (or does not exist)."""
    items = list(
        IcebergItem.objects.filter(pk__in=pks).filter(Q(conversation__cycle=conversation.cycle))
    )
    if len(items) != len(set(pks)):
        raise ValidationError({"items": ERROR_ITEM_OTHER_CYCLE})
    return items
