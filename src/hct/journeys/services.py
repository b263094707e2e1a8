"""Writes for stories and journeys.

A journey's touchpoints are always in time order: for any two, the one placed first could have
happened first (it starts no later than the other ends). Approximate dates overlap, so order
within an overlap is the person's to say (move up/down); an order the dates contradict is
refused. A gap joins two touchpoints of the same journey, the earlier first, and marks the link
between their actors through `systemmap`.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hct.core.services import audit_record
from hct.journeys.dates import WhenError, parse_when
from hct.journeys.derive import GAP_LINK, links_derive
from hct.journeys.models import (
    Felt,
    Gap,
    Journey,
    Quote,
    Signification,
    Signifier,
    Story,
    StoryHelpRequest,
    Touchpoint,
    What,
)
from hct.journeys.selectors import may_set_signifiers, signifiers_for_story
from hct.journeys.weights import dyad_weight, triad_weights
from hct.partnership.models import Cycle
from hct.people.models import Person
from hct.systemmap.models import Actor
from hct.systemmap.selectors import actor_find
from hct.systemmap.services import LinkMark, actor_create, actor_for_person, link_mark

ERROR_QUOTE_NOT_IN_STORY = "A quote must be a passage of the story, word for word"
ERROR_EDIT_DROPS_QUOTE = (
    "The story no longer holds a passage marked as a quote (“{start}…”): keep the passage, or "
    "remove the quote first"
)
ERROR_OUT_OF_ORDER = (
    "Touchpoints must stay in time order: “{later}” ({later_when}) would come after "
    "“{earlier}” ({earlier_when}), but it happened before it"
)
ERROR_GAP_OTHER_JOURNEY = "A gap can only join two touchpoints of this journey"
ERROR_GAP_ORDER = "A gap goes from an earlier touchpoint to a later one"
ERROR_MOVE_BREAKS_GAP = (
    "Moving this touchpoint would put it on the wrong side of the gap “{gap}”: remove the gap first"
)
ERROR_CANNOT_MOVE = "This touchpoint is already at the {end}"
ERROR_ACTOR_NOT_HERE = "Choose someone from this person's system, or add a new one"
ERROR_HELP_ALREADY_ASKED = (
    "You have already asked. Your facilitator will be in touch to do it with you"
)
ERROR_HELP_NO_FACILITATOR = (
    "Nobody is named as your facilitator yet, so there is nobody to ask. Ask at the drop-in"
)

# What a gap of each kind says about the link between the two actors it lies between.
_POSITION_OFFSET = 1_000_000


def normalise_text(text: str) -> str:
    """Line endings as one newline; everything else exactly as typed."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


# Stories and quotes


