"""Who comes to a conversation: invitations, replies and sign-ups, the places held, the door."""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hct.conversations import selectors
from hct.conversations.models import (
    AttendeeSector,
    Conversation,
    HeldPlaces,
    Participant,
)
from hct.core.services import audit_record
from hct.partnership.models import Partner
from hct.people.models import Person

ERROR_COUNTED_TWICE = "{name} ({organisation}) is already on the list: they cannot be counted twice"
ERROR_ALREADY_HERE = "{name} is already marked as here: they cannot be counted twice"
ERROR_NO_SUCH_CODE = "No one on this conversation's list has the code {code}"
ERROR_HELD_TOO_MANY = "The places held ({held}) are more than the room holds ({places})"
ERROR_PARTNER_OTHER = "Choose an organisation of this partnership"
ERROR_PERSON_TWICE = "{name} is already on the list: they cannot be counted twice"
ERROR_ALREADY_HAPPENED = "This conversation has already happened, so you cannot change your place"
ERROR_NOT_OPEN = "This conversation is not open for you to sign up. Ask your facilitator."
ON_THE_LIST = (Participant.Reply.COMING, Participant.Reply.WAITING)
ERROR_ALREADY_REGISTERED = {
    Participant.Reply.COMING: "You are already signed up for this conversation. Nothing changed.",
    Participant.Reply.WAITING: "You are already on the waiting list. Nothing changed.",
}


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
    if participant.person is not None and participant.person.user_id == actor.pk:
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
        raise ValidationError(ERROR_ALREADY_REGISTERED[Participant.Reply(participant.reply)])
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
