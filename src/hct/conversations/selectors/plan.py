"""Reads for the vision and the plan of a conversation, and the whole cycle's sensemaking
(its printable page and PDF)."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from hct.conversations.models import (
    ICEBERG_ORDER,
    Conversation,
    IcebergItem,
    IcebergLevel,
    Plan,
    PlanAction,
    VisionRevision,
)
from hct.conversations.selectors.base import WARNING_SURFACE_ONLY
from hct.conversations.selectors.iceberg import iceberg_board
from hct.partnership.models import Cycle


def vision_revisions(conversation: Conversation) -> list[VisionRevision]:
    return list(
        VisionRevision.objects.filter(conversation=conversation)
        .select_related("author")
        .prefetch_related(Prefetch("answers", queryset=IcebergItem.objects.order_by("id")))
        .order_by("-number")
    )


def cycle_items(conversation: Conversation) -> QuerySet[IcebergItem]:
    """The iceberg items of every conversation of the cycle (the vision and the plan may answer
    items from conversation 2 while being written at conversation 3)."""
    return IcebergItem.objects.filter(
        conversation__cycle=conversation.cycle, merged_into__isnull=True
    ).order_by("conversation__number", "id")


@dataclass
class PlanView:
    plan: Plan | None
    actions: list[PlanAction]
    warning: str
    levels: list[dict]


def plan_detail(conversation: Conversation) -> PlanView:
    plan = Plan.objects.filter(conversation=conversation).first()
    actions = (
        list(
            PlanAction.objects.filter(plan=plan)
            .select_related("owner_partner")
            .prefetch_related(Prefetch("items", queryset=IcebergItem.objects.order_by("id")))
            .order_by("position", "id")
        )
        if plan
        else []
    )
    surface_only = bool(actions) and all(a.level == IcebergLevel.EVENTS for a in actions)
    levels = [
        {
            "level": level,
            "label": level.label,
            "count": sum(1 for a in actions if a.level == level),
        }
        for level in ICEBERG_ORDER
    ]
    return PlanView(plan, actions, WARNING_SURFACE_ONLY if surface_only else "", levels)


def cycle_sensemaking(cycle: Cycle) -> list[dict]:
    """Every conversation of a cycle with its iceberg, latest vision and plan: the printable
    page and its PDF."""
    result = []
    for conversation in (
        Conversation.objects.filter(cycle=cycle).select_related("cycle").order_by("number")
    ):
        board = iceberg_board(conversation)
        revisions = vision_revisions(conversation)
        plan = plan_detail(conversation)
        if not any(level["items"] for level in board) and not revisions and not plan.actions:
            continue
        result.append(
            {
                "conversation": conversation,
                "board": board,
                "vision": revisions[0] if revisions else None,
                "plan": plan,
            }
        )
    return result