@transaction.atomic
def story_create(
    *, actor: Any, person: Person, text: str, title: str = "", told_on: dt.date | None = None
) -> Story:
    story = Story(
        person=person,
        text=normalise_text(text),
        title=title.strip(),
        told_on=told_on,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    story.full_clean()
    story.save()
    audit_record(actor=actor, verb="story.create", subject=story, details={"person": person.pk})
    return story


@transaction.atomic
def story_update(
    *, actor: Any, story: Story, text: str, title: str = "", told_on: dt.date | None = None
) -> Story:
    """A story may change, but never so that a passage marked as a quote is lost."""
    text = normalise_text(text)
    for quote in story.quotes.all():
        if quote.text not in text:
            raise ValidationError({"text": ERROR_EDIT_DROPS_QUOTE.format(start=quote.text[:40])})
    story.text, story.title, story.told_on = text, title.strip(), told_on
    story.full_clean()
    story.save(update_fields=["text", "title", "told_on", "updated_at"])
    audit_record(
        actor=actor, verb="story.update", subject=story, details={"person": story.person_id}
    )
    return story


@transaction.atomic
def quote_add(*, actor: Any, story: Story, text: str, agreed_on: dt.date) -> Quote:
    """A quote is a passage of the story, word for word, that the person agreed may be quoted."""
    text = normalise_text(text).strip()
    quote = Quote(story=story, text=text, agreed_on=agreed_on)
    quote.full_clean()
    if text not in story.text:
        raise ValidationError({"text": ERROR_QUOTE_NOT_IN_STORY})
    quote.save()
    audit_record(actor=actor, verb="quote.add", subject=quote, details={"story": story.pk})
    return quote


def _delete_audited(*, actor: Any, record, verb: str, details: dict) -> None:
    subject_type, subject_id = record._meta.label_lower, record.pk
    record.delete()
    audit_record(
        actor=actor, verb=verb, subject_type=subject_type, subject_id=subject_id, details=details
    )


@transaction.atomic
def quote_remove(*, actor: Any, quote: Quote) -> None:
    """Unmark a quote; the story itself is unchanged."""
    _delete_audited(
        actor=actor, record=quote, verb="quote.remove", details={"story": quote.story_id}
    )


# Asking a facilitator to do it with them


@transaction.atomic
def story_help_ask(*, actor: Any, person: Person, note: str = "") -> StoryHelpRequest:
    """One open request at a time, and only when someone is named to answer it."""
    if not person.facilitators.exists():
        raise ValidationError({"note": ERROR_HELP_NO_FACILITATOR})
    if StoryHelpRequest.objects.select_for_update().filter(person=person, done_at=None).exists():
        raise ValidationError({"note": ERROR_HELP_ALREADY_ASKED})
    help_request = StoryHelpRequest(person=person, note=normalise_text(note).strip())
    help_request.full_clean()
    help_request.save()
    audit_record(
        actor=actor, verb="story_help.ask", subject=help_request, details={"person": person.pk}
    )
    return help_request


@transaction.atomic
def story_help_done(*, actor: Any, help_request: StoryHelpRequest) -> StoryHelpRequest:
    if help_request.done_at is None:
        help_request.done_at, help_request.done_by = timezone.now(), actor
        help_request.save(update_fields=["done_at", "done_by"])
        audit_record(
            actor=actor,
            verb="story_help.done",
            subject=help_request,
            details={"person": help_request.person_id},
        )
    return help_request


# Journeys and touchpoints


@transaction.atomic
def journey_create(*, actor: Any, person: Person, title: str) -> Journey:
    journey = Journey(
        person=person, title=title.strip(), created_by=actor if getattr(actor, "pk", None) else None
    )
    journey.full_clean()
    journey.save()
    actor_for_person(actor=actor, person=person)
    audit_record(actor=actor, verb="journey.create", subject=journey, details={"person": person.pk})
    return journey


@transaction.atomic
def journey_update(*, actor: Any, journey: Journey, title: str) -> Journey:
    journey.title = title.strip()
    journey.full_clean()
    journey.save(update_fields=["title", "updated_at"])
    audit_record(actor=actor, verb="journey.update", subject=journey)
    return journey


def describe(touchpoint: Touchpoint) -> str:
    return f"{touchpoint.get_what_display()} – {touchpoint.actor.name}"


def order_problem(touchpoints: Sequence[Touchpoint]) -> str | None:
    """Why this order contradicts the dates (None if it does not): some touchpoint placed after
    another ends before that other starts."""
    latest_start: Touchpoint | None = None
    for touchpoint in touchpoints:
        if latest_start is not None and touchpoint.ends_on < latest_start.starts_on:
            return ERROR_OUT_OF_ORDER.format(
                later=describe(touchpoint),
                later_when=touchpoint.when,
                earlier=describe(latest_start),
                earlier_when=latest_start.when,
            )
        if latest_start is None or touchpoint.starts_on > latest_start.starts_on:
            latest_start = touchpoint
    return None


def _place_for(existing: Sequence[Touchpoint], starts_on: dt.date, ends_on: dt.date) -> int:
    """Where a new touchpoint goes. People mostly tell their story in order, so it goes last
    whenever the dates allow; otherwise after everything that started no later than it did,
    moved only as far as the dates require. Always possible when `existing` is in order."""
    # Latest index it may take: everything before it must start no later than it ends.
    highest = 0
    for index, touchpoint in enumerate(existing):
        if touchpoint.starts_on > ends_on:
            break
        highest = index + 1
    if highest == len(existing):
        return highest
    natural = sum(1 for t in existing if t.starts_on <= starts_on)
    # Earliest: everything after it must end no earlier than it starts.
    lowest = 0
    for index, touchpoint in enumerate(existing):
        if touchpoint.ends_on < starts_on:
            lowest = index + 1
    return min(max(natural, lowest), highest)


def _renumber(journey: Journey, ordered: Sequence[Touchpoint]) -> None:
    """Write positions 1..n in the given order. Positions are unique per journey, so they move
    out of the way first."""
    Touchpoint.objects.filter(journey=journey).update(position=F("position") + _POSITION_OFFSET)
    for index, touchpoint in enumerate(ordered, start=1):
        touchpoint.position = index
    Touchpoint.objects.bulk_update(list(ordered), ["position"])


def _when_or_error(when: str):
    try:
        return parse_when(when)
    except WhenError as error:
        raise ValidationError({"when": str(error)}) from None


def _ordered(journey: Journey) -> list[Touchpoint]:
    return list(
        Touchpoint.objects.select_for_update()
        .filter(journey=journey)
        .select_related("actor")
        .order_by("position")
    )


def _check_gaps(journey: Journey, ordered: Sequence[Touchpoint]) -> None:
    index = {t.pk: i for i, t in enumerate(ordered)}
    for gap in Gap.objects.filter(journey=journey):
        if index[gap.before_id] >= index[gap.after_id]:
            raise ValidationError(ERROR_MOVE_BREAKS_GAP.format(gap=gap.get_kind_display()))


def _who(
    *,
    actor: Any,
    journey: Journey,
    who: Actor | int | None,
    new_actor_name: str = "",
    new_actor_kind: str = "",
) -> Actor:
    """The actor a touchpoint points at: one chosen, or one named (found by name and kind, or
    made). Another person's private actors are never anyone else's."""
    if isinstance(who, int):
        who = Actor.objects.filter(pk=who).first()
        if who is None:
            raise ValidationError({"who": ERROR_ACTOR_NOT_HERE})
    if who is not None:
        if who.person_id is not None and who.person_id != journey.person_id:
            raise ValidationError({"who": ERROR_ACTOR_NOT_HERE})
        return who
    name = new_actor_name.strip()
    if not name or not new_actor_kind:
        raise ValidationError({"who": ERROR_ACTOR_NOT_HERE})
    kind = Actor.Kind(new_actor_kind)
    person = journey.person if kind in Actor.PERSONAL_KINDS else None
    return actor_find(name=name, kind=kind, person=person) or actor_create(
        actor=actor, name=name, kind=kind, person=person
    )


@transaction.atomic
def touchpoint_add(
    *,
    actor: Any,
    journey: Journey,
    when: str,
    what: str,
    who: Actor | int | None = None,
    new_actor_name: str = "",
    new_actor_kind: str = "",
    felt: str = Felt.NEITHER,
    note: str = "",
) -> Touchpoint:
    """Add a touchpoint: last if its date allows, else in its place in time."""
    parsed = _when_or_error(when)
    who = _who(
        actor=actor,
        journey=journey,
        who=who,
        new_actor_name=new_actor_name,
        new_actor_kind=new_actor_kind,
    )
    existing = _ordered(journey)
    touchpoint = Touchpoint(
        journey=journey,
        position=_POSITION_OFFSET * 2,
        when=parsed.text,
        starts_on=parsed.start,
        ends_on=parsed.end,
        precision=parsed.precision,
        actor=who,
        what=What(what),
        felt=Felt(felt),
        note=normalise_text(note).strip(),
    )
    touchpoint.full_clean()
    place = _place_for(existing, parsed.start, parsed.end)
    ordered = [*existing[:place], touchpoint, *existing[place:]]
    problem = order_problem(ordered)
    if problem:
        raise ValidationError({"when": problem})
    touchpoint.save()
    _renumber(journey, ordered)
    Journey.objects.filter(pk=journey.pk).update(updated_at=timezone.now())
    _map_follows(actor, journey)
    audit_record(
        actor=actor,
        verb="touchpoint.add",
        subject=touchpoint,
        details={"journey": journey.pk, "position": touchpoint.position},
    )
    return touchpoint


@transaction.atomic
def touchpoint_update(
    *,
    actor: Any,
    touchpoint: Touchpoint,
    when: str,
    what: str,
    felt: str,
    who: Actor | int | None = None,
    new_actor_name: str = "",
    new_actor_kind: str = "",
    note: str = "",
) -> Touchpoint:
    """Change a touchpoint where it stands; a new date the order contradicts is refused."""
    parsed = _when_or_error(when)
    journey = touchpoint.journey
    who = _who(
        actor=actor,
        journey=journey,
        who=who,
        new_actor_name=new_actor_name,
        new_actor_kind=new_actor_kind,
    )
    touchpoint.when, touchpoint.starts_on, touchpoint.ends_on = (
        parsed.text,
        parsed.start,
        parsed.end,
    )
    touchpoint.precision = parsed.precision
    touchpoint.actor, touchpoint.what, touchpoint.felt = who, What(what), Felt(felt)
    touchpoint.note = normalise_text(note).strip()
    touchpoint.full_clean()
    ordered = [t if t.pk != touchpoint.pk else touchpoint for t in _ordered(journey)]
    problem = order_problem(ordered)
    if problem:
        raise ValidationError({"when": problem})
    touchpoint.save(
        update_fields=["when", "starts_on", "ends_on", "precision", "actor", "what", "felt", "note"]
    )
    _map_follows(actor, journey)
    audit_record(
        actor=actor, verb="touchpoint.update", subject=touchpoint, details={"journey": journey.pk}
    )
    return touchpoint


@transaction.atomic
def touchpoint_move(*, actor: Any, touchpoint: Touchpoint, direction: str) -> Touchpoint:
    """Swap a touchpoint with its neighbour, if the dates and the journey's gaps allow it."""
    journey = touchpoint.journey
    ordered = _ordered(journey)
    index = next(i for i, t in enumerate(ordered) if t.pk == touchpoint.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ordered):
        raise ValidationError(ERROR_CANNOT_MOVE.format(end="start" if other < 0 else "end"))
    ordered[index], ordered[other] = ordered[other], ordered[index]
    problem = order_problem(ordered)
    if problem:
        raise ValidationError(problem)
    _check_gaps(journey, ordered)
    _renumber(journey, ordered)
    _map_follows(actor, journey)
    audit_record(
        actor=actor,
        verb="touchpoint.move",
        subject=touchpoint,
        details={"journey": journey.pk, "to": other + 1},
    )
    return ordered[other]


@transaction.atomic
def touchpoint_remove(*, actor: Any, touchpoint: Touchpoint) -> None:
    """Remove a touchpoint and the gaps on either side of it; the rest close up."""
    journey = touchpoint.journey
    touchpoint_id = touchpoint.pk
    gaps = (
        Gap.objects.filter(journey=journey, before=touchpoint).count()
        + Gap.objects.filter(journey=journey, after=touchpoint).count()
    )
    touchpoint.delete()
    _renumber(journey, _ordered(journey))
    _map_follows(actor, journey)
    audit_record(
        actor=actor,
        verb="touchpoint.remove",
        subject_type="journeys.touchpoint",
        subject_id=touchpoint_id,
        details={"journey": journey.pk, "gaps_removed": gaps},
    )


def _map_follows(actor: Any, journey: Journey) -> None:
    """The system map's links derived from this journey follow every change to it."""
    links_derive(actor=actor, journeys=[journey.pk])


# Gaps


def gap_link_mark(
    before: Touchpoint, after: Touchpoint, kind: str, person_actor: Actor
) -> LinkMark | None:
    """The link a gap marks: from the earlier touchpoint's actor to the later one's, or, when
    both are the same service, from the person to it (an appointment that would not move)."""
    link_kind, status = GAP_LINK[Gap.Kind(kind)]
    source, target = before.actor_id, after.actor_id
    if source == target:
        source = person_actor.pk
    if source == target:
        return None
    return LinkMark(source, target, link_kind.value, status.value)


@transaction.atomic
def gap_add(
    *,
    actor: Any,
    journey: Journey,
    before: Touchpoint,
    after: Touchpoint,
    kind: str,
    note: str = "",
) -> Gap:
    """A gap between two touchpoints of this journey, the earlier first; it marks the link
    between their actors as broken or missing on the system map."""
    if before.journey_id != journey.pk or after.journey_id != journey.pk:
        raise ValidationError({"before": ERROR_GAP_OTHER_JOURNEY})
    if before.position >= after.position:
        raise ValidationError({"after": ERROR_GAP_ORDER})
    gap = Gap(
        journey=journey,
        before=before,
        after=after,
        kind=Gap.Kind(kind),
        note=normalise_text(note).strip(),
    )
    gap.full_clean()
    gap.save()
    mark = gap_link_mark(before, after, kind, actor_for_person(actor=actor, person=journey.person))
    if mark is not None:
        link_mark(
            actor=actor,
            from_actor=Actor.objects.get(pk=mark.from_actor_id),
            to_actor=Actor.objects.get(pk=mark.to_actor_id),
            kind=mark.kind,
            status=mark.status,
        )
    _map_follows(actor, journey)
    audit_record(
        actor=actor, verb="gap.add", subject=gap, details={"journey": journey.pk, "kind": gap.kind}
    )
    return gap


@transaction.atomic
def gap_remove(*, actor: Any, gap: Gap) -> None:
    """Remove a gap. The link it marked keeps its count of marks; its status follows the
    evidence left (the map's history is in the audit trail and its snapshots)."""
    journey = gap.journey
    _delete_audited(actor=actor, record=gap, verb="gap.remove", details={"journey": gap.journey_id})
    _map_follows(actor, journey)


# Signifiers: what the person says their story means


ERROR_SIGNIFIER_NOT_YOURS = (
    "Only the cycle's facilitators and the partnership's leads set its questions"
)
ERROR_TOO_MANY = "A cycle asks at most {most} questions of this kind: remove one first"
ERROR_LABEL_EMPTY = "Name this corner"
ERROR_QUESTION_EMPTY = "Write the question"
ERROR_NOT_THIS_CYCLE = "This question is not one asked of this story"
MOST_OF_EACH_KIND = 3


@transaction.atomic
def signifier_add(
    *, actor: Any, cycle: Cycle, kind: str, question: str, labels: Sequence[str]
) -> Signifier:
    """A cycle asks at most three triads and three dyads, in the order they were added."""
    if not may_set_signifiers(actor, cycle):
        raise ValidationError(ERROR_SIGNIFIER_NOT_YOURS)
    kind = Signifier.Kind(kind)
    wanted = 3 if kind == Signifier.Kind.TRIAD else 2
    labels = [(label or "").strip() for label in labels][:wanted]
    labels += [""] * (wanted - len(labels))
    errors = {f"label_{'abc'[i]}": ERROR_LABEL_EMPTY for i, label in enumerate(labels) if not label}
    if not question.strip():
        errors["question"] = ERROR_QUESTION_EMPTY
    if errors:
        raise ValidationError(errors)
    existing = Signifier.objects.select_for_update().filter(cycle=cycle)
    if existing.filter(kind=kind).count() >= MOST_OF_EACH_KIND:
        raise ValidationError({"kind": ERROR_TOO_MANY.format(most=MOST_OF_EACH_KIND)})
    last = existing.order_by("-position").values_list("position", flat=True).first() or 0
    signifier = Signifier(
        cycle=cycle,
        kind=kind,
        question=question.strip(),
        label_a=labels[0],
        label_b=labels[1],
        label_c=labels[2] if kind == Signifier.Kind.TRIAD else "",
        position=last + 1,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    signifier.full_clean()
    signifier.save()
    audit_record(
        actor=actor,
        verb="signifier.add",
        subject=signifier,
        details={"cycle": cycle.pk, "kind": kind.value},
    )
    return signifier


@transaction.atomic
def signifier_remove(*, actor: Any, signifier: Signifier) -> None:
    """Remove a question and every story's answer to it (the count is kept in the audit)."""
    if not may_set_signifiers(actor, signifier.cycle):
        raise ValidationError(ERROR_SIGNIFIER_NOT_YOURS)
    answers = signifier.significations.count()
    _delete_audited(
        actor=actor,
        record=signifier,
        verb="signifier.remove",
        details={"cycle": signifier.cycle_id, "answers_removed": answers},
    )


def field_name(signifier: Signifier, corner: int | None = None) -> str:
    """The form field for a signifier's answer (one per corner of a triad)."""
    return f"s{signifier.pk}" if corner is None else f"s{signifier.pk}_{'abc'[corner]}"


@transaction.atomic
def story_signify(
    *, actor: Any, story: Story, signifiers: Sequence[Signifier], answers: dict[str, Any]
) -> list[Signification]:
    """Place a story on each of its cycle's signifiers. `answers` is keyed by `field_name`:
    a triad's three numbers 0–10 (normalised to weights summing to exactly 1), a dyad's 0–100.
    A question left blank removes its answer. Any bad answer refuses them all."""
    asked = {s.pk for s in signifiers_for_story(story)}
    parsed: dict[Signifier, tuple[int, ...] | None] = {}
    errors: dict[str, str] = {}
    for signifier in signifiers:
        if signifier.pk not in asked:
            raise ValidationError(ERROR_NOT_THIS_CYCLE)
        try:
            if signifier.kind == Signifier.Kind.TRIAD:
                parsed[signifier] = triad_weights(
                    [answers.get(field_name(signifier, i)) for i in range(3)]
                )
            else:
                weight = dyad_weight(answers.get(field_name(signifier)))
                parsed[signifier] = None if weight is None else (weight,)
        except ValueError as error:
            corner = error.args[1] if len(error.args) > 1 else None
            name = field_name(signifier, corner if signifier.kind == Signifier.Kind.TRIAD else None)
            errors[name] = error.args[0]
    if errors:
        raise ValidationError(errors)
    kept = []
    for signifier, weights in parsed.items():
        if weights is None:
            Signification.objects.filter(story=story, signifier=signifier).delete()
            continue
        values = (
            {"slider": weights[0], "corner_a": None, "corner_b": None, "corner_c": None}
            if len(weights) == 1
            else {
                "slider": None,
                "corner_a": weights[0],
                "corner_b": weights[1],
                "corner_c": weights[2],
            }
        )
        values["recorded_by"] = actor if getattr(actor, "pk", None) else None
        signification, _ = Signification.objects.update_or_create(
            story=story, signifier=signifier, defaults=values
        )
        kept.append(signification)
    audit_record(
        actor=actor,
        verb="story.signify",
        subject=story,
        details={"person": story.person_id, "answered": len(kept), "asked": len(parsed)},
    )
    return kept
