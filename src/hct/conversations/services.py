"""Writes for Big Conversations. Each service keeps one invariant, said in its docstring, and
leaves an audit event (ids and counts only: no names, no words said)."""

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from hct.conversations import selectors, themes
from hct.conversations.models import (
    AttendeeSector,
    ClosingReport,
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
from hct.core.services import audit_record
from hct.journeys.models import Gap, Journey, Story, Touchpoint
from hct.journeys.selectors import story_for_conversation
from hct.partnership.models import Cycle, Partner
from hct.people.models import Person
from hct.systemmap.models import Actor, Link

ERROR_BEFORE_CYCLE = "The conversation must fall within the cycle's dates: it starts on {start}"
ERROR_AFTER_CYCLE = "The conversation must fall within the cycle's dates: it ended on {end}"
ERROR_NUMBER_TAKEN = "Cycle {cycle} already has a Big Conversation {number}"
ERROR_COUNTED_TWICE = "{name} ({organisation}) is already on the list: they cannot be counted twice"
ERROR_ALREADY_HERE = "{name} is already marked as here: they cannot be counted twice"
ERROR_NO_SUCH_CODE = "No one on this conversation's list has the code {code}"
ERROR_HELD_TOO_MANY = "The places held ({held}) are more than the room holds ({places})"
ERROR_JOURNEY_NOT_THEIRS = "Choose a journey of the same person as the story"
ERROR_NOT_THIS_CYCLE = "Choose a story of someone in {neighbourhood}"
ERROR_OTHER_PARTNERSHIP = "That evidence belongs to another partnership"
ERROR_ACROSS_BOARDS = "Only items on the same iceberg board can be merged"
ERROR_MERGE_ITSELF = "Choose a different item to merge with"
ERROR_ALREADY_MERGED = "That item has already been merged into another"
ERROR_ALREADY_CITED = "The item already cites that evidence"
ERROR_ITEM_OTHER_CYCLE = "Choose iceberg items from this cycle's conversations"
ERROR_PARTNER_OTHER = "Choose an organisation of this partnership"
ERROR_SUGGESTION_DONE = "That suggestion has already been {status}"
ERROR_NOTHING_TO_READ = (
    "There is nothing to read yet: capture some contributions, or put a story at the centre"
)
ERROR_NO_EVIDENCE = "Choose the evidence to cite"
ERROR_ACTOR_ELSEWHERE = (
    "{name} is on another neighbourhood's map: choose an actor in {neighbourhood}"
)
ERROR_ACTOR_NOT_HERE = "Choose an actor on {neighbourhood}'s map"
ERROR_PERSON_TWICE = "{name} is already on the list: they cannot be counted twice"
ERROR_ALREADY_HAPPENED = "This conversation has already happened, so you cannot change your place"
ERROR_NOT_OPEN = "This conversation is not open for you to sign up. Ask your facilitator."
ON_THE_LIST = (Participant.Reply.COMING, Participant.Reply.WAITING)
ERROR_ALREADY_REGISTERED = {
    Participant.Reply.COMING: "You are already signed up for this conversation. Nothing changed.",
    Participant.Reply.WAITING: "You are already on the waiting list. Nothing changed.",
}


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


# Invitations, replies, the door ------------------------------------------------------------


def _key(name: str, organisation: str, person: Person | None = None) -> str:
    # Aliases are not unique (two Sams), so someone the partnership holds is keyed by record.
    if person is not None:
        return f"person:{person.pk}"
    return f"{' '.join(name.split()).casefold()}|{' '.join(organisation.split()).casefold()}"


def _new_code(conversation: Conversation) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread at the door
    while True:
        code = "".join(secrets.choice(alphabet) for _ in range(6))
        if not Participant.objects.filter(conversation=conversation, code=code).exists():
            return code


def _add_participant(
    *,
    conversation: Conversation,
    name: str,
    organisation: str,
    sector: str,
    partner: Partner | None,
    invited: bool,
    person: Person | None = None,
) -> Participant:
    if person is not None:
        name = name.strip() or person.alias
        if Participant.objects.filter(conversation=conversation, person=person).exists():
            raise ValidationError({"person": ERROR_PERSON_TWICE.format(name=person.alias)})
    if partner is not None and partner.partnership_id != conversation.cycle.partnership_id:
        raise ValidationError({"partner": ERROR_PARTNER_OTHER})
    if partner is not None and not organisation.strip():
        organisation = partner.name
    participant = Participant(
        conversation=conversation,
        name=name.strip(),
        organisation=organisation.strip(),
        partner=partner,
        person=person,
        sector=AttendeeSector(sector),
        invited=invited,
        key=_key(name, organisation, person),
        code=_new_code(conversation),
    )
    participant.full_clean(exclude=["key", "code"], validate_constraints=False)
    if Participant.objects.filter(conversation=conversation, key=participant.key).exists():
        raise ValidationError(
            {
                "name": ERROR_COUNTED_TWICE.format(
                    name=participant.name,
                    organisation=participant.organisation or "no organisation",
                )
            }
        )
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:  # the same person added at the same moment elsewhere
        raise ValidationError(
            {
                "name": ERROR_COUNTED_TWICE.format(
                    name=participant.name,
                    organisation=participant.organisation or "no organisation",
                )
            }
        ) from None
    return participant


@transaction.atomic
def participant_invite(
    *,
    actor: Any,
    conversation: Conversation,
    name: str,
    sector: str,
    organisation: str = "",
    partner: Partner | None = None,
    person: Person | None = None,
) -> Participant:
    """One person on the list once: the same name and organisation cannot be invited twice,
    nor the same person's record. An invitation naming a record is one its person can see and
    answer themselves."""
    participant = _add_participant(
        conversation=conversation,
        name=name,
        organisation=organisation,
        sector=sector,
        partner=partner,
        invited=True,
        person=person,
    )
    audit_record(
        actor=actor,
        verb="conversation.invite",
        subject=participant,
        details={"conversation": conversation.pk, "sector": sector},
    )
    return participant


def _room_for(participant: Participant) -> bool:
    """Whether a place is free for this person: the room's places, less those already coming,
    less the places still held for other sectors."""
    conversation = participant.conversation
    if conversation.places is None:
        return True
    coming = Participant.objects.filter(
        conversation=conversation, reply=Participant.Reply.COMING
    ).exclude(pk=participant.pk)
    by_sector: dict[str, int] = {}
    for sector in coming.values_list("sector", flat=True):
        by_sector[sector] = by_sector.get(sector, 0) + 1
    still_held = sum(
        max(0, hold.places - by_sector.get(hold.sector, 0))
        for hold in conversation.held_places.all()
        if hold.sector != participant.sector
    )
    own_hold = next(
        (h.places for h in conversation.held_places.all() if h.sector == participant.sector), 0
    )
    if by_sector.get(participant.sector, 0) < own_hold:
        return True
    return coming.count() + still_held < conversation.places


def _lock(conversation_pk: int) -> Conversation:
    """Replies to one conversation one at a time, so two people cannot both take the last
    place: the second waits here, then counts the first's place."""
    return Conversation.objects.select_for_update().get(pk=conversation_pk)


def _check_not_past(conversation: Conversation) -> None:
    # A facilitator may record a reply after the day (from a paper list); a person answering
    # for themselves cannot sign up for a conversation that has already happened.
    if conversation.date < timezone.localdate():
        raise ValidationError(ERROR_ALREADY_HAPPENED)


@transaction.atomic
def participant_reply(*, actor: Any, participant: Participant, coming: bool) -> Participant:
    """A yes takes a place if one is free (held places count for their sector only), else
    goes on the waiting list; a no frees a place for the first on the waiting list who fits."""
    conversation = _lock(participant.conversation_id)
    if participant.person_id is not None and participant.person.user_id == actor.pk:
        _check_not_past(conversation)
    _set_reply(participant, coming=coming)
    audit_record(
        actor=actor,
        verb="conversation.reply",
        subject=participant,
        details={"reply": participant.reply},
    )
    return participant


@transaction.atomic
def participant_register(*, actor: Any, conversation: Conversation, person: Person) -> Participant:
    """A person signs themselves up (Decidim's registration): once only, for a conversation
    they are invited to or one open to the neighbourhood they live in, not after the day. They
    take a place if one is free, else join the waiting list."""
    conversation = _lock(conversation.pk)
    _check_not_past(conversation)
    participant = (
        Participant.objects.select_related("person")
        .filter(conversation=conversation, person=person)
        .first()
    )
    if participant is not None and participant.reply in ON_THE_LIST:
        raise ValidationError(ERROR_ALREADY_REGISTERED[participant.reply])
    if participant is None:
        if not selectors.open_to(conversation, person):
            raise ValidationError(ERROR_NOT_OPEN)
        participant = _add_participant(
            conversation=conversation,
            name=person.alias,
            organisation="",
            sector=AttendeeSector.COMMUNITY_MEMBER,
            partner=None,
            invited=False,
            person=person,
        )
    _set_reply(participant, coming=True)
    audit_record(
        actor=actor,
        verb="conversation.register",
        subject=participant,
        details={"conversation": conversation.pk, "reply": participant.reply},
    )
    return participant


def _set_reply(participant: Participant, *, coming: bool) -> None:
    """Within `_lock`: take a place or wait; or give the place up to the first who fits."""
    if coming:
        participant.reply = (
            Participant.Reply.COMING if _room_for(participant) else Participant.Reply.WAITING
        )
    else:
        participant.reply = Participant.Reply.NOT_COMING
    participant.save(update_fields=["reply"])
    if not coming:
        for waiting in Participant.objects.filter(
            conversation=participant.conversation, reply=Participant.Reply.WAITING
        ).order_by("created_at", "id"):
            if _room_for(waiting):
                waiting.reply = Participant.Reply.COMING
                waiting.save(update_fields=["reply"])
                break


@transaction.atomic
def participant_attend(*, actor: Any, participant: Participant) -> Participant:
    """Marked here once: a second mark is refused, so nobody is counted twice."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.attended_at is not None:
        raise ValidationError(ERROR_ALREADY_HERE.format(name=participant.name))
    participant.attended_at = timezone.now()
    participant.save(update_fields=["attended_at"])
    audit_record(actor=actor, verb="conversation.attend", subject=participant)
    return participant


def participant_attend_by_code(*, actor: Any, conversation: Conversation, code: str) -> Participant:
    """The code on someone's invitation, typed at the door (as Decidim's registration codes)."""
    code = "".join(code.split()).upper()
    participant = Participant.objects.filter(conversation=conversation, code=code).first()
    if participant is None:
        raise ValidationError({"code": ERROR_NO_SUCH_CODE.format(code=code or "(none)")})
    try:
        return participant_attend(actor=actor, participant=participant)
    except ValidationError as error:
        raise ValidationError({"code": error.messages}) from None


@transaction.atomic
def participant_unattend(*, actor: Any, participant: Participant) -> Participant:
    """Undo a mistaken mark at the door."""
    participant.attended_at = None
    participant.save(update_fields=["attended_at"])
    audit_record(actor=actor, verb="conversation.unattend", subject=participant)
    return participant


@transaction.atomic
def participant_walk_in(
    *,
    actor: Any,
    conversation: Conversation,
    name: str,
    sector: str,
    organisation: str = "",
) -> Participant:
    """Someone who came without an invitation, marked here as they arrive; someone already on
    the list is refused (mark them from the list instead)."""
    participant = _add_participant(
        conversation=conversation,
        name=name,
        organisation=organisation,
        sector=sector,
        partner=None,
        invited=False,
    )
    participant.reply = Participant.Reply.COMING
    participant.attended_at = timezone.now()
    participant.save(update_fields=["reply", "attended_at"])
    audit_record(
        actor=actor,
        verb="conversation.walk_in",
        subject=participant,
        details={"conversation": conversation.pk, "sector": sector},
    )
    return participant


@transaction.atomic
def places_hold(*, actor: Any, conversation: Conversation, held: dict[str, int]) -> None:
    """Places held per sector never add up to more than the room holds."""
    total = sum(held.values())
    if conversation.places is not None and total > conversation.places:
        raise ValidationError(ERROR_HELD_TOO_MANY.format(held=total, places=conversation.places))
    HeldPlaces.objects.filter(conversation=conversation).delete()
    HeldPlaces.objects.bulk_create(
        [
            HeldPlaces(conversation=conversation, sector=AttendeeSector(sector), places=n)
            for sector, n in held.items()
            if n
        ]
    )
    audit_record(
        actor=actor,
        verb="conversation.hold_places",
        subject=conversation,
        details={"held": {k: v for k, v in held.items() if v}},
    )


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
        if not people_in(here).filter(pk=story.person_id).exists():
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


# Contributions and the closing report ---------------------------------------------------------


@transaction.atomic
def contribution_add(
    *,
    actor: Any,
    conversation: Conversation,
    text: str,
    kind: str = Contribution.Kind.NOTE,
    speaker_sector: str = "",
    speaker_name: str = "",
    name_agreed: bool = False,
) -> Contribution:
    """Kept exactly as typed; a speaker is named only with their agreement."""
    contribution = Contribution(
        conversation=conversation,
        kind=Contribution.Kind(kind),
        text=text,
        speaker_sector=speaker_sector,
        speaker_name=speaker_name.strip(),
        name_agreed=name_agreed,
        recorded_by=actor,
    )
    contribution.full_clean(validate_constraints=False)
    contribution.save()
    audit_record(
        actor=actor,
        verb="conversation.contribution",
        subject=contribution,
        details={"conversation": conversation.pk, "kind": kind},
    )
    return contribution


@transaction.atomic
def contribution_remove(*, actor: Any, contribution: Contribution) -> None:
    audit_record(actor=actor, verb="conversation.contribution_remove", subject=contribution)
    contribution.delete()


@transaction.atomic
def closing_write(
    *, actor: Any, conversation: Conversation, summary: str, produced: str = ""
) -> ClosingReport:
    """The closing report's summary is required (as Decidim's); writing it again replaces it."""
    report = ClosingReport.objects.filter(conversation=conversation).first() or ClosingReport(
        conversation=conversation
    )
    report.summary = summary
    report.produced = produced
    report.closed_by = actor
    report.full_clean(exclude=["conversation"])
    report.save()
    audit_record(actor=actor, verb="conversation.close", subject=conversation)
    return report


# The iceberg ---------------------------------------------------------------------------------


@transaction.atomic
def item_add(*, actor: Any, conversation: Conversation, level: str, text: str) -> IcebergItem:
    item = IcebergItem(
        conversation=conversation, level=IcebergLevel(level), text=text, created_by=actor
    )
    item.full_clean(validate_constraints=False)
    item.save()
    audit_record(actor=actor, verb="iceberg.add", subject=item, details={"level": level})
    return item


@transaction.atomic
def item_edit(*, actor: Any, item: IcebergItem, text: str) -> IcebergItem:
    item.text = text
    item.full_clean(validate_constraints=False)
    item.save(update_fields=["text"])
    audit_record(actor=actor, verb="iceberg.edit", subject=item)
    return item


@transaction.atomic
def item_move(*, actor: Any, item: IcebergItem, level: str) -> IcebergItem:
    """An item sits at exactly one of the four levels."""
    previous = item.level
    item.level = IcebergLevel(level)
    item.save(update_fields=["level"])
    audit_record(
        actor=actor, verb="iceberg.move", subject=item, details={"from": previous, "to": level}
    )
    return item


@transaction.atomic
def item_vote(*, actor: Any, item: IcebergItem, change: int) -> IcebergItem:
    """Add or take away the room's dots on an item; never fewer than none."""
    item = IcebergItem.objects.select_for_update().get(pk=item.pk)
    item.votes = max(0, item.votes + (1 if change > 0 else -1))
    item.save(update_fields=["votes"])
    audit_record(actor=actor, verb="iceberg.vote", subject=item, details={"votes": item.votes})
    return item


