"""Reads for Big Conversations, and who may see them.

Facilitators and partners see the conversations of the cycles in their neighbourhoods (in the
partnerships they belong to); board members those of their partnerships. Only facilitators
change anything. Figures shown to partners and the board pass disclosure control (views).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from hct.conversations.models import (
    COMMUNITY_SECTORS,
    ICEBERG_ORDER,
    ICEBERG_PROMPTS,
    ICEBERG_RESPONSES,
    STATUTORY_SECTORS,
    AttendeeSector,
    Contribution,
    Conversation,
    Evidence,
    HeldPlaces,
    IcebergItem,
    IcebergLevel,
    Participant,
    Plan,
    PlanAction,
    ThemeSuggestion,
    VisionRevision,
)
from hct.journeys.models import Gap, Story, Touchpoint
from hct.journeys.selectors import journey_detail
from hct.partnership.models import Cycle, Partnership
from hct.partnership.selectors import cycles_visible
from hct.people.models import Person, Purpose
from hct.people.selectors import has_consent, people_in, people_in_scope
from hct.places.models import Neighbourhood
from hct.systemmap.models import Actor, Link

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


# The iceberg ---------------------------------------------------------------------------------


def iceberg_board(conversation: Conversation) -> list[dict]:
    """The four levels, top to bottom, each with its prompt and its items (merged items go)."""
    items = list(
        IcebergItem.objects.filter(conversation=conversation, merged_into__isnull=True)
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related(
                    "contribution",
                    "touchpoint",
                    "touchpoint__actor",
                    "gap",
                    "link",
                    "link__from_actor",
                    "link__to_actor",
                ),
            ),
            Prefetch("merged", queryset=IcebergItem.objects.order_by("id")),
        )
        .order_by("-votes", "id")
    )
    return [
        {
            "level": level,
            "label": level.label,
            "prompt": ICEBERG_PROMPTS[level],
            "response": ICEBERG_RESPONSES[level],
            "index": i,
            "items": [item for item in items if item.level == level],
        }
        for i, level in enumerate(ICEBERG_ORDER)
    ]


def partnership_of(conversation: Conversation) -> Partnership:
    return conversation.cycle.partnership


def people_of_partnership(partnership: Partnership) -> QuerySet[Person]:
    return people_in(Neighbourhood.objects.filter(cycles__partnership=partnership), partnership)


def evidence_choices(conversation: Conversation, *, sees_private: bool) -> dict[str, list]:
    """What a facilitator can cite on this board: contributions of the cycle's conversations,
    the touchpoints and gaps of the journeys at their centre, and the map's broken or missing
    links around them."""
    cycle_conversations = Conversation.objects.filter(cycle=conversation.cycle)
    journeys = cycle_conversations.exclude(journey=None).values("journey")
    touchpoints = list(
        Touchpoint.objects.filter(journey__in=journeys)
        .select_related("actor")
        .order_by("journey", "position")
    )
    gaps = list(
        Gap.objects.filter(journey__in=journeys)
        .select_related("before", "after")
        .order_by("journey", "id")
    )
    actors = {t.actor_id for t in touchpoints}
    links = list(
        Link.objects.filter(Q(from_actor__in=actors) | Q(to_actor__in=actors))
        .exclude(status=Link.Status.WORKING)
        .select_related("from_actor", "to_actor")
        .order_by("id")
    )
    return {
        "contribution": [
            (c.pk, f"{c.get_kind_display()}: {c.text[:80]}")
            for c in Contribution.objects.filter(conversation__in=cycle_conversations).order_by(
                "id"
            )
        ],
        "touchpoint": [
            (
                t.pk,
                f"{t.position}. {t.when}: {t.get_what_display()}, {t.actor.label_for(sees_private)}",
            )
            for t in touchpoints
        ],
        "gap": [
            (g.pk, f"{g.get_kind_display()} (between {g.before.position} and {g.after.position})")
            for g in gaps
        ],
        "link": [
            (
                link.pk,
                f"{link.from_actor.label_for(sees_private)} → "
                f"{link.to_actor.label_for(sees_private)}: {link.get_status_display()}",
            )
            for link in links
        ],
    }


def theme_suggestions(
    conversation: Conversation, *, pk: int | None = None
) -> list[ThemeSuggestion]:
    """Suggestions with their passages' words: a story's passage is read from the story now,
    and left out once the story is gone or its person no longer agrees to it being told."""
    from hct.people.selectors import with_consent

    found = ThemeSuggestion.objects.filter(conversation=conversation).order_by("status", "id")
    suggestions = list(found if pk is None else found.filter(pk=pk))
    story_ids = {p["id"] for s in suggestions for p in s.passages if p.get("source") == "story"}
    consenting = with_consent(Person.objects.all(), Purpose.STORY_AT_CONVERSATION)
    stories = dict(
        Story.objects.filter(pk__in=story_ids, person__in=consenting.values("pk")).values_list(
            "pk", "text"
        )
    )
    for suggestion in suggestions:
        shown = []
        for passage in suggestion.passages:
            if passage.get("source") == "story":
                text = stories.get(passage["id"])
                if text is None:
                    continue
                passage = {**passage, "text": text[passage["start"] : passage["end"]]}
            shown.append(passage)
        suggestion.passages = shown
    return suggestions


def theme_corpus(conversation: Conversation) -> list[tuple[str, int, str]]:
    """The texts behind a conversation: the contributions of its cycle's conversations so far,
    and the stories at their centre whose people still consent to them being told."""
    from hct.people.selectors import with_consent

    cycle_conversations = Conversation.objects.filter(
        cycle=conversation.cycle, number__lte=conversation.number
    )
    texts: list[tuple[str, int, str]] = [
        ("contribution", pk, text)
        for pk, text in Contribution.objects.filter(conversation__in=cycle_conversations)
        .order_by("id")
        .values_list("pk", "text")
    ]
    consenting = with_consent(Person.objects.all(), Purpose.STORY_AT_CONVERSATION)
    texts += [
        ("story", pk, text)
        for pk, text in Story.objects.filter(
            pk__in=cycle_conversations.exclude(story=None).values("story"),
            person__in=consenting.values("pk"),
        )
        .order_by("id")
        .values_list("pk", "text")
    ]
    return texts


# Vision and plan ----------------------------------------------------------------------------


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


def map_actors(neighbourhood: Neighbourhood, partnership: Partnership | None = None) -> QuerySet:
    """The actors a conversation may mark a link between: the shared ones on its partnership's
    map of its neighbourhood. Actors about one person (Sam's sister) stay on that person's own
    map, never here."""
    from hct.systemmap.selectors import neighbourhood_actors

    return (
        neighbourhood_actors(neighbourhood, partnership)
        .filter(person__isnull=True, private=False)
        .order_by("name", "pk")
    )


def item_in(conversation: Conversation, pk: int) -> IcebergItem | None:
    """An item of this conversation's board, or None."""
    return (
        IcebergItem.objects.filter(conversation=conversation, pk=pk)
        .select_related("conversation", "conversation__cycle")
        .first()
    )


def item_get(pk: int) -> IcebergItem | None:
    return IcebergItem.objects.filter(pk=pk).first()


def other_items(conversation: Conversation, item: IcebergItem) -> list[IcebergItem]:
    """The board's other items, those this one may be merged into."""
    return [i for level in iceberg_board(conversation) for i in level["items"] if i.pk != item.pk]


def item_evidence(item: IcebergItem) -> QuerySet[Evidence]:
    return Evidence.objects.filter(item=item).select_related(
        "contribution", "touchpoint", "touchpoint__actor", "gap", "link"
    )


def citable(kind: str, pk: int):
    """What an item may cite, by kind (`contribution`, `touchpoint`, `gap`, `link`), or None."""
    models = {"contribution": Contribution, "touchpoint": Touchpoint, "gap": Gap, "link": Link}
    return models[kind]._default_manager.filter(pk=pk).first()


def actors_by_pk(pks: list[int]) -> dict:
    return Actor.objects.in_bulk(pks)


# A community member's own conversations -----------------------------------------------------


def _open_to_person(person: Person) -> Q:
    return Q(open_to_neighbourhood=True, cycle__neighbourhood__lsoas=person.home_lsoa_id)


def open_to(conversation: Conversation, person: Person) -> bool:
    """Whether the person may sign themselves up: the conversation is open to the
    neighbourhood they live in."""
    return Conversation.objects.filter(_open_to_person(person), pk=conversation.pk).exists()


@dataclass
class MyPlace:
    """One conversation as a member sees it: their place on its list (None: not on it yet)."""

    conversation: Conversation
    participant: Participant | None
    waiting_position: int | None = None
    places_left: int | None = None

    @property
    def upcoming(self) -> bool:
        return self.conversation.date >= timezone.localdate()


def _my_places(person: Person, chosen: QuerySet[Conversation]) -> list[MyPlace]:
    conversations = list(
        chosen.select_related("cycle__neighbourhood").order_by("date", "starts_at", "pk")
    )
    pks = [c.pk for c in conversations]
    mine = {
        p.conversation_id: p
        for p in Participant.objects.filter(person=person, conversation__in=pks)
    }
    coming = dict(
        Participant.objects.filter(conversation__in=pks, reply=Participant.Reply.COMING)
        .order_by()
        .values_list("conversation")
        .annotate(n=Count("pk"))
    )
    places = []
    for conversation in conversations:
        participant = mine.get(conversation.pk)
        position = None
        if participant is not None and participant.reply == Participant.Reply.WAITING:
            position = (
                1
                + Participant.objects.filter(
                    Q(created_at__lt=participant.created_at)
                    | Q(created_at=participant.created_at, pk__lt=participant.pk),
                    conversation=conversation,
                    reply=Participant.Reply.WAITING,
                ).count()
            )
        left = (
            None
            if conversation.places is None
            else max(0, conversation.places - coming.get(conversation.pk, 0))
        )
        places.append(MyPlace(conversation, participant, position, left))
    return places


def my_conversations(person: Person | None) -> dict[str, list[MyPlace]]:
    """What a member sees: conversations they are on the list for, and those open to their
    neighbourhood that are still to come; past ones only if they were on the list."""
    if person is None:
        return {"mine": [], "open": [], "past": []}
    reachable = Conversation.objects.filter(
        Q(pk__in=Participant.objects.filter(person=person).values("conversation"))
        | _open_to_person(person)
    ).distinct()
    places = _my_places(person, reachable)
    return {
        "mine": [p for p in places if p.upcoming and p.participant is not None],
        "open": [p for p in places if p.upcoming and p.participant is None],
        "past": [p for p in places if not p.upcoming and p.participant is not None][::-1],
    }


def my_place(person: Person, pk: int) -> MyPlace | None:
    """One conversation, if the person is on its list or it is open to them; else None."""
    reachable = Conversation.objects.filter(
        Q(participants__person=person) | _open_to_person(person), pk=pk
    ).distinct()
    places = _my_places(person, reachable)
    return places[0] if places else None


def people_to_invite(user: Any, conversation: Conversation) -> QuerySet[Person]:
    """The records a facilitator may name on an invitation: people in their scope who live in
    the conversation's neighbourhood."""
    here = Neighbourhood.objects.filter(pk=conversation.cycle.neighbourhood_id)
    here_people = people_in(here, conversation.cycle.partnership_id).values("pk")
    return people_in_scope(user).filter(pk__in=here_people).order_by("alias", "pk")
