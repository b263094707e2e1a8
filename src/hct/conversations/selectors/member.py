"""Reads for a community member's own conversations (their place on the list, the waiting
list, places left) and for whom a facilitator may invite."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hct.conversations.models import (
    Conversation,
    Participant,
)
from hct.people.models import Person
from hct.people.selectors import people_in, people_in_scope
from hct.places.models import Neighbourhood


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