@transaction.atomic
def item_merge(*, actor: Any, item: IcebergItem, into: IcebergItem) -> IcebergItem:
    """A duplicate joins the item it repeats, on the same board: its evidence, the visions that
    answer it and the actions that rest on it move across; it leaves the board."""
    # Read both fresh and locked: another facilitator may be voting or merging at the same time.
    locked = {
        i.pk: i for i in IcebergItem.objects.select_for_update().filter(pk__in=[item.pk, into.pk])
    }
    item, into = locked[item.pk], locked[into.pk]
    if item.conversation_id != into.conversation_id:
        raise ValidationError(ERROR_ACROSS_BOARDS)
    if item.pk == into.pk:
        raise ValidationError(ERROR_MERGE_ITSELF)
    if item.merged_into_id or into.merged_into_id:
        raise ValidationError(ERROR_ALREADY_MERGED)
    for evidence in Evidence.objects.filter(item=item):
        # Each piece of evidence cites exactly one thing: the same thing cited by `into`?
        cited = {evidence.kind: getattr(evidence, f"{evidence.kind}_id")}
        duplicate = Evidence.objects.filter(item=into, **cited).exists()
        if duplicate:
            evidence.delete()
        else:
            evidence.item = into
            evidence.save(update_fields=["item"])
    for vision in item.visions.all():
        vision.answers.add(into)
    for action in item.actions.all():
        action.items.add(into)
    ThemeSuggestion.objects.filter(item=item).update(item=into)
    into.votes += item.votes
    into.save(update_fields=["votes"])
    item.merged_into = into
    item.save(update_fields=["merged_into"])
    audit_record(actor=actor, verb="iceberg.merge", subject=item, details={"into": into.pk})
    return into


