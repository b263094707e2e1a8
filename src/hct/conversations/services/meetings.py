"""Conversations: creating and changing one, its calendar invitation, and the story at its centre."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hct.conversations import selectors
from hct.conversations.models import (
    Conversation,
)
from hct.core.services import audit_record
from hct.journeys.models import Journey, Story
from hct.journeys.selectors import story_for_conversation
from hct.partnership.models import Cycle

ERROR_BEFORE_CYCLE = "The conversation must fall within the cycle's dates: it starts on {start}"
ERROR_AFTER_CYCLE = "The conversation must fall within the cycle's dates: it ended on {end}"
ERROR_NUMBER_TAKEN = "Cycle {cycle} already has a Big Conversation {number}"
ERROR_JOURNEY_NOT_THEIRS = "Choose a journey of the same person as the story"
ERROR_NOT_THIS_CYCLE = "Choose a story of someone in {neighbourhood}"


def _check_dates(conversation: Conversation) -> None:
    start, end = selectors.cycle_dates(conversation.cycle)
    if start and conversation.date < start:
        raise ValidationError({"date": ERROR_BEFORE_CYCLE.format(start=f"{start:%-d %B %Y}")})
    if end and conversation.date > end:
        raise ValidationError({"date": ERROR_AFTER_CYCLE.format(end=f"{end:%-d %B %Y}")})


def _check_number(conversation: Conversation) -> None:
    taken = Conversation.objects.filter(cycle=conversation.cycle, number=conversation.number)
    if taken.exclude(pk=conversation.pk).exists():
        raise ValidationError(
            {
                "number": ERROR_NUMBER_TAKEN.format(
                    cycle=conversation.cycle.number, number=conversation.number
                )
            }
        )


@transaction.atomic
def conversation_create(
    *,
    actor: Any,
    cycle: Cycle,
    number: int,
    purpose: str,
    date: dt.date,
    title: str = "",
    venue: str = "",
    venue_hints: str = "",
    starts_at: dt.time | None = None,
    ends_at: dt.time | None = None,
    places: int | None = None,
    agenda: str = "",
    open_to_neighbourhood: bool = False,
) -> Conversation:
    """A conversation falls within its cycle's dates, and its number is its cycle's only one."""
    conversation = Conversation(
        cycle=cycle,
        number=number,
        title=title,
        purpose=purpose,
        venue=venue,
        venue_hints=venue_hints,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        places=places,
        agenda=agenda,
        open_to_neighbourhood=open_to_neighbourhood,
        created_by=actor,
    )
    _check_number(conversation)
    conversation.full_clean(validate_constraints=False)
    _check_dates(conversation)
    conversation.save()
    audit_record(
        actor=actor,
        verb="conversation.create",
        subject=conversation,
        details={"cycle": cycle.pk, "number": number},
    )
    return conversation


CONVERSATION_FIELDS = (
    "number",
    "title",
    "purpose",
    "agenda",
    "venue",
    "venue_hints",
    "date",
    "starts_at",
    "ends_at",
    "places",
    "open_to_neighbourhood",
)


@transaction.atomic
def conversation_update(*, actor: Any, conversation: Conversation, **changes: Any) -> Conversation:
    """The same rules as on creation; only the fields named change."""
    unknown = set(changes) - set(CONVERSATION_FIELDS)
    if unknown:
        raise TypeError(f"not conversation fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(conversation, name, value)
    _check_number(conversation)
    conversation.full_clean(validate_constraints=False)
    _check_dates(conversation)
    conversation.save(update_fields=[*changes, "updated_at"])
    audit_record(
        actor=actor,
        verb="conversation.update",
        subject=conversation,
        details={"fields": sorted(changes)},
    )
    return conversation


def invitation_ics(conversation: Conversation, *, host: str = "hct") -> str:
    """An iCalendar invitation (RFC 5545). Refused for a conversation with no time yet."""
    from hct.conversations.ics import ERROR_NO_TIME, calendar

    if conversation.starts_at is None:
        raise ValidationError(ERROR_NO_TIME)
    return calendar(conversation, host=host)


# The story at the centre --------------------------------------------------------------------


@transaction.atomic
def centre_set(
    *,
    actor: Any,
    conversation: Conversation,
    story: Story | None,
    journey: Journey | None = None,
) -> Conversation:
    """The story at the centre is of someone in the cycle's neighbourhood who has agreed to it
    being told at a Big Conversation; the journey, if any, is theirs too."""
    if story is not None:
        story_for_conversation(story)  # refuses without consent
        from hct.people.selectors import people_in
        from hct.places.models import Neighbourhood

        here = Neighbourhood.objects.filter(pk=conversation.cycle.neighbourhood_id)
        ours = people_in(here, conversation.cycle.partnership_id)
        if not ours.filter(pk=story.person_id).exists():
            raise ValidationError(
                {
                    "story": ERROR_NOT_THIS_CYCLE.format(
                        neighbourhood=conversation.cycle.neighbourhood
                    )
                }
            )
    if journey is not None and (story is None or journey.person_id != story.person_id):
        raise ValidationError({"journey": ERROR_JOURNEY_NOT_THEIRS})
    conversation.story = story
    conversation.journey = journey
    conversation.save(update_fields=["story", "journey", "updated_at"])
    audit_record(
        actor=actor,
        verb="conversation.centre",
        subject=conversation,
        details={"story": story.pk if story else None, "journey": journey.pk if journey else None},
    )
    return conversation
