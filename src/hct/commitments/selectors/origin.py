"""Where a commitment comes from: the Big Conversations of its cycle, the story at their centre
and the gaps behind it, the iceberg items, and the action of the plan it carries out — the first
part of its history (Decidim users ask for one timeline from the proposal through the meeting to
the result).

The conversations app offers no read for "everything behind one plan action", so this module
reads its models directly, and only these: Conversation, PlanAction, IcebergItem, Evidence.

On public pages only what the partnership itself named is shown: each conversation's title and
date, the level of each iceberg item, the kinds of the gaps (never their notes or dates, which
would tell part of a person's journey) and the action's title. What was written in the room (a
conversation's purpose, an iceberg item's words, the story) can name people, so it stays on the
partnership's own pages.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet

from hct.commitments.models import Commitment
from hct.commitments.selectors.base import Event
from hct.conversations.models import Conversation, Evidence, IcebergItem, PlanAction
from hct.journeys.models import Gap
from hct.partnership.selectors import neighbourhoods_in_scope, partnerships_for
from hct.people.models import Purpose
from hct.people.selectors import has_consent


def plan_actions_for(user: Any) -> QuerySet[PlanAction]:
    """The actions of the plans of the user's partnerships, in the neighbourhoods they work in."""
    return (
        PlanAction.objects.filter(
            plan__conversation__cycle__partnership__in=partnerships_for(user),
            plan__conversation__cycle__neighbourhood__in=neighbourhoods_in_scope(user),
        )
        .select_related("plan__conversation__cycle__neighbourhood")
        .order_by("plan__conversation__cycle__number", "position", "id")
    )


def conversations_for(user: Any) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(
            cycle__partnership__in=partnerships_for(user),
            cycle__neighbourhood__in=neighbourhoods_in_scope(user),
        )
        .select_related("cycle__neighbourhood")
        .order_by("cycle__number", "number")
    )


def actions_without_commitment(user: Any) -> list[PlanAction]:
    """Actions of the plan that nobody has committed to yet: the plan's own accountability."""
    return list(
        plan_actions_for(user).filter(commitments__isnull=True).select_related("owner_partner")
    )


def initial_from_action(action: PlanAction) -> dict:
    """A commitment form filled in from an action of the plan."""
    conversation = action.plan.conversation
    return {
        "plan_action": action.pk,
        "conversation": conversation.pk,
        "neighbourhood": conversation.cycle.neighbourhood_id,
        "title": action.title,
        "description": action.description,
        "owner": action.owner_partner_id,
        "lead_role": action.owner,
        "due_on": action.due_on,
        "made_on": conversation.date,
    }


def origin_events(commitment: Commitment, *, public: bool) -> list[Event]:
    """The story, gaps, conversations, iceberg items and plan action behind a commitment."""
    conversation = commitment.conversation
    action = commitment.plan_action
    if conversation is None:
        if action is None:
            return []
        conversation = action.plan.conversation
    events: list[Event] = []
    cycle_conversations = list(
        Conversation.objects.filter(cycle_id=conversation.cycle_id, number__lte=conversation.number)
        .select_related("story")
        .order_by("number")
    )
    for c in cycle_conversations:
        if public:
            text = "A person's story of the system was at the centre." if c.story_id else ""
        else:
            story = f" The story at the centre: {c.story.title or 'untitled'}." if c.story else ""
            text = f"{c.purpose}{story}"
        events.append(Event(c.date, "conversation", str(c), text, order=-30 + c.number))
    items: list[IcebergItem] = []
    if action is not None:
        items = list(
            action.items.select_related("conversation").prefetch_related(
                Prefetch(
                    "evidence",
                    queryset=Evidence.objects.select_related("gap").order_by("id"),
                )
            )
        )
    cited = [e.gap for item in items for e in item.evidence.all() if e.gap is not None]
    told = _gaps_of_the_story(cycle_conversations)
    if cited or told:
        first = cycle_conversations[0]
        kinds = sorted({g.get_kind_display() for g in [*cited, *told]})
        if not public:
            # Notes only of the gaps the room cited as evidence; the story's own stay with it.
            kinds = sorted(
                {g.get_kind_display() + (f" ({g.note})" if g.note else "") for g in cited}
                | {g.get_kind_display() for g in told}
            )
        events.append(Event(first.date, "gaps", "The gaps behind it", "; ".join(kinds), order=-20))
    for item in items:
        events.append(
            Event(
                item.conversation.date,
                "iceberg",
                f"On the iceberg: {item.get_level_display()}",
                "" if public else item.text,
                order=-10 + item.pk % 10,
            )
        )
    if action is not None:
        plan_date = action.plan.conversation.date
        events.append(
            Event(
                plan_date,
                "plan",
                f"In the plan: {action.title}",
                f"An action at the level of {action.get_level_display().lower()}."
                + (f" {action.description}" if action.description and not public else ""),
                order=-5,
            )
        )
    return events


def _gaps_of_the_story(conversations: list[Conversation]) -> list:
    """The gaps of the journey told at the centre, while its teller still consents to their story
    being told at a Big Conversation (a withdrawal takes them off every page at once)."""
    journey_ids = [c.journey_id for c in conversations if c.journey_id]
    if not journey_ids:
        return []
    gaps = list(
        Gap.objects.filter(journey_id__in=journey_ids)
        .select_related("journey__person")
        .order_by("id")
    )
    consenting = {
        person.pk
        for person in {g.journey.person for g in gaps}
        if has_consent(person, Purpose.STORY_AT_CONVERSATION)
    }
    return [g for g in gaps if g.journey.person_id in consenting]