def _in_partnership(conversation: Conversation, *, person_id: int | None) -> bool:
    if person_id is None:
        return False
    return (
        selectors.people_of_partnership(conversation.cycle.partnership)
        .filter(pk=person_id)
        .exists()
    )


def _link_in_partnership(conversation: Conversation, link: Link) -> bool:
    """A link belongs to a partnership's world when one of its actors lives or works in one of
    its neighbourhoods; a link tied to no place at all (a city-wide service) belongs to any."""
    from hct.places.models import Neighbourhood

    places = Neighbourhood.objects.filter(cycles__partnership=conversation.cycle.partnership)
    tied = False
    for actor in (link.from_actor, link.to_actor):
        if actor.neighbourhood_id:
            tied = True
            if places.filter(pk=actor.neighbourhood_id).exists():
                return True
        if actor.person_id:
            tied = True
            if _in_partnership(conversation, person_id=actor.person_id):
                return True
    return not tied


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    item: IcebergItem,
    contribution: Contribution | None = None,
    touchpoint: Touchpoint | None = None,
    gap: Gap | None = None,
    link: Link | None = None,
) -> Evidence:
    """An item cites one thing at a time, once, and only from its own partnership's work."""
    conversation = item.conversation
    cited = [x for x in (contribution, touchpoint, gap, link) if x is not None]
    if len(cited) != 1:
        raise ValidationError(ERROR_NO_EVIDENCE)
    if contribution is not None:
        same = contribution.conversation.cycle.partnership_id == conversation.cycle.partnership_id
    elif touchpoint is not None:
        same = _in_partnership(conversation, person_id=touchpoint.journey.person_id)
    elif gap is not None:
        same = _in_partnership(conversation, person_id=gap.journey.person_id)
    else:
        assert link is not None
        same = _link_in_partnership(conversation, link)
    if not same:
        raise ValidationError(ERROR_OTHER_PARTNERSHIP)
    evidence = Evidence(
        item=item, contribution=contribution, touchpoint=touchpoint, gap=gap, link=link
    )
    exists = Evidence.objects.filter(
        item=item,
        contribution=contribution,
        touchpoint=touchpoint,
        gap=gap,
        link=link,
    ).exists()
    if exists:
        raise ValidationError(ERROR_ALREADY_CITED)
    evidence.save()
    audit_record(actor=actor, verb="iceberg.cite", subject=item, details={"kind": evidence.kind})
    return evidence


