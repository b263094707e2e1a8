"""Who may see which conversation, a conversation's balance of the room, the story at its
centre, and what was said there (for the closing report)."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from hct.conversations.models import (
    COMMUNITY_SECTORS,
    STATUTORY_SECTORS,
    AttendeeSector,
    Contribution,
    Conversation,
    HeldPlaces,
    IcebergItem,
    Participant,
    Plan,
    VisionRevision,
)
from hct.journeys.models import Story
from hct.journeys.selectors import journey_detail
from hct.partnership.models import Cycle, Partnership
from hct.partnership.selectors import cycles_visible
from hct.people.models import Person, Purpose
from hct.people.selectors import has_consent, people_in
from hct.places.models import Neighbourhood

WARNING_FEWER_COMMUNITY = (
    "Community voices are fewer than statutory ones: {community} community to {statutory} "
    "statutory. Invite more people and groups from the neighbourhood, or hold places for them."
)
WARNING_SURFACE_ONLY = (
    "Every action works at the surface (events). None reaches the patterns, structures or "
    "mental models that keep the system as it is: add an action that does."
)


def conversations_visible(user: Any) -> QuerySet[Conversation]:
    return Conversation.objects.filter(cycle__in=cycles_visible(user).values("pk"))


def conversation_list(user: Any) -> list[Conversation]:
    return list(
        conversations_visible(user)
        .select_related("cycle", "cycle__neighbourhood", "cycle__partnership")
        .order_by("cycle__partnership__name", "cycle__number", "number")
    )


def conversation_get(pk: int) -> Conversation:
    return Conversation.objects.select_related(
        "cycle", "cycle__neighbourhood", "cycle__partnership", "story", "story__person", "journey"
    ).get(pk=pk)


def cycle_dates(cycle: Cycle) -> tuple[dt.date | None, dt.date | None]:
    """The days a cycle runs: from its first recorded stage start to the end of its current
    stage, if that has ended (else open)."""
    stages = list(cycle.stages.all())
    starts = [s.started_on for s in stages if s.started_on]
    current = next((s for s in stages if s.stage == cycle.current_stage), None)
    return (min(starts) if starts else None, current.ended_on if current else None)


# Balance ------------------------------------------------------------------------------------


@dataclass
class Balance:
    """Who is invited (and not declined) and who is in the room, by sector."""

    invited: dict[str, int]
    present: dict[str, int]
    held: dict[str, int]
    rows: list[dict] = field(default_factory=list)

    def _side(self, counts: dict[str, int], sectors) -> int:
        return sum(counts.get(s, 0) for s in sectors)

    @property
    def community_invited(self) -> int:
        return self._side(self.invited, COMMUNITY_SECTORS)

    @property
    def statutory_invited(self) -> int:
        return self._side(self.invited, STATUTORY_SECTORS)

    @property
    def community_present(self) -> int:
        return self._side(self.present, COMMUNITY_SECTORS)

    @property
    def statutory_present(self) -> int:
        return self._side(self.present, STATUTORY_SECTORS)

    @property
    def in_the_room(self) -> bool:
        return sum(self.present.values()) > 0

    @property
    def sides(self) -> tuple[int, int]:
        """Community and statutory now: in the room once anyone is there, else invited."""
        if self.in_the_room:
            return self.community_present, self.statutory_present
        return self.community_invited, self.statutory_invited

    @property
    def scale(self) -> int:
        return max(*self.sides, 1)

    @property
    def warning(self) -> str:
        """Warn when community voices are fewer: in the room once anyone is there, else among
        those invited."""
        community, statutory = self.sides
        if community < statutory:
            return WARNING_FEWER_COMMUNITY.format(community=community, statutory=statutory)
        return ""


def balance(conversation: Conversation) -> Balance:
    return balances_for([conversation.pk])[conversation.pk]


def balances_for(conversation_ids: list[int], *, held_places: bool = True) -> dict[int, Balance]:
    """Each conversation's balance, for any number of conversations in two queries (one
    without the places held, which only the balance page shows)."""
    invited: dict[int, dict[str, int]] = {pk: {} for pk in conversation_ids}
    present: dict[int, dict[str, int]] = {pk: {} for pk in conversation_ids}
    held: dict[int, dict[str, int]] = {pk: {} for pk in conversation_ids}
    # A "not coming" is not counted as invited, but is in the room if they came anyway.
    for row in (
        Participant.objects.filter(conversation__in=conversation_ids)
        .order_by()
        .values("conversation", "sector")
        .annotate(
            invited=Count("pk", filter=~Q(reply=Participant.Reply.NOT_COMING)),
            here=Count("pk", filter=Q(attended_at__isnull=False)),
        )
    ):
        if row["invited"]:
            invited[row["conversation"]][row["sector"]] = row["invited"]
        if row["here"]:
            present[row["conversation"]][row["sector"]] = row["here"]
    for h in HeldPlaces.objects.filter(conversation__in=conversation_ids) if held_places else []:
        held[h.conversation_id][h.sector] = h.places
    return {pk: _balance(invited[pk], present[pk], held[pk]) for pk in conversation_ids}


def _balance(invited: dict[str, int], present: dict[str, int], held: dict[str, int]) -> Balance:
    result = Balance(invited=invited, present=present, held=held)
    result.rows = [
        {
            "sector": sector,
            "label": sector.label,
            "side": "community"
            if sector in COMMUNITY_SECTORS
            else "statutory"
            if sector in STATUTORY_SECTORS
            else "",
            "invited": invited.get(sector, 0),
            "present": present.get(sector, 0),
            "held": held.get(sector, 0),
        }
        for sector in AttendeeSector
    ]
    return result


def participants(conversation: Conversation) -> list[Participant]:
    return list(conversation.participants.select_related("partner").order_by("name", "id"))


# The story at the centre --------------------------------------------------------------------


@dataclass
class Centre:
    story: Story | None
    refused: str
    quotes: list
    touchpoints: list
    gaps: list


def story_at_centre(conversation: Conversation) -> Centre:
    """The story and journey a conversation puts at its centre, only while the person's
    consent to tell it at a Big Conversation is current (read fresh each time)."""
    from hct.journeys.selectors import ERROR_NO_CONVERSATION_CONSENT

    story = conversation.story
    if story is None:
        return Centre(None, "", [], [], [])
    if not has_consent(story.person, Purpose.STORY_AT_CONVERSATION):
        return Centre(
            story, ERROR_NO_CONVERSATION_CONSENT.format(alias=story.person.alias), [], [], []
        )
    touchpoints, gaps = journey_detail(conversation.journey) if conversation.journey else ([], [])
    return Centre(story, "", list(story.quotes.order_by("id")), touchpoints, gaps)


def stories_to_choose(user: Any, conversation: Conversation) -> QuerySet[Story]:
    """Stories a facilitator may put at the centre: of people in the cycle's neighbourhood
    whom they may see, with consent for a Big Conversation."""
    from hct.journeys.selectors import people_visible
    from hct.people.selectors import with_consent

    people = with_consent(
        people_visible(user).filter(
            pk__in=people_in(
                Neighbourhood.objects.filter(pk=conversation.cycle.neighbourhood_id),
                conversation.cycle.partnership_id,
            )
        ),
        Purpose.STORY_AT_CONVERSATION,
    )
    return Story.objects.filter(person__in=people.values("pk")).select_related("person")


# Contributions and the closing report ---------------------------------------------------------


def contributions(conversation: Conversation) -> QuerySet[Contribution]:
    return Contribution.objects.filter(conversation=conversation).order_by("created_at", "id")


def closing_figures(conversation: Conversation) -> dict:
    attended = Participant.objects.filter(conversation=conversation, attended_at__isnull=False)
    organisations = sorted(
        {o for o in attended.exclude(organisation="").values_list("organisation", flat=True)},
        key=str.casefold,
    )
    return {
        "attendees": attended.count(),
        "organisations": organisations,
        "contributions": Contribution.objects.filter(conversation=conversation).count(),
        "by_kind": {
            row["kind"]: row["n"]
            for row in Contribution.objects.filter(conversation=conversation)
            .values("kind")
            .annotate(n=Count("pk"))
        },
        "items": IcebergItem.objects.filter(
            conversation=conversation, merged_into__isnull=True
        ).count(),
        "vision": VisionRevision.objects.filter(conversation=conversation).first(),
        "plan": Plan.objects.filter(conversation=conversation).first(),
    }


def partnership_of(conversation: Conversation) -> Partnership:
    return conversation.cycle.partnership


def people_of_partnership(partnership: Partnership) -> QuerySet[Person]:
    return people_in(Neighbourhood.objects.filter(cycles__partnership=partnership), partnership)
