"""What the partnership's own commitment pages read: the choices their forms offer, the
neighbourhoods to filter by, the commitment as its change form starts."""

from typing import Any

from django.db.models import QuerySet

from hct.commitments.models import Commitment
from hct.commitments.selectors import commitments_visible, parent_choices
from hct.commitments.selectors.campaigns import asks_open_to_answer
from hct.commitments.selectors.origin import conversations_for, plan_actions_for
from hct.conversations.models import PlanAction
from hct.partnership.models import Partner
from hct.partnership.selectors import neighbourhoods_in_scope, partnerships_for
from hct.places.models import Neighbourhood


def commitment_visible(user: Any, pk: int) -> bool:
    return commitments_visible(user).filter(pk=pk).exists()


def commitment_form_choices(user: Any, commitment: Commitment | None) -> dict[str, QuerySet]:
    """What the commitment form may offer this user: their partnerships' owners, asks, plan
    actions and conversations, and the commitments a new one may be part of."""
    partnerships = partnerships_for(user)
    return {
        "neighbourhoods": neighbourhoods_in_scope(user),
        "owners": Partner.objects.filter(partnership__in=partnerships).order_by("name"),
        "parents": parent_choices(commitment, partnerships.values("pk")),
        "asks": asks_open_to_answer(partnerships).select_related("campaign"),
        "actions": plan_actions_for(user),
        "conversations": conversations_for(user),
    }


def plan_action_for(user: Any, pk: int | None) -> PlanAction | None:
    """A plan action this user may turn into a commitment."""
    if pk is None:
        return None
    return plan_actions_for(user).filter(pk=pk).first()


def initial_from_ask(user: Any, pk: int | None) -> dict:
    """A commitment form filled in from a public campaign's ask this user's partnership may
    answer: an organisation said yes to it (empty when there is no such ask)."""
    ask = (
        asks_open_to_answer(partnerships_for(user)).select_related("campaign").filter(pk=pk).first()
        if pk
        else None
    )
    if ask is None:
        return {}
    return {
        "in_reply_to": ask.pk,
        "neighbourhood": ask.campaign.neighbourhood_id,
        "title": ask.what[:300],
        "answers": f"{ask.campaign.title} asked {ask.to_whom}"[:300],
    }


def neighbourhoods_with_commitments(user: Any) -> QuerySet[Neighbourhood]:
    return (
        neighbourhoods_in_scope(user).filter(commitments__isnull=False).distinct().order_by("name")
    )


def in_neighbourhood(commitments: QuerySet[Commitment], slug: str) -> QuerySet[Commitment]:
    return commitments.filter(neighbourhood__slug=slug) if slug else commitments


def commitment_initial(commitment: Commitment) -> dict[str, object]:
    """What the change form starts with."""
    return {
        "title": commitment.title,
        "description": commitment.description,
        "lead_role": commitment.lead_role,
        "partners": list(commitment.partners.all()),
        "answers": commitment.answers,
        "due_on": commitment.due_on,
        "parent": commitment.parent_id,
        "weight": commitment.weight,
        "in_reply_to": commitment.in_reply_to_id,
        "plan_action": commitment.plan_action_id,
        "conversation": commitment.conversation_id,
    }