@transaction.atomic
def map_link_mark(
    *,
    actor: Any,
    item: IcebergItem,
    from_actor: Actor,
    to_actor: Actor,
    kind: str,
    status: str,
    note: str = "",
) -> Evidence:
    """What the room said about a link ("the GP never hears back from talking therapies") goes
    on the neighbourhood's map as Big Conversation evidence, and the item cites that link. Only
    shared actors of the cycle's neighbourhood can be chosen: the map is that neighbourhood's."""
    from hct.systemmap.services import link_evidence_add

    neighbourhood = item.conversation.cycle.neighbourhood
    allowed = selectors.map_actors(neighbourhood)
    errors = {}
    for field, chosen in (("from_actor", from_actor), ("to_actor", to_actor)):
        if not allowed.filter(pk=chosen.pk).exists():
            elsewhere = chosen.neighbourhood_id and chosen.neighbourhood_id != neighbourhood.pk
            message = ERROR_ACTOR_ELSEWHERE if elsewhere else ERROR_ACTOR_NOT_HERE
            errors[field] = message.format(
                name=chosen.label_for(False), neighbourhood=neighbourhood.name
            )
    if errors:
        raise ValidationError(errors)
    said = link_evidence_add(
        actor=actor,
        from_actor=from_actor,
        to_actor=to_actor,
        kind=kind,
        status=status,
        note=note,
        source="conversation",
    )
    cited = Evidence.objects.filter(item=item, link=said.link).first()
    if cited is not None:
        # Said again: the map has one more piece of evidence, the item already cites the link.
        return cited
    return evidence_add(actor=actor, item=item, link=said.link)


