"""Reads for stories and journeys, with who may see them (through `people`'s access rules).

Partners see a journey, and a story's shareable quotes, only while the person's consent to share
with partners is current (`people.selectors.people_shared_with` reads it fresh each time).
"""

from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hct.core.roles import Role
from hct.journeys import patterns
from hct.journeys.models import (
    Gap,
    Journey,
    Quote,
    Signification,
    Signifier,
    Story,
    StoryHelpRequest,
    Touchpoint,
)
from hct.partnership.models import Cycle
from hct.partnership.selectors import cycles_visible, may_manage
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


# Signifiers


def may_set_signifiers(user: Any, cycle: Cycle) -> bool:
    """A cycle's questions are set by its facilitators and by the partnership's leads."""
    if may_manage(user, cycle.partnership):
        return True
    return (
        getattr(user, "role", None) == Role.FACILITATOR
        and cycles_visible(user).filter(pk=cycle.pk).exists()
    )


def cycle_for_person(person: Person) -> Cycle | None:
    """The cycle a person's story belongs to: the latest one in a neighbourhood that holds
    their home."""
    if person.home_lsoa_id is None:
        return None
    return (
        Cycle.objects.filter(neighbourhood__lsoas=person.home_lsoa_id)
        .select_related("partnership", "neighbourhood")
        .order_by("-created_at", "-pk")
        .first()
    )


def signifiers_of(cycle: Cycle) -> list[Signifier]:
    return list(Signifier.objects.filter(cycle=cycle).order_by("position"))


def signifiers_for_story(story: Story) -> list[Signifier]:
    cycle = cycle_for_person(story.person)
    return signifiers_of(cycle) if cycle else []


def significations_of(story: Story) -> dict[int, Signification]:
    return {s.signifier_id: s for s in Signification.objects.filter(story=story)}


def signifier_get(pk: int) -> Signifier:
    return Signifier.objects.select_related("cycle__partnership", "cycle__neighbourhood").get(pk=pk)


def stories_in(neighbourhoods: QuerySet[Neighbourhood]) -> QuerySet[Story]:
    return Story.objects.filter(person__in=people_in(neighbourhoods).values("pk"))


def signifier_answers(signifier: Signifier, stories: QuerySet[Story]) -> list[tuple[int, ...]]:
    """Each story's answer to one signifier: a triad's three thousandths, a dyad's one."""
    answers = Signification.objects.filter(signifier=signifier, story__in=stories.values("pk"))
    if signifier.kind == Signifier.Kind.TRIAD:
        corners = answers.values_list("corner_a", "corner_b", "corner_c")
        return [(a or 0, b or 0, c or 0) for a, b, c in corners]
    return [(slider or 0,) for slider in answers.values_list("slider", flat=True)]


# Leanings: a story leans to a triad's corner when at least half its weight is there; to a
# dyad's pole when its slider is past the middle that way.
LEANING_HALF = 500


def leaning_q(signifier: Signifier, leaning: str) -> Q:
    if signifier.kind == Signifier.Kind.TRIAD:
        return Q(**{f"corner_{leaning}__gte": LEANING_HALF})
    return Q(slider__lt=LEANING_HALF) if leaning == "a" else Q(slider__gt=LEANING_HALF)


def journeys_leaning(journeys: QuerySet[Journey], signifier: Signifier, leaning: str):
    """The journeys of people whose story leans this way on this signifier."""
    answers = Signification.objects.filter(leaning_q(signifier, leaning), signifier=signifier)
    return journeys.filter(person__in=answers.values("story__person"))


def meaning_choices(signifiers: QuerySet[Signifier]) -> list[tuple[str, str]]:
    """The leanings a page can filter by: each question's corners (or ends), in plain words."""
    choices = []
    for signifier in signifiers.order_by("cycle", "position"):
        for key, label in zip("abc", signifier.labels, strict=False):
            choices.append((f"{signifier.pk}-{key}", f"{signifier.question} Mostly ‘{label}’"))
    return choices


def signifiers_visible(user: Any, neighbourhood: Neighbourhood | None = None):
    signifiers = Signifier.objects.filter(cycle__in=cycles_visible(user).values("pk"))
    if neighbourhood is not None:
        signifiers = signifiers.filter(cycle__neighbourhood=neighbourhood)
    return signifiers


def _meaning(signifiers: QuerySet[Signifier], meaning: str) -> tuple[Signifier | None, str, str]:
    choices = dict(meaning_choices(signifiers))
    if meaning not in choices:
        return None, "", ""
    pk, leaning = meaning.split("-")
    return signifiers.get(pk=int(pk)), leaning, choices[meaning]


def journeys_meaning(
    journeys: QuerySet[Journey], signifiers: QuerySet[Signifier], meaning: str
) -> tuple[QuerySet[Journey], str]:
    """Narrow journeys by a `meaning` value from `meaning_choices` ("<signifier>-<corner>"),
    and say in words what it chose; anything not on offer leaves them as they are."""
    signifier, leaning, label = _meaning(signifiers, meaning)
    if signifier is None:
        return journeys, ""
    return journeys_leaning(journeys, signifier, leaning), label


def stories_meaning(
    signifiers: QuerySet[Signifier], meaning: str
) -> tuple[QuerySet[Story] | None, str]:
    """The stories placed this way (None when `meaning` is not on offer), and it in words."""
    signifier, leaning, label = _meaning(signifiers, meaning)
    if signifier is None:
        return None, ""
    answers = Signification.objects.filter(leaning_q(signifier, leaning), signifier=signifier)
    return Story.objects.filter(pk__in=answers.values("story")), label


def signifier_cycle(user: Any, cycle_pk: int) -> tuple[Cycle | None, bool]:
    """(the cycle if this user may see it, whether it exists at all): a cycle of another
    partnership is refused, one that does not exist is not found."""
    cycle = (
        cycles_visible(user)
        .select_related("partnership", "neighbourhood")
        .filter(pk=cycle_pk)
        .first()
    )
    return cycle, cycle is not None or Cycle.objects.filter(pk=cycle_pk).exists()


def signifier_of(cycle: Cycle, pk: int) -> Signifier | None:
    return Signifier.objects.filter(cycle=cycle, pk=pk).first()


def signifier_patterns(cycle: Cycle) -> list:
    """Where the cycle's stories were placed on each of its questions, through disclosure
    control (a triangle of cells for a triad, bins for a dyad)."""
    stories = stories_in(Neighbourhood.objects.filter(pk=cycle.neighbourhood_id))
    shown = []
    for signifier in signifiers_of(cycle):
        answers = signifier_answers(signifier, stories)
        if signifier.kind == Signifier.Kind.TRIAD:
            shown.append(patterns.triad_pattern(signifier, answers))
        else:
            shown.append(patterns.dyad_pattern(signifier, [a[0] for a in answers]))
    return shown
