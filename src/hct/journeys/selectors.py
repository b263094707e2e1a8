"""Reads for stories and journeys, with who may see them (through `people`'s access rules).

Partners see a journey, and a story's shareable quotes, only while the person's consent to share
with partners is current (`people.selectors.people_shared_with` reads it fresh each time).
"""

from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hct.core.roles import Role
from hct.journeys.models import Gap, Journey, Quote, Story, StoryHelpRequest, Touchpoint
from hct.people.models import Person, Purpose
from hct.people.selectors import (
    has_consent,
    people_in,
    people_in_scope,
    people_shared_with,
)
from hct.places.models import Neighbourhood

ERROR_NO_CONVERSATION_CONSENT = (
    "{alias} has not agreed to their story being told at a Big Conversation. Record that "
    "consent first (or leave the story out)."
)
# Story text is escaped before the quote marks go in; nh3 then guarantees that nothing but
# those marks can reach the page, whatever a person typed.
STORY_TAGS = {"mark"}
STORY_ATTRIBUTES = {"mark": {"class"}}


def people_visible(user: Any) -> QuerySet[Person]:
    """The people whose journeys a user may open: facilitators in scope, partners where shared,
    a community member their own."""
    role = getattr(user, "role", None)
    if role == Role.FACILITATOR:
        return people_in_scope(user)
    if role == Role.PARTNER:
        return people_shared_with(user)
    if role == Role.COMMUNITY:
        return Person.objects.filter(user=user)
    return Person.objects.none()


def journeys_visible(user: Any) -> QuerySet[Journey]:
    return Journey.objects.filter(person__in=people_visible(user).values("pk"))


def journeys_in(neighbourhoods: QuerySet[Neighbourhood]) -> QuerySet[Journey]:
    return Journey.objects.filter(person__in=people_in(neighbourhoods).values("pk"))


def _count(model) -> Coalesce:
    """How many rows of `model` belong to each journey, as a subquery (no join to multiply)."""
    return Coalesce(
        Subquery(
            model.objects.filter(journey=OuterRef("pk"))
            .order_by()
            .values("journey")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def journey_list(journeys: QuerySet[Journey]) -> QuerySet[Journey]:
    """A list page's journeys with their counts, in one query however many there are."""
    return (
        journeys.select_related("person")
        .annotate(touchpoint_count=_count(Touchpoint), gap_count=_count(Gap))
        .order_by("-updated_at", "-id")
    )


def journey_get(pk: int) -> Journey:
    return Journey.objects.select_related("person", "person__home_lsoa").get(pk=pk)


def journey_detail(journey: Journey) -> tuple[list[Touchpoint], list[Gap]]:
    touchpoints = list(
        Touchpoint.objects.filter(journey=journey).select_related("actor").order_by("position")
    )
    by_id = {t.pk: t for t in touchpoints}
    gaps = list(Gap.objects.filter(journey=journey).order_by("id"))
    for gap in gaps:
        gap.before = by_id[gap.before_id]
        gap.after = by_id[gap.after_id]
    gaps.sort(key=lambda g: (g.before.position, g.after.position, g.pk))
    return touchpoints, gaps


def stories_of(person: Person) -> list[Story]:
    return list(
        Story.objects.filter(person=person).prefetch_related(
            Prefetch("quotes", queryset=Quote.objects.order_by("id"))
        )
    )


def story_help_open(person: Person) -> list[StoryHelpRequest]:
    """What the person has asked their facilitator to do with them, not yet done."""
    return list(StoryHelpRequest.objects.filter(person=person, done_at=None).order_by("asked_at"))


def shared_quotes(person: Person) -> list[Quote]:
    """The quotes a partner may read: only while consent to share with partners is current."""
    if not has_consent(person, Purpose.SHARE_WITH_PARTNERS):
        return []
    return list(Quote.objects.filter(story__person=person).order_by("story_id", "id"))


def story_get(pk: int) -> Story:
    return (
        Story.objects.select_related("person", "person__home_lsoa")
        .prefetch_related(Prefetch("quotes", queryset=Quote.objects.order_by("id")))
        .get(pk=pk)
    )


def story_html(text: str, quotes: list[str]) -> SafeString:
    """The story exactly as typed (escaped; line breaks kept by the page's CSS), with the
    passages marked as quotes highlighted."""
    spans = []
    for quote in quotes:
        start = text.find(quote) if quote else -1
        if start >= 0:
            spans.append((start, start + len(quote)))
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    cursor = 0
    for start, end in merged:
        parts.append(escape(text[cursor:start]))
        parts.append(f'<mark class="hct-quote-mark">{escape(text[start:end])}</mark>')
        cursor = end
    parts.append(escape(text[cursor:]))
    cleaned = nh3.clean("".join(parts), tags=STORY_TAGS, attributes=STORY_ATTRIBUTES)
    return mark_safe(cleaned)  # noqa: S308 - escaped above and cleaned by nh3


def story_for_conversation(story: Story) -> Story:
    """A story to be told at a Big Conversation: refused without the person's consent."""
    if not has_consent(story.person, Purpose.STORY_AT_CONVERSATION):
        raise ValidationError(ERROR_NO_CONVERSATION_CONSENT.format(alias=story.person.alias))
    return story