@transaction.atomic
def evidence_remove(*, actor: Any, evidence: Evidence) -> None:
    audit_record(
        actor=actor, verb="iceberg.uncite", subject=evidence.item, details={"kind": evidence.kind}
    )
    evidence.delete()


# Theme suggestions -----------------------------------------------------------------------------


@transaction.atomic
def themes_suggest(*, actor: Any, conversation: Conversation) -> list[ThemeSuggestion]:
    """Fresh suggestions replace the open ones; those accepted or dropped stay as decided."""
    corpus = selectors.theme_corpus(conversation)
    found = themes.suggest(corpus)
    if not found:
        raise ValidationError(ERROR_NOTHING_TO_READ)
    ThemeSuggestion.objects.filter(
        conversation=conversation, status=ThemeSuggestion.Status.SUGGESTED
    ).delete()
    decided = set(
        ThemeSuggestion.objects.filter(conversation=conversation).values_list("label", flat=True)
    )
    created = ThemeSuggestion.objects.bulk_create(
        [
            ThemeSuggestion(
                conversation=conversation,
                label=t.label,
                terms=t.terms,
                passages=[_kept(p) for p in t.passages],
            )
            for t in found
            if t.label not in decided
        ]
    )
    audit_record(
        actor=actor,
        verb="iceberg.suggest",
        subject=conversation,
        details={"texts": len(corpus), "themes": len(created)},
    )
    return created


def _kept(passage: dict) -> dict:
    """A story's words are not copied into a suggestion, only where they are: shown while the
    story exists and its person still agrees, gone with an erasure or a withdrawal."""
    if passage["source"] == "story":
        return {k: v for k, v in passage.items() if k != "text"}
    return passage


def _open(suggestion: ThemeSuggestion) -> None:
    if suggestion.status != ThemeSuggestion.Status.SUGGESTED:
        raise ValidationError(
            ERROR_SUGGESTION_DONE.format(status=suggestion.get_status_display().lower())
        )


@transaction.atomic
def theme_accept(*, actor: Any, suggestion: ThemeSuggestion, text: str, level: str) -> IcebergItem:
    """An accepted theme becomes an iceberg item (in the facilitator's words), citing the
    contributions behind it."""
    suggestion = ThemeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _open(suggestion)
    item = item_add(actor=actor, conversation=suggestion.conversation, level=level, text=text)
    contribution_ids = [p["id"] for p in suggestion.passages if p.get("source") == "contribution"]
    for contribution in Contribution.objects.filter(
        pk__in=contribution_ids,
        conversation__cycle__partnership=suggestion.conversation.cycle.partnership,
    ):
        if not Evidence.objects.filter(item=item, contribution=contribution).exists():
            Evidence.objects.create(item=item, contribution=contribution)
    suggestion.status = ThemeSuggestion.Status.ACCEPTED
    suggestion.item = item
    suggestion.save(update_fields=["status", "item"])
    audit_record(actor=actor, verb="iceberg.theme_accept", subject=suggestion)
    return item


@transaction.atomic
def theme_drop(*, actor: Any, suggestion: ThemeSuggestion) -> ThemeSuggestion:
    suggestion = ThemeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _open(suggestion)
    suggestion.status = ThemeSuggestion.Status.DROPPED
    suggestion.save(update_fields=["status"])
    audit_record(actor=actor, verb="iceberg.theme_drop", subject=suggestion)
    return suggestion


# Vision and plan ----------------------------------------------------------------------------


def _check_items(conversation: Conversation, items: list[IcebergItem]) -> None:
    if any(i.conversation.cycle_id != conversation.cycle_id for i in items):
        raise ValidationError({"items": ERROR_ITEM_OTHER_CYCLE})


@transaction.atomic
def vision_write(
    *,
    actor: Any,
    conversation: Conversation,
    text: str,
    note: str = "",
    answers: list[IcebergItem] | None = None,
) -> VisionRevision:
    """Each writing is a new numbered revision; earlier ones are kept to compare."""
    answers = list(answers or [])
    try:
        _check_items(conversation, answers)
    except ValidationError:
        raise ValidationError({"answers": ERROR_ITEM_OTHER_CYCLE}) from None
    Conversation.objects.select_for_update().get(pk=conversation.pk)
    number = (
        VisionRevision.objects.filter(conversation=conversation).aggregate(n=Max("number"))["n"]
        or 0
    ) + 1
    revision = VisionRevision(
        conversation=conversation, number=number, text=text, note=note, author=actor
    )
    revision.full_clean(validate_constraints=False)
    revision.save()
    revision.answers.set(answers)
    audit_record(
        actor=actor,
        verb="vision.revise",
        subject=revision,
        details={"number": number, "answers": len(answers)},
    )
    return revision


def plan_for(*, actor: Any, conversation: Conversation) -> Plan:
    """The conversation's plan, made the first time it is needed."""
    plan, created = Plan.objects.get_or_create(conversation=conversation)
    if created:
        audit_record(actor=actor, verb="plan.create", subject=plan)
    return plan


@transaction.atomic
def plan_summary_write(*, actor: Any, plan: Plan, summary: str) -> Plan:
    plan.summary = summary
    plan.save(update_fields=["summary", "updated_at"])
    audit_record(actor=actor, verb="plan.summary", subject=plan)
    return plan


ACTION_FIELDS = ("title", "description", "level", "owner", "owner_partner", "due_on")


def _check_action(plan: Plan, action: PlanAction, items: list[IcebergItem]) -> None:
    _check_items(plan.conversation, items)
    partner = action.owner_partner
    if partner is not None and partner.partnership_id != plan.conversation.cycle.partnership_id:
        raise ValidationError({"owner_partner": ERROR_PARTNER_OTHER})
    action.full_clean(validate_constraints=False)


@transaction.atomic
def action_add(
    *,
    actor: Any,
    plan: Plan,
    title: str,
    level: str,
    description: str = "",
    owner: str = "",
    owner_partner: Partner | None = None,
    due_on: dt.date | None = None,
    items: list[IcebergItem] | None = None,
) -> PlanAction:
    """An action names the iceberg level it works at; the items behind it are of this cycle,
    and an owning organisation is of this partnership."""
    items = list(items or [])
    position = (PlanAction.objects.filter(plan=plan).aggregate(n=Max("position"))["n"] or 0) + 1
    action = PlanAction(
        plan=plan,
        title=title,
        description=description,
        level=IcebergLevel(level),
        owner=owner,
        owner_partner=owner_partner,
        due_on=due_on,
        position=position,
    )
    _check_action(plan, action, items)
    action.save()
    action.items.set(items)
    audit_record(
        actor=actor,
        verb="plan.action_add",
        subject=action,
        details={"plan": plan.pk, "level": level, "items": len(items)},
    )
    return action


@transaction.atomic
def action_update(
    *, actor: Any, action: PlanAction, items: list[IcebergItem] | None = None, **changes: Any
) -> PlanAction:
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"not action fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(action, name, value)
    _check_action(action.plan, action, list(items or []))
    action.save(update_fields=[*changes, "updated_at"])
    if items is not None:
        action.items.set(items)
    audit_record(
        actor=actor, verb="plan.action_update", subject=action, details={"fields": sorted(changes)}
    )
    return action


@transaction.atomic
def action_remove(*, actor: Any, action: PlanAction) -> None:
    audit_record(actor=actor, verb="plan.action_remove", subject=action)
    action.delete()


def items_of_cycle(conversation: Conversation, pks: list[int]) -> list[IcebergItem]:
    """Iceberg items by id, refused if any is not of this cycle (or does not exist)."""
    items = list(
        IcebergItem.objects.filter(pk__in=pks).filter(Q(conversation__cycle=conversation.cycle))
    )
    if len(items) != len(set(pks)):
        raise ValidationError({"items": ERROR_ITEM_OTHER_CYCLE})
    return items
